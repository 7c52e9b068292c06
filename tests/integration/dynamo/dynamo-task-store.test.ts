import { GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { StoredItemError, stateShard } from '../../../lib/dynamo/task-table.ts';
import { ConflictError } from '../../../lib/errors.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { CHANNEL_1, CHANNEL_2, GUILD_A, GUILD_B, summaryTask } from '../../support/task-fixtures.ts';

describe('DynamoTaskStore tasks', () => {
  const db = useEmbeddedStore({ clock: new TestClock('2026-01-01T10:00:00Z') });

  it('reads back a created task exactly, without key attributes', async () => {
    const task = summaryTask();
    await db.store.createTask(task);
    const read = await db.store.getTask(GUILD_A, task.id);
    expect(read).toEqual(task);
    expect(read).not.toHaveProperty('pk');
    expect(read).not.toHaveProperty('gsi1pk');
  });

  it('refuses to create a task whose id already exists in the guild', async () => {
    await db.store.createTask(summaryTask());
    await expect(db.store.createTask(summaryTask({ name: 'Other' }))).rejects.toBeInstanceOf(ConflictError);
    expect((await db.store.getTask(GUILD_A, 'task0001'))?.name).toBe('Daily digest');
  });

  it('does not find a task id of another guild', async () => {
    await db.store.createTask(summaryTask({ guildId: GUILD_A }));
    expect(await db.store.getTask(GUILD_B, 'task0001')).toBeUndefined();
    expect(await db.store.listTasks(GUILD_B)).toEqual([]);
  });

  it('lets the same task id exist in two guilds independently', async () => {
    await db.store.createTask(summaryTask({ guildId: GUILD_A, name: 'A' }));
    await db.store.createTask(summaryTask({ guildId: GUILD_B, name: 'B' }));
    expect((await db.store.getTask(GUILD_A, 'task0001'))?.name).toBe('A');
    expect((await db.store.getTask(GUILD_B, 'task0001'))?.name).toBe('B');
  });

  it('updates with the expected version and returns the incremented version', async () => {
    await db.store.createTask(summaryTask());
    const updated = await db.store.updateTask(summaryTask({ name: 'Renamed' }), 1);
    expect(updated.version).toBe(2);
    expect(await db.store.getTask(GUILD_A, 'task0001')).toEqual(updated);
  });

  it('turns a lost update into a ConflictError and keeps the winner', async () => {
    await db.store.createTask(summaryTask());
    const read1 = await db.store.getTask(GUILD_A, 'task0001');
    const read2 = await db.store.getTask(GUILD_A, 'task0001');
    if (!read1 || !read2) throw new Error('task missing');
    await db.store.updateTask({ ...read1, name: 'First writer' }, read1.version);
    const lost = db.store.updateTask({ ...read2, name: 'Second writer' }, read2.version);
    await expect(lost).rejects.toBeInstanceOf(ConflictError);
    await expect(lost).rejects.toHaveProperty('cause.name', 'ConditionalCheckFailedException');
    expect((await db.store.getTask(GUILD_A, 'task0001'))?.name).toBe('First writer');
  });

  it('refuses to update a task that does not exist', async () => {
    await expect(db.store.updateTask(summaryTask(), 1)).rejects.toBeInstanceOf(ConflictError);
    expect(await db.store.getTask(GUILD_A, 'task0001')).toBeUndefined();
  });

  it('deletes a task, unconditionally or at the expected version, and ignores missing tasks', async () => {
    await db.store.createTask(summaryTask({ id: 'task0001' }));
    await db.store.createTask(summaryTask({ id: 'task0002' }));
    await expect(db.store.deleteTask(GUILD_A, 'task0001', 7)).rejects.toBeInstanceOf(ConflictError);
    await db.store.deleteTask(GUILD_A, 'task0001', 1);
    await db.store.deleteTask(GUILD_A, 'task0002');
    await db.store.deleteTask(GUILD_A, 'task0003');
    await db.store.deleteTask(GUILD_A, 'task0003', 4);
    expect(await db.store.listTasks(GUILD_A)).toEqual([]);
  });

  it('lists a guild by name and filters by channel, state and kind', async () => {
    await db.store.createTask(summaryTask({ id: 'task0001', name: 'Weekly', channelIds: [CHANNEL_1] }));
    await db.store.createTask(
      summaryTask({ id: 'task0002', name: 'Alerts', channelIds: [CHANNEL_1, CHANNEL_2], state: 'paused' }),
    );
    await db.store.createTask(summaryTask({ id: 'task0003', name: 'Monthly', channelIds: [CHANNEL_2] }));
    await db.store.createTask({
      ...summaryTask({ id: 'task0004', name: 'Cleanup' }),
      kind: 'cleanup',
      retentionDays: 30,
      destinations: [],
    } as never);
    await db.store.createTask(summaryTask({ id: 'task0005', guildId: GUILD_B, name: 'Elsewhere' }));

    const names = (tasks: { name: string }[]) => tasks.map((t) => t.name);
    expect(names(await db.store.listTasks(GUILD_A))).toEqual(['Alerts', 'Cleanup', 'Monthly', 'Weekly']);
    expect(names(await db.store.listTasks(GUILD_A, { channelId: CHANNEL_1 }))).toEqual(['Alerts', 'Weekly']);
    expect(names(await db.store.listTasks(GUILD_A, { state: 'paused' }))).toEqual(['Alerts']);
    expect(names(await db.store.listTasks(GUILD_A, { kind: 'cleanup' }))).toEqual(['Cleanup']);
    expect(
      names(await db.store.listTasks(GUILD_A, { channelId: CHANNEL_2, state: 'active', kind: 'summary' })),
    ).toEqual(['Monthly']);
  });

  it('lists every page of a guild larger than one 1 MB query page', async () => {
    // Per-channel cursors are the one unbounded field: 8,000 of them make a task ~300 KB.
    const cursors = Object.fromEntries(
      Array.from({ length: 8000 }, (_, i) => [String(200000000000000000n + BigInt(i)), CHANNEL_1]),
    );
    const tasks = Array.from({ length: 8 }, (_, i) =>
      summaryTask({ id: `task000${i}`, name: `Task ${8 - i}`, cursors }),
    );
    for (const task of tasks) await db.store.createTask(task);
    const firstPage = await db.documentClient.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `GUILD#${GUILD_A}` },
      }),
    );
    expect(firstPage.LastEvaluatedKey).toBeDefined();

    const listed = await db.store.listTasks(GUILD_A);
    expect(listed.map((t) => t.id)).toEqual(tasks.map((t) => t.id).reverse());
    expect(listed[0]).toEqual(tasks.at(-1));
  });

  it('lists tasks in one state across guilds and follows state changes', async () => {
    await db.store.createTask(summaryTask({ id: 'task0001', guildId: GUILD_A }));
    await db.store.createTask(summaryTask({ id: 'task0002', guildId: GUILD_B }));
    await db.store.createTask(summaryTask({ id: 'task0003', guildId: GUILD_B, state: 'paused' }));
    const active = await db.store.listTasksByState('active');
    expect(active.map((t) => `${t.guildId}/${t.id}`).sort()).toEqual([
      `${GUILD_A}/task0001`,
      `${GUILD_B}/task0002`,
    ]);

    const paused = await db.store.updateTask(summaryTask({ id: 'task0001', state: 'paused' }), 1);
    expect(paused.state).toBe('paused');
    expect((await db.store.listTasksByState('active')).map((t) => t.id)).toEqual(['task0002']);
    expect((await db.store.listTasksByState('paused')).map((t) => t.id).sort()).toEqual([
      'task0001',
      'task0003',
    ]);
  });

  it('spreads the state index over ten shards by task id and lists them as one, in guild and task order', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `task${String(i).padStart(4, '0')}`);
    for (const id of ids) {
      await db.store.createTask(summaryTask({ id, guildId: id < 'task0020' ? GUILD_A : GUILD_B }));
    }
    const { Items = [] } = await db.documentClient.send(
      new ScanCommand({ TableName: db.tableName, ProjectionExpression: 'gsi1pk' }),
    );
    const partitions = new Set(Items.map((item) => String(item.gsi1pk)));
    expect([...partitions].every((p) => /^STATE#active#\d$/.test(p))).toBe(true);
    expect(partitions.size).toBeGreaterThan(5);
    const listed = await db.store.listTasksByState('active');
    expect(listed.map((t) => `${t.guildId}/${t.id}`)).toEqual(
      ids.map((id) => `${id < 'task0020' ? GUILD_A : GUILD_B}/${id}`).sort(),
    );
  });

  it('still lists a task written under the unsharded key, and moves it to its shard at its next write', async () => {
    const legacy = summaryTask({ id: 'task0042' });
    await db.documentClient.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          ...legacy,
          pk: `GUILD#${GUILD_A}`,
          sk: 'TASK#task0042',
          gsi1pk: 'STATE#active',
          gsi1sk: `GUILD#${GUILD_A}#TASK#task0042`,
        },
      }),
    );
    expect((await db.store.listTasksByState('active')).map((t) => t.id)).toEqual(['task0042']);
    await db.store.updateTask({ ...legacy, name: 'Renamed' }, legacy.version);
    const { Item } = await db.documentClient.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: `GUILD#${GUILD_A}`, sk: 'TASK#task0042' } }),
    );
    expect(Item?.gsi1pk).toBe(`STATE#active#${stateShard('task0042')}`);
    expect((await db.store.listTasksByState('active')).map((t) => t.name)).toEqual(['Renamed']);
  });

  it('reports a corrupted item as a StoredItemError naming the field', async () => {
    await db.documentClient.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { ...summaryTask(), pk: `GUILD#${GUILD_A}`, sk: 'TASK#task0001', timeZone: 42 },
      }),
    );
    const read = db.store.getTask(GUILD_A, 'task0001');
    await expect(read).rejects.toBeInstanceOf(StoredItemError);
    await expect(read).rejects.toThrow(/timeZone/);
  });

  it('validates a task before writing it', async () => {
    await expect(db.store.createTask({ ...summaryTask(), channelIds: [] })).rejects.toThrow(/channel/);
    expect(await db.store.listTasks(GUILD_A)).toEqual([]);
  });
});

