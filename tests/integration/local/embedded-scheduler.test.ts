import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../../lib/local/embedded-scheduler.ts';
import type { NewSummaryTaskInput } from '../../../lib/scheduling/new-task.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';

const GUILD = '100000000000000001';
const CHANNEL = '300000000000000001';
const ADMIN = '200000000000000001';

const input = (overrides: Partial<NewSummaryTaskInput> = {}): NewSummaryTaskInput => ({
  kind: 'summary',
  guildId: GUILD,
  name: 'Digest',
  channelIds: [CHANNEL],
  schedule: { type: 'daily', time: '09:00' },
  timeZone: 'UTC',
  destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
  createdBy: ADMIN,
  ...overrides,
});

/** The service with the local runtime's real gateway: definitions in the same DynamoDB table. */
describe('TaskScheduler on the embedded schedule gateway', () => {
  const db = useEmbeddedStore();
  let clock: ManualClock;
  let gateway: EmbeddedScheduleGateway;
  let scheduler: TaskScheduler;

  beforeEach(() => {
    clock = new ManualClock(new Date('2026-03-02T10:00:00Z'));
    gateway = new EmbeddedScheduleGateway({ repository: db.schedules, clock, onFire: async () => undefined });
    scheduler = new TaskScheduler({ store: db.store, schedules: gateway, clock, warn: () => undefined });
  });

  it('stores an enabled definition for a new task and flips it on pause and resume', async () => {
    const task = await scheduler.createTask(input());
    expect(await db.schedules.get(`task-${task.id}`)).toMatchObject({ state: 'ENABLED', taskId: task.id });
    await scheduler.pauseTask(GUILD, task.id);
    expect(await db.schedules.get(`task-${task.id}`)).toMatchObject({ state: 'DISABLED' });
    expect((await db.store.getTask(GUILD, task.id))?.state).toBe('paused');
    await scheduler.resumeTask(GUILD, task.id);
    expect(await db.schedules.get(`task-${task.id}`)).toMatchObject({ state: 'ENABLED' });
    expect((await db.store.getTask(GUILD, task.id))?.state).toBe('active');
  });

  it('sends a rate schedule a future start on the grid of its creation', async () => {
    const task = await scheduler.createTask(
      input({ schedule: { type: 'every', value: 90, unit: 'minutes' } }),
    );
    const at = new Date('2026-03-02T14:10:00Z');
    const definition = scheduler.scheduleDefinitionFor(task, at);
    expect(definition.startDate?.toISOString()).toBe('2026-03-02T14:30:00.000Z');
    expect(scheduler.nextRunsOf(task, 3, at).map((d) => d.toISOString())).toEqual([
      '2026-03-02T14:30:00.000Z',
      '2026-03-02T16:00:00.000Z',
      '2026-03-02T17:30:00.000Z',
    ]);
  });

  it('repairs deleted and extra definitions with reconcile', async () => {
    const kept = await scheduler.createTask(input({ name: 'kept' }));
    const lost = await scheduler.createTask(input({ name: 'lost' }));
    await db.schedules.delete(`task-${lost.id}`);
    const orphan = await db.schedules.get(`task-${kept.id}`);
    if (!orphan) throw new Error('expected a definition');
    await db.schedules.put({ ...orphan, name: 'task-orphanorphan', taskId: 'orphanorphan' });

    const report = await scheduler.reconcile();
    expect(report).toMatchObject({
      recreated: [`task-${lost.id}`],
      deletedOrphans: ['task-orphanorphan'],
      stateFixed: [],
      removedPending: [],
      errors: [],
    });
    expect((await db.schedules.list()).map((s) => s.name).sort()).toEqual(
      [`task-${kept.id}`, `task-${lost.id}`].sort(),
    );
  });

  it('counts the runs of the last 24 hours in stats', async () => {
    const task = await scheduler.createTask(input());
    const run = (scheduledTime: string, status: 'succeeded' | 'failed') =>
      db.store.putRun({
        taskId: task.id,
        guildId: GUILD,
        scheduledTime,
        trigger: 'schedule',
        attempt: 1,
        status,
        startedAt: scheduledTime,
        expiresAt: Math.floor(Date.parse('2027-01-01T00:00:00Z') / 1000),
      });
    await run('2026-03-02T09:00:00.000Z', 'succeeded');
    await run('2026-03-01T11:00:00.000Z', 'failed');
    await run('2026-02-28T09:00:00.000Z', 'failed');
    const stats = await scheduler.stats();
    expect(stats.last24h).toMatchObject({ runs: 2, succeeded: 1, failed: 1 });
    expect(stats).toMatchObject({ total: 1, byState: { active: 1 }, byKind: { summary: 1, cleanup: 0 } });
  });
});
