import type { Turn } from './conversation.ts';
import { TEMPORAL } from './cues.ts';
import { topRanked } from './ranking.ts';
import { fold, hasUnspacedScript, STOP_WORDS } from './words.ts';

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
  interface Stat {
    /** In how many turns it occurs (turns come in order: `last` tells a new one). */
    turns: number;
    last: number;
    /** How it was written: its first form and how often, then (once another form shows) every form. */
    form: string;
    count: number;
    forms?: Map<string, number>;
    shape: number;
    words: string[];
  }
  const stats = new Map<string, Stat>();
  for (const turn of turns) {
    if (turn.message.isBot) continue;
    for (const sentence of turn.sentences) {
      for (const run of runs(sentence, names)) {
        for (let i = 0; i < run.length; i++) {
          const head = run[i] as Word;
          if (head.notTopic) continue;
          let key = '';
          let form = '';
          let shape = 0;
          let digitsOnly = true;
          for (let n = 1; n <= 3 && i + n <= run.length; n++) {
            const w = run[i + n - 1] as Word;
            key = n === 1 ? w.key : `${key} ${w.key}`;
            form = n === 1 ? w.text : `${form} ${w.text}`;
            shape = Math.max(shape, w.shape);
            digitsOnly &&= w.digits;
            if (digitsOnly || w.notTopic) continue;
            let entry = stats.get(key);
            if (!entry) {
              entry = {
                turns: 0,
                last: -1,
                form,
                count: 0,
                shape: 0,
                words: run.slice(i, i + n).map((x) => x.key),
              };
              stats.set(key, entry);
            }
            if (entry.last !== turn.index) {
              entry.turns++;
              entry.last = turn.index;
            }
            if (entry.forms) entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
            else if (entry.form === form) entry.count++;
            else
              entry.forms = new Map([
                [entry.form, entry.count],
                [form, 1],
              ]);
            if (shape > entry.shape) entry.shape = shape;
          }
        }
      }
    }
  }
  const phrases: (Phrase & { entry: Stat })[] = [];
  for (const [key, entry] of stats) {
    const n = entry.words.length;
    const inTopic = entry.turns;
    // Rarity: a phrase every topic uses says nothing about this one. Its rarest word stands for it.
    let elsewhere = Number.POSITIVE_INFINITY;
    for (const w of entry.words) elsewhere = Math.min(elsewhere, (wordFrequency.get(w) ?? inTopic) - inTopic);
    const rarity = Math.log((conversationTurns + 1) / (Math.max(0, elsewhere) + 1));
    const score = inTopic * (1 + 0.6 * (n - 1)) * (1 + entry.shape) * (0.5 + rarity);
    phrases.push({ text: key, key, score, entry });
  }
  const byScore = (a: Phrase, b: Phrase) => b.score - a.score || (a.key < b.key ? -1 : 1);
  // A phrase inside a better one adds nothing ("nitro" after "free nitro").
  const choose = (ranked: (Phrase & { entry: Stat })[]): Phrase[] => {
    const chosen: Phrase[] = [];
    for (const p of ranked) {
      if (chosen.length >= limit) break;
      if (chosen.some((c) => contains(c.key, p.key) || contains(p.key, c.key))) continue;
      // Shown as most often written.
      const forms = p.entry.forms;
      const text = forms
        ? ([...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? p.key)
        : p.entry.form;
      chosen.push({ text, key: p.key, score: p.score });
    }
    return chosen;
  };
  // A long topic has thousands of phrases and only the best few are read: rank the best ones first, and
  // everything only when those run out (the same choice a full sort gives).
  const head = topRanked(phrases, RANKED_FIRST, byScore);
  const chosen = choose(head);
  if (chosen.length >= limit || head.length === phrases.length) return chosen;
  return choose(phrases.sort(byScore));
}

// How many of the best phrases are ranked before the rest are.
const RANKED_FIRST = 64;

