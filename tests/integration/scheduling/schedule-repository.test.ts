import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { StoredItemError } from '../../../lib/dynamo/task-table.ts';
import {
  fromStoredSchedule,
  InMemoryScheduleRepository,
  type ScheduleDefinitionRepository,
  type StoredSchedule,
  toStoredSchedule,
} from '../../../lib/scheduling/schedule-repository.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { GUILD_A, summaryTask } from '../../support/task-fixtures.ts';

const schedule = (name: string, overrides: Partial<StoredSchedule> = {}): StoredSchedule => ({
  name,
  expression: 'cron(0 9 * * ? *)',
  timeZone: 'Europe/Berlin',
  state: 'ENABLED',
  taskId: name.replace(/^task-/, ''),
  guildId: GUILD_A,
  ...overrides,
});

function behavesLikeAScheduleRepository(repository: () => ScheduleDefinitionRepository) {
  it('stores, replaces, lists by name and deletes definitions', async () => {
    const repo = repository();
    await repo.put(schedule('task-bbbbbbbb'));
    await repo.put(
      schedule('task-aaaaaaaa', { startDate: '2026-01-01T00:00:00.000Z', description: 'first' }),
    );
    await repo.put(schedule('task-bbbbbbbb', { state: 'DISABLED', lastFiredAt: '2026-01-02T08:00:00.000Z' }));

    expect(await repo.get('task-bbbbbbbb')).toEqual(
      schedule('task-bbbbbbbb', { state: 'DISABLED', lastFiredAt: '2026-01-02T08:00:00.000Z' }),
    );
    expect((await repo.list()).map((s) => s.name)).toEqual(['task-aaaaaaaa', 'task-bbbbbbbb']);

    await repo.delete('task-aaaaaaaa');
    await repo.delete('task-missing0');
    expect(await repo.get('task-aaaaaaaa')).toBeUndefined();
    expect((await repo.list()).map((s) => s.name)).toEqual(['task-bbbbbbbb']);
  });

  it('rejects a definition with an invalid name', async () => {
    await expect(repository().put(schedule('has spaces'))).rejects.toThrow(/schedule name/);
  });
}

describe('DynamoScheduleRepository', () => {
  const db = useEmbeddedStore();
  behavesLikeAScheduleRepository(() => db.schedules);

  it('lives beside tasks without showing up in their listings', async () => {
    await db.schedules.put(schedule('task-task0001'));
    await db.store.createTask(summaryTask());
    expect((await db.store.listTasks(GUILD_A)).map((t) => t.id)).toEqual(['task0001']);
    expect((await db.schedules.list()).map((s) => s.name)).toEqual(['task-task0001']);
  });

  it('reports a corrupted definition as a StoredItemError', async () => {
    await db.documentClient.send(
      new PutCommand({ TableName: db.tableName, Item: { pk: 'SCHEDULE', sk: 'task-broken00', state: 'ON' } }),
    );
    await expect(db.schedules.list()).rejects.toBeInstanceOf(StoredItemError);
  });
});

describe('InMemoryScheduleRepository', () => {
  const repo = new InMemoryScheduleRepository();
  behavesLikeAScheduleRepository(() => repo);

  it('hands out copies, not its own objects', async () => {
    const mem = new InMemoryScheduleRepository();
    await mem.put(schedule('task-cccccccc'));
    const read = await mem.get('task-cccccccc');
    if (read) read.state = 'DISABLED';
    expect((await mem.get('task-cccccccc'))?.state).toBe('ENABLED');
  });
});

describe('stored schedule conversion', () => {
  it('round-trips a gateway definition through its stored form', () => {
    const def = {
      name: 'task-dddddddd',
      expression: 'rate(5 minutes)',
      timeZone: 'UTC',
      state: 'ENABLED' as const,
      taskId: 'dddddddd',
      guildId: GUILD_A,
      startDate: new Date('2026-01-01T00:00:00.000Z'),
    };
    const stored = toStoredSchedule(def, '2026-01-01T00:05:00.000Z');
    expect(stored).toEqual({
      ...def,
      startDate: '2026-01-01T00:00:00.000Z',
      lastFiredAt: '2026-01-01T00:05:00.000Z',
    });
    expect(fromStoredSchedule(stored)).toEqual(def);
  });
});
