import { ManualClock, parseDuration, type TimerClock, type TimerHandle } from '../clock.ts';

export interface SandboxClockOptions {
  /** How far ahead of the wall clock the sandbox starts (kept across restarts in `sandbox.json`). */
  offsetMs?: number;
  /** How often real time is let through to the timers; a timer fires at most this late. */
  tickMs?: number;
  /** A timer callback that failed (the callbacks handle their own errors; this is the last resort). */
  onError?: (error: unknown) => void;
}

/**
 * The sandbox's time: the wall clock plus an offset that `advance` jumps forward. Timers live in a
 * ManualClock that real time (a tick) and `advance` move; `advance` fires every timer due on the way in
 * chronological order, the timers of one instant together, and waits for the work they started, so
 * `clock advance 1d` returns after the day's runs are done. While stepping, `now()` is the time of the timer being fired, so a run
 * due at 09:00 sees 09:00 (and an hourly schedule owes one run per step, not a day of missed ones).
 */
export class SandboxClock implements TimerClock {
  readonly #inner: ManualClock;
  readonly #tickMs: number;
  readonly #onError: (error: unknown) => void;
  #offsetMs: number;
  #stepping = false;
  #queue: Promise<void> = Promise.resolve();
  #ticking = false;
  #ticker: NodeJS.Timeout | undefined;

  constructor(options: SandboxClockOptions = {}) {
    this.#offsetMs = options.offsetMs ?? 0;
    this.#tickMs = options.tickMs ?? 250;
    this.#onError = options.onError ?? ((error) => console.error('sandbox timer failed', error));
    this.#inner = new ManualClock(new Date(Date.now() + this.#offsetMs));
  }

  /** Milliseconds the sandbox is ahead of the wall clock. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): Date {
    if (this.#stepping) return this.#inner.now();
    return new Date(Math.max(this.#inner.now().getTime(), Date.now() + this.#offsetMs));
  }

  setTimer(at: Date, fn: () => unknown): TimerHandle {
    return this.#inner.setTimer(at, fn);
  }

  sleep(ms: number): Promise<void> {
    return this.#inner.sleep(ms);
  }

  /** Lets real time reach the timers; until then only `advance` fires them. */
  start(): void {
    if (this.#ticker) return;
    this.#ticker = setInterval(() => {
      // A tick that finds the previous one still firing (a long run) lets it finish instead of queueing.
      if (this.#ticking) return;
      this.#ticking = true;
      void this.#moveTo(() => Date.now() + this.#offsetMs).finally(() => {
        this.#ticking = false;
      });
    }, this.#tickMs);
    this.#ticker.unref();
  }

  /** Stops the tick; timers stay pending (the scheduler cancels its own on stop). */
  stop(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  /**
   * Moves the sandbox forward by milliseconds or a duration such as `1d` or `2h30m`, firing every timer
   * due on the way and waiting for the work each started. Resolves with the new time.
   */
  async advance(by: number | string): Promise<Date> {
    const ms = typeof by === 'string' ? parseDuration(by) : by;
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: expected a duration >= 0, got ${by}`);
    // The jump happens when this move starts, not when it is asked for: a tick still firing meanwhile
    // (a run in progress) must keep seeing its own time, or it would read the day after as now and owe
    // that day's runs at once (one fired, the rest missed).
    await this.#moveTo(() => {
      this.#offsetMs += ms;
      return Date.now() + this.#offsetMs;
    }, true);
    return this.now();
  }

  /** Serialized: the tick and `advance` never move the inner clock at the same time. */
  #moveTo(target: () => number, stepping = false): Promise<void> {
    const move = async () => {
      const to = Math.max(target(), this.#inner.now().getTime());
      this.#stepping = stepping;
      try {
        await this.#inner.advanceTo(new Date(to));
      } catch (error) {
        this.#onError(error);
      } finally {
        this.#stepping = false;
      }
    };
    const next = this.#queue.then(move);
    this.#queue = next;
    return next;
  }
}
