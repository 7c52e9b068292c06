import { describe, expect, it } from 'vitest';
import { describeExecution, describeOutcome } from '../../../lib/execution/describe-outcome.ts';
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
