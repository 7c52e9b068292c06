import { AsyncLocalStorage } from 'node:async_hooks';
import { ValidationError } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';

/** A timer that can still be called off. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * A Clock that can also wake code up. Everything in the local runtime that waits for time (schedule
 * timers, retry back-off) goes through one of these, so tests drive time with a ManualClock.
 */
export interface TimerClock extends Clock {
  /**
   * Calls `fn` once at `at` (as soon as possible when `at` is past). When `fn` returns a promise, that is
   * the work the timer started; `fn` handles its own errors.
   */
  setTimer(at: Date, fn: () => unknown): TimerHandle;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** setTimeout stores its delay in a signed 32-bit integer (about 24.8 days); longer delays fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Real time. Timers are unref'd so armed schedules alone never keep the process alive. */
export class SystemTimerClock implements TimerClock {
  readonly #onError: (error: unknown) => void;

  /** `onError` receives a timer callback's rejected promise, which would otherwise go unhandled. */
  constructor(options: { onError?: (error: unknown) => void } = {}) {
    this.#onError = options.onError ?? ((error) => console.error('timer callback failed', error));
  }

  now(): Date {
    return new Date();
  }

  setTimer(at: Date, fn: () => unknown): TimerHandle {
    let timeout: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (): void => {
      const delay = at.getTime() - Date.now();
      // A long delay is waited out in chunks, re-measured against the wall clock each time.
      timeout =
        delay > MAX_TIMEOUT_MS
          ? setTimeout(arm, MAX_TIMEOUT_MS)
          : setTimeout(
              () => {
                if (!cancelled) this.#run(fn);
              },
              Math.max(0, delay),
            );
      timeout.unref();
    };
    arm();
    return {
      cancel() {
        cancelled = true;
        clearTimeout(timeout);
      },
    };
  }

  /** A referenced timer: work waiting to be retried should keep the process alive. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }

  #run(fn: () => unknown): void {
    try {
      const result = fn();
      if (isPromiseLike(result)) Promise.resolve(result).catch(this.#onError);
    } catch (error) {
      this.#onError(error);
    }
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => unknown;
  cancelled: boolean;
}

/** The async work one fired callback started; `sleeping` counts its waits on this clock. */
interface Work {
  sleeping: number;
}

/**
 * Time that moves only when told. `advance` fires due timers in chronological order, one instant at a time:
 * every timer due at that instant is called (in the order they were set) before any is awaited, then it
 * waits until the work those callbacks started has finished or is itself waiting on this clock (`sleep`),
 * so a test sees every consequence of the time it let pass before the next instant fires.
 * Callbacks must wait for time only through `sleep`; waiting on another timer's effect would never end.
 */
export class ManualClock implements TimerClock {
  #now: number;
  #seq = 0;
  readonly #heap: PendingTimer[] = [];
  #live = 0;
  readonly #work = new Set<Work>();
  readonly #context = new AsyncLocalStorage<Work>();
  readonly #errors: unknown[] = [];
  #wake: (() => void) | undefined;
  #advancing = false;

  constructor(start: Date = new Date('2026-01-01T00:00:00Z')) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  setTimer(at: Date, fn: () => unknown): TimerHandle {
    const timer: PendingTimer = { at: at.getTime(), seq: this.#seq++, fn, cancelled: false };
    this.#push(timer);
    this.#live++;
    return {
      cancel: () => {
        if (timer.cancelled) return;
        timer.cancelled = true;
        this.#live--;
      },
    };
  }

  sleep(ms: number): Promise<void> {
    const work = this.#context.getStore();
    return new Promise((resolve) => {
      if (work) {
        work.sleeping++;
        this.#signal();
      }
      this.setTimer(new Date(this.#now + Math.max(0, ms)), () => {
        if (work) work.sleeping--;
        resolve();
      });
    });
  }

  /** Timers set and neither fired nor cancelled. */
  get pendingTimers(): number {
    return this.#live;
  }

  /** Moves time forward by milliseconds or a duration such as `'2h'` (see parseDuration). */
  async advance(by: number | string): Promise<void> {
    const ms = typeof by === 'string' ? parseDuration(by) : by;
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: expected a duration >= 0, got ${by}`);
    await this.advanceTo(new Date(this.#now + ms));
  }

  /** Moves time forward to `date`, firing every timer due on the way. Rejects with a callback's error. */
  async advanceTo(date: Date): Promise<void> {
    const target = date.getTime();
    if (target < this.#now) {
      throw new RangeError(`advanceTo: ${date.toISOString()} is before ${this.now().toISOString()}`);
    }
    if (this.#advancing) throw new Error('ManualClock is already advancing; await the previous call');
    this.#advancing = true;
    try {
      await this.#settle();
      for (let next = this.#peek(); next && next.at <= target; next = this.#peek()) {
        const instant = next.at;
        this.#now = Math.max(this.#now, instant);
        // Every timer due at this instant starts before any is awaited, as Node's timers due together run
        // in one turn (and EventBridge invokes the schedules due in one minute side by side).
        for (let due: PendingTimer | undefined = next; due?.at === instant; due = this.#peek()) {
          this.#pop();
          this.#live--;
          this.#fire(due);
        }
        await this.#settle();
      }
      this.#now = target;
    } finally {
      this.#advancing = false;
    }
    const errors = this.#errors.splice(0);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, `${errors.length} timer callbacks failed`);
  }

  #fire(timer: PendingTimer): void {
    const work: Work = { sleeping: 0 };
    let result: unknown;
    try {
      result = this.#context.run(work, timer.fn);
    } catch (error) {
      this.#errors.push(error);
      return;
    }
    if (!isPromiseLike(result)) return;
    this.#work.add(work);
    Promise.resolve(result)
      .catch((error: unknown) => {
        this.#errors.push(error);
      })
      .finally(() => {
        this.#work.delete(work);
        this.#signal();
      });
  }

  /** Waits until every callback's work is done or waiting on this clock. */
  async #settle(): Promise<void> {
    for (;;) {
      // Let already-resolved continuations and immediate I/O callbacks run first.
      await new Promise((resolve) => setImmediate(resolve));
      const busy = [...this.#work].some((work) => work.sleeping === 0);
      if (!busy) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  // A binary min-heap on (at, seq): chronological order, ties in the order the timers were set.
  #peek(): PendingTimer | undefined {
    while (this.#heap[0]?.cancelled) this.#pop();
    return this.#heap[0];
  }

  #push(timer: PendingTimer): void {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as PendingTimer, heap[parent] as PendingTimer)) break;
      [heap[i], heap[parent]] = [heap[parent] as PendingTimer, heap[i] as PendingTimer];
      i = parent;
    }
  }

  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop();
    if (heap.length === 0 || !last) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as PendingTimer, heap[smallest] as PendingTimer))
        smallest = left;
      if (right < heap.length && before(heap[right] as PendingTimer, heap[smallest] as PendingTimer))
        smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as PendingTimer, heap[i] as PendingTimer];
      i = smallest;
    }
  }
}

function before(a: PendingTimer, b: PendingTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'then' in value &&
    typeof (value as { then: unknown }).then === 'function'
  );
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** Parses `45s`, `30m`, `2h`, `1d`, `1w`, `250ms` or a sum such as `1d12h` into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const part = /(\d+)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    matched = part.lastIndex;
  }
  if (trimmed === '' || matched !== trimmed.length) {
    throw new ValidationError('duration', 'expected a duration such as 45s, 30m, 2h, 1d or 1d12h');
  }
  return total;
}
