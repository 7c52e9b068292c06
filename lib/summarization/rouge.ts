import { tokenize } from './text.ts';

/** Precision, recall and F1 of one ROUGE variant. */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

/** ROUGE-1, ROUGE-2 and ROUGE-L of a candidate against one reference. */
export interface RougeScores {
  rouge1: RougeScore;
  rouge2: RougeScore;
  rougeL: RougeScore;
}

function score(overlap: number, candidateCount: number, referenceCount: number): RougeScore {
  const precision = candidateCount > 0 ? overlap / candidateCount : 0;
  const recall = referenceCount > 0 ? overlap / referenceCount : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const gram = tokens.slice(i, i + n).join(' ');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

/** ROUGE-N over token lists: clipped n-gram overlap (each reference n-gram matches at most as often as it occurs). */
export function rougeN(candidate: string[], reference: string[], n: number): RougeScore {
  const c = ngramCounts(candidate, n);
  const r = ngramCounts(reference, n);
  let overlap = 0;
  for (const [gram, count] of c) overlap += Math.min(count, r.get(gram) ?? 0);
  return score(overlap, Math.max(0, candidate.length - n + 1), Math.max(0, reference.length - n + 1));
}

/** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
export function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/** ROUGE-L over token lists: LCS-based precision, recall and F1 (the whole text as one sequence). */
export function rougeL(candidate: string[], reference: string[]): RougeScore {
  return score(lcsLength(candidate, reference), candidate.length, reference.length);
}

/**
 * ROUGE-1/2/L of a candidate text against a reference text. Tokenization as in the reference
 * implementation: lowercase, runs of [a-z0-9]; no stemming and no stop-word removal.
 */
export function rouge(candidate: string, reference: string): RougeScores {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  return { rouge1: rougeN(c, r, 1), rouge2: rougeN(c, r, 2), rougeL: rougeL(c, r) };
}

/** F1 of ROUGE-1/2/L averaged over several references (DialogSum's test split has three). */
export function rougeF1Averaged(
  candidate: string,
  references: string[],
): { rouge1: number; rouge2: number; rougeL: number } {
  const totals = { rouge1: 0, rouge2: 0, rougeL: 0 };
  for (const reference of references) {
    const s = rouge(candidate, reference);
    totals.rouge1 += s.rouge1.f1;
    totals.rouge2 += s.rouge2.f1;
    totals.rougeL += s.rougeL.f1;
  }
  const n = references.length || 1;
  return { rouge1: totals.rouge1 / n, rouge2: totals.rouge2 / n, rougeL: totals.rougeL / n };
}
