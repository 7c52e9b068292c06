import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TermIds } from '../../../lib/summarization/compose/terms.ts';
import { contentTokens } from '../../../lib/summarization/text.ts';

/** The ids' pattern of equality, as positions of first use: [0, 1, 0] for "a b a". */
function pattern<T>(items: T[]): number[] {
  const first = new Map<T, number>();
  return items.map((x) => {
    if (!first.has(x)) first.set(x, first.size);
    return first.get(x) as number;
  });
}

describe('TermIds', () => {
  it("gives the overview's content tokens one id each: the same token the same id, another token another", () => {
    const terms = new TermIds();
    const texts = [
      'Deploy the API, then DEPLOY again: api-v2 at 10am.',
      'The deploy broke the API? a I x 42 42',
      // Beyond ASCII the tokenizer decides: the Kelvin sign lowercases to "k", "é" splits "café".
      'Café KELVIN \u212Aelvin İstanbul déploiement',
    ];
    const all: number[] = [];
    const tokens: string[] = [];
    for (const text of texts) {
      terms.contentTermsOf(text, all);
      tokens.push(...contentTokens(text));
    }
    expect(all).toHaveLength(tokens.length);
    expect(pattern(all)).toEqual(pattern(tokens));
  });

  it('keeps the ids apart over thousands of tokens and any text', () => {
    const terms = new TermIds();
    const many = Array.from({ length: 5000 }, (_, i) => `Word${i} w${i % 7}x`).join(' ');
    const ids: number[] = [];
    terms.contentTermsOf(many, ids);
    const manyTokens = contentTokens(many);
    expect(pattern(ids)).toEqual(pattern(manyTokens));
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'B', 'c', '1', 'é', ' ', '.', "'", '\u212A', 'İ', 'ß', 'the', 'Tea'), {
          maxLength: 40,
        }),
        (parts) => {
          const text = parts.join('');
          const out: number[] = [];
          terms.contentTermsOf(text, out);
          const expected = contentTokens(text);
          expect(out).toHaveLength(expected.length);
          expect(pattern([...ids, ...out])).toEqual(pattern([...manyTokens, ...expected]));
        },
      ),
      { numRuns: 200 },
    );
  });
});
