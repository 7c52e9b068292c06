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
    'yes no maybe later soon early late tonight ready welcome congrats hero legend lunch bump bumping bumped ' +
    // "good question", "dobre pytanie", "bra fråga": the words for a question, an answer or an idea, in the
    // languages of the cues (folded)
    'frage fragen antwort idee pytanie pytania odpowiedz pomysł fraga fragan svar sporsmal reponse ' +
    'pregunta preguntas respuesta pergunta perguntas resposta ideia domanda domande risposta vraag vragen antwoord ' +
    // "weet iemand…", "weiß jemand…", "vet någon…": asking the room, not what is asked
    "iemand weet jemand weiss quelqu'un sait alguien alguem sabe qualcuno ktos wie nagon vet noen"
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

/** How often a phrase (a run of one to three words) occurs in a set of turns, and how it was written. */
interface Stat {
  /** In how many turns it occurs (turns come in order: `last` tells a new one). */
  turns: number;
  last: number;
  /** Its words (their keys), and where its first form was written: `run[at…at+n)`. */
  words: Word[];
  run: Word[];
  at: number;
  /** How often the first form was written; once another form shows, every form and its count. */
  count: number;
  forms?: Map<string, number>;
  shape: number;
  /** The words' keys joined by spaces, made when first asked for (see `keyOf`). */
  key?: string;
}

/** A phrase's key: its words' keys joined by spaces. */
function keyOf(stat: Stat): string {
  stat.key ??= stat.words.map((w) => w.key).join(' ');
  return stat.key;
}

/** A phrase's form as written at `run[at…at+n)`: its words' texts joined by spaces. */
function formAt(run: Word[], at: number, n: number): string {
  let form = (run[at] as Word).text;
  for (let k = 1; k < n; k++) form = `${form} ${(run[at + k] as Word).text}`;
  return form;
}

/** Whether the form at `run[at…at+n)` is the stat's first form (texts hold no spaces: word by word). */
function sameForm(stat: Stat, run: Word[], at: number, n: number): boolean {
  const m = stat.words.length;
  // Phrases found by their keys (see `byString`) may be the same key in different numbers of words.
  if (m !== n) return formAt(stat.run, stat.at, m) === formAt(run, at, n);
  for (let k = 0; k < n; k++)
    if ((stat.run[stat.at + k] as Word).text !== (run[at + k] as Word).text) return false;
  return true;
}

