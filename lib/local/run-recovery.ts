import type { ScheduledRunInput } from '../execution/executor-input.ts';
import { isUnstartedRun } from '../execution/run-attempts.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import { TaskState } from '../tasks/task.ts';
import { type LeaseWatch, type RunKey, type TakeOverDeps, takeOverRun } from './lease-watch.ts';

/**
 * On AWS a run whose Lambda died is retried by Lambda itself, which holds the event. Locally the process
 * that held it is gone after a crash: the run records it left (`running` with a lease, or `failed` and
 * retryable with a retry that was waiting in memory) are all that says what is owed. This finds them and
 * hands them to the same invoker a schedule fires into, with what is left of the retry budget. It runs at
 * start and daily (a sweep for anything the lease watches missed).
 */

export { ATTEMPTS } from './lease-watch.ts';

/** The newest records of a task looked at; an unfinished run is always among a task's latest. */
const RECENT_RUNS = 10;

/**
 * The record the embedded scheduler writes for a due run before its watermark passes it: `running`, with
 * a lease that ran out before it started, so the executor's claim takes it over at once, and a restart
 * finds it if the process died before that.
 */
export function enqueuedRun(event: ScheduledRunInput, now: Date, retentionDays: number): RunRecord {
  return {
    taskId: event.taskId,
    guildId: event.guildId,
    scheduledTime: event.scheduledTime,
    trigger: 'schedule',
    executionId: event.executionId,
    attempt: 1,
    status: 'running',
    startedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() - 1_000).toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + retentionDays * 86_400,
  };
}

/** Whether `run` is an enqueued record no attempt has claimed yet. */
export const isEnqueued = isUnstartedRun;

export interface RecoveryDeps extends TakeOverDeps {
  store: Pick<TaskStore, 'listTasksByState' | 'listRuns' | 'getRun' | 'getTask'>;
  /** Where a run whose lease is still alive is watched until it runs out. */
  leases: LeaseWatch;
  /**
   * Runs this process is working on (an attempt, or a retry waiting in memory): left to that work, whose
   * own lease watch takes a stalled attempt over. None at start.
   */
  inFlight?: (run: RunKey) => boolean;
}

/** What a recovery pass found. */
export interface RecoveryReport {
  resumed: number;
  deadLettered: number;
  /** Runs whose lease is still alive: they are looked at again when it runs out. */
  waiting: number;
}

/**
 * Finds the runs no live work holds (left by a previous process, or lost while this one ran) and resumes
 * or dead-letters each (not awaited: the work continues in the invoker). A `running` record whose lease
 * is still alive (the process was killed moments ago) is watched until its lease runs out.
 */
export async function recoverRuns(deps: RecoveryDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { resumed: 0, deadLettered: 0, waiting: 0 };
  const tasks = (
    await Promise.all(TaskState.options.map((state) => deps.store.listTasksByState(state)))
  ).flat();
  for (const task of tasks) {
    for (const run of await deps.store.listRuns(task.id, { limit: RECENT_RUNS })) {
      const owed = run.status === 'running' || (run.status === 'failed' && run.retryable === true);
      if (!owed || deps.inFlight?.(run)) continue;
      const leaseEnd = run.status === 'running' && run.leaseUntil ? Date.parse(run.leaseUntil) : 0;
      if (leaseEnd > deps.clock.now().getTime()) {
        report.waiting += 1;
        if (!deps.leases.watching(run)) deps.leases.watch(run, new Date(leaseEnd));
        continue;
      }
      const outcome = await takeOverRun(run, deps);
      if (outcome === 'resumed') report.resumed += 1;
      else report.deadLettered += 1;
    }
  }
  return report;
}
