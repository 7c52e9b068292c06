/**
 * Unicode-aware words: tokens keep their accents (Chloé stays one word), comparisons fold them (é→e), and
 * stop words cover English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Russian, Chinese and
 * Japanese chat.
 */

// A word: letters or digits, joined by inner apostrophes, dots, hyphens or underscores (2.4, ms-01,
// build.output, don't). Emoji and punctuation separate words.
const WORD = /[\p{L}\p{N}]+(?:['’._-][\p{L}\p{N}]+)*/gu;
// For text of printable ASCII and spaces (most chat) WORD is scanned by hand (asciiWords).
// Accents go; the kana voicing marks (゙ ゚) stay, or ビルド would read ヒルト.
const MARKS = /[^\P{M}\u3099\u309a]+/gu;
const NON_ASCII = /[^ -~\s]/;
// Scripts written without spaces between words: their words come from Unicode word segmentation.
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Whether a text is printable ASCII and spaces only (most chat): folding it is lowercasing it. */
export function isPlainText(text: string): boolean {
  return !NON_ASCII.test(text);
}

/** `fold` of a text known to be plain (`isPlainText`): the same string when it is lowercase already. */
export function foldPlain(text: string): string {
  // The same string when nothing changes: a window's folded sentences are kept beside the originals.
  const lower = text.toLowerCase();
  return lower === text ? text : lower;
}

/** Lowercase with accents removed: the form words are compared in. */
export function fold(text: string): string {
  // Most chat is ASCII: lowercasing is all it needs, and NFKD is the expensive part.
  if (!NON_ASCII.test(text)) return foldPlain(text);
  const folded = text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(/’/g, "'")
    .replace(/ß/g, 'ss');
  // Kana keep their voicing marks: put them back together (NFKD took them apart).
  return UNSPACED.test(folded) ? folded.normalize('NFC') : folded;
}

/** Whether a text holds a script written without spaces between words (Chinese, Japanese, Thai…). */
export function hasUnspacedScript(text: string): boolean {
  return NON_ASCII.test(text) && UNSPACED.test(text);
}

/** The words of a text as written, in order (Chinese, Japanese, Thai… split by Unicode word segmentation). */
export function words(text: string): string[] {
  if (!NON_ASCII.test(text)) return asciiWords(text);
  if (!UNSPACED.test(text)) return text.match(WORD) ?? [];
  const out: string[] = [];
  for (const part of segmenter.segment(text)) {
    if (!part.isWordLike) continue;
    for (const w of part.segment.match(WORD) ?? []) out.push(w);
  }
  return out;
}

/**
 * How many words a sentence has for deciding what it is (a question needs two): whitespace-separated
 * tokens, or segmented words in scripts written without spaces.
 */
export function readingWords(text: string): number {
  return NON_ASCII.test(text) && UNSPACED.test(text) ? words(text).length : wordCount(text);
}

/** Folded words, in order. */
export function foldedWords(text: string): string[] {
  return words(fold(text));
}

/** How many words a reader reads: whitespace-separated tokens holding a letter or digit. */
export function wordCount(text: string): number {
  return tokensHolding(text, false);
}

/** `min(wordCount(text), limit)`, reading no further than the limit-th word. */
export function wordCountUpTo(text: string, limit: number): number {
  return tokensHolding(text, false, limit);
}

/** Whitespace-separated tokens holding an ASCII lowercase letter or digit (`a-z`, `0-9`). */
export function asciiWordCount(text: string): number {
  return tokensHolding(text, true);
}

const SPACE = /\s/;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

// Counts as `text.split(/\s+/).filter((t) => LETTER_OR_DIGIT.test(t)).length` would, in one pass without
// allocating the tokens: every message of a window is counted, and that split was a tenth of the time.
function tokensHolding(text: string, ascii: boolean, limit = Number.POSITIVE_INFINITY): number {
  let n = 0;
  // True while the current token has not been counted yet.
  let eligible = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && SPACE.test(text.charAt(i)))) {
      eligible = true;
      continue;
    }
    if (!eligible) continue;
    let hit: boolean;
    if (c < 0x80) hit = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (!ascii && c >= 65 && c <= 90);
    else if (ascii) hit = false;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) {
      // A character outside the BMP is two code units, tested together.
      hit = LETTER_OR_DIGIT.test(text.slice(i, i + 2));
      i++;
    } else hit = LETTER_OR_DIGIT.test(text.charAt(i));
    if (hit) {
      if (++n >= limit) return n;
      eligible = false;
    }
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

