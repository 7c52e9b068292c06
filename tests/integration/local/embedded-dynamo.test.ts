import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoTaskStore } from '../../../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../../../lib/dynamo/task-table.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../lib/local/embedded-dynamo.ts';
import { GUILD_A, runRecord, summaryTask } from '../../support/task-fixtures.ts';

describe('startEmbeddedDynamo', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (options: Parameters<typeof startEmbeddedDynamo>[0]) => {
    const dynamo = await startEmbeddedDynamo(options);
    cleanups.push(() => dynamo.close());
    return dynamo;
  };
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'embedded-dynamo-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  const storeOn = (dynamo: EmbeddedDynamo) =>
    new DynamoTaskStore({ client: createDocumentClient(dynamo.client), tableName: 'tasks' });

  it('listens on loopback on a free port', async () => {
    const dynamo = await start({});
    expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dynamo.endpoint).not.toMatch(/:0$/);
  });

  it('keeps tasks and runs across a close and restart on the same folder', async () => {
    const path = await tempDir();
    const first = await startEmbeddedDynamo({ path });
    await ensureTable(first.client, 'tasks');
    await storeOn(first).createTask(summaryTask());
    await storeOn(first).putRun(runRecord({ status: 'succeeded' }));
    await first.close();

    const second = await start({ path });
    await ensureTable(second.client, 'tasks');
    expect(await storeOn(second).getTask(GUILD_A, 'task0001')).toEqual(summaryTask());
    expect(await storeOn(second).listTasksByState('active')).toHaveLength(1);
    expect(await storeOn(second).getRun('task0001', runRecord().scheduledTime)).toBeUndefined();
  });

  it('starts empty in memory each time without a folder', async () => {
    const first = await startEmbeddedDynamo({});
    await ensureTable(first.client, 'tasks');
    await first.close();
    const second = await start({});
    await ensureTable(second.client, 'tasks');
    expect(await storeOn(second).listTasks(GUILD_A)).toEqual([]);
  });

  it('refuses a folder another server holds open, naming the folder', async () => {
    const path = await tempDir();
    await start({ path });
    await expect(startEmbeddedDynamo({ path })).rejects.toThrow(path);
  });

  it('closes idempotently', async () => {
    const dynamo = await startEmbeddedDynamo({});
    await dynamo.close();
    await dynamo.close();
  });
});
