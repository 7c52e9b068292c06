/**
 * Splitting hostile Markdown (issue #11, item 9): `splitMarkdown` on lines made of `[`, `[a`, `[a](` and
 * backticks at 20,000, 40,000 and 80,000 characters, median of 5. Linear time shows as the 80k/40k ratio
 * staying near 2 (the quadratic tokenizer it replaced took 1.6 s on 40,000 `[`, and 4× per doubling).
 * Run: node --import tsx bench/split-markdown.ts
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitMarkdown } from '../lib/delivery/split-text.ts';
import type { Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const SHAPES: Record<string, string> = {
  '[': '[',
  '[a': '[a',
  '[a](': '[a](',
  backtick: '`',
};

function time(text: string, repeats: number): number {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    splitMarkdown(text, 2000);
    runs.push(performance.now() - start);
  }
  return median(runs);
}

/** One figure per shape at 40,000 characters, with the 80k/40k ratio as its note (about 2 when linear). */
export function benchSplitMarkdown(options: { repeats?: number } = {}): {
  figures: Figure[];
  notes: string[];
} {
  const repeats = options.repeats ?? 5;
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const [name, unit] of Object.entries(SHAPES)) {
    const of = (n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    time(of(20_000), 1); // warm-up
    const at20 = time(of(20_000), repeats);
    const at40 = time(of(40_000), repeats);
    const at80 = time(of(80_000), repeats);
    figures.push({
      id: `split.${name}.40k`,
      group: 7,
      label: `splitMarkdown, 40,000 chars of ${JSON.stringify(name)} (median of ${repeats})`,
      value: at40,
      unit: 'ms',
      budget: { limit: 100, direction: 'max' },
      baseline: { value: 1_640, label: 'quadratic tokenizer, 40,000 "["' },
    });
    notes.push(
      `splitMarkdown ${JSON.stringify(name)}: 20k ${at20.toFixed(1)} ms, 40k ${at40.toFixed(1)} ms, 80k ${at80.toFixed(1)} ms (80k/40k ${(at80 / at40).toFixed(2)}×)`,
    );
  }
  return { figures, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { figures, notes } = benchSplitMarkdown();
  for (const f of figures) console.log(`${f.label.padEnd(64)} ${f.value.toFixed(1)} ${f.unit}`);
  for (const note of notes) console.log(`- ${note}`);
}
