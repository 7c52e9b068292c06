import type { Clock } from '../../lib/shared/clock.ts';

/**
 * The one clock tests set by hand, for code that only reads the time (the `Clock` port): the scheduler,
 * the store's run-record expiry, the executor, dead letters. Code that also sets timers (the embedded
 * scheduler, the local invoker, the sandbox) is the local runtime itself and takes its own
 * `ManualClock` (lib/local/clock.ts), which fires those timers as it advances.
 */
export class TestClock implements Clock {
  /** The time `now()` answers; assign it, or use `set` and `advance`. */
  current: Date;

  constructor(start: Date | string = '2026-03-02T10:00:00.000Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves the clock to `at` (forwards or back). */
  set(at: Date | string): void {
    this.current = new Date(at);
  }

  /** Moves the clock `ms` milliseconds forward. */
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
