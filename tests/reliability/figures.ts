/**
 * Figures of the reliability suite (cases generated, faults injected, requests served, items lost). Each test
 * records what it measured; the lines go to stdout and, when RELIABILITY_FIGURES names a file, are appended
 * to it as JSON lines, which is how docs/RELIABILITY.md was filled in.
 */
import { appendFileSync } from 'node:fs';

/** Records one figure set under a stable name (the test it belongs to). */
export function recordFigures(name: string, figures: Record<string, number | string>): void {
  const line = JSON.stringify({ name, ...figures });
  console.log(`[reliability] ${line}`);
  const file = process.env.RELIABILITY_FIGURES;
  if (file) appendFileSync(file, `${line}\n`);
}

/** The fixed fast-check seed of the suite, so a failure reproduces; override with RELIABILITY_SEED. */
export const SEED = Number(process.env.RELIABILITY_SEED ?? 20_261_127);
