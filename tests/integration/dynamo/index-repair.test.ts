import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient, DynamoTaskStore } from '../../../lib/dynamo/dynamo-task-store.ts';
import { ensureTable, itemKeys } from '../../../lib/dynamo/task-table.ts';
import { OPEN_MARKER, startEmbeddedDynamo } from '../../../lib/local/embedded-dynamo.ts';
import type { TaskState } from '../../../lib/tasks/task.ts';
import { writeIndexesOnly } from '../../support/dynalite-faults.ts';
import { GUILD_A, summaryTask } from '../../support/task-fixtures.ts';

const TABLE = 'index-repair-tasks';

/**
 * The embedded store's state index after a kill between dynalite's index write and its item write (issue
 * #11: after `kill -9` during `tasks import`, 25 tasks stayed `pending` and the start's reconcile, which
 * lists pending tasks by that index, never saw them).
 */
describe('embedded DynamoDB opened after an unclean stop', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function open(path: string) {
    const dynamo = await startEmbeddedDynamo({ path });
    await ensureTable(dynamo.client, TABLE);
    const store = new DynamoTaskStore({ client: createDocumentClient(dynamo.client), tableName: TABLE });
    const listed = async (state: TaskState) => (await store.listTasksByState(state)).map((t) => t.id).sort();
    return { dynamo, store, listed };
  }

  it('repairs the state index so it lists exactly the tasks the table holds', async () => {
    dir = await mkdtemp(join(tmpdir(), 'summary-bot-index-repair-'));
    const path = join(dir, 'db');
    const first = await open(path);
    expect(first.dynamo.uncleanStop).toBeUndefined();
    await first.store.createTasks([
      summaryTask({ id: 'pendingA', state: 'pending' }),
      summaryTask({ id: 'pendingB', state: 'pending' }),
      summaryTask({ id: 'activeC1', state: 'active' }),
    ]);
    await first.dynamo.close();
    // What the kill leaves besides the half-written records: the folder still marked open.
    await writeFile(join(path, OPEN_MARKER), '{}\n');
    const stateKeys = (state: string, taskId: string) => {
      const keys = itemKeys.taskState(state, GUILD_A, taskId);
      return { gsi1pk: { S: keys.gsi1pk }, gsi1sk: { S: keys.gsi1sk } };
    };
    await writeIndexesOnly(path, TABLE, [
      // The import's "mark active" write: the index moved to `active`, the item is still `pending`.
      {
        key: itemKeys.task(GUILD_A, 'pendingA'),
        change: (item) => item && { ...item, ...stateKeys('active', 'pendingA'), state: { S: 'active' } },
      },
      // A task whose item was never written: only its index entry exists.
      {
        key: itemKeys.task(GUILD_A, 'ghostD01'),
        change: () => ({
          pk: { S: itemKeys.task(GUILD_A, 'ghostD01').pk },
          sk: { S: itemKeys.task(GUILD_A, 'ghostD01').sk },
          ...stateKeys('pending', 'ghostD01'),
          id: { S: 'ghostD01' },
          state: { S: 'pending' },
        }),
      },
      // A delete cut short: the entry is gone, the item is not.
      { key: itemKeys.task(GUILD_A, 'activeC1'), change: () => undefined },
    ]);

    const reopened = await open(path);
    try {
      expect(reopened.dynamo.uncleanStop).toEqual({ checked: expect.any(Number), repaired: 3 });
      expect(await reopened.listed('pending')).toEqual(['pendingA', 'pendingB']);
      expect(await reopened.listed('active')).toEqual(['activeC1']);
      expect(await reopened.store.getTask(GUILD_A, 'ghostD01')).toBeUndefined();
      expect((await reopened.store.getTask(GUILD_A, 'pendingA'))?.state).toBe('pending');
    } finally {
      await reopened.dynamo.close();
    }
    // Closed cleanly this time: the next open has nothing to check.
    const again = await open(path);
    expect(again.dynamo.uncleanStop).toBeUndefined();
    await again.dynamo.close();
  });
});
