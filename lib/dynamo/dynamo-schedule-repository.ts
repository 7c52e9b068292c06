import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
} from '@aws-sdk/lib-dynamodb';
import { type ScheduleDefinitionRepository, StoredSchedule } from '../scheduling/schedule-repository.ts';
import { itemKeys, parseStoredItem } from './task-table.ts';

/** The embedded scheduler's schedule definitions, kept in the task table under `pk=SCHEDULE`. */
export class DynamoScheduleRepository implements ScheduleDefinitionRepository {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(options: { client: DynamoDBDocumentClient; tableName: string }) {
    this.#client = options.client;
    this.#table = options.tableName;
  }

  async put(def: StoredSchedule): Promise<void> {
    const valid = StoredSchedule.parse(def);
    await this.#client.send(
      new PutCommand({ TableName: this.#table, Item: { ...valid, ...itemKeys.schedule(valid.name) } }),
    );
  }

  async delete(name: string): Promise<void> {
    await this.#client.send(new DeleteCommand({ TableName: this.#table, Key: itemKeys.schedule(name) }));
  }

  async get(name: string): Promise<StoredSchedule | undefined> {
    const result = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: itemKeys.schedule(name), ConsistentRead: true }),
    );
    return result.Item ? parseStoredItem(StoredSchedule, result.Item, 'schedule definition') : undefined;
  }

  async list(): Promise<StoredSchedule[]> {
    const schedules: StoredSchedule[] = [];
    const pages = paginateQuery(
      { client: this.#client },
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': itemKeys.schedulePartition },
        ConsistentRead: true,
      },
    );
    // The sort key is the name, so pages arrive ordered by name.
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        schedules.push(parseStoredItem(StoredSchedule, item, 'schedule definition'));
      }
    }
    return schedules;
  }
}
