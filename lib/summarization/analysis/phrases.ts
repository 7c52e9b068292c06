import type { Turn } from './conversation.ts';
import { TEMPORAL } from './cues.ts';
import { fold, STOP_WORDS } from './words.ts';

// Words that say what a message does (agree, ask, check) rather than what it is about.
const NOT_A_TOPIC = new Set(
  (
    'agreed agree works work working worked done fine put use used using try tried ask asked bring help ' +
    'check checked update updated look looks looking wait sounds sound mean means question questions answer ' +
    'thread anybody someone everyone people guys all folks team issue problem thing idea plan send sent ' +
    'needs needed wants wanted happy sad bad glad better best feel feels felt seems seem saw seen told tell ' +
    'find found keep kept take took give gave let start started stop stopped fix fixed call called ' +
    'hard easy big small long short first second third little bit half kind sort real true false wrong ' +
    'yes no maybe later soon early late tonight ready welcome congrats hero legend lunch'
  ).split(' '),
);

const LABEL_TURNS = 400;

const temporalWords = new Map<string, boolean>();

/** Whether a word names a time (memoised: the same few words come back in every message). */
function isTemporal(key: string): boolean {
  let t = temporalWords.get(key);
  if (t === undefined) {
    t = TEMPORAL.test(key);
    if (temporalWords.size > 10_000) temporalWords.clear();
    temporalWords.set(key, t);
  }
  return t;
}

const TOKEN = /(?:--)?[\p{L}\p{N}#@`]+(?:['’._\-/+][\p{L}\p{N}]+)*`?/gu;

/** A phrase people used, with how often and how distinctive it is. */
export interface Phrase {
  /** As most often written. */
  text: string;
  key: string;
  score: number;
}

/**
 * The phrases a set of turns is about: runs of one to three words between stop words and punctuation,
 * scored by how many turns use them, how rare they are in the rest of the conversation, and whether they
 * look like names of things (capitalised mid-sentence, code, versions, #channels).
 */
export function topicPhrases(
  all: Turn[],
  wordFrequency: Map<string, number>,
  conversationTurns: number,
  names: ReadonlySet<string>,
  limit = 3,
): Phrase[] {
  // A long topic's label shows in its latest few hundred messages; reading more costs time, not quality.
  const turns = all.length > LABEL_TURNS ? all.slice(-LABEL_TURNS) : all;
  const stats = new Map<string, { turns: Set<number>; forms: Map<string, number>; shape: number }>();
  for (const turn of turns) {
    if (turn.message.isBot) continue;
    for (const sentence of turn.sentences) {
      for (const run of runs(sentence, names)) {
        for (let n = 1; n <= 3; n++) {
          for (let i = 0; i + n <= run.length; i++) {
            const gram = run.slice(i, i + n);
            const key = gram.map((g) => g.key).join(' ');
            if (n === 1 && NOT_A_TOPIC.has(key)) continue;
            if (gram.every((g) => /^\d+$/.test(g.key))) continue;
            if (NOT_A_TOPIC.has(gram[0]?.key ?? '') || NOT_A_TOPIC.has(gram[n - 1]?.key ?? '')) continue;
            const entry = stats.get(key) ?? { turns: new Set(), forms: new Map(), shape: 0 };
            entry.turns.add(turn.index);
            const form = gram.map((g) => g.text).join(' ');
            entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
            entry.shape = Math.max(entry.shape, ...gram.map((g) => g.shape));
            stats.set(key, entry);
          }
        }
      }
    }
  }
  const phrases: Phrase[] = [];
  for (const [key, entry] of stats) {
    const n = key.split(' ').length;
    const inTopic = entry.turns.size;
    // Rarity: a phrase every topic uses says nothing about this one. Its rarest word stands for it.
    let elsewhere = Number.POSITIVE_INFINITY;
    for (const w of key.split(' '))
      elsewhere = Math.min(elsewhere, (wordFrequency.get(w) ?? inTopic) - inTopic);
    const rarity = Math.log((conversationTurns + 1) / (Math.max(0, elsewhere) + 1));
    const score = inTopic * (1 + 0.6 * (n - 1)) * (1 + entry.shape) * (0.5 + rarity);
    const text = [...entry.forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? key;
    phrases.push({ text, key, score });
  }
  phrases.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : 1));
  // A phrase inside a better one adds nothing ("nitro" after "free nitro").
  const chosen: Phrase[] = [];
  for (const p of phrases) {
    if (chosen.length >= limit) break;
    if (chosen.some((c) => contains(c.key, p.key) || contains(p.key, c.key))) continue;
    chosen.push(p);
  }
  return chosen;
}

function contains(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

interface Word {
  text: string;
  key: string;
  /** 1 when the word looks like the name of a thing (code, version, capitalised mid-sentence). */
  shape: number;
}

/** Runs of content words in a sentence, broken by stop words, names of people and punctuation. */
function runs(sentence: string, names: ReadonlySet<string>): Word[][] {
  const out: Word[][] = [];
  let run: Word[] = [];
  let end = 0;
  let first = true;
  for (const match of sentence.matchAll(TOKEN)) {
    const raw = match[0];
    const between = sentence.slice(end, match.index);
    end = (match.index ?? 0) + raw.length;
    if (/[^\s]/u.test(between.replace(/[-–]/g, ''))) {
      if (run.length) out.push(run);
      run = [];
    }
    const text = raw.replace(/^@/, '').replace(/`/g, '');
    const key = fold(text);
    const isFirst = first;
    first = false;
    if (
      !key ||
      STOP_WORDS.has(key) ||
      names.has(key) ||
      raw.startsWith('@') ||
      (key.length < 2 && !/\d/.test(key)) ||
      isTemporal(key)
    ) {
      if (run.length) out.push(run);
      run = [];
      continue;
    }
    const code = /[`#]|[\p{L}][._/-][\p{L}\p{N}]|\d[\p{L}]|[\p{L}]\d|^--/u.test(raw);
    const capital = !isFirst && /^\p{Lu}/u.test(raw) && !/^\p{Lu}+$/u.test(raw);
    run.push({ text, key, shape: code || capital ? 1 : 0 });
  }
  if (run.length) out.push(run);
  return out;
}
