import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { TaskFilter, TaskSummary } from '../scheduling/ports.ts';
import { ScheduleSpec } from '../tasks/schedule-spec.ts';
import { TaskLink, TaskState } from '../tasks/task.ts';
import { TaskSource } from '../tasks/task-source.ts';
import { itemKeys, parseStoredItem } from './task-table.ts';

type Item = Record<string, unknown>;

/**
 * The attributes a task summary needs. `channelIds` is absent on cleanup tasks; `metadata.nextRunAt` comes
 * back nested under `metadata`. Every name is aliased: several (name, state, …) are DynamoDB reserved words.
 */
const SUMMARY_ATTRIBUTES = [
  'id',
  'guildId',
  'name',
  'kind',
  'state',
  'schedule',
  'timeZone',
  'channelIds',
  'source',
  'pausedUntil',
  'subscribers',
  'after',
] as const;
export const SUMMARY_PROJECTION = [
  ...SUMMARY_ATTRIBUTES.map((a) => `#p_${a}`),
  '#p_metadata.#p_nextRunAt',
].join(', ');
export const SUMMARY_NAMES: Record<string, string> = Object.fromEntries([
  ...SUMMARY_ATTRIBUTES.map((a) => [`#p_${a}`, a]),
  ['#p_metadata', 'metadata'],
  ['#p_nextRunAt', 'nextRunAt'],
]);

/**
 * A stored summary is checked as far as a list uses it; the full Task schema (time zone lookups, every
 * destination) is for reads that act on the task.
 */
const StoredSummary = z.object({
  id: z.string(),
  guildId: z.string(),
  name: z.string(),
  kind: z.enum(['summary', 'cleanup']),
  state: TaskState,
  schedule: ScheduleSpec,
  timeZone: z.string(),
  channelIds: z.array(z.string()).default([]),
  source: TaskSource.optional(),
  pausedUntil: z.string().optional(),
  subscribers: z.array(z.object({ userId: z.string() })).optional(),
  after: TaskLink.optional(),
  metadata: z.object({ nextRunAt: z.string().optional() }).optional(),
});

/** A task summary from its projected item. */
export function toSummary(item: Item): TaskSummary {
  const { metadata, subscribers, ...rest } = parseStoredItem(StoredSummary, item, 'task summary');
  return {
    ...rest,
    ...(metadata?.nextRunAt !== undefined ? { nextRunAt: metadata.nextRunAt } : {}),
    ...(subscribers && subscribers.length > 0 ? { subscriberIds: subscribers.map((s) => s.userId) } : {}),
  };
}

/** Lists are ordered by name, then id. */
export const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name, 'en') || a.id.localeCompare(b.id);

/** The query for a guild's tasks, with the filter as a FilterExpression (one partition either way). */
export function guildTasksQuery(
  guildId: string,
  filter: TaskFilter,
): Omit<QueryCommandInput, 'TableName'> & { ExpressionAttributeNames?: Record<string, string> } {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':pk': itemKeys.guildPartition(guildId),
    ':prefix': itemKeys.taskSortPrefix,
  };
  if (filter.channelId !== undefined) {
    conditions.push('contains(channelIds, :channel)');
    values[':channel'] = filter.channelId;
  }
  if (filter.state !== undefined) {
    conditions.push('#state = :state');
    names['#state'] = 'state';
    values[':state'] = filter.state;
  }
  if (filter.kind !== undefined) {
    conditions.push('#kind = :kind');
    names['#kind'] = 'kind';
    values[':kind'] = filter.kind;
  }
  return {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND ') } : {}),
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ExpressionAttributeValues: values,
    ConsistentRead: true,
  };
}

/** Every page of a query (or the first `limit` matching items); filters apply after DynamoDB's page limit. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  table: string,
  input: Omit<QueryCommandInput, 'TableName'>,
  limit?: number,
): Promise<Item[]> {
  const items: Item[] = [];
  if (limit !== undefined && limit <= 0) return items;
  const pages = paginateQuery(
    { client: client, ...(limit !== undefined ? { pageSize: Math.max(limit, 25) } : {}) },
    { TableName: table, ...input },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      items.push(item);
      if (limit !== undefined && items.length >= limit) return items;
    }
  }
  return items;
}
