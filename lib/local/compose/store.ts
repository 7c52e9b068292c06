import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoScheduleRepository } from '../../dynamo/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../../dynamo/dynamo-task-store.ts';
import { ensureTable } from '../../dynamo/task-table.ts';
import type { Logger } from '../../observability/logger.ts';
import { LOCAL_TABLE_NAME } from '../cli-context.ts';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../embedded-dynamo.ts';
import type { ShutdownSteps } from '../shutdown-steps.ts';
import { checkTaskCount, countTasks, startTaskCounter, totalTasks } from '../task-count.ts';

/** The local store: the embedded DynamoDB under `<DATA_DIR>/db` and the adapters on its one table. */
export interface LocalStore {
  dynamo: EmbeddedDynamo;
  documentClient: DynamoDBDocumentClient;
  tableName: string;
  store: DynamoTaskStore;
  repository: DynamoScheduleRepository;
  /** Tasks found at start, and how many of them are active. */
  found: { tasks: number; active: number };
  /** What the operator must hear at start (a store that opened with fewer tasks than it held). */
  warnings: string[];
}

/** Opens the embedded store, counts what it holds, and keeps counting while the runtime runs. */
export async function openLocalStore(
  dataDir: string,
  logger: Logger,
  report: (line: string) => void,
  steps: ShutdownSteps,
): Promise<LocalStore> {
  const dynamo = await startEmbeddedDynamo({ path: join(dataDir, 'db') });
  steps.push(() => dynamo.close());
  if (dynamo.uncleanStop?.repaired) {
    report(
      `The store was not closed cleanly last time: ${dynamo.uncleanStop.repaired} state index entries repaired.`,
    );
  }
  await ensureTable(dynamo.client, LOCAL_TABLE_NAME);
  const documentClient = createDocumentClient(dynamo.client);
  const store = new DynamoTaskStore({ client: documentClient, tableName: LOCAL_TABLE_NAME });
  const repository = new DynamoScheduleRepository({ client: documentClient, tableName: LOCAL_TABLE_NAME });
  // Counted before anything runs: a store that lost tasks (a damaged log) is named now, not as "No tasks."
  const counted = await countTasks(store);
  const warnings: string[] = [];
  const lost = await checkTaskCount(dataDir, totalTasks(counted));
  if (lost) {
    warnings.push(lost);
    logger.error(lost);
  }
  const counter = startTaskCounter({
    dataDir,
    writes: () => dynamo.writes(),
    store,
    onError: (error) => logger.error('tasks could not be counted', { error }),
  });
  // Pushed after the store's close, so it runs before it: the last count is taken with the runs done.
  steps.push(() => counter.stop());
  return {
    dynamo,
    documentClient,
    tableName: LOCAL_TABLE_NAME,
    store,
    repository,
    found: { tasks: totalTasks(counted), active: counted.active },
    warnings,
  };
}
