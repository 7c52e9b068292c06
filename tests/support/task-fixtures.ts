import type { RunRecord } from '../../lib/tasks/run-record.ts';
import { type SummaryTask, SummaryTask as SummaryTaskSchema } from '../../lib/tasks/task.ts';

export const GUILD_A = '100000000000000001';
export const GUILD_B = '100000000000000002';
export const CHANNEL_1 = '200000000000000001';
export const CHANNEL_2 = '200000000000000002';
export const USER = '300000000000000001';

/** A valid summary task; `overrides` replace top-level fields. */
export function summaryTask(overrides: Partial<SummaryTask> = {}): SummaryTask {
  return SummaryTaskSchema.parse({
    id: 'task0001',
    guildId: GUILD_A,
    name: 'Daily digest',
    kind: 'summary',
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'Europe/Berlin',
    state: 'active',
    createdBy: USER,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    channelIds: [CHANNEL_1],
    destinations: [{ type: 'discord_channel', channelId: CHANNEL_1, format: 'embed' }],
    options: {},
    ...overrides,
  });
}

/** A run record of `task0001` scheduled at `scheduledTime`, running, valid for a day from 2026-01-01. */
export function runRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    taskId: 'task0001',
    guildId: GUILD_A,
    scheduledTime: '2026-01-01T09:00:00.000Z',
    trigger: 'schedule',
    attempt: 1,
    status: 'running',
    startedAt: '2026-01-01T09:00:01.000Z',
    leaseUntil: '2026-01-01T09:15:01.000Z',
    expiresAt: Date.parse('2026-02-01T00:00:00Z') / 1000,
    ...overrides,
  };
}