function contains(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

interface Word {
  text: string;
  key: string;
  /** 1 when the word looks like the name of a thing (code, version, capitalised mid-sentence). */
  shape: number;
  /** Only digits: no topic on its own. */
  digits: boolean;
  /** Says what a message does rather than what it is about. */
  notTopic: boolean;
}

// Anything but spaces and dashes between two words ends a run.
const SPACE = /\s/;

/** Whether `sentence` holds anything but spaces and dashes from `start` to `end`. */
function breaksRun(sentence: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = sentence.charCodeAt(i);
    if (c === 32 || c === 45 || c === 0x2013 || (c >= 9 && c <= 13)) continue;
    if (c < 0x80 || !SPACE.test(sentence.charAt(i))) return true;
  }
  return false;
}

/** TOKEN's matches within the words Unicode segmentation finds (Japanese and Chinese have no spaces). */
function segmentedTokens(sentence: string): { 0: string; index: number }[] {
  const out: { 0: string; index: number }[] = [];
  for (const part of segmenter.segment(sentence)) {
    if (!part.isWordLike) continue;
    for (const m of part.segment.matchAll(TOKEN)) out.push({ 0: m[0], index: part.index + (m.index ?? 0) });
  }
  return out;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** What a token is, wherever it occurs: its word at a sentence's start and elsewhere, or a run break. */
interface Token {
  /** A stop word, an @handle, one letter or a time: no part of a phrase (names are checked apart). */
  breaks: boolean;
  first: Word;
  later: Word;
}

// Tokens already read: a topic's messages use the same few hundred words over and over, and each token's
// tests (fold, stop word, time, code shape) were most of the labelling's time.
const tokenCache = new Map<string, Token>();
const TOKEN_CACHE_SIZE = 20_000;

function tokenOf(raw: string): Token {
  let token = tokenCache.get(raw);
  if (token) return token;
  const text = raw.replace(/^@/, '').replace(/`/g, '');
  const key = fold(text);
  const breaks =
    !key ||
    STOP_WORDS.has(key) ||
    raw.startsWith('@') ||
    (key.length < 2 && !/\d/.test(key)) ||
    isTemporal(key);
  const code = /[`#]|[\p{L}][._/-][\p{L}\p{N}]|\d[\p{L}]|[\p{L}]\d|^--/u.test(raw);
  // Capitalised mid-sentence (not all capitals): the name of a thing.
  const capital = /^\p{Lu}/u.test(raw) && !/^\p{Lu}+$/u.test(raw);
  const word = (shape: number): Word => ({
    text,
    key,
    shape,
    digits: /^\d+$/.test(key),
    notTopic: NOT_A_TOPIC.has(key),
  });
  const later = word(code || capital ? 1 : 0);
  token = { breaks, first: code || !capital ? later : word(0), later };
  if (tokenCache.size >= TOKEN_CACHE_SIZE) tokenCache.clear();
  tokenCache.set(raw, token);
  return token;
}

/** Runs of content words in a sentence, broken by stop words, names of people and punctuation. */
function runs(sentence: string, names: ReadonlySet<string>): Word[][] {
  const out: Word[][] = [];
  let run: Word[] = [];
  let end = 0;
  let first = true;
  for (const match of hasUnspacedScript(sentence) ? segmentedTokens(sentence) : sentence.matchAll(TOKEN)) {
    const raw = match[0];
    const at = match.index ?? 0;
    const broken = at > end && breaksRun(sentence, end, at);
    end = at + raw.length;
    if (broken) {
      if (run.length) out.push(run);
      run = [];
    }
    const token = tokenOf(raw);
    const isFirst = first;
    first = false;
    if (token.breaks || names.has(token.later.key)) {
      if (run.length) out.push(run);
      run = [];
      continue;
    }
    run.push(isFirst ? token.first : token.later);
  }
  if (run.length) out.push(run);
  return out;
}
