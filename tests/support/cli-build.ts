import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * Vitest global setup: makes sure the CLI's build matches the sources before any test spawns it, so test
 * files running in parallel never all rebuild it at once. Running it once does exactly what a user's first
 * `npx summary-bot` after an edit does (bin/summary-bot.mjs rebuilds a stale build).
 */
export default function buildCliOnce(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../bin/summary-bot.mjs'), '--version'], {
    stdio: 'ignore',
    timeout: 120_000,
  });
}
