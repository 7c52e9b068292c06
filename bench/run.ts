/**
 * `npm run bench`: the six benchmark figures of issue 7 in one table (figure | value | budget | baseline |
 * ratio | verdict), written to bench/results/latest.json. Exits 1 only when a budgeted figure misses its
 * budget by more than the noise margin (20% by default); tests never assert timings.
 *
 *   npm run bench                      all six, full size
 *   npm run bench -- --only 2,5        some of them
 *   npm run bench -- --quick           smaller sizes (a smoke run, not the reported figures)
 *   npm run bench -- --margin 0.3      another noise margin
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCliStart } from './cli-start.ts';
import { benchColdStart } from './cold-start.ts';
import { benchInteractions } from './interactions.ts';
import { parseOnly } from './lib/options.ts';
import { DEFAULT_NOISE_MARGIN, exitCode, type Figure, formatTable, missed } from './lib/report.ts';
import { benchNextRuns } from './next-runs.ts';
import { benchQuality } from './quality.ts';
import { benchEndToEnd } from './run-end-to-end.ts';
import { benchSandboxStop } from './sandbox-stop.ts';
import { benchScale } from './scale.ts';

type Result = { figures: Figure[]; notes: string[] };

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      margin: { type: 'string', default: String(DEFAULT_NOISE_MARGIN) },
      out: { type: 'string' },
    },
  });
  const margin = Number(values.margin);
  if (!(margin >= 0 && margin < 10))
    throw new RangeError(`--margin: expected a fraction such as 0.2, got ${values.margin}`);
  const quick = values.quick ?? false;
  const benches: Record<number, { name: string; run: () => Promise<Result> | Result }> = {
    1: {
      name: 'cold start',
      run: async () => {
        const lambdas = await benchColdStart({ runs: quick ? 3 : 7 });
        const cli = benchCliStart({ runs: quick ? 5 : 15 });
        const stop = await benchSandboxStop({ runs: quick ? 1 : 3 });
        return {
          figures: [...lambdas.figures, ...cli.figures, ...stop.figures],
          notes: [...lambdas.notes, ...cli.notes, ...stop.notes],
        };
      },
    },
    2: { name: 'interaction latency', run: () => benchInteractions({ requests: quick ? 200 : 1_000 }) },
    3: { name: 'store and scheduler scale', run: () => benchScale({ tasks: quick ? 1_000 : 10_000 }) },
    4: { name: 'next-run computation', run: () => benchNextRuns({ repeats: quick ? 3 : 5 }) },
    5: {
      name: 'a run end to end',
      run: () => benchEndToEnd(quick ? { sizes: [1_000, 10_000], repeats: 1 } : { repeats: 3 }),
    },
    6: { name: 'summary quality', run: () => benchQuality({ speedMessages: 10_000 }) },
  };

  const figures: Figure[] = [];
  const notes: string[] = [];
  const durations: Record<string, number> = {};
  const started = performance.now();
  for (const n of parseOnly(values.only)) {
    const bench = benches[n];
    if (!bench) continue;
    process.stderr.write(`[bench] ${n}. ${bench.name}…\n`);
    const t0 = performance.now();
    const result = await bench.run();
    durations[n] = (performance.now() - t0) / 1000;
    process.stderr.write(`[bench] ${n}. done in ${durations[n]?.toFixed(1)} s\n`);
    figures.push(...result.figures);
    notes.push(...result.notes);
  }
  const totalSeconds = (performance.now() - started) / 1000;

  const table = formatTable(figures, margin);
  console.log(table);
  console.log();
  for (const note of notes) console.log(`- ${note}`);
  console.log(
    `\nNode ${process.version}, ${cpus().length} cores, ${quick ? 'quick' : 'full'} run in ${totalSeconds.toFixed(0)} s; noise margin ${Math.round(margin * 100)}%`,
  );

  const out = values.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results', 'latest.json');
  mkdirSync(dirname(resolve(out)), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cores: cpus().length,
        quick,
        margin,
        seconds: { total: totalSeconds, ...durations },
        figures,
        notes,
        table,
      },
      null,
      2,
    )}\n`,
  );
  const failed = missed(figures, margin);
  for (const f of failed) console.error(`budget missed: ${f.group}. ${f.label}`);
  return exitCode(figures, margin);
}

process.exitCode = await main();