describe('DynamoTaskStore guild config', () => {
  const db = useEmbeddedStore();
  const config = {
    guildId: GUILD_A,
    timeZone: 'Europe/Berlin',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
  };

  it('is absent until first written with expected version 0', async () => {
    expect(await db.store.getGuildConfig(GUILD_A)).toBeUndefined();
    const stored = await db.store.putGuildConfig(config, 0);
    expect(stored.version).toBe(1);
    expect(await db.store.getGuildConfig(GUILD_A)).toEqual(stored);
  });

  it('refuses a second first write and a write at a stale version', async () => {
    await db.store.putGuildConfig(config, 0);
    await expect(db.store.putGuildConfig(config, 0)).rejects.toBeInstanceOf(ConflictError);
    const second = await db.store.putGuildConfig({ ...config, notifyChannelId: CHANNEL_1 }, 1);
    expect(second.version).toBe(2);
    await expect(db.store.putGuildConfig({ ...config, timeZone: 'UTC' }, 1)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await db.store.getGuildConfig(GUILD_A)).toEqual(second);
  });

  it('keeps the config apart from the guild task list', async () => {
    await db.store.putGuildConfig(config, 0);
    await db.store.createTask(summaryTask());
    expect((await db.store.listTasks(GUILD_A)).map((t) => t.id)).toEqual(['task0001']);
  });
});
