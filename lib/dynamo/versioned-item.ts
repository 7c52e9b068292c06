import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { parseStoredItem } from './task-table.ts';

/** Where a small counter item lives and how it is checked when read. */
export interface VersionedItem<S extends z.ZodType<{ version: number }>> {
  client: DynamoDBDocumentClient;
  tableName: string;
  key: Record<string, string>;
  schema: S;
  /** Names the item in a parse error ("token usage"). */
  label: string;
}

/** What a change decides from the item read: write these fields (the version is added), or write nothing. */
export type VersionedChange<R> =
  | { write: Record<string, unknown>; result: R }
  | { write?: undefined; result: R };

// Writers of one item landing in the same instant are rare; a handful of rounds settles them.
const MAX_ROUNDS = 5;

/** Reads the item consistently, parsed with its schema; undefined when there is none. */
export async function readVersioned<S extends z.ZodType<{ version: number }>>(
  item: VersionedItem<S>,
): Promise<z.infer<S> | undefined> {
  const { Item } = await item.client.send(
    new GetCommand({ TableName: item.tableName, Key: item.key, ConsistentRead: true }),
  );
  return Item ? parseStoredItem(item.schema, Item, item.label) : undefined;
}

/**
 * Read, change, put conditional on the version read, again when another writer came first (the functions
 * may Get and Put items, not Update them). Returns the change's result, or `undefined` when the item was
 * still contended after a few rounds: the caller says what that means.
 */
export async function changeVersioned<S extends z.ZodType<{ version: number }>, R>(
  item: VersionedItem<S>,
  change: (current: z.infer<S> | undefined) => VersionedChange<R>,
): Promise<{ result: R } | undefined> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const current = await readVersioned(item);
    const decided = change(current);
    if (!decided.write) return { result: decided.result };
    try {
      await item.client.send(
        new PutCommand({
          TableName: item.tableName,
          Item: { ...item.key, ...decided.write, version: (current?.version ?? 0) + 1 },
          ...(current
            ? {
                ConditionExpression: '#version = :version',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':version': current.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        }),
      );
      return { result: decided.result };
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }
  return undefined;
}
