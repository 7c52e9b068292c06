/**
 * Seeded data for the status page's tests: tasks in two zones and two guilds, runs of every outcome, a
 * dead letter, and delivered files on disk. Shared by the unit tests and tests/e2e/status-page.test.ts.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ManualClock } from '../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../lib/local/embedded-scheduler.ts';
import type { TaskStore } from '../../lib/scheduling/ports.ts';
import { InMemoryScheduleRepository } from '../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../lib/scheduling/task-scheduler.ts';
import type { RunRecord } from '../../lib/tasks/run-record.ts';
import type { Task } from '../../lib/tasks/task.ts';

export const GUILD = '100000000000000001';
export const OTHER_GUILD = '100000000000000002';
export const ADMIN = '200000000000000001';
export const CHANNEL = '300000000000000001';
export const OTHER_CHANNEL = '300000000000000002';
export const MESSAGE = '400000000000000001';
/** 2026-03-02 is a Monday; 10:00 UTC is 11:00 in Berlin and 05:00 in New York. */
export const START = new Date('2026-03-02T10:00:00.000Z');
export const XSS_NAME = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
/** The store filters expired records by the wall clock, not the test's clock: keep seeded ones alive. */
const FAR_FUTURE = 4_102_444_800;
export const OUTBOX_ID = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

export interface Seeded {
  scheduler: TaskScheduler;
  gateway: EmbeddedScheduleGateway;
  filesRoot: string;
  outboxRoot: string;
  berlin: Task;
  newYork: Task;
  paused: Task;
  xss: Task;
  cleanup: () => Promise<void>;
}

/** A TaskScheduler over the store with the embedded gateway, the way the local runtime builds it. */
export function buildScheduler(store: TaskStore, clock: ManualClock) {
  const gateway = new EmbeddedScheduleGateway({
    repository: new InMemoryScheduleRepository(),
    clock,
    onFire: async () => undefined,
  });
  const scheduler = new TaskScheduler({ store, schedules: gateway, clock, warn: () => undefined });
  return { gateway, scheduler };
}

/** A run record with the fields every run has; `overrides` sets the outcome. */
export function runRecord(task: Task, scheduledTime: string, overrides: Partial<RunRecord>): RunRecord {
  return {
    taskId: task.id,
    guildId: task.guildId,
    scheduledTime,
    trigger: 'schedule',
    attempt: 1,
    status: 'succeeded',
    startedAt: scheduledTime,
    finishedAt: scheduledTime,
    expiresAt: FAR_FUTURE,
    ...overrides,
  };
}

/** Creates the tasks through the scheduler (validated like any other), then writes runs and a dead letter. */
export async function seed(store: TaskStore, clock: ManualClock): Promise<Seeded> {
  const { gateway, scheduler } = buildScheduler(store, clock);
  const base = await mkdtemp(path.join(tmpdir(), 'status-seed-'));
  const filesRoot = path.join(base, 'files');
  const outboxRoot = path.join(base, 'outbox');
  await mkdir(path.join(filesRoot, 'summaries', 'daily'), { recursive: true });
  await mkdir(outboxRoot, { recursive: true });
  const summaryFile = path.join(filesRoot, 'summaries', 'daily', '2026-03-02.md');
  await writeFile(summaryFile, '# Daily digest\n\n- Release 1.4 shipped\n');
  const emlName = `2026-03-02T08-00-05.000Z-${OUTBOX_ID}.eml`;
  await writeFile(path.join(outboxRoot, emlName), 'Subject: Daily digest\r\n\r\nRelease 1.4 shipped\r\n');

  const berlin = await scheduler.createTask({
    kind: 'summary',
    guildId: GUILD,
    name: 'Daily digest',
    channelIds: [CHANNEL],
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'Europe/Berlin',
    destinations: [
      { type: 'discord_channel', channelId: CHANNEL, format: 'embed' },
      { type: 'file', prefix: 'summaries/daily' },
      { type: 'email', addresses: ['team@example.com'] },
      { type: 'webhook', url: 'https://hooks.example.com/secret-path/abc' },
    ],
    createdBy: ADMIN,
  });
  const newYork = await scheduler.createTask({
    kind: 'summary',
    guildId: GUILD,
    name: 'Weekly review',
    channelIds: [OTHER_CHANNEL],
    schedule: { type: 'weekly', days: ['MON', 'FRI'], time: '17:00' },
    timeZone: 'America/New_York',
    destinations: [{ type: 'discord_channel', channelId: OTHER_CHANNEL, format: 'markdown' }],
    createdBy: ADMIN,
  });
  const created = await scheduler.createTask({
    kind: 'summary',
    guildId: OTHER_GUILD,
    name: 'Night owls',
    channelIds: [CHANNEL],
    schedule: { type: 'every', value: 6, unit: 'hours' },
    timeZone: 'Asia/Tokyo',
    destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    createdBy: ADMIN,
  });
  const paused = await scheduler.pauseTask(OTHER_GUILD, created.id);
  const xss = await scheduler.createTask({
    kind: 'summary',
    guildId: OTHER_GUILD,
    name: XSS_NAME,
    channelIds: [CHANNEL],
    schedule: { type: 'monthly', day: 'last', time: '08:00' },
    timeZone: 'UTC',
    destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    createdBy: ADMIN,
  });

  await store.putRun(
    runRecord(berlin, '2026-03-02T08:00:00.000Z', {
      status: 'partial',
      durationMs: 2_300,
      window: { from: '2026-03-01T08:00:00.000Z', to: '2026-03-02T08:00:00.000Z' },
      messageCount: 42,
      usage: {
        model: 'anthropic/claude-haiku-4-5',
        inputTokens: 3_600,
        outputTokens: 180,
        estimatedCostUsd: 0.0045,
      },
      destinations: [
        {
          index: 0,
          type: 'discord_channel',
          status: 'delivered',
          location: `https://discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
        },
        { index: 1, type: 'file', status: 'delivered', location: summaryFile },
        { index: 2, type: 'email', status: 'delivered', location: `email:${OUTBOX_ID}` },
        { index: 3, type: 'webhook', status: 'failed', error: 'HTTP 502 from hooks.example.com' },
      ],
    }),
  );
  await store.putRun(
    runRecord(berlin, '2026-03-01T08:00:00.000Z', {
      status: 'skipped',
      messageCount: 0,
      skipReason: 'only 0 messages (minimum 1)',
    }),
  );
  await store.putRun(
    runRecord(newYork, '2026-02-27T22:00:00.000Z', {
      status: 'failed',
      attempt: 3,
      error: 'Missing access to channel 300000000000000002',
    }),
  );
  await store.putRun(
    runRecord(newYork, '2026-02-26T22:00:00.000Z', {
      status: 'succeeded',
      messageCount: 7,
      destinations: [
        {
          index: 0,
          type: 'discord_channel',
          status: 'delivered',
          location: `https://discord.com/channels/${GUILD}/${OTHER_CHANNEL}/${MESSAGE}`,
        },
      ],
    }),
  );
  await store.putDeadLetter({
    id: 'dl-1',
    taskId: newYork.id,
    guildId: GUILD,
    scheduledTime: '2026-02-27T22:00:00.000Z',
    receivedAt: '2026-02-27T22:05:00.000Z',
    source: 'local',
    error: 'Missing access to channel 300000000000000002 after 3 attempts',
    expiresAt: FAR_FUTURE,
  });
  return {
    scheduler,
    gateway,
    filesRoot,
    outboxRoot,
    berlin,
    newYork,
    paused,
    xss,
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
