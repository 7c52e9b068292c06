/**
 * Small text helpers shared by the summarizers and ROUGE: one tokenizer (lowercase alphanumeric runs, as
 * the reference ROUGE implementation does), a stop-word list and a sentence splitter.
 */

const TOKEN = /[a-z0-9]+/g;

/** Lowercase alphanumeric tokens, in order (the ROUGE tokenization). */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(TOKEN) ?? [];
}

/** Common English function words and chat filler: they carry no topic. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are aren as at be because been before being below ' +
    'between both but by can cannot could couldn did didn do does doesn doing don down during each few for from ' +
    'further had hadn has hasn have haven having he her here hers herself him himself his how i if in into is ' +
    'isn it its itself just ll let me might more most must mustn my myself no nor not now of off on once only or ' +
    'other ought our ours ourselves out over own re s same shall shan she should shouldn so some such t than ' +
    'that the their theirs them themselves then there these they this those through to too under until up upon ' +
    've very was wasn we were weren what when where which while who whom why will with won would wouldn you ' +
    'your yours yourself yourselves yes yeah yep ok okay oh well also get got go going gonna want know think ' +
    'really like just one thing things lot sure thanks thank please hi hello hey good great right much many ' +
    'm d u ur im dont cant didnt wont would see say said tell told make made way even still back'
  ).split(/\s+/),
);

/** Content tokens: tokens that are not stop words and not pure one-character noise. */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((t) => t.length > 1 && !STOP_WORDS.has(t));
}

// A sentence ends at . ! ? (possibly repeated or followed by a closing quote) before whitespace; newlines
// end a sentence too, because chat messages use them as sentence breaks.
// Chinese and Japanese end sentences with 。！？ and no space after them.
// Splits as `text.split(/(?<=[.!?]["')\]]?)\s+|(?<=[。！？])\s*|\n+/)` then trims and drops pieces without a
// letter or digit, found from the candidate marks: every message of a window is split, and the regex split with
// its look-behinds was a twentieth of the summarizer's time.
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/;

// Where a sentence may end: most text has few of these, and the regex finds them faster than a scan.
const MARK = /[.!?\n\u3002\uff01\uff1f]/g;

/** Splits text into sentences; code blocks and URLs stay intact because only whitespace is a split point. */
export function splitSentences(text: string): string[] {
  const out = SCRATCH;
  out.length = 0;
  let start = 0;
  MARK.lastIndex = 0;
  while (MARK.test(text)) {
    const at = MARK.lastIndex - 1;
    const c = text.charCodeAt(at);
    let cut = -1;
    if (c === 10) cut = at;
    // After 。！？ a sentence ends whatever follows.
    else if (c === 0x3002 || c === 0xff01 || c === 0xff1f) cut = at + 1;
    else {
      // . ! ? end a sentence before whitespace, possibly after a closing quote or bracket.
      let next = at + 1;
      if (next < text.length && isCloser(text.charCodeAt(next))) next++;
      if (next < text.length && isSpace(text.charCodeAt(next))) cut = next;
    }
    if (cut < 0) continue;
    keep(out, text.slice(start, cut));
    start = cut;
  }
  keep(out, start === 0 ? text : text.slice(start));
  // A copy of exactly its length: an array grown by push holds room for 17, and a window keeps every
  // message's sentences.
  return out.slice();
}

const SCRATCH: string[] = [];

/** Whether a text ends with "?", whitespace after it aside (`/\?\s*$/`, without scanning the text). */
export function endsWithQuestionMark(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i >= 0 && text.charCodeAt(i) === 63;
}

/**
 * The text without its trailing whitespace and `?!.,;:` (what `text.replace(/[\s?!.,;:]+$/u, '')` gives),
 * read from the end: the regex tried every run of spaces in the text.
 */
export function withoutTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && isTrailing(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

function isTrailing(c: number): boolean {
  // ? ! . , ; :
  return c === 63 || c === 33 || c === 46 || c === 44 || c === 59 || c === 58 || isSpace(c);
}

/** Runs of whitespace as one space (`text.replace(/\s+/g, ' ')`); the same string when there are none. */
export function squeezeSpaces(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 ? isSpace(text.charCodeAt(i + 1)) : isSpace(c)) return text.replace(/\s+/g, ' ');
  }
  return text;
}

function keep(out: string[], piece: string): void {
  const s = piece.trim();
  if (s.length > 0 && hasLetterOrDigit(s)) out.push(s);
}

function hasLetterOrDigit(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return true;
    if (c >= 0x80) return LETTER_OR_DIGIT.test(s.slice(i));
  }
  return false;
}

function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93;
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && SPACE.test(String.fromCharCode(c)));
}

/** Collapses whitespace and shortens to `max` characters on a word boundary, marking the cut. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

const URL_PATTERN = /https?:\/\/[^\s<>()"'`]+[^\s<>()"'`.,;:!?]/g;

/** URLs in a text, in order of appearance. */
export function findUrls(text: string): string[] {
  return text.match(URL_PATTERN) ?? [];
}
