import { describe, expect, it } from 'vitest';
import {
  describeExecution,
  describeOutcome,
  manualRunResult,
} from '../../../lib/execution/describe-outcome.ts';
import type { RunRecord } from '../../../lib/tasks/run-record.ts';

const run: RunRecord = {
  taskId: 'task0000001',
  guildId: '100000000000000001',
  scheduledTime: '2026-12-02T08:00:00.000Z',
  trigger: 'schedule',
  attempt: 1,
  status: 'partial',
  startedAt: '2026-12-02T08:00:01.000Z',
  messageCount: 12,
  destinations: [
    { index: 0, type: 'discord_channel', status: 'delivered' },
    { index: 1, type: 'webhook', status: 'failed', error: 'HTTP 500' },
  ],
  expiresAt: 1_800_000_000,
};

describe('describeOutcome', () => {
  it('tells a run-now reply how many messages went to how many destinations', () => {
    expect(describeOutcome({ status: 'partial', run })).toBe(
      '⚠️ Summarized 12 messages; delivered to 1 of 2 destinations.',
    );
    expect(describeOutcome({ status: 'ignored', reason: 'task is paused' })).toBe(
      'Nothing ran: task is paused.',
    );
  });

  it('gives the local console the same words, after what ran and when it was due', () => {
    const input = {
      type: 'scheduled',
      taskId: 'task0000001',
      guildId: run.guildId,
      scheduledTime: run.scheduledTime,
      executionId: 'e-1',
      attempt: 1,
    } as const;
    expect(describeExecution(input, { status: 'partial', run })).toBe(
      'run of task task0000001 due 2026-12-02T08:00:00.000Z: ⚠️ Summarized 12 messages; delivered to 1 of 2 destinations.',
    );
  });
});

describe('manualRunResult', () => {
  it('counts a partial delivery against a run-now and names the destination that lacks it', () => {
    expect(manualRunResult({ status: 'partial', run })).toEqual({
      status: 'partial',
      problem: 'the run delivered to 1 of 2 destinations (webhook: HTTP 500)',
    });
  });

  it('finds nothing wrong with a run that delivered everywhere or skipped by its rule', () => {
    const succeeded = { ...run, status: 'succeeded' as const };
    expect(manualRunResult({ status: 'succeeded', run: succeeded })).toEqual({ status: 'succeeded' });
    const skipped = { ...run, status: 'skipped' as const, skipReason: 'no new messages' };
    expect(manualRunResult({ status: 'skipped', run: skipped })).toEqual({ status: 'skipped' });
    expect(manualRunResult({ status: 'duplicate', existing: succeeded })).toEqual({ status: 'succeeded' });
  });

  it('says why a run failed or did not run', () => {
    const failed = { ...run, status: 'failed' as const, error: 'Missing Access' };
    expect(manualRunResult({ status: 'failed', run: failed })).toEqual({
      status: 'failed',
      problem: 'the run failed: Missing Access',
    });
    expect(manualRunResult({ status: 'ignored', reason: 'task is disabled' })).toEqual({
      status: 'ignored',
      problem: 'nothing ran: task is disabled',
    });
  });
});
