import { randomUUID } from 'node:crypto';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { Task } from '../tasks/task.ts';
import { type TaskRunInput, triggerOf } from './executor-input.ts';
import { attemptAfter } from './run-attempts.ts';

/** What claiming a run gave: the run to work on (and the attempt it took over), or the record that holds it. */
export type RunClaim =
  | { claimed: true; run: RunRecord; previous?: RunRecord }
  | { claimed: false; existing: RunRecord };

/** What a claim needs: the store it claims in, the time, and the lease and retention it writes. */
export interface RunClaimDeps {
  store: TaskStore;
  clock: Clock;
  /** How long the claim holds the run before another attempt may take it over (renewed while it works). */
  leaseMs: number;
  /** Run records expire this many days after the run (DynamoDB TTL). */
  runRetentionDays: number;
}

/**
 * Claims the run of `task` at `scheduledTime` (idempotent on that time): a new `running` record, or one
 * taken over from a dead or failed attempt, keeping what that attempt already delivered.
 */
export async function claimRun(
  deps: RunClaimDeps,
  task: Task,
  input: TaskRunInput,
  scheduledTime: string,
): Promise<RunClaim> {
  const now = deps.clock.now();
  const run: RunRecord = {
    taskId: task.id,
    guildId: task.guildId,
    scheduledTime,
    trigger: triggerOf(input),
    ...(input.type === 'after' ? { upstream: input.upstream } : {}),
    executionId:
      input.type === 'scheduled'
        ? input.executionId
        : input.type === 'after'
          ? `after-${input.upstream.taskId}-${input.upstream.scheduledTime}`
          : randomUUID(),
    attempt: input.type === 'manual' ? 1 : input.attempt,
    status: 'running',
    startedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + deps.leaseMs).toISOString(),
    claimId: randomUUID(),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.runRetentionDays * 86_400,
  };
  const result = await deps.store.claimRun(run, now);
  if (!result.claimed) return result;
  // Counted from the record taken over, and written before any side effect: a restart (or the dead-letter
  // handler) reads the attempts spent from it.
  const attempt = attemptAfter(run.attempt, result.previous);
  // What earlier attempts delivered stays on the record: an attempt that takes over from one that itself
  // took over (and died before delivering anything) must still not post those again.
  const delivered =
    task.kind === 'summary'
      ? (result.previous?.destinations ?? []).filter((d) => d.status === 'delivered')
      : [];
  // The same for subscribers' DMs: those an earlier attempt sent are not sent again.
  const dmsSent =
    task.kind === 'summary'
      ? (result.previous?.subscribers ?? []).filter((s) => s.status === 'delivered')
      : [];
  if (attempt !== run.attempt || delivered.length > 0 || dmsSent.length > 0) {
    run.attempt = attempt;
    if (delivered.length > 0) run.destinations = delivered;
    if (dmsSent.length > 0) run.subscribers = dmsSent;
    await deps.store.putClaimedRun(run);
  }
  return result.previous ? { claimed: true, run, previous: result.previous } : { claimed: true, run };
}
