import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoTaskStore } from '../../../lib/dynamo/dynamo-task-store.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { CHANNEL_1, CHANNEL_2, GUILD_A, GUILD_B, summaryTask } from '../../support/task-fixtures.ts';

const cleanupTask = (id: string, name: string) =>
  ({
    ...summaryTask({ id, name }),
    kind: 'cleanup',
    retentionDays: 30,
    destinations: [],
    channelIds: undefined,
    options: undefined,
    cursors: undefined,
  }) as never;

/** A document client that leaves the second half of the first `times` batch writes unprocessed. */
function throttlingClient(inner: DynamoDBDocumentClient, times: number) {
  let left = times;
  let batches = 0;
  const client = {
    send: async (command: unknown) => {
      if (!(command instanceof BatchWriteCommand)) return inner.send(command as never);
      batches += 1;
      const [table, requests] = Object.entries(command.input.RequestItems ?? {})[0] ?? [];
      if (left <= 0 || !table || !requests || requests.length < 2) return inner.send(command);
      left -= 1;
      const half = Math.ceil(requests.length / 2);
      await inner.send(new BatchWriteCommand({ RequestItems: { [table]: requests.slice(0, half) } }));
      return { UnprocessedItems: { [table]: requests.slice(half) } };
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, batches: () => batches };
}

describe('DynamoTaskStore task summaries', () => {
  const db = useEmbeddedStore({ clock: new TestClock('2026-01-01T10:00:00Z') });

  it('lists what a list shows, ordered by name, without destinations, options or cursors', async () => {
    await db.store.createTask(
      summaryTask({
        id: 'task0001',
        name: 'Weekly',
        cursors: { [CHANNEL_1]: '900000000000000001' },
        metadata: {
          runCount: 3,
          successCount: 3,
          failureCount: 0,
          skipCount: 0,
          consecutiveFailures: 0,
          nextRunAt: '2026-01-02T08:00:00.000Z',
        },
      }),
    );
    await db.store.createTask(cleanupTask('task0002', 'Cleanup'));
    await db.store.createTask(summaryTask({ id: 'task0003', guildId: GUILD_B, name: 'Elsewhere' }));

    expect(await db.store.listTaskSummaries(GUILD_A)).toEqual([
      {
        id: 'task0002',
        guildId: GUILD_A,
        name: 'Cleanup',
        kind: 'cleanup',
        state: 'active',
        schedule: { type: 'daily', time: '09:00' },
        timeZone: 'Europe/Berlin',
        channelIds: [],
      },
      {
        id: 'task0001',
        guildId: GUILD_A,
        name: 'Weekly',
        kind: 'summary',
        state: 'active',
        schedule: { type: 'daily', time: '09:00' },
        timeZone: 'Europe/Berlin',
        channelIds: [CHANNEL_1],
        nextRunAt: '2026-01-02T08:00:00.000Z',
      },
    ]);
  });

  it('applies the same filters as the full listing', async () => {
    await db.store.createTask(summaryTask({ id: 'task0001', name: 'Weekly', channelIds: [CHANNEL_1] }));
    await db.store.createTask(
      summaryTask({ id: 'task0002', name: 'Alerts', channelIds: [CHANNEL_1, CHANNEL_2], state: 'paused' }),
    );
    await db.store.createTask(summaryTask({ id: 'task0003', name: 'Monthly', channelIds: [CHANNEL_2] }));
    await db.store.createTask(cleanupTask('task0004', 'Cleanup'));
    const filters = [
      {},
      { channelId: CHANNEL_1 },
      { state: 'paused' as const },
      { kind: 'cleanup' as const },
      { channelId: CHANNEL_2, state: 'active' as const, kind: 'summary' as const },
    ];
    for (const filter of filters) {
      const full = await db.store.listTasks(GUILD_A, filter);
      const summaries = await db.store.listTaskSummaries(GUILD_A, filter);
      expect(summaries.map((t) => t.id)).toEqual(full.map((t) => t.id));
    }
  });
});

describe('DynamoTaskStore bulk writes', () => {
  const db = useEmbeddedStore({ clock: new TestClock('2026-01-01T10:00:00Z') });
  const many = (count: number, guildId = GUILD_A) =>
    Array.from({ length: count }, (_, i) =>
      summaryTask({ id: `bulk${String(i).padStart(5, '0')}`, guildId, name: `Task ${i}` }),
    );

  it('writes more tasks than one batch holds, and deletes them again', async () => {
    const tasks = many(120);
    await db.store.createTasks(tasks);
    const listed = await db.store.listTasks(GUILD_A);
    expect(listed).toHaveLength(120);
    expect(await db.store.getTask(GUILD_A, 'bulk00042')).toEqual(tasks[42]);
    expect((await db.store.listTasksByState('active')).length).toBe(120);

    await db.store.deleteTasks(tasks.map((t) => ({ guildId: t.guildId, taskId: t.id })));
    expect(await db.store.listTasks(GUILD_A)).toEqual([]);
    expect(await db.store.listTasksByState('active')).toEqual([]);
  });

  it('overwrites by key, so a batch can move its own new tasks to their next state', async () => {
    const tasks = many(30).map((t) => ({ ...t, state: 'pending' as const }));
    await db.store.createTasks(tasks);
    await db.store.createTasks(tasks.map((t) => ({ ...t, state: 'active' as const, version: 2 })));
    expect(await db.store.listTasksByState('pending')).toEqual([]);
    expect((await db.store.listTasks(GUILD_A)).every((t) => t.state === 'active' && t.version === 2)).toBe(
      true,
    );
  });

  it('resends only the items DynamoDB left unprocessed', async () => {
    const throttled = throttlingClient(db.documentClient, 2);
    const store = new DynamoTaskStore({ client: throttled.client, tableName: db.tableName });
    await store.createTasks(many(25));
    expect(await db.store.listTasks(GUILD_A)).toHaveLength(25);
    // One batch, its unprocessed half twice more (halved again), then the rest.
    expect(throttled.batches()).toBe(3);
  });

  it('refuses an invalid task before writing any', async () => {
    const tasks = many(3);
    const bad = { ...tasks[2], timeZone: 'Mars/Olympus' } as never;
    await expect(db.store.createTasks([tasks[0] as never, tasks[1] as never, bad])).rejects.toThrow();
    expect(await db.store.listTasks(GUILD_A)).toEqual([]);
  });

  it('does nothing for an empty list', async () => {
    await db.store.createTasks([]);
    await db.store.deleteTasks([]);
    expect(await db.store.listTasks(GUILD_A)).toEqual([]);
  });
});
