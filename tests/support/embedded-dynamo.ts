/**
 * Integration tests against a real DynamoDB protocol, in process, with no network beyond loopback.
 *
 *   import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
 *
 *   describe('my service', () => {
 *     const db = useEmbeddedStore();            // one dynalite server per test file
 *     it('stores things', async () => {
 *       await db.store.createTask(task);        // a fresh, empty table for every test
 *       ...db.client / db.documentClient / db.tableName for anything else
 *     });
 *   });
 *
 * Call it at the top of a `describe` (or the file): it registers beforeAll/afterAll/beforeEach hooks.
 * Accessors throw when read outside a test, so use them inside `it`/hooks, not at collection time.
 * Pass `{ clock }` (an object whose `now()` you control) to move time for run-record expiry.
 * Pass `{ tablePerTest: false }` to share one table across the file (faster when tests are read-only).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { DynamoScheduleRepository } from '../../lib/dynamo/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../../lib/dynamo/task-table.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../lib/local/embedded-dynamo.ts';
import type { Clock } from '../../lib/shared/clock.ts';

export interface EmbeddedStoreFixture {
  /** The TaskStore under test, on the current table. */
  readonly store: DynamoTaskStore;
  /** Schedule definitions (embedded scheduler), on the same table. */
  readonly schedules: DynamoScheduleRepository;
  readonly client: DynamoDBClient;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** The server's `http://127.0.0.1:<port>` endpoint. */
  readonly endpoint: string;
  /** A store on a fresh table with its own clock, for tests that need two views or another clock. */
  newStore(options?: { clock?: Clock }): Promise<{ store: DynamoTaskStore; tableName: string }>;
}

let tableCounter = 0;

function uniqueTableName(): string {
  tableCounter += 1;
  return `tasks-${process.pid}-${tableCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Registers hooks that run one in-memory dynalite per file and a fresh task table per test (or file). */
export function useEmbeddedStore(
  options: { clock?: Clock; tablePerTest?: boolean } = {},
): EmbeddedStoreFixture {
  let dynamo: EmbeddedDynamo | undefined;
  let documentClient: DynamoDBDocumentClient | undefined;
  let current: { store: DynamoTaskStore; schedules: DynamoScheduleRepository; tableName: string } | undefined;

  const started = () => {
    if (!dynamo || !documentClient)
      throw new Error('useEmbeddedStore: read the fixture inside a test or hook');
    return { dynamo, documentClient };
  };
  const table = () => {
    if (!current) throw new Error('useEmbeddedStore: read the fixture inside a test or hook');
    return current;
  };
  const makeTable = async (clock?: Clock) => {
    const { dynamo: server, documentClient: client } = started();
    const tableName = uniqueTableName();
    await ensureTable(server.client, tableName);
    return {
      tableName,
      store: new DynamoTaskStore({ client, tableName, ...(clock ? { clock } : {}) }),
      schedules: new DynamoScheduleRepository({ client, tableName }),
    };
  };

  beforeAll(async () => {
    dynamo = await startEmbeddedDynamo();
    documentClient = createDocumentClient(dynamo.client);
    if (options.tablePerTest === false) current = await makeTable(options.clock);
  });
  afterAll(async () => {
    await dynamo?.close();
  });
  if (options.tablePerTest !== false) {
    beforeEach(async () => {
      current = await makeTable(options.clock);
    });
  }

  return {
    get store() {
      return table().store;
    },
    get schedules() {
      return table().schedules;
    },
    get client() {
      return started().dynamo.client;
    },
    get documentClient() {
      return started().documentClient;
    },
    get tableName() {
      return table().tableName;
    },
    get endpoint() {
      return started().dynamo.endpoint;
    },
    async newStore(storeOptions = {}) {
      const made = await makeTable(storeOptions.clock ?? options.clock);
      return { store: made.store, tableName: made.tableName };
    },
  };
}