const STOP_LIST = [
  // English, with chat filler and contractions as people type them
  "a about above after again against all am an and any anyone anything are aren as at be because been before being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't done down during each either else even ever every few for from further get gets getting got gotta had has have haven't having he he's her here hers him his how i i'd i'll i'm i've if in into is isn't it it's its just kinda let let's lets me might more most much must my no nor not now of off oh ok okay on once one only or other our ours out over own pls please plz re really same shall she should so some still such sure than that that's the their theirs them then there there's these they they're this those though tho through to too under until up us very was wasn't we we'd we'll we're we've were what what's when where which while who whom whose why will with won't would wouldn't yeah yep yes yet you you'd you'll you're your yours lol lmao haha tbh btw imo idk ngl rn like also well thing things stuff lot way also sorry thanks thank thx ty hi hey hello morning gm gn im dont cant wont didnt doesnt isnt thats whats ive youre u ur ya yea nah nope hmm uh um ah ahh ugh wow omg anyway actually literally basically probably maybe guess think know want need make see say said go going gonna wanna come back good great nice cool fine right new old last next time day today tomorrow yesterday week",
  // German
  'aber alle alles als also am an auch auf aus bei bin bis bist da dann das dass dem den der des die dies diese dieser doch du durch ein eine einem einen einer es für gibt hab habe haben hat hatte ich ihr im in ist ja jetzt kann kannst kein keine mal man mein meine mit muss nach nicht noch nur ob oder schon sein sich sie sind so über um und uns unser von vor war wäre was weil wenn wer wie wir wird wo zu zum zur mehr sehr gut okay genau danke bitte hallo moin',
  // French
  "au aux avec ça ce ces cette c'est dans de des du elle en est et être eu il ils je j'ai la le les leur lui ma mais me même mes moi mon ne nous on ou où par pas pour qu que qui sa se ses si son sur ta te tes toi ton tu un une vos votre vous y a ai as avez ont suis sont été fait faire bien oui non merci salut bonjour alors donc aussi très plus tout tous",
  // Spanish
  'al algo como con de del el ella en es esa ese eso esta este esto está están estoy fue ha hay la las le les lo los me mi mis muy nada ni no nos o para pero por que qué se ser si sí sin su sus también te tu tú un una uno unos y ya yo hola gracias vale bueno pues entonces más',
  // Japanese: particles, copulas and verb endings as segmentation leaves them
  'する します した です ます まし ました ません せん した して います いる ある ない これ それ あれ この その あの ので から まで けど でも など よう こと もの ところ ところで さん くん ちゃん',
  // Japanese words of asking and answering, not of a topic ("いつがいいですか", "はい")
  'いい よい いつ どこ どう どれ だれ 誰 何 なに なん はい いいえ ええ うん ください お願い よろしく ありがとう',
  // Dutch
  'de het een en van ik je jij we wij ze zij hij is zijn was in op aan met voor dat die dit niet wel ook maar dan als of om te tot bij naar uit door over nog al er hier daar wat wie hoe waar wanneer heb hebben heeft kan kun kunnen zal zullen moet moeten wil wordt worden mijn jouw ons onze hun jullie me mij hem haar zo ja nee oke hoi hallo dank bedankt doei eigenlijk gewoon even echt heel veel meer',
  // Polish (folded: ą→a, ę→e, ś→s; ł stays)
  'i w we z ze na do sie ze to nie jest sa jak co a o ale czy tak po za od dla był była było byli ja ty my wy on ona ono oni one mi mnie go jej ich mu tego ten ta te juz jeszcze tylko tez bo wiec no tam tu byc mam masz ma mamy macie maja moze mozna bedzie ktos kto ktory ktora ktore kiedy gdzie dlaczego ile jakis jakas moj moja twoj nasz wasz hej czesc dzieki dobra ok spoko',
  // Italian
  'a ad al alla alle allo ai agli anche ancora che chi ci col come con così da dal dalla dei del della delle dello di dove e è ed era gli ha hai hanno ho i il in io la le lei li lo loro lui ma mi mia mio ne nei nel nella no noi non o per però più poi qua qui se sei si sì sia sono su sua sue suo sul sulla te ti tra tu tutti tutto un una uno vi voi ciao grazie va bene ok allora quindi avete abbiamo siamo siete essere avere fare fa fai fatto visto vedi vorrei vorrebbe vuoi può puoi posso devo deve sto sta stai detto',
  // Spanish and Portuguese verb forms and words of chat that say nothing of a topic
  'hasta puedes puede tus mis nuestro nuestra otra otro cosa',
  // Words of asking and planning in German, French, Spanish and Portuguese chat, not of a topic
  'wann wo wer warum wieso jemand weiss machen macht kann konnen sollen wollen gehen geht',
  "quand comment pourquoi quelqu'un sait savez peut peux pouvez fait faut va vais vont allez chacun quelque chose",
  'cuando donde quien alguien sabe sabes hacemos hacer hace tiene tengo puedo podemos vamos voy creo alcanza',
  'quando onde quem alguem sabe funciona vai vamos pode posso tem acho precisa gente todo mundo',
  // Russian (folded: й→и, ё→е)
  'и в во не на я ты мы вы он она оно они что это как а но да нет ну у к с со по за из от до о об же ли бы то так там тут уже еще только все всем всех меня мне тебя тебе нас нам вас вам его ее их был была было были быть есть будет кто когда где почему ок привет спасибо спс',
  // Chinese particles, pronouns and words of asking (as segmentation leaves them)
  '的 了 是 我 你 他 她 我们 你们 他们 吗 呢 吧 啊 呀 在 有 和 就 都 也 还 这 那 个 一 不 没 很 要 会 能 可以 什么 怎么 哪 谁 好 嗯 哈哈',
  // Portuguese
  'ao aos as com da das de do dos e ela ele em é essa esse está estão eu foi há isso isto já lá mais mas me meu minha muito na nas não nem no nos nós o os ou para pela pelo por que se sem ser seu sua também te tem tu um uma você vocês obrigado obrigada oi olá então bom',
];

