import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contentWords,
  fold,
  foldedWords,
  MessageWords,
  STOP_WORDS,
  Vocabulary,
} from '../../../lib/summarization/analysis/words.ts';
import { splitSentences } from '../../../lib/summarization/text.ts';

describe('MessageWords', () => {
  it("holds a message's distinct content words in order of first use, as a Set of them would", () => {
    const text = 'The Deploy failed, deploy again after the Café migration? café';
    const words = new MessageWords(text, new Vocabulary());
    expect([...words]).toEqual([...new Set(contentWords(text))]);
    expect(words.size).toBe(new Set(contentWords(text)).size);
    expect(words.has('deploy')).toBe(true);
    expect(words.has('cafe')).toBe(true);
    expect(words.has('the')).toBe(false);
  });

  it('answers the same for a long message (backed by a hash set) and shares one string per word', () => {
    const vocabulary = new Vocabulary();
    const long = Array.from({ length: 80 }, (_, i) => `word${i} word${i}`).join(' ');
    const words = new MessageWords(long, vocabulary);
    expect(words.size).toBe(80);
    expect(words.has('word79')).toBe(true);
    expect(words.has('word80')).toBe(false);
    const again = new MessageWords('word7 and word79', vocabulary);
    expect([...again][1]).toBe(vocabulary.get('word79'));
    expect([...again.entries()]).toEqual([
      ['word7', 'word7'],
      ['word79', 'word79'],
    ]);
  });

  it('reads the same words from the folded sentences as from the text', () => {
    const texts = [
      "Ship v2.4 tomorrow. Don't forget the build.output dir!\nCafé au lait? ms-01 -- ok",
      'Über Größe: straße, NAÏVE café. Ærø’s x_y.z',
      'the a 7 b 42.',
    ];
    for (const text of texts) {
      const folded = splitSentences(text).map(fold);
      const vocabulary = new Vocabulary();
      expect([...new MessageWords(text, vocabulary, folded)]).toEqual([
        ...new MessageWords(text, new Vocabulary()),
      ]);
    }
  });
});

describe('contentWords', () => {
  it('gives the folded content words in order, repeats kept, for plain and accented text alike', () => {
    expect(contentWords("Ship v2.4 to PROD, then ship the Build.Output dir -- don't wait 7 min")).toEqual([
      'ship',
      'v2.4',
      'prod',
      'ship',
      'build.output',
      'dir',
      'wait',
      '7',
      'min',
    ]);
    expect(contentWords('Chloé ships the café menu')).toEqual(['chloe', 'ships', 'cafe', 'menu']);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Ab', 'ab', 'AB', 'the', 'The', '7', 'x', '.', '-', "'", ' ', ',', 'é'), {
          maxLength: 30,
        }),
        (parts) => {
          const text = parts.join('');
          expect(contentWords(text)).toEqual(
            foldedWords(text).filter((w) => !STOP_WORDS.has(w) && (w.length > 1 || /\d/.test(w))),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
