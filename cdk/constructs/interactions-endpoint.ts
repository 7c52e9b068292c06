import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import type { BotFunction, BotFunctions } from './bot-functions.ts';
import type { DiscordSecret } from './discord-secret.ts';
import type { Executor } from './executor.ts';
import type { Scheduling } from './scheduling.ts';
import type { TaskTable } from './task-table.ts';

/** Discord answers nothing after 3 s; the function stops a little later so a stuck call cannot bill on. */
export const INTERACTIONS_TIMEOUT = Duration.seconds(10);

/**
 * Discord's interactions endpoint: a function behind a Function URL. The URL has no IAM auth because
 * Discord cannot sign AWS requests; every request is verified by its Ed25519 signature before anything
 * else, and reserved concurrency bounds what a flood of (rejected) requests can cost.
 */
export class InteractionsEndpoint extends Construct {
  readonly function: BotFunction;
  readonly url: lambda.FunctionUrl;

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
    props.table.grantReadWrite(fn);
    props.table.grantBatchWrite(fn);
    props.scheduling.grantManage(fn);
    props.secret.grantRead(fn);
    props.executor.grantInvokeAsync(fn);
  }
}
