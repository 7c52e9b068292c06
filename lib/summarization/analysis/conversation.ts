import type { MentionedUser, NormalizedMessage } from '../summarizer.ts';
import { splitSentences } from '../text.ts';
import {
  fold,
  foldedWords,
  foldPlain,
  hasUnspacedScript,
  isPlainText,
  MessageWords,
  Vocabulary,
} from './words.ts';

/** One message as the analysis sees it. */
export interface Turn {
  /** Position in time order. */
  index: number;
  message: NormalizedMessage;
  author: string;
  /** Milliseconds since the epoch (NaN when unreadable). */
  time: number;
  /** The content without URLs: links are listed on their own. */
  text: string;
  sentences: string[];
  /** Folded sentences, for the cue patterns. */
  folded: string[];
  /** Remembered cue answers of this turn's sentences (see `shows`), from `memoAt` on; shared by same texts. */
  memo: Int32Array;
  memoAt: number;
  /** The text is printable ASCII and spaces only (`isPlainText`): folding it is lowercasing it. */
  plain: boolean;
  /** Content words of the whole message (folded). */
  words: MessageWords;
  /** Index of the turn this one replies to, when it is in the window. */
  replyTo?: number;
  thread?: string;
  /** Participants this turn addresses: @mentions, or a name at the start ("jay can you…"). */
  addressed: readonly string[];
}

/** A conversation ready for analysis: turns in time order and who took part. */
export interface Conversation {
  turns: Turn[];
  /** Display names, in order of first appearance. */
  participants: string[];
  /** In how many turns each content word occurs, in order of first use. */
  frequency: Map<string, number>;
}

const URL = /https?:\/\/\S+/g;
const MENTION = /@([\p{L}\p{N}_.-]+)/gu;

/** Messages in time order; equal or unreadable timestamps keep their input order. */
export function chronological(messages: NormalizedMessage[]): NormalizedMessage[] {
  return inTimeOrder(messages).messages;
}

/** `chronological`, with each message's time (read once: parsing every timestamp twice showed). */
function inTimeOrder(messages: NormalizedMessage[]): { messages: NormalizedMessage[]; times: number[] } {
  // Pushed, not mapped: the same kind of array whether or not this code is optimised (see buildConversation).
  const times: number[] = [];
  for (const m of messages) times.push(timeOf(m.timestamp));
  // Pages arrive in order: a window already in order (every time readable) needs no sort.
  let ordered = true;
  for (let i = 1; i < times.length && ordered; i++)
    ordered = (times[i - 1] as number) <= (times[i] as number);
  if (ordered && !(times.length > 0 && Number.isNaN(times[0]))) return { messages: [...messages], times };
  const sorted: { m: NormalizedMessage; i: number; t: number }[] = [];
  for (let i = 0; i < messages.length; i++)
    sorted.push({ m: messages[i] as NormalizedMessage, i, t: times[i] as number });
  sorted.sort((a, b) => (a.t === b.t || Number.isNaN(a.t - b.t) ? a.i - b.i : a.t - b.t));
  const inOrder: NormalizedMessage[] = [];
  const timesInOrder: number[] = [];
  for (const x of sorted) {
    inOrder.push(x.m);
    timesInOrder.push(x.t);
  }
  return { messages: inOrder, times: timesInOrder };
}

/**
 * `Date.parse(timestamp)`, read by hand for the form every stored message has (`2024-01-01T00:00:00.000Z`,
 * a valid date from 1970 on); anything else goes to Date.parse. Every message's time is read.
 */
function timeOf(timestamp: string): number {
  const s = timestamp;
  if (
    s.length !== 24 ||
    s.charCodeAt(23) !== 90 || // Z
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 || // T
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46
  )
    return Date.parse(s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  if (
    year < 1970 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59 ||
    ms < 0
  )
    return Date.parse(s);
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The decimal number of `s[at, at + n)`, or -1 when a character there is no digit. */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] as number);
}

