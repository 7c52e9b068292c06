import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Deliverers } from '../delivery/deliverer.ts';
import type { EmailSender } from '../delivery/email.ts';
import type { FileStore } from '../delivery/file.ts';
import { createDeliverers } from '../delivery/index.ts';
import { WebhookDeliverer } from '../delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../discord/rest.ts';
import { DiscordRunSources } from '../discord/run-sources.ts';
import { DynamoTokenUsageStore } from '../dynamo/dynamo-token-usage-store.ts';
import { DeliveryError } from '../errors.ts';
import { TaskExecutor } from '../execution/task-executor.ts';
import { serverTokenBudget } from '../execution/token-budget.ts';
import { systemClock } from '../shared/clock.ts';
import { lazy } from '../shared/lazy.ts';
import { createSummarizer, resolveSummarizerSettings } from '../summarization/llm/index.ts';
import type { AwsRuntime } from './aws-runtime.ts';
import { LambdaExecutorInvoker } from './lambda-executor-invoker.ts';
import { S3FileStore } from './s3-file-store.ts';
import { SesEmailSender } from './ses-email-sender.ts';

/**
 * The executor of one container, built on first use (once the Discord secret is read) and then reused.
 * Kept apart from `aws-runtime.ts` so only the functions that run tasks bundle Discord REST, S3, SES and
 * the AI SDK: the interactions function answers Discord within 3 s and must start fast.
 */
export function lazyAwsExecutor(runtime: AwsRuntime): () => Promise<TaskExecutor> {
  // A failed build (secret unreadable) is retried by the next invocation.
  return lazy(() => buildExecutor(runtime));
}

async function buildExecutor(runtime: AwsRuntime): Promise<TaskExecutor> {
  const { config, store, dynamo, scheduler, logger, metrics } = runtime;
  const { botToken, anthropicApiKey, openaiApiKey } = await runtime.discordSecret();
  // The keys live in the stack's secret on AWS, never in the environment; a missing one fails here, loudly.
  const summarizerSettings = resolveSummarizerSettings(
    config,
    { anthropic: anthropicApiKey, openai: openaiApiKey },
    { anthropic: 'anthropicApiKey in the Discord secret', openai: 'openaiApiKey in the Discord secret' },
  );
  const discord = new DiscordRestClient({ rest: createDiscordRest({ token: botToken }) });
  const deliverers: Deliverers = createDeliverers({
    poster: discord,
    threads: discord.threads,
    webhook: new WebhookDeliverer({}),
    emailSender: config.SES_FROM_ADDRESS
      ? new SesEmailSender({ client: new SESv2Client({}), from: config.SES_FROM_ADDRESS })
      : notConfigured<EmailSender>('e-mail', 'SES_FROM_ADDRESS'),
    fileStore: config.SUMMARIES_BUCKET
      ? new S3FileStore({ client: new S3Client({}), bucket: config.SUMMARIES_BUCKET })
      : notConfigured<FileStore>('file', 'SUMMARIES_BUCKET'),
  });
  const budget = serverTokenBudget({
    store,
    usage: new DynamoTokenUsageStore({ client: dynamo, tableName: config.TASK_TABLE_NAME }),
    defaultLimit: summarizerSettings.defaultDailyTokenBudget,
    clock: systemClock,
  });
  return new TaskExecutor({
    store,
    discord: discord,
    sources: new DiscordRunSources(() => discord.guildReads()),
    summarizer: await createSummarizer(summarizerSettings, { logger, budget }),
    deliverers,
    tasks: scheduler,
    // Followers (`after`) are started as this function's own asynchronous invocations: each gets Lambda's
    // retries and dead-letter queue like a scheduled run, and its claim is keyed by the upstream run.
    followers: new LambdaExecutorInvoker({
      client: runtime.lambda,
      functionName: config.EXECUTOR_FUNCTION_ARN,
    }),
    clock: systemClock,
    logger,
    metrics,
    settings: {
      runRetentionDays: config.RUN_RETENTION_DAYS,
      maxConsecutiveFailures: config.MAX_CONSECUTIVE_FAILURES,
    },
  });
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
