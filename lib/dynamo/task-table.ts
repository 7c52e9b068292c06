/**
 * The task table's shape, in one place: the CDK construct, the DynamoDB adapters, the embedded runtime
 * and the tests all build the table and its keys from these definitions, so they cannot drift apart.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type * as z from 'zod';

/** Attribute and index names of the task table. */
export const TASK_TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Global secondary index listing tasks of every guild by state (reconcile, stats, re-arming). */
  stateIndexName: 'byState',
  stateIndexPartitionKey: 'gsi1pk',
  stateIndexSortKey: 'gsi1sk',
  /** Epoch seconds; the table's TTL attribute (run records and dead letters carry it, tasks never do). */
  ttlAttribute: 'expiresAt',
} as const;

/** The attributes that exist only to key an item; stripped before an item is parsed back into a model. */
export const KEY_ATTRIBUTES = [
  TASK_TABLE_KEYS.partitionKey,
  TASK_TABLE_KEYS.sortKey,
  TASK_TABLE_KEYS.stateIndexPartitionKey,
  TASK_TABLE_KEYS.stateIndexSortKey,
] as const;

/**
 * The state index is sharded: a task sits under `STATE#<state>#<0-9>`, its shard a hash of its id, and a
 * listing queries the shards in parallel. One `STATE#active` key would take a write for every run of every
 * task in every server (each run updates the task item, projected whole into the index); a partition takes
 * at most 1,000 write units a second, and a throttled index write fails the table write with it. Ten shards
 * carry ten times that: tasks summarizing at the top of the hour across thousands of servers stay below it.
 */
export const STATE_INDEX_SHARDS = 10;

/** The shard of a task in the state index: FNV-1a of its id, so every writer agrees without a lookup. */
export function stateShard(taskId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < taskId.length; i++) {
    hash ^= taskId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % STATE_INDEX_SHARDS;
}

/**
 * Instants inside keys are normalised to `Date#toISOString()` so that two spellings of the same instant
 * (`…T00:00:00Z` and `…T00:00:00.000Z`, or an offset) address the same item and sort chronologically.
 */
export function keyInstant(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`expected an ISO instant in a key, got "${iso}"`);
  return date.toISOString();
}

/** Key builders for every item type in the table. */
export const itemKeys = {
  guildPartition: (guildId: string) => `GUILD#${guildId}`,
  taskSortPrefix: 'TASK#',
  task: (guildId: string, taskId: string) => ({ pk: `GUILD#${guildId}`, sk: `TASK#${taskId}` }),
  taskState: (state: string, guildId: string, taskId: string) => ({
    gsi1pk: `STATE#${state}#${stateShard(taskId)}`,
    gsi1sk: `GUILD#${guildId}#TASK#${taskId}`,
  }),
  /**
   * Every partition of the index holding tasks in `state`: the shards, and the unsharded key that items
   * written before sharding still carry (each moves to its shard at its next write).
   */
  stateIndexPartitions: (state: string): string[] => [
    ...Array.from({ length: STATE_INDEX_SHARDS }, (_, shard) => `STATE#${state}#${shard}`),
    `STATE#${state}`,
  ],
  guildConfig: (guildId: string) => ({ pk: `GUILD#${guildId}`, sk: 'CONFIG' }),
  runPartition: (taskId: string) => `TASK#${taskId}`,
  runSortPrefix: 'RUN#',
  run: (taskId: string, scheduledTime: string) => ({
    pk: `TASK#${taskId}`,
    sk: `RUN#${keyInstant(scheduledTime)}`,
  }),
  /** LLM tokens a guild spent on one UTC day (`YYYY-MM-DD`), for its daily budget. */
  tokenUsage: (guildId: string, day: string) => ({ pk: `GUILD#${guildId}`, sk: `USAGE#${day}` }),
  /** Recent uses of a rate-limited action in a guild (`summarize#member#<id>`, `summarize#server`). */
  useWindow: (guildId: string, key: string) => ({ pk: `GUILD#${guildId}`, sk: `RATE#${key}` }),
  deadLetterPartition: 'DEADLETTER',
  deadLetter: (receivedAt: string, id: string) => ({
    pk: 'DEADLETTER',
    sk: `${keyInstant(receivedAt)}#${id}`,
  }),
  /** An interaction id applied once (lib/discord/interaction-once.ts); expires by TTL after an hour. */
  interaction: (interactionId: string) => ({ pk: `INTERACTION#${interactionId}`, sk: 'INTERACTION' }),
  schedulePartition: 'SCHEDULE',
  schedule: (name: string) => ({ pk: 'SCHEDULE', sk: name }),
} as const;

/** The CreateTable request for the task table (on-demand capacity, the state index projecting all). */
export function createTableInput(tableName: string): CreateTableCommandInput {
  const k = TASK_TABLE_KEYS;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: k.partitionKey, AttributeType: 'S' },
      { AttributeName: k.sortKey, AttributeType: 'S' },
      { AttributeName: k.stateIndexPartitionKey, AttributeType: 'S' },
      { AttributeName: k.stateIndexSortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: k.partitionKey, KeyType: 'HASH' },
      { AttributeName: k.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: k.stateIndexName,
        KeySchema: [
          { AttributeName: k.stateIndexPartitionKey, KeyType: 'HASH' },
          { AttributeName: k.stateIndexSortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}

/**
 * Creates the table when it does not exist and waits until it is ACTIVE. For the embedded runtime and
 * tests; on AWS the CDK stack owns the table (and its TTL setting, which the embedded server lacks).
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (described.Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName)));
    } catch (createError) {
      // Another process created it between our describe and create: waiting below covers that case.
      if (errorName(createError) !== 'ResourceInUseException') throw createError;
    }
  }
  // The SDK's default first retry delay is 20 s; the embedded server activates a table within
  // milliseconds and DynamoDB within seconds, so start polling fast and back off.
  await waitUntilTableExists(
    { client, maxWaitTime: 120, minDelay: 0.05, maxDelay: 5 },
    { TableName: tableName },
  );
}

/** A stored item failed validation: the table holds data this code cannot read. Never guessed around. */
export class StoredItemError extends Error {
  override name = 'StoredItemError';
}

/** Strips the key attributes from an item and validates the rest with `schema`. */
export function parseStoredItem<S extends z.ZodType>(
  schema: S,
  item: Record<string, unknown>,
  what: string,
): z.infer<S> {
  const attributes: Record<string, unknown> = { ...item };
  for (const key of KEY_ATTRIBUTES) delete attributes[key];
  const result = schema.safeParse(attributes);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`)
      .join('; ');
    throw new StoredItemError(
      `stored ${what} (pk=${String(item.pk)}, sk=${String(item.sk)}) is invalid: ${issues}`,
      { cause: result.error },
    );
  }
  return result.data;
}