/** Builds the turns of a conversation: time order, replies resolved to positions, names resolved to people. */
export function buildConversation(input: NormalizedMessage[]): Conversation {
  const { messages, times } = inTimeOrder(input);
  const participants: string[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    if (!seen.has(m.authorName)) {
      seen.add(m.authorName);
      participants.push(m.authorName);
    }
  }
  const window: TurnWindow = {
    messages,
    times,
    names: nameIndex(participants),
    position: undefined,
    openings: new Map(),
    vocabulary: new Vocabulary(),
    readings: new Map(),
  };
  // Pushed one by one rather than mapped: optimised code maps into a holey array, the interpreter into a
  // packed one, and every function reading the turns fell out of its optimised code when the kind changed.
  const turns: Turn[] = [];
  for (let i = 0; i < messages.length; i++) turns.push(turnOf(window, i));
  shareMemo(turns);
  return { turns, participants, frequency: window.vocabulary.documentFrequency() };
}

// What building the turns of one window shares. A plain object handed to module functions, not closures
// made per window: optimised code called the previous window's closure, and fell out at the next window's.
interface TurnWindow {
  messages: NormalizedMessage[];
  times: number[];
  names: NameIndex;
  /** Message ids to positions, made when the first reply needs one (many windows hold no reply). */
  position: Map<string, number> | undefined;
  /** Sentences open with the same few words ("I'll", "what", "ok"): each is looked up once. */
  openings: Map<string, string | undefined>;
  vocabulary: Vocabulary;
  /**
   * Messages of the same content (bot lines, "+1", "same", a pasted announcement) read alike: each content
   * is split, folded and tokenised once (as their cue answers are shared, see shareMemo), and a repeat only
   * counts its words again for their document frequency.
   */
  readings: Map<string, Reading>;
}

/** The turn of the window's message at `index` (in time order). */
function turnOf(window: TurnWindow, index: number): Turn {
  const message = window.messages[index] as NormalizedMessage;
  let reading = window.readings.get(message.content);
  if (reading === undefined) {
    reading = readingOf(message.content, window.vocabulary);
    window.readings.set(message.content, reading);
  } else window.vocabulary.countAgain(reading.words);
  const { text, sentences, folded, plain } = reading;
  const parent = message.replyTo === undefined ? undefined : positionOf(window, message.replyTo);
  // Every field set here, in one order: turns with and without a reply or thread share one shape.
  return {
    index,
    message,
    author: message.authorName,
    time: window.times[index] as number,
    text,
    sentences,
    folded,
    memo: NO_MEMO,
    memoAt: 0,
    words: reading.words,
    plain,
    replyTo: parent !== undefined && parent < index ? parent : undefined,
    thread: message.threadName ? message.threadName : undefined,
    addressed: addressees(message, sentences, plain, window),
  };
}

/** The position of the window's message `id`, if it is in the window. */
function positionOf(window: TurnWindow, id: string): number | undefined {
  if (!window.position) {
    const position = new Map<string, number>();
    for (let i = 0; i < window.messages.length; i++)
      position.set((window.messages[i] as NormalizedMessage).id, i);
    window.position = position;
  }
  return window.position.get(id);
}

/** The participant a sentence's opening word names, if any (remembered per word for the window). */
function openingName(window: TurnWindow, word: string): string | undefined {
  if (window.openings.has(word)) return window.openings.get(word);
  const name = resolveName(word, window.names);
  window.openings.set(word, name);
  return name;
}

/** What a turn reads from its message's content; turns of the same content share one. */
interface Reading {
  text: string;
  sentences: string[];
  folded: string[];
  plain: boolean;
  words: MessageWords;
}

/** Reads a message's content: its text without links, sentences, folded sentences and content words. */
function readingOf(content: string, vocabulary: Vocabulary): Reading {
  // Every link starts with "http": most messages need no search.
  const text = (content.includes('http') ? content.replace(URL, ' ') : content).trim();
  const sentences = splitSentences(text);
  const plain = isPlainText(text);
  const folded = foldAll(sentences, plain);
  // Words of text in spaced scripts are those of its folded sentences: not folded a second time.
  const words = new MessageWords(
    text,
    vocabulary,
    plain || !hasUnspacedScript(text) ? folded : undefined,
    plain,
  );
  return { text, sentences, folded, plain, words };
}

/**
 * One memo word per sentence and one for the whole message, in one array for the conversation; turns of
 * the same text have the same answers, so they share their words. (Each loop is a function of its own,
 * last in it: code after a long loop, optimised while the loop ran, had no type feedback, and every
 * conversation fell out of the optimised code there.)
 */
function shareMemo(turns: Turn[]): void {
  const memo = new Int32Array(placeMemos(turns));
  for (const t of turns) t.memo = memo;
}

