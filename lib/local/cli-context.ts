import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { loadDiscordSecret } from '../aws/discord-secret.ts';
import { EventBridgeScheduleGateway } from '../aws/eventbridge-schedules.ts';
import { AwsEnv, CommonEnv, LocalEnv, parseEnv } from '../config.ts';
import type { GuildReads } from '../discord/guild-reads.ts';
import { RestGuildReads } from '../discord/guild-reads.ts';
import { DynamoScheduleRepository } from '../dynamo/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../dynamo/dynamo-task-store.ts';
import { ensureTable } from '../dynamo/task-table.ts';
import { ConfigError } from '../errors.ts';
import { schedulingLimitsOf } from '../scheduling/limits.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import { TaskScheduler } from '../scheduling/task-scheduler.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { SystemTimerClock, type TimerClock } from './clock.ts';
import { createLocalDynamoClient, startEmbeddedDynamo } from './embedded-dynamo.ts';
import { EmbeddedScheduleGateway } from './embedded-scheduler.ts';
import { createPrivateFilesFromNowOn, preparePrivateDir } from './private-data.ts';
import { isProcessAlive } from './process-alive.ts';
import { SandboxClock } from './sandbox/sandbox-clock.ts';
import { readStateFile } from './state-files.ts';
import { checkTaskCount, countTasks, recordTaskCount, totalTasks } from './task-count.ts';

/** The embedded runtime's table name (the CLI and `npm start` must agree on it). */
export const LOCAL_TABLE_NAME = 'summary-bot-tasks';

/** What a CLI command works with, and how to let go of it. */
export interface CliContext {
  scheduler: TaskScheduler;
  store: TaskStore;
  /** The time tasks are created, listed and judged by: the sandbox's own clock on the sandbox's data. */
  clock: Clock;
  /** The data is the sandbox's (its one server is the sample server). */
  sandbox: boolean;
  /** Where the data lives, for messages: a table and group on AWS, or a local folder and endpoint. */
  where: string;
  /**
   * Discord reads with the bot token (for checking an import's channels). ConfigError saying what to set
   * when this environment has no Discord access.
   */
  guildReads(): Promise<GuildReads>;
  close(): Promise<void>;
}

/** The CLI needs the table and the schedule target, not the Discord secret the Lambdas read. */
const CliAwsEnv = CommonEnv.extend({
  TASK_TABLE_NAME: AwsEnv.shape.TASK_TABLE_NAME,
  SCHEDULE_GROUP_NAME: AwsEnv.shape.SCHEDULE_GROUP_NAME,
  SCHEDULER_ROLE_ARN: AwsEnv.shape.SCHEDULER_ROLE_ARN,
  EXECUTOR_FUNCTION_ARN: AwsEnv.shape.EXECUTOR_FUNCTION_ARN,
  DEAD_LETTER_QUEUE_ARN: AwsEnv.shape.DEAD_LETTER_QUEUE_ARN,
  /** Only `tasks import` reads it: the bot token, to check the file's channels with Discord. */
  DISCORD_SECRET_ARN: AwsEnv.shape.DISCORD_SECRET_ARN.optional(),
});

const CliLocalEnv = LocalEnv.pick({
  DATA_DIR: true,
  DISCORD_BOT_TOKEN: true,
  DISCORD_API_URL: true,
  // The CLI imports and edits tasks too: the same limits as the bot, raised the same way.
  MAX_TASKS_PER_SERVER: true,
  MIN_SCHEDULE_INTERVAL_MINUTES: true,
  MAX_SUBSCRIBERS_PER_TASK: true,
});

const NO_DISCORD =
  'tasks import checks that every channel of the file belongs to the server, which needs Discord:';

