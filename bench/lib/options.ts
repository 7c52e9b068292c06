/** Command-line choices of the benchmark runner. */

/** Parses `--only 1,3` into figure numbers; every figure when absent. */
export function parseOnly(only: string | undefined): number[] {
  if (!only) return [1, 2, 3, 4, 5, 6];
  const picked = only.split(',').map((s) => Number(s.trim()));
  for (const n of picked) {
    if (!Number.isInteger(n) || n < 1 || n > 6) {
      throw new RangeError(
        `--only: expected figure numbers 1 to 6 separated by commas, got ${JSON.stringify(only)}`,
      );
    }
  }
  return [...new Set(picked)].sort((a, b) => a - b);
}
