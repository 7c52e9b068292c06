import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { type AwsConfig, AwsEnv, parseEnv } from '../config.ts';
import type { Deliverers } from '../delivery/deliverer.ts';
import type { EmailSender } from '../delivery/email.ts';
import type { FileStore } from '../delivery/file.ts';
import { createDeliverers } from '../delivery/index.ts';
import { WebhookDeliverer } from '../delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../discord/rest.ts';
import { DeliveryError } from '../errors.ts';
import { TaskExecutor } from '../execution/task-executor.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { EmfRunMetrics, type RunMetrics } from '../observability/metrics.ts';
import { systemClock } from '../scheduling/ports.ts';
import { TaskScheduler } from '../scheduling/task-scheduler.ts';
import { createSummarizer } from '../summarization/index.ts';
import { type DiscordSecret, loadDiscordSecret } from './discord-secret.ts';
import { createDocumentClient, DynamoTaskStore } from './dynamo-task-store.ts';
import { EventBridgeScheduleGateway } from './eventbridge-schedules.ts';
import { S3FileStore } from './s3-file-store.ts';
import { SesEmailSender } from './ses-email-sender.ts';

/**
 * Everything a Lambda function of this app needs, built once per container: configuration (parsed and
 * checked at cold start), SDK clients, adapters and services. Handlers import this and stay thin.
 */
export interface AwsRuntime {
  config: AwsConfig;
  logger: Logger;
  metrics: RunMetrics;
  store: DynamoTaskStore;
  scheduler: TaskScheduler;
  lambda: LambdaClient;
  /** The Discord secret, read once per container on first use. */
  discordSecret(): Promise<DiscordSecret>;
  /** The executor, ready once the Discord secret is read. */
  executor(): Promise<TaskExecutor>;
}

/** Builds the runtime for one function; `service` names it in logs and metrics. */
export function createAwsRuntime(service: string, env: NodeJS.ProcessEnv = process.env): AwsRuntime {
  const config = parseEnv(AwsEnv, env);
  const logger = createLogger(service, config.LOG_LEVEL);
  const metrics = new EmfRunMetrics(`${service}-${config.STAGE}`);
  const dynamo = createDocumentClient(new DynamoDBClient({}));
  const store = new DynamoTaskStore({ client: dynamo, tableName: config.TASK_TABLE_NAME });
  const schedules = new EventBridgeScheduleGateway({
    client: new SchedulerClient({}),
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
  });
  const secrets = new SecretsManagerClient({});
  let secret: Promise<DiscordSecret> | undefined;
  const discordSecret = (): Promise<DiscordSecret> => {
    secret ??= loadDiscordSecret(secrets, config.DISCORD_SECRET_ARN).catch((error: unknown) => {
      secret = undefined; // a failed read is retried by the next invocation, not cached
      throw error;
    });
    return secret;
  };
  let executor: Promise<TaskExecutor> | undefined;
  const buildExecutor = async () => {
    const { botToken } = await discordSecret();
    const discord = new DiscordRestClient({ rest: createDiscordRest({ token: botToken }) });
    const deliverers: Deliverers = createDeliverers({
      poster: discord,
      webhook: new WebhookDeliverer({}),
      emailSender: config.SES_FROM_ADDRESS
        ? new SesEmailSender({ client: new SESv2Client({}), from: config.SES_FROM_ADDRESS })
        : notConfigured<EmailSender>('e-mail', 'SES_FROM_ADDRESS'),
      fileStore: config.SUMMARIES_BUCKET
        ? new S3FileStore({ client: new S3Client({}), bucket: config.SUMMARIES_BUCKET })
        : notConfigured<FileStore>('file', 'SUMMARIES_BUCKET'),
    });
    return new TaskExecutor({
      store,
      messages: discord,
      summarizer: createSummarizer(config, new BedrockRuntimeClient({})),
      deliverers,
      poster: discord,
      tasks: scheduler,
      clock: systemClock,
      logger,
      metrics,
      settings: {
        runRetentionDays: config.RUN_RETENTION_DAYS,
        maxConsecutiveFailures: config.MAX_CONSECUTIVE_FAILURES,
      },
    });
  };
  return {
    config,
    logger,
    metrics,
    store,
    scheduler,
    lambda: new LambdaClient({}),
    discordSecret,
    executor: () => {
      executor ??= buildExecutor().catch((error: unknown) => {
        executor = undefined;
        throw error;
      });
      return executor;
    },
  };
}

/** A destination kind this deployment was not configured for: its deliveries fail with a clear reason. */
function notConfigured<T extends EmailSender | FileStore>(kind: string, variable: string): T {
  const fail = async (): Promise<never> => {
    throw new DeliveryError(
      `${kind} destinations are not configured for this deployment (${variable} is not set)`,
    );
  };
  return { send: fail, write: fail } as unknown as T;
}
