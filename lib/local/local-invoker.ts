import { type ExecutorInput, type ExecutorInvoker, runKeyOf } from '../execution/executor-input.ts';
import type { TimerClock } from './clock.ts';

export interface LocalInvokerOptions {
  /** The executor, called in-process. A rejection is a failed attempt. */
  execute: (input: ExecutorInput) => Promise<void>;
  /** Where an input goes after its last failed attempt (Lambda's on-failure destination / SQS DLQ). */
  onDeadLetter: (input: ExecutorInput, error: unknown) => Promise<void>;
  /** Retries after the first attempt: Lambda's asynchronous invocation default is 2. */
  retries?: number;
  /** Wait before each retry; the last value repeats. Lambda waits about 1 minute, then about 2. */
  backoffMs?: readonly number[];
  /** All waits go through it, so a ManualClock makes tests instant. */
  clock: TimerClock;
  /** A dead-letter handler that itself failed, for `invoke` where nobody awaits the outcome. */
  onError?: (error: unknown, input: ExecutorInput) => void;
  /**
   * Told when an input is finished (succeeded or dead-lettered) and no other input of the same run is in
   * flight: the local runtime looks at whether the run's record still says `running` (lease-watch.ts).
   */
  onSettled?: (input: ExecutorInput) => void;
}

/** How one `run` spends its budget. */
export interface RunOptions {
  /**
   * Attempts left for this input (default: the first one and every retry). A run resumed after the process
   * died gets what its earlier attempts left over, so a crash never grants a fresh budget.
   */
  attempts?: number;
}

/** In-process executor invocation with Lambda's asynchronous semantics (retries, then a dead letter). */
export interface LocalInvoker extends ExecutorInvoker {
  /** Hands the input over and returns at once, like `InvocationType: Event`; the work continues. */
  invoke(input: ExecutorInput): Promise<void>;
  /**
   * Runs the input to its end: resolves after a successful attempt or after the dead-letter handler took
   * it; rejects only when that handler fails (the event is then lost, as Lambda drops it).
   */
  run(input: ExecutorInput, options?: RunOptions): Promise<void>;
  /** Inputs accepted and not yet finished (succeeded or dead-lettered). */
  inFlight(): number;
  /** Whether an input for the run of `taskId` at `scheduledTime` is accepted and not yet finished. */
  isRunning(run: { taskId: string; scheduledTime: string }): boolean;
  /**
   * Waits until nothing is in flight, or until `timeoutMs` of real time passed. With `leaveWaiting`, an
   * input waiting on the clock for its next attempt does not count: its record already says what a restart
   * resumes, and on the sandbox's clock that wait may be minutes away (a stop or a `clock advance` used to
   * sit out its whole timeout for it).
   */
  drain(timeoutMs?: number, options?: { leaveWaiting?: boolean }): Promise<void>;
}

/** Gives in-process calls Lambda's async invocation policy: retry with back-off, then dead-letter. */
export function createLocalInvoker(options: LocalInvokerOptions): LocalInvoker {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? [60_000, 120_000];
  if (!Number.isInteger(retries) || retries < 0) {
    throw new RangeError(`retries: expected a whole number >= 0, got ${retries}`);
  }
  if (retries > 0 && (backoffMs.length === 0 || backoffMs.some((ms) => !(ms >= 0)))) {
    throw new RangeError('backoffMs: expected at least one delay >= 0 when retries > 0');
  }
  const onError =
    options.onError ??
    ((error: unknown) => console.error('dead-letter handler failed; the run is lost', error));
  /** Inputs in flight, each with whether it is waiting on the clock for its next attempt. */
  const running = new Map<Promise<void>, { waiting: boolean }>();
  /** Inputs in flight per run (a scheduled run's time, a manual run's request time). */
  const runs = new Map<string, number>();
  /** Resolved (and replaced) whenever an input starts or stops waiting, or ends: what drain looks at. */
  const signal = () => {
    let resolve = () => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };
  let changed = signal();
  const notify = () => {
    changed.resolve();
    changed = signal();
  };

  async function attemptAll(
    input: ExecutorInput,
    attempts: number,
    state: { waiting: boolean },
  ): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        state.waiting = true;
        notify();
        try {
          await options.clock.sleep(backoffMs[Math.min(attempt - 1, backoffMs.length - 1)] ?? 0);
        } finally {
          state.waiting = false;
        }
      }
      try {
        // A scheduled run's record carries its attempt number, so a restart knows how much budget is left.
        await options.execute(
          input.type === 'scheduled' || input.type === 'after'
            ? { ...input, attempt: input.attempt + attempt }
            : input,
        );
        return;
      } catch (error) {
        lastError = error;
      }
    }
    await options.onDeadLetter(input, lastError);
  }

  function run(input: ExecutorInput, runOptions: RunOptions = {}): Promise<void> {
    const key = runOf(input);
    if (key) runs.set(key, (runs.get(key) ?? 0) + 1);
    const state = { waiting: false };
    const work = attemptAll(
      input,
      Math.max(1, Math.min(retries + 1, runOptions.attempts ?? retries + 1)),
      state,
    );
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    running.set(settled, state);
    void settled.then(() => {
      running.delete(settled);
      notify();
      if (!key) return;
      const left = (runs.get(key) ?? 1) - 1;
      if (left > 0) runs.set(key, left);
      else {
        runs.delete(key);
        options.onSettled?.(input);
      }
    });
    return work;
  }

  return {
    run,
    async invoke(input: ExecutorInput): Promise<void> {
      run(input).catch((error: unknown) => onError(error, input));
    },
    inFlight: () => running.size,
    isRunning: (key) => runs.has(`${key.taskId}@${key.scheduledTime}`),
    async drain(timeoutMs = 10_000, { leaveWaiting = false } = {}): Promise<void> {
      const busy = () => [...running.values()].some((state) => !(leaveWaiting && state.waiting));
      if (!busy()) return;
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          resolve();
        }, timeoutMs);
        timer.unref();
      });
      // A wait the clock just ended resumes its input in a later microtask: look again after those ran.
      const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
      while (!timedOut) {
        await Promise.race([changed.promise, deadline]);
        await settle();
        if (!busy()) break;
      }
      clearTimeout(timer);
    },
  };
}

/** The run an input stands for; undefined for `/summarize`, which has no run record. */
function runOf(input: ExecutorInput): string | undefined {
  if (input.type === 'adhoc') return undefined;
  return `${input.taskId}@${runKeyOf(input)}`;
}
