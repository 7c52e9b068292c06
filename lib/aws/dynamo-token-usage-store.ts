import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../errors.ts';
import type { TokenUsageStore } from '../summarization/llm/budget.ts';
import { itemKeys, parseStoredItem } from './task-table.ts';

export interface DynamoTokenUsageStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const UsageItem = z.object({ tokens: z.number().int().min(0), version: z.number().int().min(1) });

// Two runs of one server finishing in the same instant is rare; a handful of rounds settles it.
const MAX_ROUNDS = 5;
/** A day's count outlives the day by a little, then TTL removes it. */
const KEEP_SECONDS = 3 * 86_400;

/**
 * Daily token counts beside the guild's tasks (`GUILD#<id>` / `USAGE#<day>`). A count is read, then put
 * conditional on the version read (the functions may Get and Put items, not Update them).
 */
export class DynamoTokenUsageStore implements TokenUsageStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: DynamoTokenUsageStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
  }

  async tokensUsed(guildId: string, day: string): Promise<number> {
    return (await this.#read(guildId, day))?.tokens ?? 0;
  }

  async addTokensUsed(guildId: string, day: string, tokens: number): Promise<number> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = await this.#read(guildId, day);
      const next = {
        tokens: (current?.tokens ?? 0) + Math.max(0, Math.round(tokens)),
        version: (current?.version ?? 0) + 1,
      };
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: {
              ...itemKeys.tokenUsage(guildId, day),
              ...next,
              expiresAt: Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_SECONDS,
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
        return next.tokens;
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      }
    }
    throw new ConflictError(`the token count of guild ${guildId} for ${day}`);
  }

  async #read(guildId: string, day: string): Promise<z.infer<typeof UsageItem> | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#table,
        Key: itemKeys.tokenUsage(guildId, day),
        ConsistentRead: true,
      }),
    );
    return Item ? parseStoredItem(UsageItem, Item, 'token usage') : undefined;
  }
}