/** Folded stop words of the languages above. */
export const STOP_WORDS: ReadonlySet<string> = new Set(STOP_LIST.flatMap((l) => fold(l).split(/\s+/)));

/** Folded words that carry content: not stop words, not one-letter noise. */
export function contentWords(text: string): string[] {
  if (NON_ASCII.test(text)) return foldedWords(text).filter(isContentWord);
  // Plain text (most chat, and every task and item worded from it): its words are read in place, lowercased
  // as read, and classified once for all calls (`known`), without a lowercased copy or a slice per word.
  if (!known || known.size > KNOWN_WORDS) known = new Vocabulary();
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (!isAsciiAlnum(c)) {
      i++;
      continue;
    }
    // The word as asciiWordEnd reads it, hashed as lowercased.
    const start = i;
    let h = HASH_START;
    for (;;) {
      while (i < n && isAsciiAlnum(c)) {
        h = hashStep(h, lowerAscii(c));
        c = text.charCodeAt(++i);
      }
      if (i + 1 >= n || !isJoiner(c) || !isAsciiAlnum(text.charCodeAt(i + 1))) break;
      h = hashStep(h, c);
      c = text.charCodeAt(++i);
    }
    const e = known.entryHashed(text, start, i, h, true);
    if (e.content) out.push(e.word);
  }
  return out;
}

// The words `contentWords` has classified, kept across calls (let go when this many).
let known: Vocabulary | undefined;
const KNOWN_WORDS = 50_000;

/** The distinct content words of a text, in order of first use (`new Set(contentWords(text))`). */
export function contentWordSet(text: string): Set<string> {
  return new Set(contentWords(text));
}

// Up to this many words, a list searched in order is smaller than a hash set and as fast to ask.
const LIST_WORDS = 32;

const SCRATCH: string[] = [];

interface Entry {
  /** The one string kept for the word. */
  readonly word: string;
  readonly content: boolean;
  /** The last message that used it (see `Vocabulary.nextMessage`). */
  stamp: number;
  /** How many messages used it as a content word (counted as their MessageWords are made). */
  messages: number;
}

/**
 * The words of one window, each kept once with whether it carries content: a window of 50,000 messages
 * uses a few thousand distinct words, so each is classified once and held once, not once per message.
 */
export class Vocabulary {
  readonly #entries = new Map<string, Entry>();
  #stamp = 0;

  /** A new message's stamp: tells the words it already used from the ones it did not. */
  nextMessage(): number {
    return ++this.#stamp;
  }

  /** The entry of a folded word, made on its first use. */
  entry(word: string): Entry {
    let e = this.#entries.get(word);
    if (e === undefined) {
      e = { word, content: isContentWord(word), stamp: 0, messages: 0 };
      this.#entries.set(word, e);
    }
    return e;
  }

