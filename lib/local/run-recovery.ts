import { randomUUID } from 'node:crypto';
import type { ExecutorInput, ScheduledRunInput } from '../execution/executor-input.ts';
import { isUnstartedRun } from '../execution/run-attempts.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import { type RunRecord, type Task, TaskState } from '../tasks/task.ts';
import type { TimerClock, TimerHandle } from './clock.ts';

/**
 * On AWS a run whose Lambda died is retried by Lambda itself, which holds the event. Locally the process
 * that held it is gone after a crash: the run records it left (`running` with a lease, or `failed` and
 * retryable with a retry that was waiting in memory) are all that says what is owed. This finds them and
 * hands them to the same invoker a schedule fires into, with what is left of the retry budget.
 */

/** Lambda's asynchronous invocation: the first attempt and two retries. */
export const ATTEMPTS = 3;
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

export interface RecoveryDeps {
  store: Pick<TaskStore, 'listTasksByState' | 'listRuns' | 'getRun'>;
  clock: TimerClock;
  /** The invoker's run, with the attempts left. */
  resume: (input: ExecutorInput, attempts: number) => Promise<void>;
  /** A run with no attempt left: dead-lettered as Lambda would after its last retry. */
  deadLetter: (input: ExecutorInput, reason: string) => Promise<void>;
  onError: (error: unknown, run: RunRecord) => void;
}

/** What a recovery pass found. */
export interface RecoveryReport {
  resumed: number;
  deadLettered: number;
  /** Runs whose lease is still alive: they are looked at again when it runs out. */
  waiting: number;
  /** The timers of those second looks (cancelled when the runtime stops). */
  timers: TimerHandle[];
}

/**
 * Finds the runs a previous process left unfinished and resumes or dead-letters each (not awaited: the
 * work continues in the invoker). A `running` record whose lease is still alive (the process was killed
 * moments ago) is looked at again when its lease runs out.
 */
export async function recoverRuns(deps: RecoveryDeps): Promise<RecoveryReport> {
  const report: RecoveryReport = { resumed: 0, deadLettered: 0, waiting: 0, timers: [] };
  const tasks = (
    await Promise.all(TaskState.options.map((state) => deps.store.listTasksByState(state)))
  ).flat();
  for (const task of tasks) {
    for (const run of await deps.store.listRuns(task.id, { limit: RECENT_RUNS })) {
      const owed = run.status === 'running' || (run.status === 'failed' && run.retryable === true);
      if (!owed) continue;
      const leaseEnd = run.status === 'running' && run.leaseUntil ? Date.parse(run.leaseUntil) : 0;
      if (leaseEnd > deps.clock.now().getTime()) {
        report.waiting += 1;
        report.timers.push(
          deps.clock.setTimer(new Date(leaseEnd + 1_000), () =>
            recheck(task, run.scheduledTime, deps).catch((error: unknown) => deps.onError(error, run)),
          ),
        );
        continue;
      }
      const outcome = await take(task, run, deps);
      if (outcome === 'resumed') report.resumed += 1;
      else report.deadLettered += 1;
    }
  }
  return report;
}

/** A run whose lease was alive at start, looked at again once it ran out. */
async function recheck(task: Task, scheduledTime: string, deps: RecoveryDeps): Promise<void> {
  const run = await deps.store.getRun(task.id, scheduledTime);
  if (run?.status !== 'running') return;
  if (run.leaseUntil && Date.parse(run.leaseUntil) > deps.clock.now().getTime()) return; // someone renews it
  await take(task, run, deps);
}

async function take(task: Task, run: RunRecord, deps: RecoveryDeps): Promise<'resumed' | 'dead-lettered'> {
  const used = isEnqueued(run) ? 0 : run.attempt;
  const input: ExecutorInput =
    run.trigger === 'after' && run.upstream
      ? { type: 'after', taskId: run.taskId, guildId: run.guildId, upstream: run.upstream, attempt: used + 1 }
      : run.trigger === 'manual'
        ? {
            type: 'manual',
            taskId: run.taskId,
            guildId: run.guildId,
            requestedBy: task.createdBy,
            requestedAt: run.scheduledTime,
          }
        : {
            type: 'scheduled',
            taskId: run.taskId,
            guildId: run.guildId,
            scheduledTime: run.scheduledTime,
            executionId: run.executionId ?? randomUUID(),
            attempt: used + 1,
          };
  if (used >= ATTEMPTS) {
    await deps.deadLetter(input, `the bot stopped during attempt ${used} of ${ATTEMPTS} of this run`);
    return 'dead-lettered';
  }
  // Not awaited: a restart resumes many runs side by side, as Lambda would retry them.
  void deps.resume(input, ATTEMPTS - used).catch((error: unknown) => deps.onError(error, run));
  return 'resumed';
}