/** Sets each turn's `memoAt` (turns of the same text share theirs); returns how many words they need. */
function placeMemos(turns: Turn[]): number {
  let words = 0;
  const byText = new Map<string, number>();
  for (const t of turns) {
    const same = byText.get(t.text);
    if (same !== undefined) {
      t.memoAt = same;
      continue;
    }
    t.memoAt = words;
    byText.set(t.text, words);
    words += t.folded.length + 1;
  }
  return words;
}

const NO_MEMO = new Int32Array(0);

/** The sentences folded; the same array when folding changes none of them (most lowercase chat). */
function foldAll(sentences: string[], plain: boolean): string[] {
  let folded: string[] | undefined;
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i] as string;
    const f = plain ? foldPlain(s) : fold(s);
    if (f === s) continue;
    // Of exactly the sentences' length: a window keeps every message's.
    folded ??= sentences.slice();
    folded[i] = f;
  }
  return folded ?? sentences;
}

/** Folded name keys (whole name, first word, name without decoration) to the participant's display name. */
export type NameIndex = Map<string, string>;

/** Every way a participant is called in chat: the folded name, its first word, without `_` or digits. */
export function nameIndex(participants: string[]): NameIndex {
  const index: NameIndex = new Map();
  const add = (key: string, name: string) => {
    if (key.length >= 2 && !index.has(key)) index.set(key, name);
  };
  for (const name of participants) add(foldedWords(name).join(' '), name);
  for (const name of participants) {
    const parts = foldedWords(name);
    const first = parts[0];
    if (first) {
      add(first, name);
      add(first.replace(/[_\d]+$/, ''), name);
      for (const part of first.split(/[_.-]/)) if (part.length >= 3) add(part, name);
    }
  }
  return index;
}

/** The participant a word or @handle names, if any. */
export function resolveName(word: string, names: NameIndex): string | undefined {
  const key = fold(word).replace(/^@/, '');
  return names.get(key) ?? names.get(key.replace(/[_\d]+$/, ''));
}

// Most messages address nobody: they share this list rather than each holding an empty one.
const NOBODY: readonly string[] = Object.freeze([]);

// Called for every message: no closure and no throwaway arrays per message or sentence (each showed in the
// allocation profile), and indexed loops, which allocate nothing before the code is optimised either.
function addressees(
  message: NormalizedMessage,
  sentences: string[],
  plain: boolean,
  window: TurnWindow,
): readonly string[] {
  const { names } = window;
  const author = message.authorName;
  let found: string[] | undefined;
  const mentions = message.mentions;
  if (mentions !== undefined)
    for (let i = 0; i < mentions.length; i++)
      found = withName(found, resolveName((mentions[i] as MentionedUser).name, names), author);
  for (let i = 0; i < sentences.length; i++) {
    const sentence = sentences[i] as string;
    if (sentence.includes('@'))
      for (const match of sentence.matchAll(MENTION))
        found = withName(found, resolveName(match[1] as string, names), author);
    // "jay can you…", "Kev, could you…": a name opening a sentence addresses that person.
    const opening = plain ? plainOpening(sentence) : OPENING.exec(sentence)?.[1];
    if (opening) found = withName(found, openingName(window, opening), author);
  }
  return found ?? NOBODY;
}

/** `found` with `name` added once, in order of first mention, unless it is the author's (made for the first name). */
function withName(
  found: string[] | undefined,
  name: string | undefined,
  author: string,
): string[] | undefined {
  if (!name || name === author) return found;
  if (found === undefined) return [name];
  if (!found.includes(name)) found.push(name);
  return found;
}

const OPENING = /^([\p{L}\p{N}_.-]+)[,:]?\s/u;

/** OPENING's word in a plain (ASCII) sentence, read without the regex: the word, then ",", ":" or a space. */
function plainOpening(sentence: string): string | undefined {
  let end = 0;
  while (end < sentence.length && isOpeningChar(sentence.charCodeAt(end))) end++;
  if (end === 0 || end >= sentence.length) return undefined;
  const c = sentence.charCodeAt(end);
  const spaced =
    isSpace(c) ||
    ((c === 44 || c === 58) && end + 1 < sentence.length && isSpace(sentence.charCodeAt(end + 1)));
  return spaced ? sentence.slice(0, end) : undefined;
}

function isOpeningChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  );
}

const SPACE = /\s/;

// Plain text's only characters beyond ASCII are spaces (see isPlainText): \s all the same.
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && SPACE.test(String.fromCharCode(c)));
}
