import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { UseWindowStore } from '../execution/summarize-limit.ts';
import { itemKeys } from './task-table.ts';
import { changeVersioned, type VersionedChange } from './versioned-item.ts';

export interface DynamoUseWindowStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
}

const WindowItem = z.object({
  uses: z.array(z.number().int()),
  version: z.number().int().min(1),
});

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
    const changed = await changeVersioned(
      {
        client: this.#client,
        tableName: this.#table,
        key: itemKeys.useWindow(guildId, key),
        schema: WindowItem,
        label: 'use window',
      },
      (current): VersionedChange<{ allowed: true } | { allowed: false; retryAt: Date }> => {
        const recent = (current?.uses ?? []).filter((use) => use > at - windowMs).sort((a, b) => a - b);
        if (recent.length >= limit) {
          return {
            result: {
              allowed: false,
              retryAt: new Date((recent[recent.length - limit] as number) + windowMs),
            },
          };
        }
        return {
          write: { uses: [...recent, at], expiresAt: Math.ceil((at + windowMs) / 1000) + 60 },
          result: { allowed: true },
        };
      },
    );
    if (changed) return changed.result;
    // Still contended after a few rounds: a burst this dense is over any limit; the caller may retry soon.
    return { allowed: false, retryAt: new Date(at + 1_000) };
  }
}
