import { describe, expect, it } from 'vitest';
import { lcsLength, rouge, rougeF1Averaged } from '../../../lib/summarization/rouge.ts';

describe('rouge', () => {
  it('computes ROUGE-1, ROUGE-2 and ROUGE-L as counted by hand', () => {
    // candidate: the cat was found under the bed (7 tokens)
    // reference: the cat was under the bed (6 tokens)
    // unigrams: overlap the×2, cat, was, under, bed = 6 → P 6/7, R 6/6
    // bigrams: cand 6, ref 5; shared "the cat", "cat was", "under the", "the bed" = 4 → P 4/6, R 4/5
    // LCS: the cat was under the bed = 6 → P 6/7, R 1
    const s = rouge('The cat was found under the bed.', 'the cat was under the bed');
    const f1 = (p: number, r: number) => (2 * p * r) / (p + r);
    expect(s.rouge1.precision).toBeCloseTo(6 / 7);
    expect(s.rouge1.recall).toBeCloseTo(1);
    expect(s.rouge1.f1).toBeCloseTo(f1(6 / 7, 1));
    expect(s.rouge2.f1).toBeCloseTo(f1(4 / 6, 4 / 5));
    expect(s.rougeL.f1).toBeCloseTo(f1(6 / 7, 1));
  });

  it('clips repeated n-grams to their count in the reference', () => {
    // candidate "the the the" vs reference "the cat": overlap min(3, 1) = 1 → P 1/3, R 1/2
    expect(rouge('the the the', 'the cat').rouge1.f1).toBeCloseTo(0.4);
  });

  it('tokenizes like the reference implementation: lowercase alphanumeric runs', () => {
    expect(rouge('#Person1# says: HELLO!', 'person1 says hello').rouge1.f1).toBe(1);
  });

  it('scores zero for nothing in common or empty text', () => {
    expect(rouge('alpha beta', 'gamma delta').rougeL.f1).toBe(0);
    expect(rouge('', 'gamma').rouge1.f1).toBe(0);
  });

  it('finds the longest common subsequence', () => {
    expect(lcsLength(['a', 'b', 'c', 'b', 'd', 'a', 'b'], ['b', 'd', 'c', 'a', 'b', 'a'])).toBe(4);
  });

  it('averages F1 over several references', () => {
    const s = rougeF1Averaged('a b', ['a b', 'c d']);
    expect(s.rouge1).toBeCloseTo(0.5);
    expect(s.rouge2).toBeCloseTo(0.5);
    expect(s.rougeL).toBeCloseTo(0.5);
  });
});
