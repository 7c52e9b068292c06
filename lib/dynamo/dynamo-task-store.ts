import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, RunTakenOverError } from '../errors.ts';
import type { ClaimResult, TaskFilter, TaskKey, TaskStore, TaskSummary } from '../scheduling/ports.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { GuildConfig } from '../tasks/guild-config.ts';
import { DeadLetterRecord, RunRecord, type RunStatus } from '../tasks/run-record.ts';
import { Task, type TaskState } from '../tasks/task.ts';
import { batchWrite } from './batch-write.ts';
import { isClaimable, pinRun } from './run-claims.ts';
import {
  byName,
  guildTasksQuery,
  queryAll,
  SUMMARY_NAMES,
  SUMMARY_PROJECTION,
  toSummary,
} from './task-queries.ts';
import { itemKeys, parseStoredItem, TASK_TABLE_KEYS } from './task-table.ts';

/** Wraps a low-level client for the store: `undefined` optional fields are dropped, not rejected. */
export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export interface DynamoTaskStoreOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Decides which run records and dead letters count as expired (TTL deletes lazily). */
  clock?: Clock;
}

type Item = Record<string, unknown>;

// A claim re-reads after losing a race; a handful of rounds only happens under pathological contention.
const MAX_CLAIM_ROUNDS = 5;

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** The TaskStore on DynamoDB (or the embedded DynamoDB-protocol server): one table, keyed by guild. */
export class DynamoTaskStore implements TaskStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #table: string;
  readonly #clock: Clock;

  constructor(options: DynamoTaskStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#clock = options.clock ?? systemClock;
  }

  async createTask(task: Task): Promise<void> {
    const valid = Task.parse(task);
    await this.#conditionalPut(
      { Item: this.#taskItem(valid), ConditionExpression: 'attribute_not_exists(pk)' },
      `task ${valid.id}`,
    );
  }

  async getTask(guildId: string, taskId: string): Promise<Task | undefined> {
    const item = await this.#get(itemKeys.task(guildId, taskId));
    return item ? parseStoredItem(Task, item, 'task') : undefined;
  }

  async updateTask(next: Task, expectedVersion: number): Promise<Task> {
    const stored = Task.parse({ ...next, version: expectedVersion + 1 });
    await this.#conditionalPut(
      {
        Item: this.#taskItem(stored),
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
      `task ${stored.id}`,
    );
    return stored;
  }

  async deleteTask(guildId: string, taskId: string, expectedVersion?: number): Promise<void> {
    const input =
      expectedVersion === undefined
        ? {}
        : {
            // A task already gone is fine; one with another version is a lost update.
            ConditionExpression: 'attribute_not_exists(pk) OR #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          };
    try {
      await this.#client.send(
        new DeleteCommand({ TableName: this.#table, Key: itemKeys.task(guildId, taskId), ...input }),
      );
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(`task ${taskId}`, { cause: error });
      throw error;
    }
  }

  async listTasks(guildId: string, filter: TaskFilter = {}): Promise<Task[]> {
    const items = await queryAll(this.#client, this.#table, guildTasksQuery(guildId, filter));
    return items.map((item) => parseStoredItem(Task, item, 'task')).sort(byName);
  }

  async listTaskSummaries(guildId: string, filter: TaskFilter = {}): Promise<TaskSummary[]> {
    const query = guildTasksQuery(guildId, filter);
    const items = await queryAll(this.#client, this.#table, {
      ...query,
      ProjectionExpression: SUMMARY_PROJECTION,
      ExpressionAttributeNames: { ...query.ExpressionAttributeNames, ...SUMMARY_NAMES },
    });
    return items.map(toSummary).sort(byName);
  }

  async createTasks(tasks: readonly Task[]): Promise<void> {
    // Validated like createTask; no condition, because the ids are fresh (see TaskStore.createTasks).
    const requests = tasks.map((task) => ({ PutRequest: { Item: this.#taskItem(Task.parse(task)) } }));
    await batchWrite(this.#client, this.#table, requests);
  }

  async deleteTasks(keys: readonly TaskKey[]): Promise<void> {
    await batchWrite(
      this.#client,
      this.#table,
      keys.map(({ guildId, taskId }) => ({ DeleteRequest: { Key: itemKeys.task(guildId, taskId) } })),
    );
  }

  async listTasksByState(state: TaskState): Promise<Task[]> {
    const k = TASK_TABLE_KEYS;
    // The shards are queried in parallel (task-table.ts, STATE_INDEX_SHARDS); each is read to its end.
    const shards = await Promise.all(
      itemKeys.stateIndexPartitions(state).map((partition) =>
        queryAll(this.#client, this.#table, {
          IndexName: k.stateIndexName,
          KeyConditionExpression: '#gpk = :gpk',
          ExpressionAttributeNames: { '#gpk': k.stateIndexPartitionKey },
          ExpressionAttributeValues: { ':gpk': partition },
        }),
      ),
    );
    // One order whatever the shard count: by guild, then task (byte order, as DynamoDB sorts the key).
    // A task moving from the unsharded key to its shard can show in both for a moment: kept once.
    const bySortKey = new Map(shards.flat().map((item) => [String(item[k.stateIndexSortKey]), item]));
    const items = [...bySortKey.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => item);
    // The index is eventually consistent: a task that changed state a moment ago may still be listed.
    return items.map((item) => parseStoredItem(Task, item, 'task'));
  }

  async getGuildConfig(guildId: string): Promise<GuildConfig | undefined> {
    const item = await this.#get(itemKeys.guildConfig(guildId));
    return item ? parseStoredItem(GuildConfig, item, 'guild config') : undefined;
  }

  async putGuildConfig(config: GuildConfig, expectedVersion: number): Promise<GuildConfig> {
    const stored = GuildConfig.parse({ ...config, version: expectedVersion + 1 });
    await this.#conditionalPut(
      {
        Item: { ...stored, ...itemKeys.guildConfig(stored.guildId) },
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: '#version = :expected',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':expected': expectedVersion },
            }),
      },
      `the configuration of guild ${stored.guildId}`,
    );
    return stored;
  }

  /**
   * Read, decide, then a conditional put that pins what was read: two racing claimers cannot both win,
   * because the second put's condition no longer holds. (The embedded server lacks
   * ReturnValuesOnConditionCheckFailure, so the loser re-reads instead.)
   */
  async claimRun(run: RunRecord, now: Date): Promise<ClaimResult> {
    const valid = RunRecord.parse(run);
    const key = itemKeys.run(valid.taskId, valid.scheduledTime);
    for (let round = 0; round < MAX_CLAIM_ROUNDS; round++) {
      const item = await this.#get(key);
      const existing = item ? parseStoredItem(RunRecord, item, 'run record') : undefined;
      // An expired record is gone as far as readers are concerned; TTL just has not removed it yet.
      const live = existing && existing.expiresAt > epochSeconds(now) ? existing : undefined;
      if (live && !isClaimable(live, now)) return { claimed: false, existing: live };
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#table,
            Item: { ...valid, ...key },
            ...(existing ? pinRun(existing) : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return live ? { claimed: true, previous: live } : { claimed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Someone else wrote the record since we read it: decide again on what is there now.
      }
    }
    throw new ConflictError(`run ${valid.scheduledTime} of task ${valid.taskId}`);
  }

  /**
   * Records an interaction id as applied (a conditional put, expiring by TTL at `expiresAt`); false when
   * it was there already. A record past its expiry that TTL has not removed yet still counts: ids are
   * never reused, so a match is a replay whatever its age.
   */
  async recordInteraction(interactionId: string, expiresAt: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...itemKeys.interaction(interactionId), [TASK_TABLE_KEYS.ttlAttribute]: expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putRun(run: RunRecord): Promise<void> {
    const valid = RunRecord.parse(run);
    await this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...valid, ...itemKeys.run(valid.taskId, valid.scheduledTime) },
      }),
    );
  }

  async putClaimedRun(run: RunRecord): Promise<void> {
    const valid = RunRecord.parse(run);
    if (valid.claimId === undefined) throw new TypeError('putClaimedRun: the run record carries no claimId');
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#table,
          Item: { ...valid, ...itemKeys.run(valid.taskId, valid.scheduledTime) },
          ConditionExpression: '#claim = :claim',
          ExpressionAttributeNames: { '#claim': 'claimId' },
          ExpressionAttributeValues: { ':claim': valid.claimId },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new RunTakenOverError(
        `the run of ${valid.scheduledTime} of task ${valid.taskId} was taken over by another attempt`,
        { cause: error },
      );
    }
  }

  async getRun(taskId: string, scheduledTime: string): Promise<RunRecord | undefined> {
    const item = await this.#get(itemKeys.run(taskId, scheduledTime));
    if (!item) return undefined;
    const run = parseStoredItem(RunRecord, item, 'run record');
    return run.expiresAt > epochSeconds(this.#clock.now()) ? run : undefined;
  }

  async listRuns(
    taskId: string,
    options: { limit?: number; before?: string; status?: RunStatus } = {},
  ): Promise<RunRecord[]> {
    const values: Record<string, unknown> = {
      ':pk': itemKeys.runPartition(taskId),
      ':now': epochSeconds(this.#clock.now()),
    };
    let keyCondition = 'pk = :pk AND begins_with(sk, :prefix)';
    if (options.before !== undefined) {
      // The run partition holds only RUN# items, so an upper bound alone is enough.
      keyCondition = 'pk = :pk AND sk < :before';
      values[':before'] = itemKeys.run(taskId, options.before).sk;
    } else {
      values[':prefix'] = itemKeys.runSortPrefix;
    }
    const filters = ['#ttl > :now'];
    const names: Record<string, string> = { '#ttl': TASK_TABLE_KEYS.ttlAttribute };
    if (options.status !== undefined) {
      filters.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = options.status;
    }
    const items = await queryAll(
      this.#client,
      this.#table,
      {
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      options.limit,
    );
    return items.map((item) => parseStoredItem(RunRecord, item, 'run record'));
  }

  async deleteRun(taskId: string, scheduledTime: string): Promise<void> {
    await this.#client.send(
      new DeleteCommand({ TableName: this.#table, Key: itemKeys.run(taskId, scheduledTime) }),
    );
  }

  async putDeadLetter(record: DeadLetterRecord): Promise<void> {
    const valid = DeadLetterRecord.parse(record);
    await this.#client.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...valid, ...itemKeys.deadLetter(valid.receivedAt, valid.id) },
      }),
    );
  }

  async listDeadLetters(options: { limit?: number } = {}): Promise<DeadLetterRecord[]> {
    const items = await queryAll(
      this.#client,
      this.#table,
      {
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: '#ttl > :now',
        ExpressionAttributeNames: { '#ttl': TASK_TABLE_KEYS.ttlAttribute },
        ExpressionAttributeValues: {
          ':pk': itemKeys.deadLetterPartition,
          ':now': epochSeconds(this.#clock.now()),
        },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      options.limit,
    );
    return items.map((item) => parseStoredItem(DeadLetterRecord, item, 'dead letter'));
  }

  #taskItem(task: Task): Item {
    return {
      ...task,
      ...itemKeys.task(task.guildId, task.id),
      ...itemKeys.taskState(task.state, task.guildId, task.id),
    };
  }

  async #get(key: { pk: string; sk: string }): Promise<Item | undefined> {
    const result = await this.#client.send(
      new GetCommand({ TableName: this.#table, Key: key, ConsistentRead: true }),
    );
    return result.Item;
  }

  async #conditionalPut(input: Omit<PutCommandInput, 'TableName'>, what: string): Promise<void> {
    try {
      await this.#client.send(new PutCommand({ TableName: this.#table, ...input }));
    } catch (error) {
      if (isConditionFailure(error)) throw new ConflictError(what, { cause: error });
      throw error;
    }
  }
}
