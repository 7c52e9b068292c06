import { randomUUID } from 'node:crypto';
import type { ExecutorInput, TaskRunInput } from '../execution/executor-input.ts';
import { isUnstartedRun } from '../execution/run-attempts.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { TimerClock, TimerHandle } from './clock.ts';

/**
 * A run's lease says how long its holder promises to be working on it. On AWS a holder that dies or stalls
 * past it is replaced by Lambda's retry (or the Scheduler's duplicate delivery), which takes the run over.
 * Locally nothing else would come while the bot runs: when this process has finished with a run whose
 * record still says `running` (its dead letter was not counted because another holder's lease was alive,
 * or its last write failed), or finds one at start or in the daily sweep, this watches the lease and, once
 * it ran out with nobody working on the run, takes it over through the path a Lambda retry takes. A holder
 * that was only stalled finds the run taken over at its next write and stops before it posts (RunWriter).
 */

/** Lambda's asynchronous invocation: the first attempt and two retries. */
export const ATTEMPTS = 3;
/** A lease is looked at this long after it should have run out (a renewal at its last moment wins). */
const GRACE_MS = 1_000;

export interface TakeOverDeps {
  store: Pick<TaskStore, 'getRun' | 'getTask'>;
  clock: TimerClock;
  /** The invoker's run, with the attempts left. */
  resume: (input: ExecutorInput, attempts: number) => Promise<void>;
  /** A run with no attempt left: dead-lettered as Lambda would after its last retry. */
  deadLetter: (input: ExecutorInput, reason: string) => Promise<void>;
  onError: (error: unknown, run: RunKey) => void;
}

export interface LeaseWatchDeps extends TakeOverDeps {
  /**
   * Whether this process works on the run now (an attempt, or a retry waiting). That work is a live
   * holder whatever the lease says (the sandbox clock jumps past leases a heartbeat renews in real time;
   * every call it waits on has its own timeout): it is not taken over, and looked at again when it ends.
   */
  isLive: (run: RunKey) => boolean;
}

/** The run of a task at a scheduled time (a manual run's is its request time). */
export interface RunKey {
  taskId: string;
  scheduledTime: string;
}

/**
 * Hands a run whose holder is gone to the invoker as a retry of it, with what its attempts left of the
 * budget (not awaited: the work continues in the invoker), or dead-letters it when none is left.
 */
export async function takeOverRun(
  run: RunRecord,
  deps: TakeOverDeps,
  original?: TaskRunInput,
): Promise<'resumed' | 'dead-lettered'> {
  const used = isUnstartedRun(run) ? 0 : run.attempt;
  let input: ExecutorInput;
  if (original) {
    // The input this process finished with: retried as Lambda retries the same event (a manual run keeps
    // its reply, so the retry edits the "Run now" message).
    input = original.type === 'manual' ? original : { ...original, attempt: used + 1 };
  } else if (run.trigger === 'after' && run.upstream) {
    input = {
      type: 'after',
      taskId: run.taskId,
      guildId: run.guildId,
      upstream: run.upstream,
      attempt: used + 1,
    };
  } else if (run.trigger === 'manual') {
    const task = await deps.store.getTask(run.guildId, run.taskId);
    input = {
      type: 'manual',
      taskId: run.taskId,
      guildId: run.guildId,
      // Who pressed "Run now" is not on the record; the task's creator stands in (as the status page shows).
      requestedBy: task?.createdBy ?? 'unknown',
      requestedAt: run.scheduledTime,
    };
  } else {
    input = {
      type: 'scheduled',
      taskId: run.taskId,
      guildId: run.guildId,
      scheduledTime: run.scheduledTime,
      executionId: run.executionId ?? randomUUID(),
      attempt: used + 1,
    };
  }
  if (used >= ATTEMPTS) {
    await deps.deadLetter(input, `the bot stopped during attempt ${used} of ${ATTEMPTS} of this run`);
    return 'dead-lettered';
  }
  // Not awaited: a restart resumes many runs side by side, as Lambda would retry them.
  void deps.resume(input, ATTEMPTS - used).catch((error: unknown) => deps.onError(error, run));
  return 'resumed';
}

/**
 * Leases being watched. `watch` looks at a run's record when its lease should have run out: a record no
 * longer `running` needs nothing; a renewed lease is looked at again when the renewal runs out; a lease
 * that ran out is taken over (`takeOverRun`). `stop` cancels every watch (the runtime is stopping).
 */
export class LeaseWatch {
  readonly #deps: LeaseWatchDeps;
  readonly #timers = new Set<TimerHandle>();
  /** How many watches each run has (an attempt's, a sweep's). */
  readonly #watched = new Map<string, number>();

  constructor(deps: LeaseWatchDeps) {
    this.#deps = deps;
  }

  /** Leases being watched now. */
  get size(): number {
    return this.#timers.size;
  }

  /** Whether some watch looks after the run of `key`. */
  watching(key: RunKey): boolean {
    return this.#watched.has(keyOf(key));
  }

  /**
   * Looks at the run of `key` at `leaseEnd` (and after each renewal); the handle calls the watch off.
   * `input` is the attempt's own, when it runs in this process: a takeover retries it.
   */
  watch(key: RunKey, leaseEnd: Date, input?: TaskRunInput): TimerHandle {
    let current: TimerHandle | undefined;
    let cancelled = false;
    const id = keyOf(key);
    const handle: TimerHandle = {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        current?.cancel();
        this.#timers.delete(handle);
        const left = (this.#watched.get(id) ?? 1) - 1;
        if (left > 0) this.#watched.set(id, left);
        else this.#watched.delete(id);
      },
    };
    this.#watched.set(id, (this.#watched.get(id) ?? 0) + 1);
    const arm = (at: number) => {
      current = this.#deps.clock.setTimer(new Date(at + GRACE_MS), () =>
        look().catch((error: unknown) => {
          handle.cancel();
          this.#deps.onError(error, key);
        }),
      );
    };
    const look = async () => {
      if (cancelled) return;
      const run = await this.#deps.store.getRun(key.taskId, key.scheduledTime);
      if (cancelled) return;
      if (run?.status !== 'running' || this.#deps.isLive(key)) return handle.cancel();
      const leaseEnd = run.leaseUntil ? Date.parse(run.leaseUntil) : 0;
      if (leaseEnd > this.#deps.clock.now().getTime()) return arm(leaseEnd); // its holder renewed it
      handle.cancel();
      await takeOverRun(run, this.#deps, input);
    };
    this.#timers.add(handle);
    arm(leaseEnd.getTime());
    return handle;
  }

  /**
   * Looks at a run this process finished working on: a record still `running` (another holder's lease,
   * or a last write that failed) is watched until its lease runs out, then taken over (as a retry of
   * `input`, the input that finished, when given).
   */
  async look(key: RunKey, input?: TaskRunInput): Promise<void> {
    try {
      const run = await this.#deps.store.getRun(key.taskId, key.scheduledTime);
      if (run?.status !== 'running' || this.watching(key) || this.#deps.isLive(key)) return;
      this.watch(key, new Date(run.leaseUntil ? Date.parse(run.leaseUntil) : 0), input);
    } catch (error) {
      this.#deps.onError(error, key);
    }
  }

  /** Calls every watch off. */
  stop(): void {
    for (const handle of [...this.#timers]) handle.cancel();
  }
}

function keyOf(key: RunKey): string {
  return `${key.taskId}@${key.scheduledTime}`;
}
