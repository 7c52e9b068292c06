import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import type { BotFunction, BotFunctions } from './bot-functions.ts';
import type { DiscordSecret } from './discord-secret.ts';
import type { Scheduling } from './scheduling.ts';
import type { TaskTable } from './task-table.ts';

/** How long a dead letter waits to be handled: the SQS maximum, time enough to fix and redrive by hand. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * The dead-letter queue both EventBridge Scheduler (an invocation it could not deliver) and Lambda (a run
 * that failed after its async retries) send to, and the handler that records each failure, disables a
 * task after repeated failure and tells the guild.
 */
export class FailureHandling extends Construct {
  readonly queue: sqs.Queue;
  readonly handler: BotFunction;

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StackConfig;
      functions: BotFunctions;
      table: TaskTable;
      scheduling: Scheduling;
      secret: DiscordSecret;
    },
  ) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      // Longer than the handler's timeout (6 x), as Lambda's SQS event source requires.
      visibilityTimeout: Duration.minutes(6),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the Lambda async invocations and the schedules; a message ' +
        'its handler cannot process stays here (batch item failure) until it is handled or expires in 14 days.',
    });
    // Scheduler sends dead letters as the schedule's execution role: the Scheduler guide asks for
    // sqs:SendMessage in that role's policy (configuring-schedule-dlq.html, "Set up execution role
    // permissions"). The queue policy names the role as well, so the queue says who may write to it.
    props.scheduling.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }),
    );
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:SendMessage'],
        principals: [new iam.ArnPrincipal(props.scheduling.role.roleArn)],
        resources: [this.queue.queueArn],
      }),
    );
    props.functions.addEnvironment('DEAD_LETTER_QUEUE_ARN', this.queue.queueArn);

    this.handler = props.functions.create(this, 'Handler', {
      entry: 'dead-letters',
      description: 'Records dead-lettered runs, disables tasks that keep failing and tells the guild',
      memorySize: 256,
      timeout: Duration.minutes(1),
    });
    this.handler.fn.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    props.table.grantReadWrite(this.handler.fn);
    props.scheduling.grantDisable(this.handler.fn);
    props.secret.grantRead(this.handler.fn);
  }
}
