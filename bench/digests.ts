/**
 * Figure 6, digest usefulness: the discord-digests benchmark (decisions, answers, owners, open questions,
 * word budgets) scored by its own scorer (`score.py`, Python standard library) over the CLI, as a member
 * who missed the conversation would judge it. Run standalone: `node --import tsx bench/digests.ts`.
 * Cases from DIGESTS_DIR, else `<repo>/../shared/benchmarks/discord-digests/dev`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as z from 'zod';
import type { Figure } from './lib/report.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the cases live: `DIGESTS_DIR`, else the shared dev set beside the checkout. */
export function digestCasesDir(): string {
  return process.env.DIGESTS_DIR ?? resolve(repoRoot, '../shared/benchmarks/discord-digests/dev');
}

const Overall = z.object({
  cases: z.number(),
  score: z.number(),
  strict: z.number(),
  lenient: z.number(),
  penalties: z.number(),
  over_budget: z.number(),
  errors: z.number(),
});

/** The target of issue 13: strict facts ≥ 70%, no penalty, every case within its word budget. */
export function benchDigests(): { figures: Figure[]; notes: string[] } {
  const cases = digestCasesDir();
  const scorer = resolve(cases, '..', 'score.py');
  const result = spawnSync(
    'python3',
    [
      scorer,
      cases,
      '--json',
      '--',
      process.execPath,
      resolve(repoRoot, 'bin/summary-bot.mjs'),
      'summarize',
      '--json',
    ],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
  );
  if (result.status !== 0) {
    throw new Error(
      `discord-digests scorer failed (${result.status}): ${result.stderr || result.error?.message}`,
    );
  }
  const overall = Overall.parse((JSON.parse(result.stdout) as { overall: unknown }).overall);
  const of = `discord-digests dev (${overall.cases} cases)`;
  return {
    figures: [
      { id: '6.digest.score', group: 6, label: `digest score, ${of}`, value: overall.score, unit: '%' },
      {
        id: '6.digest.strict',
        group: 6,
        label: `strict facts found, ${of}`,
        value: overall.strict,
        unit: '%',
        budget: { limit: 70, direction: 'min' },
      },
      {
        id: '6.digest.penalties',
        group: 6,
        label: `penalties (answered listed open, superseded decided, wrong owner), ${of}`,
        value: overall.penalties,
        unit: '',
        budget: { limit: 0, direction: 'max' },
      },
      {
        id: '6.digest.over-budget',
        group: 6,
        label: `cases over their word budget, ${of}`,
        value: overall.over_budget,
        unit: 'cases',
        budget: { limit: 0, direction: 'max' },
      },
    ],
    notes: [
      `digests: ${scorer} over \`summary-bot summarize --json\`; score = strict facts − 5 × penalties (lenient ${overall.lenient}%)`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const f of benchDigests().figures) console.log(`${f.label.padEnd(80)} ${f.value} ${f.unit}`);
}
