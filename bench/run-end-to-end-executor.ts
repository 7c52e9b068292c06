/**
 * The measured process of figure 5: only what the executor Lambda holds (the TaskExecutor, @discordjs/rest
 * behind DiscordRestClient, the DynamoDB store client, the extractive summarizer, the deliverers). The
 * Discord stand-in, the webhook receiver and the embedded DynamoDB server run in the parent, reached over
 * loopback. bench/run-end-to-end.ts bundles this file with esbuild, as CDK bundles the Lambda, and runs the
 * bundle with plain node: `node --expose-gc run-end-to-end-executor.cjs '<RunConfig JSON>'`.
 * It prints one JSON line (an ExecutorMeasurement).
 */
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { createDeliverers } from '../lib/delivery/index.ts';
import { WebhookDeliverer } from '../lib/delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../lib/discord/rest.ts';
import { DiscordRunSources } from '../lib/discord/run-sources.ts';
import { createDocumentClient, DynamoTaskStore } from '../lib/dynamo/dynamo-task-store.ts';
import { TaskExecutor } from '../lib/execution/task-executor.ts';
import { EmlEmailSender } from '../lib/local/eml-email-sender.ts';
import { LocalFileStore } from '../lib/local/local-file-store.ts';
import { MemoryLogger } from '../lib/observability/logger.ts';
import { CountingRunMetrics } from '../lib/observability/metrics.ts';
import { ExtractiveSummarizer } from '../lib/summarization/extractive.ts';

/** What the parent tells the measured process: where the rig listens and which task to run. */
export const RunConfig = z.object({
  apiUrl: z.url(),
  dynamoEndpoint: z.url(),
  /** The embedded server answers only this access key id. */
  dynamoAccessKeyId: z.string().min(16),
  tableName: z.string().min(1),
  taskId: z.string().min(1),
  guildId: z.string().min(1),
  scheduledTime: z.iso.datetime(),
  dataDir: z.string().min(1),
});
export type RunConfig = z.infer<typeof RunConfig>;

/** What the measured process reports about itself. */
export interface ExecutorMeasurement {
  /** Execute's wall time with the rate-limit waits @discordjs/rest announced subtracted. */
  wallMs: number;
  rateLimitWaitMs: number;
  cpuMs: number;
  /** process.resourceUsage().maxRSS, whole life of the process. */
  peakRssMb: number;
  /** RSS after the executor was built and a full GC, right before the run. */
  baselineRssMb: number;
  outcome: string;
}

const MB = 1_048_576;

/** Builds the executor as functions/executor.ts does (local file store and .eml instead of S3 and SES). */
export async function runExecutor(config: RunConfig): Promise<ExecutorMeasurement> {
  const scheduledTime = new Date(config.scheduledTime);
  // Not createLocalDynamoClient: lib/local/embedded-dynamo.ts loads dynalite at module scope, which the
  // Lambda does not hold. Same settings: the server checks the access key id, not the signature.
  const dynamo = new DynamoDBClient({
    endpoint: config.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: config.dynamoAccessKeyId, secretAccessKey: config.dynamoAccessKeyId },
  });
  const store = new DynamoTaskStore({ client: createDocumentClient(dynamo), tableName: config.tableName });
  const rest = createDiscordRest({ token: 'bench-bot-token', api: config.apiUrl });
  let rateLimitWaitMs = 0;
  rest.on('rateLimited', (info) => {
    rateLimitWaitMs += Math.max(0, info.timeToReset);
  });
  const discord = new DiscordRestClient({ rest });
  const executor = new TaskExecutor({
    store,
    discord,
    sources: new DiscordRunSources(() => discord.guildReads()),
    summarizer: new ExtractiveSummarizer(),
    deliverers: createDeliverers({
      poster: discord,
      webhook: new WebhookDeliverer({ allowLoopback: true, retries: 1, timeoutMs: 10_000 }),
      emailSender: new EmlEmailSender({ dir: join(config.dataDir, 'outbox') }),
      fileStore: new LocalFileStore({ root: join(config.dataDir, 'files') }),
    }),
    tasks: {
      disableTask: async () => {
        throw new Error('the benchmark run was not expected to disable its task');
      },
    },
    clock: { now: () => scheduledTime },
    logger: new MemoryLogger(),
    metrics: new CountingRunMetrics(),
    settings: {},
  });
  try {
    global.gc?.();
    const baselineRssMb = process.memoryUsage().rss / MB;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const outcome = await executor.execute({
      type: 'scheduled',
      taskId: config.taskId,
      guildId: config.guildId,
      scheduledTime: config.scheduledTime,
      executionId: 'bench-1',
      attempt: 1,
    });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      wallMs: wallMs - rateLimitWaitMs,
      rateLimitWaitMs,
      cpuMs: (used.user + used.system) / 1000,
      // maxRSS is in kilobytes.
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      baselineRssMb,
      outcome: JSON.stringify(outcome).slice(0, 4000),
    };
  } finally {
    dynamo.destroy();
  }
}

// A CommonJS bundle has no top-level await; the bundle is only ever started with the config as argument.
if (process.argv[2]?.startsWith('{')) {
  runExecutor(RunConfig.parse(JSON.parse(process.argv[2])))
    .then((m) => {
      process.stdout.write(`${JSON.stringify(m)}\n`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
