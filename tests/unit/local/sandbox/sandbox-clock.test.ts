import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../../../../lib/local/sandbox/sandbox-clock.ts';

const HOUR = 3_600_000;

describe('SandboxClock', () => {
  it('keeps a run that real time started on its own time while clock advance waits for it', async () => {
    const clock = new SandboxClock({ tickMs: 5 });
    const start = clock.now().getTime();
    let started!: () => void;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let seen: number | undefined;
    // Due at once: the next tick fires it, and it is still working when the advance is asked for.
    clock.setTimer(new Date(start), async () => {
      started();
      await gate;
      seen = clock.now().getTime();
    });
    clock.start();
    try {
      await running;
      const advanced = clock.advance('1d');
      expect(clock.now().getTime() - start).toBeLessThan(HOUR);
      finish();
      const to = (await advanced).getTime();

      expect(seen !== undefined && seen - start).toBeLessThan(HOUR);
      expect(to - start).toBeGreaterThanOrEqual(24 * HOUR);
    } finally {
      clock.stop();
    }
  });

  it('fires the timers of the day it jumps over at their own times, in order', async () => {
    const clock = new SandboxClock();
    const start = clock.now().getTime();
    const seen: number[] = [];
    for (const hours of [18, 6, 12]) {
      const at = start + hours * HOUR;
      clock.setTimer(new Date(at), () => {
        seen.push(clock.now().getTime() - start);
      });
    }
    await clock.advance('1d');
    expect(seen).toEqual([6 * HOUR, 12 * HOUR, 18 * HOUR]);
  });
});
