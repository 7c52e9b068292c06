import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RunRecord } from '../tasks/run-record.ts';

// The takeover rules of `TaskStore.claimRun` on DynamoDB: which record may be taken over, and the condition
// that makes the takeover lose cleanly to another claimant that got there first.

/** Whether a run record may be taken over by a new claim at `now` (see `TaskStore.claimRun`). */
export function isClaimable(existing: RunRecord, now: Date): boolean {
  if (existing.status === 'failed') return existing.retryable === true;
  return (
    existing.status === 'running' &&
    existing.leaseUntil !== undefined &&
    new Date(existing.leaseUntil).getTime() <= now.getTime()
  );
}

/** The condition that the record read before a takeover is still the one stored. */
export function pinRun(
  existing: RunRecord,
): Pick<PutCommandInput, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  const names: Record<string, string> = {
    '#status': 'status',
    '#attempt': 'attempt',
    '#lease': 'leaseUntil',
  };
  const values: Record<string, unknown> = {
    ':status': existing.status,
    ':attempt': existing.attempt,
    ':startedAt': existing.startedAt,
  };
  let lease = 'attribute_not_exists(#lease)';
  if (existing.leaseUntil !== undefined) {
    lease = '#lease = :lease';
    values[':lease'] = existing.leaseUntil;
  }
  return {
    ConditionExpression: `#status = :status AND #attempt = :attempt AND startedAt = :startedAt AND ${lease}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
