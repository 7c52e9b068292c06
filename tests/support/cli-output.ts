/**
 * What a CLI command group (bin/commands/*.ts, called in-process) writes to stdout and stderr, captured
 * chunk by chunk instead of printed. Restored by `vi.restoreAllMocks()`.
 */
import { vi } from 'vitest';

/** Starts capturing; `stdout()` is everything written so far, `stderr` the chunks in order. */
export function captureCliOutput(): { stdout(): string; readonly stderr: string[]; clear(): void } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  return {
    stdout: () => out.join(''),
    stderr: err,
    clear: () => {
      out.length = 0;
      err.length = 0;
    },
  };
}
