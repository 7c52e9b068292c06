import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
/** bin/build-cli.mjs's output: current.json names the current build's folder. */
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'summary-bot-cli');

/** The current build's `start.mjs` (`npm start`'s entry, bundled with the CLI), if it has one. */
export function bundledStartEntry(): string | undefined {
  try {
    const { dir } = JSON.parse(readFileSync(join(OUT_DIR, 'current.json'), 'utf8')) as { dir: string };
    const entry = join(OUT_DIR, dir, 'start.mjs');
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Vitest global setup: makes sure the CLI's build matches the sources before any test spawns it, so test
 * files running in parallel never all rebuild it at once. Running it once does exactly what a user's first
 * `npx summary-bot` after an edit does (bin/summary-bot.mjs rebuilds a stale build). A build from before the
 * bundle had `npm start`'s entry (tests/support/bot-process.ts starts the bot from it) is built again.
 */
export default function buildCliOnce(): void {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'summary-bot.mjs'), '--version'], {
    stdio: 'ignore',
    timeout: 120_000,
  });
  if (!bundledStartEntry()) {
    execFileSync(process.execPath, [join(ROOT, 'bin', 'build-cli.mjs')], {
      stdio: 'ignore',
      timeout: 120_000,
    });
  }
}
