import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AwsConfig, AwsEnv, parseEnv } from '../config.ts';
import { createDocumentClient, DynamoTaskStore } from '../dynamo/dynamo-task-store.ts';
import { DynamoUseWindowStore } from '../dynamo/dynamo-use-window-store.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { EmfRunMetrics, type RunMetrics } from '../observability/metrics.ts';
import { schedulingLimitsOf } from '../scheduling/limits.ts';
import { TaskScheduler } from '../scheduling/task-scheduler.ts';
import { systemClock } from '../shared/clock.ts';
import { type DiscordSecret, loadDiscordSecret } from './discord-secret.ts';
import { EventBridgeScheduleGateway } from './eventbridge-schedules.ts';
import { sdkConfigFor } from './sdk-config.ts';

/**
 * Everything a Lambda function of this app needs, built once per container: configuration (parsed and
 * checked at cold start), SDK clients, adapters and services. Handlers import this and stay thin.
 * The executor and its clients (Discord REST, S3, SES, Bedrock) live in `aws-executor.ts`, so the
 * interactions bundle, which never runs a task, does not carry them (cold start, bench figure 1).
 */
export interface AwsRuntime {
  config: AwsConfig;
  logger: Logger;
  metrics: RunMetrics;
  store: DynamoTaskStore;
  /** The task table's document client, for the other adapters on that table (token usage). */
  dynamo: DynamoDBDocumentClient;
  scheduler: TaskScheduler;
  /** Sliding windows of rate-limited actions (`/summarize` per member and per server), in the task table. */
  useWindows: DynamoUseWindowStore;
  lambda: LambdaClient;
  /** The Discord secret, read once per container on first use. */
  discordSecret(): Promise<DiscordSecret>;
}

/** Builds the runtime for one function; `service` names it in logs and metrics. */
export function createAwsRuntime(service: string, env: NodeJS.ProcessEnv = process.env): AwsRuntime {
  const config = parseEnv(AwsEnv, env);
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = new EmfRunMetrics(`${service}-${config.STAGE}`);
  const sdk = () => sdkConfigFor(service);
  const dynamo = createDocumentClient(new DynamoDBClient(sdk()));
  const store = new DynamoTaskStore({ client: dynamo, tableName: config.TASK_TABLE_NAME });
  const schedules = new EventBridgeScheduleGateway({
    client: new SchedulerClient(sdk()),
    groupName: config.SCHEDULE_GROUP_NAME,
    targetArn: config.EXECUTOR_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.DEAD_LETTER_QUEUE_ARN,
    maxEventAgeSeconds: config.SCHEDULE_MAX_EVENT_AGE_SECONDS,
  });
  const scheduler = new TaskScheduler({
    store,
    schedules,
    clock: systemClock,
    warn: (message, error) => logger.warn(message, { error }),
    limits: schedulingLimitsOf(config),
  });
  const secrets = new SecretsManagerClient(sdk());
  let secret: Promise<DiscordSecret> | undefined;
  const discordSecret = (): Promise<DiscordSecret> => {
    secret ??= loadDiscordSecret(secrets, config.DISCORD_SECRET_ARN).catch((error: unknown) => {
      secret = undefined; // a failed read is retried by the next invocation, not cached
      throw error;
    });
    return secret;
  };
  return {
    config,
    logger,
    metrics,
    store,
    dynamo,
    scheduler,
    useWindows: new DynamoUseWindowStore({ client: dynamo, tableName: config.TASK_TABLE_NAME }),
    lambda: new LambdaClient(sdk()),
    discordSecret,
  };
}
