/**
 * Figure 1, the sandbox's stop: `npm start`'s entry point (lib/local/main.ts) as a real process on a fresh
 * data folder, left idle until its start-up work is done, then SIGINT, as Ctrl+C sends it. Measured from
 * the signal to the process's exit, with nothing in flight; issue 17 asks for under 2 s (it took 11-31 s).
 * Run standalone: `node --import tsx bench/sandbox-stop.ts`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Issue 17: "stop finishes in under 2 s when nothing is in flight". */
const STOP_BUDGET_MS = 2_000;

/** Long enough for start's own store work (the first task count, the schedules' catch-up) to be over. */
const IDLE_BEFORE_STOP_MS = 7_000;

/** One start, an idle wait and a SIGINT: milliseconds from the signal to 'stopped' and to the exit. */
async function startAndStop(dataDir: string): Promise<{ stoppedMs: number; exitMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stoppedAt: number | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (stoppedAt === undefined && /^stopped$/m.test(output)) stoppedAt = performance.now();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + 60_000;
  while (!output.includes('Ctrl+C stops it') || !existsSync(join(dataDir, 'task-count.json'))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the sandbox did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, IDLE_BEFORE_STOP_MS));
  const signalled = performance.now();
  child.kill('SIGINT');
  const code = await exited;
  const exitMs = performance.now() - signalled;
  if (code !== 0) throw new Error(`the sandbox exited with ${code} on SIGINT:\n${output}`);
  return { stoppedMs: (stoppedAt ?? Number.NaN) - signalled, exitMs };
}

/** The stop figure of group 1: the median of `runs` start-idle-stop cycles on one data folder. */
export async function benchSandboxStop(options: { runs?: number } = {}): Promise<{
  figures: Figure[];
  notes: string[];
}> {
  const runs = options.runs ?? 3;
  const dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-bench-stop-'));
  try {
    const cycles: { stoppedMs: number; exitMs: number }[] = [];
    // The first start seeds the sandbox; every later one restores it, as a user's restarts do.
    for (let i = 0; i < runs; i++) cycles.push(await startAndStop(dataDir));
    const exitMs = cycles.map((c) => c.exitMs);
    return {
      figures: [
        {
          id: '1.sandbox.stop',
          group: 1,
          label: `sandbox: SIGINT to exit, idle, nothing in flight (median of ${runs})`,
          value: median(exitMs),
          unit: 'ms',
          budget: { limit: STOP_BUDGET_MS, direction: 'max' },
        },
      ],
      notes: [
        `sandbox stop: npm start's entry (node --import tsx lib/local/main.ts) on a fresh DATA_DIR, idle ${IDLE_BEFORE_STOP_MS / 1000} s after ready, then SIGINT; each exit (ms): ${exitMs.map((ms) => ms.toFixed(0)).join(', ')}; 'stopped' printed after ${cycles.map((c) => c.stoppedMs.toFixed(0)).join(', ')} ms`,
      ],
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { figures, notes } = await benchSandboxStop();
  for (const figure of figures) process.stdout.write(`${figure.label}: ${figure.value.toFixed(0)} ms\n`);
  for (const note of notes) process.stdout.write(`- ${note}\n`);
}
