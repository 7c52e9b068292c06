import { describe, expect, it } from 'vitest';
import { handleExecutorEvent } from '../../../functions/executor.ts';
import { ValidationError } from '../../../lib/errors.ts';
import type { RunRecord } from '../../../lib/tasks/run-record.ts';
import { type ScheduleSpec, validateScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';
import type { CleanupTask } from '../../../lib/tasks/task.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  DIGEST,
  GUILD,
  scheduledRun,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';

const NOW = new Date('2026-11-27T03:00:10.000Z');

function cleanupTask(
  overrides: Omit<Partial<CleanupTask>, 'schedule'> & { schedule?: ScheduleSpec } = {},
): CleanupTask {
  return {
    id: 'cleanup0001',
    guildId: GUILD,
    name: 'Nightly cleanup',
    kind: 'cleanup',
    retentionDays: 7,
    destinations: [],
    timeZone: 'Europe/Berlin',
    state: 'active',
    createdBy: ADMIN,
    createdAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    version: 1,
    metadata: { runCount: 0, successCount: 0, failureCount: 0, skipCount: 0, consecutiveFailures: 0 },
    ...overrides,
    schedule: validateScheduleSpec(overrides.schedule ?? { type: 'daily', time: '04:00' }),
  };
}

function run(taskId: string, scheduledTime: string): RunRecord {
  return {
    taskId,
    guildId: GUILD,
    scheduledTime,
    trigger: 'schedule',
    attempt: 1,
    status: 'succeeded',
    startedAt: scheduledTime,
    expiresAt: 2_000_000_000,
  };
}

describe('cleanup tasks', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, NOW);

  it('removes old run records and finished one-time tasks, keeps recent ones, and reports what it removed', async () => {
    await db.store.createTask(summaryTask());
    await db.store.createTask(
      summaryTask({
        id: 'oncetask001',
        name: 'Launch recap',
        schedule: { type: 'once', at: '2026-11-01T10:00' },
        state: 'completed',
        updatedAt: '2026-11-01T09:01:00.000Z',
      }),
    );
    await db.store.createTask(
      cleanupTask({ destinations: [{ type: 'discord_channel', channelId: DIGEST, format: 'markdown' }] }),
    );
    for (const time of ['2026-11-01T08:00:00.000Z', '2026-11-10T08:00:00.000Z', '2026-11-26T08:00:00.000Z']) {
      await db.store.putRun(run('task0000001', time));
    }

    const outcome = await h.executor.execute(
      scheduledRun('2026-11-27T03:00:00.000Z', { taskId: 'cleanup0001', executionId: 'exec-cleanup' }),
    );

    expect(outcome.status).toBe('succeeded');
    const remaining = await db.store.listRuns('task0000001');
    expect(remaining.map((r) => r.scheduledTime)).toEqual(['2026-11-26T08:00:00.000Z']);
    expect(await db.store.getTask(GUILD, 'oncetask001')).toBeUndefined();
    expect(await db.store.getTask(GUILD, 'task0000001')).toBeDefined();
    const record = await db.store.getRun('cleanup0001', '2026-11-27T03:00:00.000Z');
    expect(record?.report).toContain('Removed 2 run records, 1 completed one-time task');
    expect(
      h.standIn
        .postedMessages(DIGEST)
        .map((m) => m.content)
        .join('\n')
        // What Discord shows: the report is escaped Markdown like every summary text.
        .replace(/\\(.)/g, '$1'),
    ).toContain('Removed 2 run records');
  });
});

describe('executor Lambda handler', () => {
  it('refuses an event that is not an executor input, naming the field, so it ends in the dead-letter queue', async () => {
    const flushed: string[] = [];
    const deps = {
      executor: { execute: async () => ({ status: 'ignored' as const, reason: 'unused' }) },
      logger: { info() {}, warn() {}, error() {}, debug() {}, child: () => deps.logger },
      metrics: {
        runFinished() {},
        deliveryFailed() {},
        deadLettered() {},
        taskDisabled() {},
        flush: () => flushed.push('flush'),
      },
    };
    const attempt = handleExecutorEvent(
      { type: 'scheduled', taskId: 'task0000001', guildId: GUILD, scheduledTime: 'yesterday' },
      deps as unknown as Parameters<typeof handleExecutorEvent>[1],
    );
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(/scheduledTime/);
    expect(flushed).toEqual(['flush']);
  });
});
