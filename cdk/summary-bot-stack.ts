import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackConfig } from './config.ts';
import { BotFunctions } from './constructs/bot-functions.ts';
import { DiscordSecret } from './constructs/discord-secret.ts';
import { Executor } from './constructs/executor.ts';
import { FailureHandling } from './constructs/failure-handling.ts';
import { InteractionsEndpoint } from './constructs/interactions-endpoint.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Reconcile } from './constructs/reconcile.ts';
import { Scheduling } from './constructs/scheduling.ts';
import { SummariesBucket } from './constructs/summaries-bucket.ts';
import { TaskTable } from './constructs/task-table.ts';

export interface SummaryBotStackProps extends StackProps {
  config: StackConfig;
}

/** The whole bot in one stack: each construct owns its resources, environment variables and grants. */
export class SummaryBotStack extends Stack {
  readonly functions: BotFunctions;
  readonly table: TaskTable;
  readonly secret: DiscordSecret;
  readonly bucket: SummariesBucket;
  readonly scheduling: Scheduling;
  readonly failures: FailureHandling;
  readonly executor: Executor;
  readonly interactions: InteractionsEndpoint;
  readonly reconcile: Reconcile;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: SummaryBotStackProps) {
    super(scope, id, props);
    const { config } = props;
    const functions = new BotFunctions(this, 'Functions', config);
    const base = { config, functions };
    this.functions = functions;
    this.table = new TaskTable(this, 'Tasks', base);
    this.secret = new DiscordSecret(this, 'Discord', base);
    this.bucket = new SummariesBucket(this, 'Summaries', base);
    this.scheduling = new Scheduling(this, 'Scheduling', base);
    this.failures = new FailureHandling(this, 'Failures', {
      ...base,
      table: this.table,
      scheduling: this.scheduling,
      secret: this.secret,
    });
    this.executor = new Executor(this, 'Executor', {
      ...base,
      table: this.table,
      scheduling: this.scheduling,
      failures: this.failures,
      secret: this.secret,
      bucket: this.bucket,
    });
    this.interactions = new InteractionsEndpoint(this, 'Interactions', {
      ...base,
      table: this.table,
      scheduling: this.scheduling,
      executor: this.executor,
      secret: this.secret,
    });
    this.reconcile = new Reconcile(this, 'Reconcile', {
      ...base,
      table: this.table,
      scheduling: this.scheduling,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      interactions: this.interactions.function.fn,
      interactionWorker: this.interactions.worker.fn,
      executor: this.executor.function.fn,
      deadLetterHandler: this.failures.handler.fn,
      reconcile: this.reconcile.function.fn,
      deadLetterQueue: this.failures.queue,
    });
    if (config.sesFromAddress) functions.addEnvironment('SES_FROM_ADDRESS', config.sesFromAddress);

    new CfnOutput(this, 'InteractionsUrl', {
      value: this.interactions.url.url,
      description: 'Paste into Discord Developer Portal > General Information > Interactions Endpoint URL',
    });
    new CfnOutput(this, 'TableName', {
      value: this.table.table.tableName,
      description: 'TASK_TABLE_NAME for the CLI',
    });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduling.groupName });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.failures.queue.queueUrl });
    new CfnOutput(this, 'DashboardUrl', { value: this.monitoring.dashboardUrl });
    new CfnOutput(this, 'DiscordSecretName', {
      value: this.secret.secretName,
      description:
        'Fill with: aws secretsmanager put-secret-value --secret-id <this> --secret-string file://discord.json',
    });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    // With TableName and ScheduleGroupName, what the CLI needs to manage tasks in AWS (docs/DEPLOY.md).
    new CfnOutput(this, 'SchedulerRoleArn', { value: this.scheduling.role.roleArn });
    new CfnOutput(this, 'ExecutorFunctionArn', { value: this.executor.functionArn });
    new CfnOutput(this, 'DeadLetterQueueArn', { value: this.failures.queue.queueArn });
  }
}
