import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoTaskStore } from '../../../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../../../lib/dynamo/task-table.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../../lib/local/embedded-dynamo.ts';
import { startTaskCounter } from '../../../lib/local/task-count.ts';
import { summaryTask } from '../../support/task-fixtures.ts';

/** The running bot's task counter against the embedded store, counting its queries of the state index. */
describe('the task counter of the running bot', () => {
  let dataDir: string;
  let dynamo: EmbeddedDynamo;
  let store: DynamoTaskStore;
  let queries: number;
  const errors: unknown[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-counter-'));
    dynamo = await startEmbeddedDynamo();
    await ensureTable(dynamo.client, 'counted-tasks');
    const real = new DynamoTaskStore({
      client: createDocumentClient(dynamo.client),
      tableName: 'counted-tasks',
    });
    queries = 0;
    store = new Proxy(real, {
      get(target, key, receiver) {
        if (key === 'listTasksByState') queries += 1;
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  });
  afterEach(async () => {
    expect(errors).toEqual([]);
    await dynamo.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const counter = () =>
    startTaskCounter({
      dataDir,
      store,
      writes: () => dynamo.writes(),
      onError: (error) => errors.push(error),
    });
  const recorded = async () => JSON.parse(await readFile(join(dataDir, 'task-count.json'), 'utf8'));

  it('stops without counting again when nothing was written since its last count', async () => {
    await store.createTask(summaryTask({ id: 'task0001' }));
    const running = counter();
    await expect
      .poll(async () => (await recorded().catch(() => undefined))?.tasks, { timeout: 30_000 })
      .toBe(1);
    const afterStart = queries;
    await running.stop();
    expect(queries).toBe(afterStart);
    expect((await recorded()).tasks).toBe(1);
  });

  it('counts on stop after a write, so the next start compares against the tasks there are', async () => {
    const running = counter();
    await expect
      .poll(async () => (await recorded().catch(() => undefined))?.tasks, { timeout: 30_000 })
      .toBe(0);
    await store.createTask(summaryTask({ id: 'task0001' }));
    await store.createTask(summaryTask({ id: 'task0002' }));
    await running.stop();
    expect((await recorded()).tasks).toBe(2);
  });
});