  /**
   * In how many messages each content word occurs, in order of first use: what counting every message's
   * MessageWords would give, without a second pass over them.
   */
  documentFrequency(): Map<string, number> {
    const df = new Map<string, number>();
    for (const e of this.#entries.values()) if (e.messages > 0) df.set(e.word, e.messages);
    return df;
  }

  /** Counts the words of one more message that holds exactly `words` (a repeat of an earlier message's text). */
  countAgain(words: MessageWords): void {
    const list = words.list;
    for (let i = 0; i < list.length; i++) (this.#entries.get(list[i] as string) as Entry).messages++;
  }

  /** The kept string of a content word seen in the window (undefined for others). */
  get(word: string): string | undefined {
    const e = this.#entries.get(word);
    return e?.content ? e.word : undefined;
  }

  // ASCII words are also found by their characters in place, through a table of their hashes: a known
  // word (nearly every word of a busy window) costs neither a substring nor a hash of one.
  #slots = new Int32Array(1024);
  #slotHashes = new Int32Array(1024);
  // The known words by the position their slots hold; position 0 holds no word (a slot of 0 is empty). Made
  // holding an entry, the array keeps its kind when the first word comes: the change from an empty array's
  // kind made the optimised code that pushes here fall out, at every new window.
  #known: Entry[] = [{ word: '', content: false, stamp: 0, messages: 0 }];
  #knownHashes: number[] = [0];

  /** `entry(text.slice(start, end))` for an ASCII word, without slicing when the word is known. */
  entryAt(text: string, start: number, end: number): Entry {
    let h = HASH_START;
    for (let i = start; i < end; i++) h = hashStep(h, text.charCodeAt(i));
    return this.entryHashed(text, start, end, h);
  }

  /** How many words it holds. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * `entryAt` with the word's hash (`hashStep` over its characters from HASH_START) worked out already;
   * `lowered`: the word is read lowercased (ASCII), and hashed so.
   */
  entryHashed(text: string, start: number, end: number, h: number, lowered = false): Entry {
    const mask = this.#slots.length - 1;
    let at = h & mask;
    for (let slot = this.#slots[at] as number; slot !== 0; slot = this.#slots[at] as number) {
      if (this.#slotHashes[at] === h) {
        const e = this.#known[slot] as Entry;
        if (lowered ? sameLowered(e.word, text, start, end) : sameText(e.word, text, start, end)) return e;
      }
      at = (at + 1) & mask;
    }
    const word = text.slice(start, end);
    const e = this.entry(lowered ? word.toLowerCase() : word);
    this.#known.push(e);
    this.#knownHashes.push(h);
    // Kept at most half full; growing places every known word again, this one too.
    if ((this.#known.length - 1) * 2 > this.#slots.length) this.#grow();
    else {
      this.#slots[at] = this.#known.length - 1;
      this.#slotHashes[at] = h;
    }
    return e;
  }

  #grow(): void {
    const size = this.#slots.length * 2;
    this.#slots = new Int32Array(size);
    this.#slotHashes = new Int32Array(size);
    for (let k = 1; k < this.#known.length; k++) {
      const h = this.#knownHashes[k] as number;
      let at = h & (size - 1);
      while (this.#slots[at] !== 0) at = (at + 1) & (size - 1);
      this.#slots[at] = k;
      this.#slotHashes[at] = h;
    }
  }
}

// A polynomial hash over UTF-16 code units kept within 24 bits, cheap and spread well enough for a table of
// words (and compose's terms). Every step stays a small integer, which V8 keeps unboxed in every tier: the
// 32-bit FNV-1a it replaced left V8's small-integer range on half its steps, and every such value (and the
// packed characters compared beside it) was a heap number in code not yet optimised and at each call.
export const HASH_START = 0x811c9d;
const HASH_BITS = 0xffffff;

/** The hash of a word read so far (`h`, from HASH_START), with its next code unit `c`. */
export function hashStep(h: number, c: number): number {
  return (h * 31 + c) & HASH_BITS;
}

/** Whether `text[start, end)`, lowercased as ASCII, is `word`. */
export function sameLowered(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++)
    if (word.charCodeAt(i) !== lowerAscii(text.charCodeAt(start + i))) return false;
  return true;
}

/** An ASCII capital's lowercase code unit; any other unit as it is. */
export function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function sameText(word: string, text: string, start: number, end: number): boolean {
  if (word.length !== end - start) return false;
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * The distinct content words of one message, as compact as a window of 50,000 messages needs: a frozen
 * list (a hash set per message was a third of the analysis's memory) that only a long message backs with
 * a Set. Each word is the one string `vocabulary` keeps for it. Iterates in order of first use, as a Set.
 */
export class MessageWords implements ReadonlySet<string> {
  readonly #list: readonly string[];
  readonly #set: ReadonlySet<string> | undefined;

  /**
   * `folded`, when given, is the text's sentences already folded (`splitSentences` then `fold`; for text
   * without an unspaced script, whose words are those of its sentences): the text is not folded again.
   * `plain`: the text is known to be plain (`isPlainText`).
   */
  constructor(text: string, vocabulary: Vocabulary, folded?: readonly string[], plain = false) {
    const list = SCRATCH;
    list.length = 0;
    const stamp = vocabulary.nextMessage();
    if (folded) {
      for (const sentence of folded) {
        if (!plain && NON_ASCII.test(sentence)) addWords(sentence.match(WORD) ?? [], vocabulary, stamp, list);
        else addAsciiWords(sentence, vocabulary, stamp, list);
      }
    } else {
      addWords(foldedWords(text), vocabulary, stamp, list);
    }
    // A copy of exactly its length (an array grown by push holds spare room, and a window keeps them all).
    this.#list = list.slice();
    this.#set = list.length > LIST_WORDS ? new Set(list) : undefined;
  }

  get size(): number {
    return this.#list.length;
  }

  /**
   * The words in order of first use, for the loops that read every turn's words: iterating the set makes a
   * result object per word, even in optimised code (a tenth of a summary's allocation).
   */
  get list(): readonly string[] {
    return this.#list;
  }

  has(word: string): boolean {
    return this.#set ? this.#set.has(word) : this.#list.includes(word);
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  values(): SetIterator<string> {
    return this.#list.values();
  }

  keys(): SetIterator<string> {
    return this.#list.values();
  }

  entries(): SetIterator<[string, string]> {
    return this.#list.map((w): [string, string] => [w, w]).values();
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const w of this.#list) callback.call(thisArg, w, w, this);
  }
}

function addWords(found: readonly string[], vocabulary: Vocabulary, stamp: number, list: string[]): void {
  for (const w of found) {
    const e = vocabulary.entry(w);
    if (!e.content || e.stamp === stamp) continue;
    e.stamp = stamp;
    e.messages++;
    list.push(e.word);
  }
}

/** `addWords` over the words of an ASCII text (see `asciiWords`): no array of matches per sentence. */
function addAsciiWords(text: string, vocabulary: Vocabulary, stamp: number, list: string[]): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (!isAsciiAlnum(c)) {
      i++;
      continue;
    }
    // The word as asciiWordEnd reads it, hashed as it is read.
    const start = i;
    let h = HASH_START;
    for (;;) {
      while (i < n && isAsciiAlnum(c)) {
        h = hashStep(h, c);
        c = text.charCodeAt(++i);
      }
      if (i + 1 >= n || !isJoiner(c) || !isAsciiAlnum(text.charCodeAt(i + 1))) break;
      h = hashStep(h, c);
      c = text.charCodeAt(++i);
    }
    const e = vocabulary.entryHashed(text, start, i, h);
    if (e.content && e.stamp !== stamp) {
      e.stamp = stamp;
      e.messages++;
      list.push(e.word);
    }
  }
}

/**
 * The WORD matches of a text of printable ASCII and spaces, as `[A-Za-z0-9]+(?:['._-][A-Za-z0-9]+)*` finds
 * them, scanned by hand (most chat is ASCII, and the regex's arrays of matches showed).
 */
function asciiWords(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const end = asciiWordEnd(text, i);
    if (end === i) {
      i++;
      continue;
    }
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** Where the ASCII word starting at `i` ends (`i` when none starts there). */
function asciiWordEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isAsciiAlnum(text.charCodeAt(j))) j++;
  if (j === i) return i;
  // Inner apostrophes, dots, hyphens and underscores join letters or digits on both sides.
  while (j + 1 < text.length && isJoiner(text.charCodeAt(j)) && isAsciiAlnum(text.charCodeAt(j + 1))) {
    j += 2;
    while (j < text.length && isAsciiAlnum(text.charCodeAt(j))) j++;
  }
  return j;
}

/** Whether a code unit is an ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

function isJoiner(c: number): boolean {
  return c === 39 || c === 46 || c === 95 || c === 45;
}

function isContentWord(w: string): boolean {
  return (w.length > 1 || (w >= '0' && w <= '9') || /\d/.test(w)) && !STOP_WORDS.has(w);
}
