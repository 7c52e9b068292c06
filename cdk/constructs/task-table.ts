import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { TASK_TABLE_KEYS } from '../../lib/dynamo/task-table.ts';
import type { StackConfig } from '../config.ts';
import { type BotFunctions, dataRemovalPolicy } from './bot-functions.ts';

/** What the DynamoDB adapters do: single-item reads and conditional writes, queries. */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
];

/** Bulk import (`/schedule import`) writes fresh items in batches of 25 and rolls back the same way. */
export const BATCH_ACTIONS = ['dynamodb:BatchWriteItem'];

/**
 * The task table (ARCHITECTURE.md, "The data"): tasks keyed by guild, run records keyed by task, a state
 * index for reconcile and stats. On-demand, point-in-time recovery, TTL on run records.
 */
export class TaskTable extends Construct {
  readonly table: dynamodb.ITable;

  constructor(scope: Construct, id: string, props: { config: StackConfig; functions: BotFunctions }) {
    super(scope, id);
    const k = TASK_TABLE_KEYS;
    if (props.config.existingTableName) {
      // The table a removed stack of this stage retained, or one restored from its point-in-time backups
      // (docs/DEPLOY.md, "Deploy again after a remove"): used as it is, never replaced or deleted by this
      // stack; its TTL and point-in-time recovery settings stay as they were set on it.
      this.table = dynamodb.Table.fromTableName(this, 'Table', props.config.existingTableName);
      props.functions.addEnvironment('TASK_TABLE_NAME', this.table.tableName);
      return;
    }
    const retained = props.config.stage !== 'dev';
    const table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: k.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: k.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: k.ttlAttribute,
      removalPolicy: dataRemovalPolicy(props.config),
      // The table holds every guild's tasks: outside development, deleting it takes two deliberate steps.
      deletionProtection: retained,
    });
    table.addGlobalSecondaryIndex({
      indexName: k.stateIndexName,
      partitionKey: { name: k.stateIndexPartitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: k.stateIndexSortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
    this.table = table;
    props.functions.addEnvironment('TASK_TABLE_NAME', table.tableName);
  }

  /**
   * The item operations `lib/aws/dynamo-*.ts` use, on the table and its one index by name: no scans, no
   * batch or table management, and no `index/*` wildcard.
   */
  grantReadWrite(grantee: IGrantable): void {
    Grant.addToPrincipal({
      grantee,
      actions: TABLE_ACTIONS,
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${TASK_TABLE_KEYS.stateIndexName}`],
    });
  }

  /** Batch writes on the table (not its index): only the function that imports tasks needs them. */
  grantBatchWrite(grantee: IGrantable): void {
    Grant.addToPrincipal({ grantee, actions: BATCH_ACTIONS, resourceArns: [this.table.tableArn] });
  }
}
