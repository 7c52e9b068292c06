import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ScheduleGatewayError } from '../../../lib/errors.ts';
import type { NewSummaryTaskInput } from '../../../lib/scheduling/new-task.ts';
import type { TaskStore } from '../../../lib/scheduling/ports.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import type { ScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';
import type { Task, TaskState } from '../../../lib/tasks/task.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { ScheduleGroupDouble } from './gateway-double.ts';

const GUILD = '100000000000000001';
const ADMIN = '200000000000000001';
const CHANNEL = '300000000000000001';
const ALL_STATES: TaskState[] = ['pending', 'active', 'paused', 'disabled', 'completed'];
const clock = new TestClock('2026-03-02T10:00:00.000Z');

/** An export file of `count` tasks with varied schedules (more than one 25-item batch when count > 25). */
/** An entry of an export file: a new summary task without its server and author. */
type PortableSummary = Omit<NewSummaryTaskInput, 'guildId' | 'createdBy'>;

function exportFile(count: number) {
  const schedules: ScheduleSpec[] = [
    { type: 'daily', time: '09:00' },
    { type: 'weekly', days: ['MON'], time: '08:00' },
    { type: 'every', value: 6, unit: 'hours' },
    { type: 'once', at: '2026-12-24T18:00' },
  ];
  return {
    format: 'summary-bot-tasks',
    version: 1,
    tasks: Array.from(
      { length: count },
      (_, i): PortableSummary => ({
        kind: 'summary',
        name: `Task ${String(i).padStart(3, '0')}`,
        channelIds: [CHANNEL],
        schedule: schedules[i % schedules.length] ?? { type: 'daily', time: '09:00' },
        timeZone: 'Europe/Berlin',
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
      }),
    ),
  };
}

async function allTasks(store: TaskStore): Promise<Task[]> {
  return (await Promise.all(ALL_STATES.map((s) => store.listTasksByState(s)))).flat();
}

/** The real store whose `method` fails on its `nth` call, after doing the work of earlier calls. */
function failingOnCall<K extends 'createTasks' | 'deleteTasks'>(store: TaskStore, method: K, nth: number) {
  let calls = 0;
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop === method) {
        return async (...args: unknown[]) => {
          calls += 1;
          if (calls === nth) {
            // Half of the batch lands before the failure, as a BatchWriteItem outage midway would leave it.
            const [tasks] = args as [Task[]];
            if (method === 'createTasks') await target.createTasks(tasks.slice(0, tasks.length / 2));
            throw new Error(`injected ${method} failure`);
          }
          return (value as (...a: unknown[]) => Promise<void>).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('TaskScheduler.importTasks in bulk', () => {
  const db = useEmbeddedStore();
  let schedules: ScheduleGroupDouble;
  let warnings: string[];
  const scheduler = (store: TaskStore = db.store) =>
    new TaskScheduler({ store, schedules, clock, warn: (message) => warnings.push(message) });

  beforeEach(() => {
    schedules = new ScheduleGroupDouble();
    warnings = [];
  });

  it('creates every task active with its schedule and next run, as createTask would', async () => {
    const imported = await scheduler().importTasks(GUILD, exportFile(120), ADMIN);
    expect(imported).toHaveLength(120);
    const stored = await db.store.listTasks(GUILD);
    expect(stored).toHaveLength(120);
    expect(stored.every((t) => t.state === 'active' && t.version === 2 && t.createdBy === ADMIN)).toBe(true);
    expect(stored.every((t) => t.metadata.nextRunAt !== undefined)).toBe(true);
    expect(await db.store.listTasksByState('pending')).toEqual([]);
    expect(schedules.definitions.size).toBe(120);
    const byId = new Map(imported.map((t) => [t.id, t]));
    for (const task of stored) expect(task).toEqual(byId.get(task.id));

    const [first] = exportFile(1).tasks;
    if (!first) throw new Error('exportFile(1) has one task');
    const single = await scheduler().createTask({
      ...first,
      guildId: GUILD,
      createdBy: ADMIN,
    });
    const [imported0] = imported.filter((t) => t.name === 'Task 000');
    expect(imported0?.metadata).toEqual(single.metadata);
    expect(schedules.definitions.get(`task-${imported0?.id}`)).toMatchObject({
      expression: schedules.definitions.get(`task-${single.id}`)?.expression,
      state: 'ENABLED',
    });
  });

  it('leaves nothing behind when a schedule create fails midway', async () => {
    let creates = 0;
    const original = schedules.create.bind(schedules);
    schedules.create = async (definition, token) => {
      creates += 1;
      if (creates === 60) throw new ScheduleGatewayError('throttled', 'slow down');
      return original(definition, token);
    };
    await expect(scheduler().importTasks(GUILD, exportFile(120), ADMIN)).rejects.toThrow(
      ScheduleGatewayError,
    );
    expect(await allTasks(db.store)).toEqual([]);
    expect(schedules.definitions.size).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('leaves nothing behind when writing the tasks active fails midway', async () => {
    const store = failingOnCall(db.store, 'createTasks', 2);
    await expect(scheduler(store).importTasks(GUILD, exportFile(120), ADMIN)).rejects.toThrow(
      'injected createTasks failure',
    );
    expect(await allTasks(db.store)).toEqual([]);
    expect(schedules.definitions.size).toBe(0);
  });

  it('leaves nothing behind when writing the pending tasks fails midway', async () => {
    const store = failingOnCall(db.store, 'createTasks', 1);
    await expect(scheduler(store).importTasks(GUILD, exportFile(60), ADMIN)).rejects.toThrow(
      'injected createTasks failure',
    );
    expect(await allTasks(db.store)).toEqual([]);
    expect(schedules.calls.filter((c) => c.op === 'create')).toEqual([]);
  });

  it('reports a failed clean-up, throws the original error, and leaves pending items for reconcile', async () => {
    schedules.failNext('create');
    const store = failingOnCall(db.store, 'deleteTasks', 1);
    await expect(scheduler(store).importTasks(GUILD, exportFile(30), ADMIN)).rejects.toThrow(
      ScheduleGatewayError,
    );
    expect(warnings.some((w) => w.includes('failed import'))).toBe(true);
    const left = await allTasks(db.store);
    expect(left.length).toBe(30);
    expect(left.every((t) => t.state === 'pending')).toBe(true);
  });

  it('refuses to change or cancel a task while it is still pending', async () => {
    const [task] = await scheduler().importTasks(GUILD, exportFile(1), ADMIN);
    if (!task) throw new Error('nothing imported');
    await db.store.updateTask({ ...task, state: 'pending' }, task.version);
    await expect(scheduler().updateTask(GUILD, task.id, { name: 'Renamed' })).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(scheduler().cancelTask(GUILD, task.id)).rejects.toBeInstanceOf(ConflictError);
    expect((await db.store.getTask(GUILD, task.id))?.name).toBe('Task 000');
  });
});
