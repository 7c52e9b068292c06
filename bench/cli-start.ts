/**
 * Figure 1, the CLI's start: wall time of `summary-bot --help` and `summary-bot expr validate …` in a fresh
 * process (bin/summary-bot.mjs, the bundle `npm ci` builds), beside a bare `node -e 0` measured in the same
 * run. Judged as a ratio to bare node, so a slower or busier machine moves both. Run standalone:
 * `node --import tsx bench/cli-start.ts`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(repoRoot, 'bin', 'summary-bot.mjs');

/** "A small multiple of bare node" (issue 17): at most this many times `node -e 0`. */
const MAX_RATIO_TO_NODE = 3;

/** Wall milliseconds of one fresh process running `args`, from spawn to exit. */
function wallMs(args: string[]): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/** The median of `runs` fresh processes, after one to warm the file cache (and build the CLI if stale). */
function medianWall(args: string[], runs: number): number {
  wallMs(args);
  return median(Array.from({ length: runs }, () => wallMs(args)));
}

/** The CLI figures of group 1. */
export function benchCliStart(options: { runs?: number } = {}): { figures: Figure[]; notes: string[] } {
  const runs = options.runs ?? 15;
  const node = medianWall(['-e', '0'], runs);
  const commands: { id: string; label: string; args: string[] }[] = [
    { id: 'help', label: 'summary-bot --help', args: [BIN, '--help'] },
    {
      id: 'expr',
      label: "summary-bot expr validate 'rate(5 minutes)'",
      args: [BIN, 'expr', 'validate', 'rate(5 minutes)'],
    },
  ];
  const figures: Figure[] = commands.map(({ id, label, args }) => ({
    id: `1.cli.${id}`,
    group: 1,
    label: `CLI: ${label}, fresh process (median of ${runs})`,
    value: medianWall(args, runs),
    unit: 'ms',
    baseline: { value: node, label: 'node -e 0' },
    budget: { limit: MAX_RATIO_TO_NODE * node, direction: 'max' },
  }));
  return {
    figures,
    notes: [
      `cli: bin/summary-bot.mjs runs the esbuild bundle of bin/summary-bot.ts (split per command; built by npm ci, rebuilt when a source is newer); node -e 0 takes ${node.toFixed(0)} ms here; budget ${MAX_RATIO_TO_NODE}× that`,
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const figure of benchCliStart().figures) {
    process.stdout.write(
      `${figure.label}: ${figure.value.toFixed(1)} ms (node -e 0: ${figure.baseline?.value.toFixed(1)} ms)\n`,
    );
  }
}
