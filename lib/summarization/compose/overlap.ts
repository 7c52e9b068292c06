import { contentWords } from '../analysis/words.ts';

const wordSets = new Map<string, Set<string>>();

function wordSet(text: string): Set<string> {
  let set = wordSets.get(text);
  if (!set) {
    set = new Set(contentWords(text));
    if (wordSets.size > 5000) wordSets.clear();
    wordSets.set(text, set);
  }
  return set;
}

/** Share of the shorter text's content words the other text holds too (0 when either has none). */
export function overlapRatio(a: string, b: string): number {
  const wa = wordSet(a);
  const wb = wordSet(b);
  if (wa.size === 0 || wb.size === 0) return 0;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return shared / Math.min(wa.size, wb.size);
}

/** The list without repeats, first occurrence kept. */
export function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** The text with its first character upper-cased. */
export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
