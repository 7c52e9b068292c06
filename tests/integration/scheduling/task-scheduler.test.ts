import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ScheduleGatewayError, ValidationError } from '../../../lib/errors.ts';
import type { TaskStore } from '../../../lib/scheduling/ports.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import type { Task, TaskState } from '../../../lib/tasks/task.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { ScheduleGroupDouble } from './gateway-double.ts';
import { ADMIN, CHANNEL, GUILD, summaryInput } from './new-task-input.ts';

const OTHER_GUILD = '100000000000000002';

const ALL_STATES: TaskState[] = ['pending', 'active', 'paused', 'disabled', 'completed'];

async function allTasks(store: TaskStore): Promise<Task[]> {
  return (await Promise.all(ALL_STATES.map((s) => store.listTasksByState(s)))).flat();
}

/** Wraps the real store so one method fails once: a store outage at a chosen step. */
function failingOnce<K extends keyof TaskStore>(store: TaskStore, method: K): TaskStore {
  let failed = false;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === method && !failed) {
        return async () => {
          failed = true;
          throw new Error(`injected ${String(method)} failure`);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('TaskScheduler', () => {
  const db = useEmbeddedStore();
  let clock: TestClock;
  let schedules: ScheduleGroupDouble;
  let scheduler: TaskScheduler;

  beforeEach(() => {
    clock = new TestClock();
    schedules = new ScheduleGroupDouble();
    scheduler = new TaskScheduler({ store: db.store, schedules, clock, warn: () => undefined });
  });

  describe('createTask', () => {
    it.each([
      ['once', { type: 'once', at: '2026-12-24T18:00' }],
      ['daily', { type: 'daily', time: '09:30' }],
      ['weekly', { type: 'weekly', days: ['MON', 'FRI'], time: '17:00' }],
      ['monthly', { type: 'monthly', day: 'last', time: '08:00' }],
      ['every', { type: 'every', value: 6, unit: 'hours' }],
      ['cron', { type: 'cron', expression: 'cron(0 9 ? * MON-FRI *)' }],
    ])('creates an active task with an enabled schedule for a %s schedule', async (_kind, schedule) => {
      const task = await scheduler.createTask(summaryInput({ schedule }));
      expect(task.state).toBe('active');
      expect(task.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(await db.store.getTask(GUILD, task.id)).toMatchObject({
        state: 'active',
        version: task.version,
      });
      const definition = schedules.definitions.get(`task-${task.id}`);
      expect(definition).toMatchObject({
        state: 'ENABLED',
        taskId: task.id,
        guildId: GUILD,
        timeZone: 'Europe/Berlin',
      });
      expect(task.metadata.nextRunAt).toBeDefined();
      expect(new Date(task.metadata.nextRunAt as string).getTime()).toBeGreaterThan(clock.now().getTime());
    });

    it('anchors a rate schedule one period after creation', async () => {
      const task = await scheduler.createTask(
        summaryInput({ schedule: { type: 'every', value: 6, unit: 'hours' } }),
      );
      const definition = schedules.definitions.get(`task-${task.id}`);
      expect(definition?.expression).toMatch(/^rate\(6 hours\)$/);
      expect(definition?.startDate?.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    });

    it('creates a cleanup task', async () => {
      const task = await scheduler.createTask({
        kind: 'cleanup',
        guildId: GUILD,
        name: 'Nightly cleanup',
        schedule: { type: 'daily', time: '03:00' },
        timeZone: 'UTC',
        retentionDays: 30,
        createdBy: ADMIN,
      });
      expect(task).toMatchObject({ kind: 'cleanup', retentionDays: 30, state: 'active', destinations: [] });
    });

    it("uses the guild's time zone when the input names none", async () => {
      await scheduler.updateGuildConfig(GUILD, { timeZone: 'America/New_York' });
      const task = await scheduler.createTask(summaryInput({ timeZone: undefined }));
      expect(task.timeZone).toBe('America/New_York');
    });

    it.each([
      ['schedule.time', { schedule: { type: 'daily', time: '25:00' } }],
      ['schedule.type', { schedule: { type: 'fortnightly' } }],
      ['schedule.at', { schedule: { type: 'once', at: '2020-01-01T10:00' } }],
      ['timeZone', { timeZone: 'Mars/Olympus_Mons' }],
      ['guildId', { guildId: 'not-a-guild' }],
      ['channelIds[0]', { channelIds: ['12'] }],
      ['destinations[0].url', { destinations: [{ type: 'webhook', url: 'http://example.com/hook' }] }],
      ['destinations', { destinations: [] }],
      ['name', { name: '' }],
    ])('rejects an invalid %s and writes nothing', async (field, overrides) => {
      const error = await scheduler.createTask(summaryInput(overrides)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
      expect(await allTasks(db.store)).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });

    it('leaves no item behind when the schedule cannot be created', async () => {
      schedules.failNext('create', new ScheduleGatewayError('quota', 'too many schedules'));
      await expect(scheduler.createTask(summaryInput())).rejects.toThrow(ScheduleGatewayError);
      expect(await allTasks(db.store)).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });

    it('leaves no schedule behind when marking the task active fails', async () => {
      const flaky = new TaskScheduler({
        store: failingOnce(db.store, 'updateTask'),
        schedules,
        clock,
        warn: () => undefined,
      });
      await expect(flaky.createTask(summaryInput())).rejects.toThrow('injected updateTask failure');
      expect(schedules.definitions.size).toBe(0);
      expect(await allTasks(db.store)).toEqual([]);
    });

    it('lets reconcile remove what a failed create left when clean-up failed too', async () => {
      const store = failingOnce(failingOnce(db.store, 'updateTask'), 'deleteTask');
      const flaky = new TaskScheduler({ store, schedules, clock, warn: () => undefined });
      schedules.failNext('delete');
      await expect(flaky.createTask(summaryInput())).rejects.toThrow();
      const [left] = await allTasks(db.store);
      expect(left?.state).toBe('pending');
      expect(schedules.definitions.size).toBe(1);

      expect(await scheduler.reconcile()).toMatchObject({ removedPending: [], deletedOrphans: [] });
      clock.advance(11 * 60_000);
      const report = await scheduler.reconcile();
      expect(report.removedPending).toEqual([left?.id]);
      expect(report.deletedOrphans).toEqual([`task-${left?.id}`]);
      expect(await allTasks(db.store)).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });
  });

  describe('reads', () => {
    it('keeps guilds apart: a task id from another guild is not found', async () => {
      const task = await scheduler.createTask(summaryInput());
      await expect(scheduler.getTask(OTHER_GUILD, task.id)).rejects.toThrow(NotFoundError);
      await expect(scheduler.pauseTask(OTHER_GUILD, task.id)).rejects.toThrow(NotFoundError);
      await expect(scheduler.cancelTask(OTHER_GUILD, task.id)).rejects.toThrow(NotFoundError);
      expect(await scheduler.listTasks(OTHER_GUILD)).toEqual([]);
      expect((await scheduler.getTask(GUILD, task.id)).state).toBe('active');
    });

    it('reports status with a description, next runs and recent runs', async () => {
      const task = await scheduler.createTask(summaryInput());
      const status = await scheduler.getStatus(GUILD, task.id, { nextRuns: 3 });
      expect(status.description.length).toBeGreaterThan(0);
      expect(status.nextRuns).toHaveLength(3);
      expect(status.nextRuns[0]?.toISOString()).toBe('2026-03-03T08:00:00.000Z');
      expect(status.recentRuns).toEqual([]);
    });

    it('counts tasks by state and kind in stats', async () => {
      const a = await scheduler.createTask(summaryInput({ name: 'a' }));
      await scheduler.createTask(summaryInput({ name: 'b' }));
      await scheduler.pauseTask(GUILD, a.id);
      const stats = await scheduler.stats(GUILD);
      expect(stats).toMatchObject({ total: 2, byState: { active: 1, paused: 1 }, byKind: { summary: 2 } });
      expect(stats.last24h.runs).toBe(0);
    });
  });

  describe('updates', () => {
    it('updates the schedule when the time changes', async () => {
      const task = await scheduler.createTask(summaryInput());
      const before = schedules.definitions.get(`task-${task.id}`)?.expression;
      const updated = await scheduler.updateTask(GUILD, task.id, {
        schedule: { type: 'daily', time: '18:15' },
      });
      expect(updated.version).toBe(task.version + 1);
      expect(schedules.definitions.get(`task-${task.id}`)?.expression).not.toBe(before);
    });

    it('merges options key by key and names a bad option', async () => {
      const task = await scheduler.createTask(summaryInput());
      const updated = await scheduler.updateTask(GUILD, task.id, { options: { length: 'brief' } });
      expect(updated.kind === 'summary' && updated.options).toMatchObject({
        length: 'brief',
        focus: 'general',
      });
      const error = await scheduler
        .updateTask(GUILD, task.id, { options: { minMessages: -1 } })
        .catch((e: unknown) => e);
      expect((error as ValidationError).field).toBe('options.minMessages');
    });

    it('restores the item when the schedule update fails', async () => {
      const task = await scheduler.createTask(summaryInput());
      schedules.failNext('update');
      await expect(
        scheduler.updateTask(GUILD, task.id, { schedule: { type: 'daily', time: '18:15' } }),
      ).rejects.toThrow(ScheduleGatewayError);
      expect((await scheduler.getTask(GUILD, task.id)).schedule).toEqual(task.schedule);
    });

    it('lets exactly one of two concurrent updates win; the other gets a ConflictError', async () => {
      const task = await scheduler.createTask(summaryInput());
      const results = await Promise.allSettled([
        scheduler.updateTask(GUILD, task.id, { name: 'first' }, task.version),
        scheduler.updateTask(GUILD, task.id, { name: 'second' }, task.version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.reason).toBeInstanceOf(ConflictError);
    });

    it('refuses an update against a stale version', async () => {
      const task = await scheduler.createTask(summaryInput());
      await scheduler.updateTask(GUILD, task.id, { name: 'renamed' });
      await expect(scheduler.updateTask(GUILD, task.id, { name: 'stale' }, task.version)).rejects.toThrow(
        ConflictError,
      );
      expect((await scheduler.getTask(GUILD, task.id)).name).toBe('renamed');
    });

    it('pauses and resumes on both sides', async () => {
      const task = await scheduler.createTask(summaryInput());
      const paused = await scheduler.pauseTask(GUILD, task.id);
      expect(paused.state).toBe('paused');
      expect(schedules.definitions.get(`task-${task.id}`)?.state).toBe('DISABLED');
      const resumed = await scheduler.resumeTask(GUILD, task.id);
      expect(resumed.state).toBe('active');
      expect(schedules.definitions.get(`task-${task.id}`)?.state).toBe('ENABLED');
    });

    it('keeps the task active when the schedule refuses to pause', async () => {
      const task = await scheduler.createTask(summaryInput());
      schedules.failNext('update');
      await expect(scheduler.pauseTask(GUILD, task.id)).rejects.toThrow(ScheduleGatewayError);
      expect((await scheduler.getTask(GUILD, task.id)).state).toBe('active');
      expect(schedules.definitions.get(`task-${task.id}`)?.state).toBe('ENABLED');
    });

    it('cancels: schedule and item are gone', async () => {
      const task = await scheduler.createTask(summaryInput());
      await scheduler.cancelTask(GUILD, task.id);
      expect(schedules.definitions.size).toBe(0);
      await expect(scheduler.getTask(GUILD, task.id)).rejects.toThrow(NotFoundError);
    });

    it('disables a task and removes its schedule; resume brings it back', async () => {
      const task = await scheduler.createTask(summaryInput());
      const disabled = await scheduler.disableTask(GUILD, task.id, '5 failures in a row');
      expect(disabled.state).toBe('disabled');
      expect(schedules.definitions.size).toBe(0);
      const resumed = await scheduler.resumeTask(GUILD, task.id);
      expect(resumed).toMatchObject({ state: 'active', metadata: { consecutiveFailures: 0 } });
      expect(schedules.definitions.get(`task-${task.id}`)?.state).toBe('ENABLED');
    });
  });

  describe('export and import', () => {
    it('round-trips a guild into another guild', async () => {
      await scheduler.createTask(summaryInput({ name: 'one' }));
      await scheduler.createTask(
        summaryInput({
          name: 'two',
          schedule: { type: 'weekly', days: ['MON'], time: '08:00' },
          destinations: [{ type: 'webhook', url: 'https://example.com/hook', secret: 'a'.repeat(20) }],
        }),
      );
      const exported = await scheduler.exportTasks(GUILD);
      expect(exported).toMatchObject({ format: 'summary-bot-tasks', version: 1, guildId: GUILD });
      expect(exported.tasks[0]).not.toHaveProperty('id');
      expect(exported.tasks[0]).not.toHaveProperty('version');
      expect(exported.tasks[0]).toMatchObject({ state: 'active' });

      const imported = await scheduler.importTasks(OTHER_GUILD, JSON.parse(JSON.stringify(exported)), ADMIN);
      expect(imported).toHaveLength(2);
      const again = await scheduler.exportTasks(OTHER_GUILD);
      expect(again.tasks).toEqual(exported.tasks);
      expect(schedules.definitions.size).toBe(4);
    });

    it('round-trips what a task reads: a category, the whole server, or (by default, unwritten) its channels', async () => {
      await scheduler.createTask(summaryInput({ name: 'category', source: 'category' }));
      await scheduler.createTask(summaryInput({ name: 'server', source: 'server' }));
      await scheduler.createTask(summaryInput({ name: 'channels', source: 'channel' }));
      const exported = await scheduler.exportTasks(GUILD);
      expect(exported.tasks.map((t) => [t.name, t.source])).toEqual([
        ['category', 'category'],
        ['channels', undefined],
        ['server', 'server'],
      ]);
      await scheduler.importTasks(OTHER_GUILD, JSON.parse(JSON.stringify(exported)), ADMIN);
      const listed = await scheduler.listTasks(OTHER_GUILD);
      expect(listed.map((t) => [t.name, t.kind === 'summary' ? t.source : undefined])).toEqual([
        ['category', 'category'],
        ['channels', undefined],
        ['server', 'server'],
      ]);
      expect((await scheduler.exportTasks(OTHER_GUILD)).tasks).toEqual(exported.tasks);
    });

    it('a round trip into an empty store gives the same tasks: states, failure counts, settings, read positions', async () => {
      const daily = await scheduler.createTask(summaryInput({ name: 'active daily', failureLimit: 2 }));
      const weekly = await scheduler.createTask(
        summaryInput({
          name: 'paused weekly',
          schedule: { type: 'weekly', days: ['MON', 'FRI'], time: '08:00' },
          options: { excludedUserIds: [ADMIN], includeBots: true, postWhenQuiet: true, maxMessages: 300 },
          notifyChannelId: CHANNEL,
        }),
      );
      await scheduler.pauseTask(GUILD, weekly.id);
      clock.advance(3_600_000 * 5);
      const every = await scheduler.createTask(
        summaryInput({ name: 'every 6 hours', schedule: { type: 'every', value: 6, unit: 'hours' } }),
      );
      const broken = await scheduler.createTask(
        summaryInput({ name: 'turned off', schedule: { type: 'daily', time: '18:00' } }),
      );
      const counted = await db.store.updateTask(
        {
          ...broken,
          metadata: {
            ...broken.metadata,
            runCount: 7,
            successCount: 2,
            failureCount: 5,
            consecutiveFailures: 5,
            lastRun: {
              scheduledTime: '2026-03-02T17:00:00.000Z',
              finishedAt: '2026-03-02T17:00:04.000Z',
              status: 'failed',
              error: '<#300000000000000001>: 403',
            },
            destinationFailures: { [`discord:${CHANNEL}`]: 5 },
          },
          cursors: { [CHANNEL]: '1300000000000000001' },
        } as Task,
        broken.version,
      );
      await scheduler.disableTask(GUILD, counted.id, 'failed 5 times in a row');
      const once = await scheduler.createTask(
        summaryInput({ name: 'done once', schedule: { type: 'once', at: '2026-03-03T09:00' } }),
      );
      await db.store.updateTask(
        { ...once, state: 'completed', metadata: { ...once.metadata, runCount: 1, successCount: 1 } } as Task,
        once.version,
      );
      // As its last run does: a completed one-time task has no schedule any more.
      schedules.definitions.delete(`task-${once.id}`);
      await scheduler.createTask({
        kind: 'cleanup',
        guildId: GUILD,
        name: 'cleanup',
        schedule: { type: 'daily', time: '03:00' },
        retentionDays: 30,
        createdBy: ADMIN,
        failureLimit: 9,
      });
      // Later than the one-time run: a completed task restores as the record it is.
      clock.advance(3_600_000 * 30);

      const file = JSON.parse(JSON.stringify(await scheduler.exportTasks(GUILD)));
      const empty = await db.newStore();
      const restoredSchedules = new ScheduleGroupDouble();
      const restorer = new TaskScheduler({ store: empty.store, schedules: restoredSchedules, clock });
      const imported = await restorer.importTasks(GUILD, file, ADMIN);
      expect(imported).toHaveLength(6);

      // Everything but what a table assigns (id, version, last write) is the same. The next run is computed
      // again on import: the original's stored one is from its creation, a day and a half ago in this test.
      const comparable = (tasks: Task[]) =>
        tasks
          .map(
            ({
              id: _id,
              version: _version,
              updatedAt: _at,
              metadata: { nextRunAt: _next, ...m },
              ...rest
            }) => ({
              ...rest,
              metadata: m,
            }),
          )
          .sort((a, b) => a.name.localeCompare(b.name));
      const original = await scheduler.listTasks(GUILD);
      const restored = await restorer.listTasks(GUILD);
      expect(comparable(restored)).toEqual(comparable(original));
      for (const task of restored) {
        if (task.state === 'active')
          expect(Date.parse(task.metadata.nextRunAt ?? '')).toBeGreaterThan(clock.now().getTime());
        else expect(task.metadata.nextRunAt).toBeUndefined();
      }
      expect(original.map((t) => [t.name, t.state]).sort()).toEqual([
        ['active daily', 'active'],
        ['cleanup', 'active'],
        ['done once', 'completed'],
        ['every 6 hours', 'active'],
        ['paused weekly', 'paused'],
        ['turned off', 'disabled'],
      ]);
      expect((await restorer.listTasks(GUILD)).find((t) => t.name === 'turned off')?.metadata).toMatchObject({
        consecutiveFailures: 5,
        failureCount: 5,
      });
      // The same schedules, in the same states, firing at the same times (the `every` grid included).
      const definitions = (group: ScheduleGroupDouble, tasks: Task[]) =>
        tasks
          .map((t) => {
            const d = group.definitions.get(`task-${t.id}`);
            // A rate's StartDate is the next point of its grid when the definition is sent: compared below
            // as the runs it gives.
            return [t.name, d ? { ...d, name: '', taskId: '', startDate: undefined } : undefined] as const;
          })
          .sort(([a], [b]) => a.localeCompare(b));
      expect(definitions(restoredSchedules, await restorer.listTasks(GUILD))).toEqual(
        definitions(schedules, original),
      );
      expect(restoredSchedules.definitions.size).toBe(4);
      const runsOf = (s: TaskScheduler, tasks: Task[]) =>
        tasks
          .filter((t) => t.state === 'active')
          .map((t) => [t.name, s.nextRunsOf(t, 3).map((d) => d.toISOString())] as const)
          .sort(([a], [b]) => a.localeCompare(b));
      expect(runsOf(restorer, restored)).toEqual(runsOf(scheduler, original));
      expect(every.createdAt).toBe(
        (await restorer.listTasks(GUILD)).find((t) => t.name === 'every 6 hours')?.createdAt,
      );
      expect(daily.failureLimit).toBe(2);
    });

    it("forces the target guild whatever the file's guild", async () => {
      const data = {
        format: 'summary-bot-tasks',
        version: 1,
        guildId: GUILD,
        tasks: [{ ...summaryInput(), guildId: GUILD }],
      };
      const [task] = await scheduler.importTasks(OTHER_GUILD, data, ADMIN);
      expect(task?.guildId).toBe(OTHER_GUILD);
      expect(await scheduler.listTasks(GUILD)).toEqual([]);
    });

    it('names the bad entry and writes nothing when one entry is invalid', async () => {
      const good = summaryInput();
      const data = {
        format: 'summary-bot-tasks',
        version: 1,
        tasks: [good, good, good, { ...good, schedule: { type: 'daily', time: '9am' } }],
      };
      const error = await scheduler.importTasks(GUILD, data, ADMIN).catch((e: unknown) => e);
      expect((error as ValidationError).field).toBe('tasks[3].schedule.time');
      expect(await allTasks(db.store)).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });

    it('refuses a task name with a control character, line break or bidi override at create, edit and import, naming the field', async () => {
      for (const name of ['Daily\u202Etsegid', 'Daily\r\nEveryone verify', 'Daily\u0000', 'Daily\u2067x']) {
        const created = await scheduler.createTask(summaryInput({ name })).catch((e: unknown) => e);
        expect(created).toBeInstanceOf(ValidationError);
        expect((created as ValidationError).field).toBe('name');
        expect((created as ValidationError).message).toMatch(
          /control characters, line breaks or bidirectional/,
        );
        const data = {
          format: 'summary-bot-tasks',
          version: 1,
          tasks: [summaryInput(), summaryInput({ name })],
        };
        const imported = await scheduler.importTasks(GUILD, data, ADMIN).catch((e: unknown) => e);
        expect((imported as ValidationError).field).toBe('tasks[1].name');
      }
      const task = await scheduler.createTask(summaryInput());
      const edited = await scheduler
        .updateTask(GUILD, task.id, { name: 'Daily\nEveryone verify' })
        .catch((e: unknown) => e);
      expect((edited as ValidationError).field).toBe('name');
      expect((await allTasks(db.store)).map((t) => t.name)).toEqual(['Daily digest']);
    });

    it('refuses a file that is not an export', async () => {
      const error = await scheduler.importTasks(GUILD, { tasks: [] }, ADMIN).catch((e: unknown) => e);
      expect((error as ValidationError).field).toBe('format');
    });

    it('cancels the tasks already created when a create fails midway', async () => {
      const data = {
        format: 'summary-bot-tasks',
        version: 1,
        tasks: [summaryInput(), summaryInput(), summaryInput()],
      };
      let creates = 0;
      const original = schedules.create.bind(schedules);
      schedules.create = async (definition, token) => {
        creates += 1;
        if (creates === 3) throw new ScheduleGatewayError('throttled', 'slow down');
        return original(definition, token);
      };
      await expect(scheduler.importTasks(GUILD, data, ADMIN)).rejects.toThrow(ScheduleGatewayError);
      expect(await allTasks(db.store)).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });
  });

  describe('reconcile', () => {
    it('does not recreate the schedule of a one-time task whose moment has passed', async () => {
      const once = await scheduler.createTask(
        summaryInput({ schedule: { type: 'once', at: '2026-03-02T12:00' } }),
      );
      // EventBridge deletes a one-time schedule after it ran; the executor had not marked the task yet.
      schedules.definitions.delete(`task-${once.id}`);
      clock.advance(86_400_000);
      const report = await scheduler.reconcile();
      expect(report.recreated).toEqual([]);
      expect(schedules.definitions.size).toBe(0);
    });

    it('recreates missing schedules, fixes states and deletes orphans', async () => {
      const missing = await scheduler.createTask(summaryInput({ name: 'missing' }));
      const wrongState = await scheduler.createTask(summaryInput({ name: 'wrong state' }));
      await scheduler.pauseTask(GUILD, wrongState.id);
      const pausedMissing = await scheduler.createTask(summaryInput({ name: 'paused missing' }));
      await scheduler.pauseTask(GUILD, pausedMissing.id);
      const disabled = await scheduler.createTask(summaryInput({ name: 'disabled' }));
      await scheduler.disableTask(GUILD, disabled.id, 'failures');

      // Drift both ways.
      schedules.definitions.delete(`task-${missing.id}`);
      schedules.definitions.delete(`task-${pausedMissing.id}`);
      const wrong = schedules.definitions.get(`task-${wrongState.id}`);
      if (wrong) wrong.state = 'ENABLED';
      const template = schedules.definitions.get(`task-${wrongState.id}`);
      if (!template) throw new Error('expected the schedule');
      schedules.definitions.set('task-orphan000001', {
        ...template,
        name: 'task-orphan000001',
        taskId: 'orphan000001',
      });
      schedules.definitions.set(`task-${disabled.id}`, {
        ...template,
        name: `task-${disabled.id}`,
        taskId: disabled.id,
      });

      const report = await scheduler.reconcile();
      expect(report.recreated.sort()).toEqual([`task-${missing.id}`, `task-${pausedMissing.id}`].sort());
      expect(report.stateFixed).toEqual([`task-${wrongState.id}`]);
      expect(report.deletedOrphans.sort()).toEqual(['task-orphan000001', `task-${disabled.id}`].sort());
      expect(schedules.definitions.get(`task-${missing.id}`)?.state).toBe('ENABLED');
      expect(schedules.definitions.get(`task-${pausedMissing.id}`)?.state).toBe('DISABLED');
      expect(schedules.definitions.get(`task-${wrongState.id}`)?.state).toBe('DISABLED');

      const second = await scheduler.reconcile();
      expect(second).toMatchObject({ recreated: [], deletedOrphans: [], stateFixed: [], removedPending: [] });
    });

    it('with dryRun reports the same drift and changes nothing', async () => {
      const missing = await scheduler.createTask(summaryInput({ name: 'missing' }));
      const kept = await scheduler.createTask(summaryInput({ name: 'kept' }));
      schedules.definitions.delete(`task-${missing.id}`);
      const template = schedules.definitions.get(`task-${kept.id}`);
      if (!template) throw new Error('expected the schedule');
      schedules.definitions.set('task-orphan000001', {
        ...template,
        name: 'task-orphan000001',
        taskId: 'orphan000001',
      });
      // A create abandoned while pending (its schedule made, the item never marked active).
      const stored = await db.store.getTask(GUILD, kept.id);
      if (!stored) throw new Error('expected the task');
      await db.store.updateTask({ ...stored, state: 'pending' }, stored.version);
      clock.advance(60 * 60_000);
      const before = [...schedules.definitions.keys()].sort();

      const report = await scheduler.reconcile({ dryRun: true });

      expect(report.recreated).toEqual([`task-${missing.id}`]);
      expect(report.deletedOrphans.sort()).toEqual(['task-orphan000001', `task-${kept.id}`].sort());
      expect(report.removedPending).toEqual([kept.id]);
      expect([...schedules.definitions.keys()].sort()).toEqual(before);
      expect((await db.store.getTask(GUILD, kept.id))?.state).toBe('pending');
      expect((await scheduler.reconcile()).recreated).toEqual([`task-${missing.id}`]);
    });
  });
});