/** `<DATA_DIR>/runtime.json`, written by a running `npm start`: where its embedded DynamoDB listens. */
const RuntimeFile = z.object({
  dynamoEndpoint: z
    .string()
    .regex(/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/, 'expected a loopback URL'),
  /** Absent in files of versions before the embedded DynamoDB required it: such a bot must be restarted. */
  dynamoAccessKeyId: z.string().min(16).optional(),
  pid: z.number().int().positive(),
  sandbox: z.boolean().optional(),
  /** The sandbox's Discord stand-in and its token. */
  discord: z
    .object({
      api: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+\/api$/, 'expected a loopback URL'),
      token: z.string().min(1),
    })
    .optional(),
});

/** The part of `<DATA_DIR>/sandbox.json` the CLI needs: how far the sandbox's clock is ahead of the wall clock. */
const SandboxClockFile = z.object({ clockOffsetMs: z.number().int().min(0).default(0) });

/**
 * Opens the scheduler for one CLI command. With TASK_TABLE_NAME set it works on AWS (DynamoDB and
 * EventBridge Scheduler). Otherwise it works on the local data: through the running `npm start`'s embedded
 * DynamoDB when `<DATA_DIR>/runtime.json` names a live process (that process owns the LevelDB files), or
 * by starting the embedded server on `<DATA_DIR>/db` for the duration of the command.
 */
export async function openCliContext(env: NodeJS.ProcessEnv = process.env): Promise<CliContext> {
  if (env.TASK_TABLE_NAME) return openAws(env);
  return openLocal(env);
}

function openAws(env: NodeJS.ProcessEnv): CliContext {
  const config = parseEnv(CliAwsEnv, env);
  const dynamo = new DynamoDBClient({});
  const schedulerClient = new SchedulerClient({});
  const store = new DynamoTaskStore({
    client: createDocumentClient(dynamo),
    tableName: config.TASK_TABLE_NAME,
  });
  const schedules = new EventBridgeScheduleGateway({
    client: schedulerClient,
    groupName: config.SCHEDULE_GROUP_NAME,
    targetArn: config.EXECUTOR_FUNCTION_ARN,
    roleArn: config.SCHEDULER_ROLE_ARN,
    deadLetterArn: config.DEAD_LETTER_QUEUE_ARN,
    maxEventAgeSeconds: config.SCHEDULE_MAX_EVENT_AGE_SECONDS,
  });
  const secretArn = config.DISCORD_SECRET_ARN;
  return {
    scheduler: new TaskScheduler({
      store,
      schedules,
      clock: systemClock,
      limits: schedulingLimitsOf(config),
    }),
    store,
    clock: systemClock,
    sandbox: false,
    where: `DynamoDB table ${config.TASK_TABLE_NAME}, schedule group ${config.SCHEDULE_GROUP_NAME}`,
    async guildReads() {
      if (!secretArn)
        throw new ConfigError(`${NO_DISCORD} set DISCORD_SECRET_ARN to the stack's Discord secret`);
      const secrets = new SecretsManagerClient({});
      try {
        const { botToken } = await loadDiscordSecret(secrets, secretArn);
        return new RestGuildReads({ token: botToken });
      } finally {
        secrets.destroy();
      }
    },
    async close() {
      dynamo.destroy();
      schedulerClient.destroy();
    },
  };
}

