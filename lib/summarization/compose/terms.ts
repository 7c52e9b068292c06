/**
 * The overview's terms as small integer ids: the content tokens of the ROUGE tokenizer (`contentTokens`),
 * each distinct token kept once. Scoring a topic's last thousand messages by TF-IDF looked every token up
 * by its string (a lowercased copy of every sentence, an array of matches, maps keyed by strings); ids
 * index plain arrays instead.
 */
import { HASH_START, hashStep, isAsciiAlnum, lowerAscii, sameLowered } from '../analysis/words.ts';
import { STOP_WORDS, tokenize } from '../text.ts';

// Let go of the ids between topics once this many are kept (a window's vocabulary is a few thousand).
const MAX_TERMS = 100_000;
const NON_ASCII = /[\u0080-\uffff]/;

/** Token strings to ids, with whether each is a content token (not a stop word, not one character). */
export class TermIds {
  #terms: string[] = [];
  #content: boolean[] = [];
  #hashes: number[] = [];
  // Every token is ASCII (`tokenize` keeps a-z and 0-9), so every one is found by its characters in place
  // (lowercased as read), through a table of their hashes: a known token costs no substring.
  #slots = new Int32Array(1024);
  #slotHashes = new Int32Array(1024);

  /** How many ids are given out: every id is below this. */
  get size(): number {
    return this.#terms.length;
  }

  /** Forgets every id when many are kept (call between uses only: ids given out before are lost). */
  trim(): void {
    if (this.#terms.length <= MAX_TERMS) return;
    this.#terms = [];
    this.#content = [];
    this.#hashes = [];
    this.#slots = new Int32Array(1024);
    this.#slotHashes = new Int32Array(1024);
  }

  /** Appends to `out` the ids of `contentTokens(text)`, in order (repeats included). */
  contentTermsOf(text: string, out: number[]): void {
    if (NON_ASCII.test(text)) {
      // Lowercasing text beyond ASCII can change it (the Kelvin sign becomes "k"): the tokenizer decides.
      for (const token of tokenize(text)) {
        let h = HASH_START;
        for (let i = 0; i < token.length; i++) h = hashStep(h, token.charCodeAt(i));
        const id = this.#find(token, 0, token.length, h);
        if (this.#content[id]) out.push(id);
      }
      return;
    }
    // ASCII: `tokenize`'s tokens are the runs of letters and digits, lowercased.
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (!isAsciiAlnum(c)) {
        i++;
        continue;
      }
      const start = i;
      let h = HASH_START;
      while (i < n && isAsciiAlnum(c)) {
        h = hashStep(h, lowerAscii(c));
        c = text.charCodeAt(++i);
      }
      const id = this.#find(text, start, i, h);
      if (this.#content[id]) out.push(id);
    }
  }

  /** The id of the token `text[start, end)` (lowercased), whose hash is `h`; a new id when unknown. */
  #find(text: string, start: number, end: number, h: number): number {
    const mask = this.#slots.length - 1;
    let at = h & mask;
    for (; this.#slots[at] !== 0; at = (at + 1) & mask) {
      const id = (this.#slots[at] as number) - 1;
      if (this.#slotHashes[at] === h && sameLowered(this.#terms[id] as string, text, start, end)) return id;
    }
    const token = text.slice(start, end).toLowerCase();
    const id = this.#terms.length;
    this.#terms.push(token);
    this.#content.push(token.length > 1 && !STOP_WORDS.has(token));
    this.#hashes.push(h);
    // Kept at most half full; growing places every known token again, this one too.
    if (this.#terms.length * 2 > this.#slots.length) this.#grow();
    else {
      this.#slots[at] = id + 1;
      this.#slotHashes[at] = h;
    }
    return id;
  }

  #grow(): void {
    const size = this.#slots.length * 2;
    this.#slots = new Int32Array(size);
    this.#slotHashes = new Int32Array(size);
    for (let id = 0; id < this.#terms.length; id++) {
      const h = this.#hashes[id] as number;
      let at = h & (size - 1);
      while (this.#slots[at] !== 0) at = (at + 1) & (size - 1);
      this.#slots[at] = id + 1;
      this.#slotHashes[at] = h;
    }
  }
}
