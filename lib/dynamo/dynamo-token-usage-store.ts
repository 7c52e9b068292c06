import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { ConflictError } from '../errors.ts';
import type { TokenUsageStore } from '../summarization/llm/budget.ts';
import { itemKeys } from './task-table.ts';
import { changeVersioned, readVersioned } from './versioned-item.ts';

export interface DynamoTokenUsageStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const UsageItem = z.object({ tokens: z.number().int().min(0), version: z.number().int().min(1) });

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
    return (await readVersioned(this.#item(guildId, day)))?.tokens ?? 0;
  }

  async addTokensUsed(guildId: string, day: string, tokens: number): Promise<number> {
    const changed = await changeVersioned(this.#item(guildId, day), (current) => {
      const total = (current?.tokens ?? 0) + Math.max(0, Math.round(tokens));
      return {
        write: { tokens: total, expiresAt: Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + KEEP_SECONDS },
        result: total,
      };
    });
    if (!changed) throw new ConflictError(`the token count of guild ${guildId} for ${day}`);
    return changed.result;
  }

  #item(guildId: string, day: string) {
    return {
      client: this.#client,
      tableName: this.#table,
      key: itemKeys.tokenUsage(guildId, day),
      schema: UsageItem,
      label: 'token usage',
    };
  }
}
