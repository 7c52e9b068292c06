import type { RunRecord } from '../tasks/run-record.ts';

/**
 * Whether `run` is a record written before any attempt started: the local scheduler's enqueued run
 * (`running`, with a lease that ran out before it started, so the first claim takes it over at once).
 */
export function isUnstartedRun(run: RunRecord): boolean {
  return run.status === 'running' && run.leaseUntil !== undefined && run.leaseUntil < run.startedAt;
}

/**
 * The attempt number of a claim that took `previous` over: one more than the attempt it replaces. The input
 * alone cannot say: a manual run's input carries no attempt number, and Lambda's retries re-send the same
 * event, so each retry would claim as attempt 1 and a crash would be granted a fresh retry budget.
 */
export function attemptAfter(claimedAs: number, previous: RunRecord | undefined): number {
  if (!previous) return claimedAs;
  return Math.max(claimedAs, isUnstartedRun(previous) ? previous.attempt : previous.attempt + 1);
}
