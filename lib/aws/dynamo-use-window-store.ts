import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { UseWindowStore } from '../execution/summarize-limit.ts';
import { itemKeys, parseStoredItem } from './task-table.ts';

export interface DynamoUseWindowStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const WindowItem = z.object({
  uses: z.array(z.number().int()),
  version: z.number().int().min(1),
});

// Requests of one member or server landing in the same instant are rare; a few rounds settle them.
const MAX_ROUNDS = 5;

/**
 * Sliding windows beside the guild's tasks (`GUILD#<id>` / `RATE#<key>`): the times of the uses still in
 * the window, read consistently, then put conditional on the version read (the functions may Get and Put
 * items, not Update them). TTL removes a window a minute after its last use.
 */
export class DynamoUseWindowStore implements UseWindowStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoUseWindowStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
  }

  async tryUse(
    guildId: string,
    key: string,
    limit: number,
    windowMs: number,
    now: Date,
  ): Promise<{ allowed: true } | { allowed: false; retryAt: Date }> {
    const at = now.getTime();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { Item } = await this.#client.send(
        new GetCommand({
          TableName: this.#table,
          Key: itemKeys.useWindow(guildId, key),
          ConsistentRead: true,
        }),
      );
      const current = Item ? parseStoredItem(WindowItem, Item, 'use window') : undefined;
      const recent = (current?.uses ?? []).filter((use) => use > at - windowMs).sort((a, b) => a - b);
      if (recent.length >= limit) {
        return { allowed: false, retryAt: new Date((recent[recent.length - limit] as number) + windowMs) };
      }
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...itemKeys.useWindow(guildId, key),
              uses: [...recent, at],
              version: (current?.version ?? 0) + 1,
              expiresAt: Math.ceil((at + windowMs) / 1000) + 60,
            },
            ...(current
              ? {
                  ConditionExpression: '#version = :version',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': current.version },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    // Still contended after a few rounds: a burst this dense is over any limit; the caller may retry soon.
    return { allowed: false, retryAt: new Date(at + 1_000) };
  }
}
