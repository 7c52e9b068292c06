/**
 * The state a SIGKILL leaves in dynalite's files when it lands between the two halves of one write: dynalite
 * writes an item's index entries first and the item after, as separate LevelDB records (its putItem,
 * updateItem and deleteItem). Killing a real process there is a matter of luck; this performs the first half
 * with dynalite's own code (`updateIndexes`) on the folder of a stopped store and leaves out the second,
 * so a test gets exactly that state every time.
 */
import { createRequire } from 'node:module';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

interface DynaliteTable {
  TableName: string;
}
interface DynaliteStore {
  db: { close(): Promise<void> };
  getTable(name: string, cb: (error: Error | null, table: DynaliteTable) => void): void;
  getItemDb(name: string): { get(key: string, cb: (error: Error | null, item?: Item) => void): void };
}
interface DynaliteDb {
  create(options: { path: string }): DynaliteStore;
  createKey(item: Item, table: DynaliteTable): string;
  updateIndexes(
    store: DynaliteStore,
    table: DynaliteTable,
    existing: Item | undefined,
    item: Item | undefined,
    cb: (error: Error | null) => void,
  ): void;
}

const require = createRequire(import.meta.url);
const dynaliteDb = createRequire(require.resolve('dynalite'))('./db') as DynaliteDb;

/**
 * For each key, changes the item as `change` says (undefined: delete it; absent before: create it) the way a
 * killed dynalite would have: its index entries are moved to the new item, the item itself is left as it was.
 * The store in `path` must not be open. Items are in DynamoDB's attribute-value form, as dynalite keeps them.
 */
export async function writeIndexesOnly(
  path: string,
  tableName: string,
  changes: { key: { pk: string; sk: string }; change: (item: Item | undefined) => Item | undefined }[],
): Promise<void> {
  const store = dynaliteDb.create({ path });
  try {
    const table = await new Promise<DynaliteTable>((resolve, reject) =>
      store.getTable(tableName, (error, found) => (error ? reject(error) : resolve(found))),
    );
    for (const { key, change } of changes) {
      const keyItem: Item = { pk: { S: key.pk }, sk: { S: key.sk } };
      const existing = await new Promise<Item | undefined>((resolve, reject) =>
        store
          .getItemDb(tableName)
          .get(dynaliteDb.createKey(keyItem, table), (error, item) =>
            error && error.name !== 'NotFoundError' ? reject(error) : resolve(error ? undefined : item),
          ),
      );
      const next = change(existing ? structuredClone(existing) : undefined);
      await new Promise<void>((resolve, reject) =>
        dynaliteDb.updateIndexes(store, table, existing, next, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    }
  } finally {
    await store.db.close();
  }
}