// A phrase of up to three words is found by its words' ids, packed in one number (ids below 2^17 each):
// building and hashing a string key for every phrase of every sentence was most of the labelling's time.
const ID_BITS = 131_072;

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
  if (keyIds.size > MAX_KEY_IDS) resetKeyIds();
  const found = sentenceRuns(turns, names);
  // Ids stand for keys only while they fit their bits and no key holds a space (NFKD writes a few
  // ligatures with spaces, and "a b" + "c" would then be "a" + "b c"): otherwise phrases go by their keys.
  const byString = spacedKeys || keyIds.size >= ID_BITS;
  const stats = countPhrases(found, byString);
  const phrases = scored(stats, wordFrequency, conversationTurns);
  const byScore = (a: Ranked, b: Ranked) => b.score - a.score || (keyOf(a.entry) < keyOf(b.entry) ? -1 : 1);
  // A phrase inside a better one adds nothing ("nitro" after "free nitro").
  const choose = (ranked: Ranked[]): Phrase[] => {
    const chosen: Phrase[] = [];
    for (const p of ranked) {
      if (chosen.length >= limit) break;
      const key = keyOf(p.entry);
      if (chosen.some((c) => contains(c.key, key) || contains(key, c.key))) continue;
      // Shown as most often written.
      const forms = p.entry.forms;
      const text = forms
        ? ([...forms].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? key)
        : formAt(p.entry.run, p.entry.at, p.entry.words.length);
      chosen.push({ text, key, score: p.score });
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

/** The runs of every sentence of the turns (bots' aside), with each sentence's turn. */
function sentenceRuns(turns: Turn[], names: ReadonlySet<string>): { turn: number; runs: Word[][] }[] {
  const found: { turn: number; runs: Word[][] }[] = [];
  for (const turn of turns) {
    if (turn.message.isBot) continue;
    for (const sentence of turn.sentences) found.push({ turn: turn.index, runs: runs(sentence, names) });
  }
  return found;
}

interface Ranked {
  score: number;
  entry: Stat;
}

/** Every phrase's score: how many turns use it, how long and name-like it is, and how rare elsewhere. */
function scored(stats: Stat[], wordFrequency: Map<string, number>, conversationTurns: number): Ranked[] {
  // Each word's frequency in the conversation, looked up once.
  const frequencyOf = new Map<Word['id'], number | undefined>();
  const frequency = (w: Word): number | undefined => {
    if (frequencyOf.has(w.id)) return frequencyOf.get(w.id);
    const f = wordFrequency.get(w.key);
    frequencyOf.set(w.id, f);
    return f;
  };
  const phrases: Ranked[] = [];
  for (const entry of stats) {
    const n = entry.words.length;
    const inTopic = entry.turns;
    // Rarity: a phrase every topic uses says nothing about this one. Its rarest word stands for it.
    let elsewhere = Number.POSITIVE_INFINITY;
    for (const w of entry.words) elsewhere = Math.min(elsewhere, (frequency(w) ?? inTopic) - inTopic);
    const rarity = Math.log((conversationTurns + 1) / (Math.max(0, elsewhere) + 1));
    const score = inTopic * (1 + 0.6 * (n - 1)) * (1 + entry.shape) * (0.5 + rarity);
    phrases.push({ score, entry });
  }
  return phrases;
}

/**
 * Every phrase of up to three words in the runs, with in how many turns and how it was written; found by
 * their words' ids, or by their keys when `byString`. (Each pass is a function of its own: a loop this long,
 * optimised while it ran, left the code after it without type feedback, and every later call dropped out
 * of the optimised code there: 160 deoptimisations in six summaries.)
 */
function countPhrases(found: { turn: number; runs: Word[][] }[], byString: boolean): Stat[] {
  const byId = new Map<number, Stat>();
  const byKey = new Map<string, Stat>();
  const stats: Stat[] = [];
  for (const { turn, runs: sentenceRuns } of found) {
    for (const run of sentenceRuns) {
      for (let i = 0; i < run.length; i++) {
        const head = run[i] as Word;
        if (head.notTopic) continue;
        let id = 0;
        let shape = 0;
        let digitsOnly = true;
        for (let n = 1; n <= 3 && i + n <= run.length; n++) {
          const w = run[i + n - 1] as Word;
          id = id * ID_BITS + w.id;
          shape = Math.max(shape, w.shape);
          digitsOnly &&= w.digits;
          if (digitsOnly || w.notTopic) continue;
          let entry: Stat | undefined;
          let key: string | undefined;
          if (byString) {
            key = run
              .slice(i, i + n)
              .map((x) => x.key)
              .join(' ');
            entry = byKey.get(key);
          } else entry = byId.get(id);
          if (!entry) {
            entry = { turns: 0, last: -1, words: run.slice(i, i + n), run, at: i, count: 0, shape: 0 };
            if (key !== undefined) {
              entry.key = key;
              byKey.set(key, entry);
            } else byId.set(id, entry);
            stats.push(entry);
          }
          if (entry.last !== turn) {
            entry.turns++;
            entry.last = turn;
          }
          if (entry.forms) {
            const form = formAt(run, i, n);
            entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
          } else if (sameForm(entry, run, i, n)) entry.count++;
          else
            entry.forms = new Map([
              [formAt(entry.run, entry.at, entry.words.length), entry.count],
              [formAt(run, i, n), 1],
            ]);
          if (shape > entry.shape) entry.shape = shape;
        }
      }
    }
  }
  return stats;
}

// How many of the best phrases are ranked before the rest are.
const RANKED_FIRST = 64;

function contains(longer: string, shorter: string): boolean {
  return ` ${longer} `.includes(` ${shorter} `);
}

interface Word {
  text: string;
  key: string;
  /** The key's id (see `keyId`): the same key, the same id. */
  id: number;
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

// Every key read gets an id, for as long as the ids are kept (they are let go between calls, when many).
const keyIds = new Map<string, number>();
const MAX_KEY_IDS = 50_000;
// Whether a key holds a space (see `byString` in topicPhrases).
let spacedKeys = false;

function keyId(key: string): number {
  let id = keyIds.get(key);
  if (id === undefined) {
    id = keyIds.size + 1;
    keyIds.set(key, id);
    if (/\s/.test(key)) spacedKeys = true;
  }
  return id;
}

/** Forgets every id, and the tokens that hold them. */
function resetKeyIds(): void {
  keyIds.clear();
  tokenCache.clear();
  spacedKeys = false;
}

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
  // A token that breaks runs is never part of a phrase: it needs no id.
  const id = breaks ? 0 : keyId(key);
  const word = (shape: number): Word => ({
    text,
    key,
    id,
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
