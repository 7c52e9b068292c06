import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import { type BotFunction, type BotFunctions, functionName } from './bot-functions.ts';
import type { DiscordSecret } from './discord-secret.ts';
import type { Executor } from './executor.ts';
import type { Scheduling } from './scheduling.ts';
import type { TaskTable } from './task-table.ts';

/** Discord answers nothing after 3 s; the function stops a little later so a stuck call cannot bill on. */
export const INTERACTIONS_TIMEOUT = Duration.seconds(10);

/** A handed-off command: an attachment download and up to 25 schedules, with the SDK's own retries. */
export const WORKER_TIMEOUT = Duration.minutes(2);

/**
 * The interaction token the worker edits the reply with lives 15 minutes; an event Lambda could not
 * start before then would do work nobody is shown, so it is dropped instead.
 */
export const WORKER_MAX_EVENT_AGE = Duration.minutes(14);

/**
 * Discord's interactions endpoint: a function behind a Function URL. The URL has no IAM auth because
 * Discord cannot sign AWS requests; every request is verified by its Ed25519 signature before anything
 * else, and reserved concurrency (when turned on) bounds what a flood of (rejected) requests can cost.
 * Beside it, the worker that finishes slow commands the endpoint answered "thinking…".
 */
export class InteractionsEndpoint extends Construct {
  readonly function: BotFunction;
  readonly url: lambda.FunctionUrl;
  readonly worker: BotFunction;
  /** Formed from the fixed name, so every function's environment can carry it without a cycle. */
  readonly workerArn: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StackConfig;
      functions: BotFunctions;
      table: TaskTable;
      scheduling: Scheduling;
      executor: Executor;
      secret: DiscordSecret;
    },
  ) {
    super(scope, id);
    const concurrency = props.config.interactionsConcurrency;
    this.function = props.functions.create(this, 'Function', {
      entry: 'interactions',
      description:
        'Discord interactions endpoint: verifies, routes slash commands, hands work to the executor',
      // More memory is more CPU: the cold start must fit Discord's 3 s deadline.
      memorySize: 1024,
      timeout: INTERACTIONS_TIMEOUT,
      ...(concurrency === 'off' ? {} : { reservedConcurrentExecutions: concurrency }),
    });
    const { fn } = this.function;
    this.url = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

    this.workerArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: functionName(props.config.stage, 'interaction-worker'),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    props.functions.addEnvironment('INTERACTION_WORKER_FUNCTION_ARN', this.workerArn);
    this.worker = props.functions.create(this, 'Worker', {
      entry: 'interaction-worker',
      description:
        'Finishes slow slash commands (import, run, large edits, those that read Discord first) and edits their reply',
      memorySize: 512,
      timeout: WORKER_TIMEOUT,
    });
    // No retries: a retried import would be applied twice, and every failure of the work itself is
    // already the reply the admin sees.
    this.worker.fn.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: WORKER_MAX_EVENT_AGE });

    // The worker runs what the endpoint would have run: both get the same grants.
    for (const handler of [fn, this.worker.fn]) {
      props.table.grantReadWrite(handler);
      props.table.grantBatchWrite(handler);
      props.scheduling.grantManage(handler);
      props.secret.grantRead(handler);
      props.executor.grantInvokeAsync(handler);
    }
    iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.workerArn],
    });
  }
}