async function openLocal(env: NodeJS.ProcessEnv): Promise<CliContext> {
  const config = parseEnv(CliLocalEnv, env);
  const { DATA_DIR, DISCORD_BOT_TOKEN, DISCORD_API_URL } = config;
  // This command may create the embedded store's files (and writes the data folder): private, like npm start's.
  createPrivateFilesFromNowOn();
  const running = await runningProcess(DATA_DIR);
  const offsetMs = await sandboxOffset(DATA_DIR, env, running);
  // One clock for the scheduler and the schedules it writes: a schedule's watermark (nothing is owed from
  // before it) is this clock's now, so a task imported days ahead in the sandbox owes no "missed" runs.
  // Never started: the CLI only reads its time.
  const clock: TimerClock = offsetMs === undefined ? new SystemTimerClock() : new SandboxClock({ offsetMs });
  let client: DynamoDBClient;
  let where: string;
  let stop: () => Promise<void>;
  if (running) {
    if (!running.dynamoAccessKeyId) {
      throw new ConfigError(
        `the bot running with its data in ${DATA_DIR} (pid ${running.pid}) is an older version: restart it`,
      );
    }
    client = createLocalDynamoClient(running.dynamoEndpoint, running.dynamoAccessKeyId);
    where = `the running bot (pid ${running.pid}) at ${running.dynamoEndpoint}`;
    stop = async () => client.destroy();
  } else {
    await preparePrivateDir(DATA_DIR);
    const embedded = await startEmbeddedDynamo({ path: join(DATA_DIR, 'db') });
    client = embedded.client;
    where = `local data in ${join(DATA_DIR, 'db')}`;
    stop = () => embedded.close();
  }
  try {
    await ensureTable(client, LOCAL_TABLE_NAME);
  } catch (error) {
    await stop();
    throw error;
  }
  const documentClient = createDocumentClient(client);
  const store = new DynamoTaskStore({ client: documentClient, tableName: LOCAL_TABLE_NAME });
  if (!running) {
    // This command owns the store: it checks the count as npm start does, and records it when done (unless
    // it found tasks missing: that warning is left for the next start to repeat).
    const opened = stop;
    const lost = await checkTaskCount(DATA_DIR, totalTasks(await countTasks(store))).catch(async (error) => {
      await opened();
      throw error;
    });
    if (lost) process.stderr.write(`summary-bot: WARNING: ${lost}\n`);
    stop = async () => {
      try {
        if (!lost) await recordTaskCount(DATA_DIR, totalTasks(await countTasks(store)), new Date());
      } finally {
        await opened();
      }
    };
  }
  // Never started: the CLI only writes definitions; the running bot (or the next `npm start`) fires them.
  const schedules = new EmbeddedScheduleGateway({
    repository: new DynamoScheduleRepository({ client: documentClient, tableName: LOCAL_TABLE_NAME }),
    clock,
    onFire: async () => undefined,
  });
  return {
    scheduler: new TaskScheduler({ store, schedules, clock, limits: schedulingLimitsOf(config) }),
    store,
    clock,
    sandbox: offsetMs !== undefined,
    where,
    async guildReads() {
      if (DISCORD_BOT_TOKEN) return new RestGuildReads({ token: DISCORD_BOT_TOKEN, api: DISCORD_API_URL });
      // The sandbox's Discord stand-in lives in its process: reachable only while it runs.
      if (running?.discord) return new RestGuildReads(running.discord);
      throw new ConfigError(
        `${NO_DISCORD} set DISCORD_BOT_TOKEN (and DISCORD_API_URL if not Discord's), or start the sandbox with \`npm start\``,
      );
    },
    close: stop,
  };
}

/**
 * How far the sandbox's clock is ahead, when the data is the sandbox's: the running bot says it is the
 * sandbox, or none runs and no Discord credentials are set (the next `npm start` would be the sandbox).
 * Undefined for the real bot, whose clock is the machine's.
 */
async function sandboxOffset(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  running: z.infer<typeof RuntimeFile> | undefined,
): Promise<number | undefined> {
  const isSandbox = running
    ? running.sandbox !== false
    : !env.DISCORD_APPLICATION_ID && !env.DISCORD_PUBLIC_KEY && !env.DISCORD_BOT_TOKEN;
  if (!isSandbox) return undefined;
  const saved = await readStateFile(
    join(dataDir, 'sandbox.json'),
    SandboxClockFile,
    'delete it to start the sandbox over',
  );
  return saved?.clockOffsetMs;
}

async function runningProcess(dataDir: string): Promise<z.infer<typeof RuntimeFile> | undefined> {
  const runtime = await readStateFile(join(dataDir, 'runtime.json'), RuntimeFile, 'delete it if no bot runs');
  return runtime && isProcessAlive(runtime.pid) ? runtime : undefined;
}
