import { isDeepStrictEqual } from 'node:util';
import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
  type ScanCommandInput,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';

/**
 * dynalite keeps a secondary index as separate LevelDB records, written before the item itself and not in
 * one batch with it (its putItem, updateItem and deleteItem: index deletes, index puts, then the item). A
 * process killed between the two leaves an index that disagrees with the items: entries for items never
 * written, entries of an item's previous state (a task still `pending` that the state index lists as
 * `active`), items with no entry. Everything that lists by the index (reconcile, the task count, the
 * status page, run recovery) then misses or invents tasks: a kill during an import once left 25 tasks
 * `pending` that the start's reconcile never saw. DynamoDB keeps its indexes itself; here, after an
 * unclean stop, the indexes are checked against the items and repaired through dynalite's own writes.
 */

type Item = Record<string, AttributeValue>;

/** What one repair pass found and fixed. */
export interface IndexRepairReport {
  /** Index entries and items compared. */
  checked: number;
  /** Entries removed or rewritten so that every index lists exactly its items. */
  repaired: number;
}

/**
 * Makes every secondary index of every table agree with the table's items. Only for a store nothing else
 * writes to meanwhile (a start, before requests are served): the repair rewrites items as they are.
 */
export async function repairIndexes(client: DynamoDBClient): Promise<IndexRepairReport> {
  const report: IndexRepairReport = { checked: 0, repaired: 0 };
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand(start ? { ExclusiveStartTableName: start } : {}));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  for (const name of names) {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: name }));
    for (const index of table?.GlobalSecondaryIndexes ?? []) {
      if (table) await repairIndex(client, table, index, report);
    }
  }
  return report;
}

async function repairIndex(
  client: DynamoDBClient,
  table: TableDescription,
  index: GlobalSecondaryIndexDescription,
  report: IndexRepairReport,
): Promise<void> {
  const tableName = table.TableName as string;
  const tableKeys = (table.KeySchema ?? []).map((k) => k.AttributeName as string);
  const indexKeys = (index.KeySchema ?? []).map((k) => k.AttributeName as string);
  const keyOf = (item: Item) => JSON.stringify(tableKeys.map((name) => item[name]));
  const projected = (item: Item): Item => {
    const projection = index.Projection;
    if (!projection || projection.ProjectionType === 'ALL') return item;
    const kept = [...tableKeys, ...indexKeys, ...(projection.NonKeyAttributes ?? [])];
    return Object.fromEntries(Object.entries(item).filter(([name]) => kept.includes(name)));
  };
  const put = (item: Item) => client.send(new PutItemCommand({ TableName: tableName, Item: item }));

  // The items that belong in the index: those carrying every key attribute of it.
  const filter = indexKeys.map((_, i) => `attribute_exists(#k${i})`).join(' AND ');
  const names = Object.fromEntries(indexKeys.map((name, i) => [`#k${i}`, name]));
  const items = await scanAll(client, {
    TableName: tableName,
    FilterExpression: filter,
    ExpressionAttributeNames: names,
  });
  const entries = await scanAll(client, { TableName: tableName, IndexName: index.IndexName });
  report.checked += items.length + entries.length;
  const itemByKey = new Map(items.map((item) => [keyOf(item), item]));
  const listed = new Set<string>();

  for (const entry of entries) {
    const key = keyOf(entry);
    const item = itemByKey.get(key);
    if (item && isDeepStrictEqual(entry, projected(item))) {
      listed.add(key);
      continue;
    }
    // dynalite drops an index entry only when it rewrites the item the entry was made from: so the entry is
    // written back as the item (which moves the index to it), then the real item, or none, is written again.
    await put({ ...item, ...entry });
    if (item) {
      await put(item);
      listed.add(key);
    } else {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: Object.fromEntries(tableKeys.map((name) => [name, entry[name] as AttributeValue])),
        }),
      );
    }
    report.repaired += 1;
  }
  for (const item of items) {
    if (listed.has(keyOf(item))) continue;
    // An item whose entry was deleted before the kill and not written again: writing it makes the entry.
    await put(item);
    report.repaired += 1;
  }
}

async function scanAll(client: DynamoDBClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
