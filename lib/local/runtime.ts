import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { z } from 'zod';
import { type LocalConfig, LocalEnv, parseEnv } from '../config.ts';
import { parseFileKey } from '../delivery/file.ts';
import { createDeliverers } from '../delivery/index.ts';
import { WebhookDeliverer } from '../delivery/webhook.ts';
import { fetchAttachmentFrom } from '../discord/attachments.ts';
import { commands } from '../discord/commands/index.ts';
import { RestGuildReads } from '../discord/guild-reads.ts';
import { createInteractionHandler } from '../discord/interaction-handler.ts';
import { createDiscordRest, DiscordRestClient } from '../discord/rest.ts';
import { DynamoScheduleRepository } from '../dynamo/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../dynamo/dynamo-task-store.ts';
import { DynamoTokenUsageStore } from '../dynamo/dynamo-token-usage-store.ts';
import { DynamoUseWindowStore } from '../dynamo/dynamo-use-window-store.ts';
import { ensureTable } from '../dynamo/task-table.ts';
import { ConfigError } from '../errors.ts';
import { recordDeadLetter } from '../execution/dead-letters.ts';
import { describeExecution, describeInput } from '../execution/describe-outcome.ts';
import type { ExecutorInput, ScheduledRunInput } from '../execution/executor-input.ts';
import { limitSummarize, summarizeLimitsOf } from '../execution/summarize-limit.ts';
import { TaskExecutor } from '../execution/task-executor.ts';
import { serverTokenBudget } from '../execution/token-budget.ts';
import { createLogger, type Logger } from '../observability/logger.ts';
import { CountingRunMetrics } from '../observability/metrics.ts';
import { schedulingLimitsOf } from '../scheduling/limits.ts';
import { type ReconcileReport, TaskScheduler } from '../scheduling/task-scheduler.ts';
import { snowflakeFromTime } from '../shared/snowflake.ts';
import { createSummarizer, resolveSummarizerSettings } from '../summarization/llm/index.ts';
import { LOCAL_TABLE_NAME } from './cli-context.ts';
import { parseDuration, SystemTimerClock, type TimerClock, type TimerHandle } from './clock.ts';
import {
  exportPrivateKey,
  generateSigningKeys,
  importSigningKeys,
  type SigningKeys,
} from './discord-signer.ts';
import { startEmbeddedDynamo } from './embedded-dynamo.ts';
import { describeMissedRuns, EmbeddedScheduleGateway, type MissedSpan } from './embedded-scheduler.ts';
import { EmlEmailSender } from './eml-email-sender.ts';
import { LocalFileStore } from './local-file-store.ts';
import { createLocalInvoker, type LocalInvoker } from './local-invoker.ts';
import { preparePrivateDir } from './private-data.ts';
import { enqueuedRun, isEnqueued, recoverRuns } from './run-recovery.ts';
import { ClockAdvancer } from './sandbox/clock-advance.ts';
import { type DiscordStandIn, startDiscordStandIn } from './sandbox/discord-stand-in.ts';
import { postPublicReply } from './sandbox/public-replies.ts';
import { sampleServerInfo, seedSampleServer } from './sandbox/sample-server.ts';
import { SandboxClock } from './sandbox/sandbox-clock.ts';
import { loadHistory, startHistorySaver } from './sandbox/sandbox-history.ts';
import { type ControlRoute, startLocalServer } from './server.ts';
import { readStateFile, writeStateFile } from './state-files.ts';
import { DiscordNames } from './status/discord-names.ts';
import { createStatusRoutes } from './status/status-routes.ts';
import { checkTaskCount, countTasks, startTaskCounter, totalTasks } from './task-count.ts';

/** How often the scheduler re-reads the definitions, so CLI changes (pause, resume) take effect. */
const SYNC_INTERVAL_MS = 3_000;
/** Bounded shutdown: runs in flight get this long to finish. */
const STOP_TIMEOUT_MS = 10_000;

export interface LocalRuntimeOptions {
  /** The environment (`.env` already merged); parsed with LocalEnv. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Sandbox only: start this far ahead (`2d`), as if the machine had been off; runs due meanwhile catch up. */
  advanceOnStart?: string;
  /** Sandbox only: how often real time reaches the timers (ms). */
  tickMs?: number;
  /** One human-readable line per notable event (a run finished, a run missed); main prints them. */
  report?: (line: string) => void;
  logger?: Logger;
}

/** The `npm start` process, composed: usable in-process by tests and benchmarks. */
export interface LocalRuntime {
  sandbox: boolean;
  /** `http://127.0.0.1:<port>`: Discord's interactions go to `${url}/interactions`. */
  url: string;
  port: number;
  dataDir: string;
  config: LocalConfig;
  clock: TimerClock;
  store: DynamoTaskStore;
  scheduler: TaskScheduler;
  gateway: EmbeddedScheduleGateway;
  invoker: LocalInvoker;
  metrics: CountingRunMetrics;
  applicationId: string;
  publicKey: string;
  /** Sandbox only: the Discord stand-in, the keys Discord would sign with, the movable clock. */
  standIn?: DiscordStandIn;
  keys?: SigningKeys;
  sandboxClock?: SandboxClock;
  /** What the gateway's start caught up on: runs fired late and runs recorded as missed. */
  catchUp: { fired: number; missed: number };
  /** What this start found from before: tasks in the store, and (sandbox) messages of channel history. */
  restored: { tasks: number; active: number; messages: number };
  /** What the operator must hear at start (a store that opened with fewer tasks than it held). */
  warnings: string[];
  /** Stops taking requests, lets runs in flight finish (bounded), closes the store. Idempotent. */
  stop(): Promise<void>;
}

/** `<DATA_DIR>/runtime.json`: how the CLI reaches this process (cli-context.ts reads the first two). */
export const RuntimeFile = z.object({
  dynamoEndpoint: z.string(),
  /** The embedded DynamoDB answers only requests signed with this access key id (new at every start). */
  dynamoAccessKeyId: z.string().min(16),
  pid: z.number().int().positive(),
  port: z.number().int().min(0),
  url: z.string(),
  sandbox: z.boolean(),
  controlToken: z.string().min(16),
  startedAt: z.string(),
  /** Sandbox only: its Discord stand-in, so `tasks import` can check channels against the sample server. */
  discord: z.object({ api: z.string(), token: z.string() }).optional(),
});
export type RuntimeFile = z.infer<typeof RuntimeFile>;

/** `<DATA_DIR>/sandbox.json`: the sandbox's application identity and clock, kept across restarts. */
export const SandboxFile = z.object({
  applicationId: z.string().regex(/^\d{17,20}$/),
  privateKey: z.string().includes('PRIVATE KEY'),
  clockOffsetMs: z.number().int().min(0).default(0),
});
export type SandboxFile = z.infer<typeof SandboxFile>;

/** A command still working after this is answered "thinking…" and finished by editing the reply. */
const DEFER_AFTER_MS = 1_500;
/** The sandbox's stand-in accepts only this bot token. */
const SANDBOX_BOT_TOKEN = 'sandbox.bot.token.not-a-real-discord-token';

/** Reads `<dataDir>/sandbox.json`, or undefined when there is none; a damaged file is a ConfigError. */
export async function readSandboxFile(dataDir: string): Promise<SandboxFile | undefined> {
  return readStateFile(
    join(dataDir, 'sandbox.json'),
    SandboxFile,
    "delete it to start the sandbox over (a new application identity, the clock at today's time)",
  );
}

function credentialsOf(
  config: LocalConfig,
): { applicationId: string; publicKey: string; botToken: string } | undefined {
  const present = {
    DISCORD_APPLICATION_ID: config.DISCORD_APPLICATION_ID,
    DISCORD_PUBLIC_KEY: config.DISCORD_PUBLIC_KEY,
    DISCORD_BOT_TOKEN: config.DISCORD_BOT_TOKEN,
  };
  const missing = Object.entries(present)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} missing; set all three Discord variables for the real bot, or none for the sandbox`,
    );
  }
  return {
    applicationId: config.DISCORD_APPLICATION_ID as string,
    publicKey: config.DISCORD_PUBLIC_KEY as string,
    botToken: config.DISCORD_BOT_TOKEN as string,
  };
}

/**
 * Starts the local runtime: the embedded store under `<DATA_DIR>/db`, the embedded scheduler (catching up
 * on runs due while it was down), the executor behind the in-process invoker, and the HTTP server. With
 * Discord credentials it talks to Discord; without them it is the sandbox (stand-in, sample server,
 * movable clock).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const config = parseEnv(LocalEnv, env);
  // Checked before anything starts: a missing key or base URL is named now, not on the first run.
  const summarizerSettings = resolveSummarizerSettings(config);
  const credentials = credentialsOf(config);
  const sandbox = credentials === undefined;
  if (!sandbox && options.advanceOnStart)
    throw new ConfigError('--advance: the clock moves only in the sandbox');
  const dataDir = resolve(config.DATA_DIR);
  await preparePrivateDir(dataDir);
  const report = options.report ?? (() => undefined);
  const logger =
    options.logger ??
    createLogger('summary-bot-local', env.LOG_LEVEL ? config.LOG_LEVEL : sandbox ? 'WARN' : 'INFO');

  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      await fn().catch((error: unknown) => logger.error('shutdown step failed', { error }));
    }
  };

  try {
    // --- identity, clock, Discord ------------------------------------------------------------------------
    let clock: TimerClock;
    let sandboxClock: SandboxClock | undefined;
    let standIn: DiscordStandIn | undefined;
    let keys: SigningKeys | undefined;
    let applicationId: string;
    let publicKey: string;
    let botToken: string;
    let apiUrl: string;
    let restoredMessages = 0;
    if (credentials) {
      clock = new SystemTimerClock({ onError: (error) => logger.error('timer callback failed', { error }) });
      ({ applicationId, publicKey, botToken } = credentials);
      apiUrl = config.DISCORD_API_URL;
    } else {
      const saved = await readSandboxFile(dataDir);
      keys = saved ? importSigningKeys(saved.privateKey) : generateSigningKeys();
      applicationId = saved?.applicationId ?? snowflakeFromTime(Date.now() - 86_400_000);
      const offset =
        (saved?.clockOffsetMs ?? 0) + (options.advanceOnStart ? parseDuration(options.advanceOnStart) : 0);
      const sandboxFile: SandboxFile = {
        applicationId,
        privateKey: exportPrivateKey(keys),
        clockOffsetMs: offset,
      };
      await writeStateFile(join(dataDir, 'sandbox.json'), sandboxFile);
      sandboxClock = new SandboxClock({
        offsetMs: offset,
        ...(options.tickMs ? { tickMs: options.tickMs } : {}),
        onError: (error) => logger.error('sandbox timer failed', { error }),
      });
      clock = sandboxClock;
      const movable = sandboxClock;
      standIn = await startDiscordStandIn({
        now: () => movable.now(),
        applicationId,
        botToken: SANDBOX_BOT_TOKEN,
        publicKey: keys.publicKeyHex,
      });
      // The sandbox's application is set up as DEPLOY.md sets a real one up: its commands registered.
      standIn.setCommands(commands);
      const started = standIn;
      cleanups.push(() => started.close());
      const historyPath = join(dataDir, 'sandbox-discord.json');
      const history = await loadHistory(historyPath);
      const seeded = seedSampleServer(
        standIn,
        sandboxClock,
        history ? { anchor: history.seededAt, history: history.channels } : {},
      );
      cleanups.push(async () => seeded.cancel());
      restoredMessages = seeded.restored;
      // Registered after the stand-in's close, so it runs before it: the last messages are saved.
      const saver = startHistorySaver({
        path: historyPath,
        standIn,
        seededAt: seeded.anchor,
        onError: (error) => logger.error('the sandbox channel history could not be saved', { error }),
      });
      cleanups.push(() => saver.stop());
      publicKey = keys.publicKeyHex;
      botToken = SANDBOX_BOT_TOKEN;
      apiUrl = standIn.apiUrl;
    }

    // --- store ----------------------------------------------------------------------------------------
    const dynamo = await startEmbeddedDynamo({ path: join(dataDir, 'db') });
    cleanups.push(() => dynamo.close());
    if (dynamo.uncleanStop?.repaired) {
      report(
        `The store was not closed cleanly last time: ${dynamo.uncleanStop.repaired} state index entries repaired.`,
      );
    }
    await ensureTable(dynamo.client, LOCAL_TABLE_NAME);
    const documentClient = createDocumentClient(dynamo.client);
    const store = new DynamoTaskStore({ client: documentClient, tableName: LOCAL_TABLE_NAME });
    const repository = new DynamoScheduleRepository({ client: documentClient, tableName: LOCAL_TABLE_NAME });
    // Counted before anything runs: a store that lost tasks (a damaged log) is named now, not as "No tasks."
    const counted = await countTasks(store);
    const warnings: string[] = [];
    const lost = await checkTaskCount(dataDir, totalTasks(counted));
    if (lost) {
      warnings.push(lost);
      logger.error(lost);
    }
    const counter = startTaskCounter({
      dataDir,
      writes: () => dynamo.writes(),
      store,
      onError: (error) => logger.error('tasks could not be counted', { error }),
    });
    // Pushed after the store's close, so it runs before it: the last count is taken with the runs done.
    cleanups.push(() => counter.stop());

    // --- executor, invoker, scheduler -----------------------------------------------------------------
    const metrics = new CountingRunMetrics();
    const rest = createDiscordRest({ token: botToken, api: apiUrl });
    const discord = new DiscordRestClient({ rest });
    const allowLoopback = sandbox || config.ALLOW_LOOPBACK_WEBHOOKS;
    const files = new LocalFileStore({ root: join(dataDir, 'files') });
    const deliverers = createDeliverers({
      poster: discord,
      webhook: new WebhookDeliverer({ allowLoopback }),
      emailSender: new EmlEmailSender({ dir: join(dataDir, 'outbox'), now: () => clock.now() }),
      fileStore: files,
    });
    const budget = serverTokenBudget({
      store,
      usage: new DynamoTokenUsageStore({ client: documentClient, tableName: LOCAL_TABLE_NAME }),
      defaultLimit: summarizerSettings.defaultDailyTokenBudget,
      clock,
    });
    const summarizer = await createSummarizer(summarizerSettings, { logger, budget });
    // The executor and the scheduler need each other (disable after failures; fire runs): closures tie them.
    let scheduler: TaskScheduler | undefined;
    const executor = new TaskExecutor({
      store,
      discord: discord,
      summarizer,
      deliverers,
      tasks: {
        disableTask: (guildId, taskId, reason) =>
          (scheduler as TaskScheduler).disableTask(guildId, taskId, reason),
      },
      clock,
      logger,
      metrics,
      settings: {
        // Cleanup tasks remove their guild's summary files of runs older than their retention.
        removeFilesOlderThan: (guildId, cutoff) =>
          files.removeWhere((key) => {
            const file = parseFileKey(key);
            return file?.guildId === guildId && file.scheduledTime < cutoff;
          }),
        runRetentionDays: config.RUN_RETENTION_DAYS,
        maxConsecutiveFailures: config.MAX_CONSECUTIVE_FAILURES,
      },
    });
    const invoker = createLocalInvoker({
      clock,
      execute: async (input) => {
        const outcome = await executor.execute(input);
        if (outcome.status === 'ignored' && input.type === 'scheduled') {
          // The run the scheduler enqueued will not happen (the task is gone or not active): owe nothing.
          const enqueued = await store.getRun(input.taskId, input.scheduledTime);
          if (enqueued && isEnqueued(enqueued)) await store.deleteRun(input.taskId, input.scheduledTime);
        }
        report(describeExecution(input, outcome));
      },
      onDeadLetter: (input, error) => deadLetter(input, error),
      onError: (error, input) => logger.error('dead letter could not be recorded', { error, input }),
    });
    async function deadLetter(input: ExecutorInput, error: unknown): Promise<void> {
      const message = error instanceof Error ? error.message : String(error);
      report(`✗ ${describeInput(input)} failed after retries: ${message}`);
      await recordDeadLetter(
        randomUUID(),
        { source: 'local', input, error: message },
        {
          store,
          tasks: scheduler as TaskScheduler,
          poster: discord,
          channels: discord,
          clock,
          logger,
          metrics,
          maxConsecutiveFailures: config.MAX_CONSECUTIVE_FAILURES,
          retentionDays: config.RUN_RETENTION_DAYS,
        },
      );
    }
    const gateway = new EmbeddedScheduleGateway({
      repository,
      clock,
      onFire: (event) => invoker.run(event),
      // The run record is written before the schedule's watermark passes the run: a crash leaves it owed.
      enqueue: async (event) => {
        if (await store.getRun(event.taskId, event.scheduledTime)) return;
        const now = clock.now();
        await store.claimRun(enqueuedRun(event, now, config.RUN_RETENTION_DAYS), now);
      },
      gracePeriodMs: config.MISSED_RUN_GRACE_SECONDS * 1000,
      onMissed: (event, span) => recordMissedRuns(event, span),
      onError: (error, context) =>
        logger.error(`schedule ${context.schedule}: ${context.action} failed`, { error }),
    });
    scheduler = new TaskScheduler({
      store,
      schedules: gateway,
      clock,
      warn: (message, error) => logger.warn(message, { error }),
      limits: schedulingLimitsOf(config),
    });
    const taskScheduler = scheduler;

    function reportReconcile(when: string, repaired: ReconcileReport): void {
      const { recreated, deletedOrphans, stateFixed, removedPending, errors } = repaired;
      const changes = recreated.length + deletedOrphans.length + stateFixed.length + removedPending.length;
      if (changes + errors.length === 0) return;
      report(
        `Reconciled ${when}: ${removedPending.length} abandoned pending task(s) removed, ${deletedOrphans.length} orphan schedule(s) deleted, ${recreated.length} schedule(s) recreated, ${stateFixed.length} fixed${errors.length ? `, ${errors.length} failed (retried later)` : ''}.`,
      );
    }

    /** One run record for an outage, however many runs it cost: "3 runs missed between A and B". */
    async function recordMissedRuns(event: ScheduledRunInput, span: MissedSpan): Promise<void> {
      const existing = await store.getRun(event.taskId, event.scheduledTime);
      if (existing) return;
      const now = clock.now();
      const text = describeMissedRuns(event.scheduledTime, span);
      await store.putRun({
        taskId: event.taskId,
        guildId: event.guildId,
        scheduledTime: event.scheduledTime,
        trigger: 'missed',
        executionId: event.executionId,
        attempt: 1,
        status: 'missed',
        startedAt: now.toISOString(),
        finishedAt: now.toISOString(),
        missedCount: span.count,
        missedUntil: span.lastScheduledTime,
        error: `${text}: the bot was not running and ${span.count === 1 ? 'it was' : 'they were'} more than ${config.MISSED_RUN_GRACE_SECONDS} s late`,
        expiresAt: Math.floor(now.getTime() / 1000) + config.RUN_RETENTION_DAYS * 86_400,
      });
      report(`… task ${event.taskId}: ${text} (the bot was not running)`);
    }

    // --- HTTP ---------------------------------------------------------------------------------------
    const attachmentsOrigin = standIn?.attachmentsOrigin;
    const handler = createInteractionHandler({
      scheduler: taskScheduler,
      executor: limitSummarize(invoker, {
        store: new DynamoUseWindowStore({ client: documentClient, tableName: LOCAL_TABLE_NAME }),
        limits: summarizeLimitsOf(config),
        clock,
      }),
      publicKey,
      clock,
      interactions: store,
      applicationId,
      allowLoopbackWebhooks: allowLoopback,
      failureLimit: config.MAX_CONSECUTIVE_FAILURES,
      // The sandbox's attachments live on its stand-in, as a member's files live on Discord's CDN.
      ...(standIn
        ? {
            fetchAttachment: (url: string, maxBytes: number) =>
              fetchAttachmentFrom(url, maxBytes, (parsed) => parsed.origin === attachmentsOrigin),
          }
        : {}),
      guildReads: () => new RestGuildReads({ token: botToken, api: apiUrl }),
      logger: { error: (message, attributes) => logger.error(message, attributes) },
      // One busy machine must still answer inside Discord's 3 s; the margin covers a tunnel's round trip.
      deferAfter: { ms: DEFER_AFTER_MS, poster: discord },
    });
    const replies = new InteractionReplies(clock);
    const controlToken = randomBytes(24).toString('base64url');
    const statusRoutes = createStatusRoutes({
      store,
      scheduler: taskScheduler,
      clock,
      schedulerStats: () => gateway.stats(),
      metrics,
      ...(config.STATUS_TOKEN ? { statusToken: config.STATUS_TOKEN } : {}),
      filesRoot: join(dataDir, 'files'),
      outboxRoot: join(dataDir, 'outbox'),
      sandbox,
      names: new DiscordNames({ rest }),
      logger,
    });
    const advancer = sandboxClock
      ? new ClockAdvancer({
          clock: sandboxClock,
          firedSoFar: () => gateway.stats().fired,
          persistOffset: async (offsetMs) => {
            if (!keys) return;
            await writeStateFile(join(dataDir, 'sandbox.json'), {
              applicationId,
              privateKey: exportPrivateKey(keys),
              clockOffsetMs: offsetMs,
            } satisfies SandboxFile);
          },
          // Runs started by the jump finished inside it; /summarize work started meanwhile may still run.
          drain: () => invoker.drain(30_000),
        })
      : undefined;
    const control = controlRoutes({
      sandbox,
      applicationId,
      clock,
      ...(standIn ? { standIn } : {}),
      ...(advancer ? { advancer } : {}),
      replies,
      gateway,
    });
    const sandboxDiscord = standIn;
    const server = await startLocalServer({
      port: config.PORT,
      // The sandbox is for this machine only; the real bot must be reachable by Discord (through a proxy),
      // unless HOST says the proxy or tunnel runs on this machine too.
      host: config.HOST ?? (sandbox ? '127.0.0.1' : '0.0.0.0'),
      handleInteraction: (request) => handler.handle(request),
      ...(sandboxDiscord
        ? {
            onInteraction: (request, response) => {
              replies.record(request, response);
              postPublicReply(sandboxDiscord, request, response);
            },
          }
        : {}),
      status: statusRoutes,
      control,
      controlToken,
      logger,
    });
    // The sandbox's portal points at this process, as a real one points at the bot's public URL.
    sandboxDiscord?.setInteractionsEndpointUrl(`${server.url}/interactions`);
    cleanups.push(async () => {
      // Stop taking requests first; then runs in flight finish (gateway, invoker) before the store closes.
      const closing = server.close();
      server.server.closeIdleConnections();
      await Promise.race([closing, new Promise((r) => setTimeout(r, 2_000).unref())]);
      await server.drain(STOP_TIMEOUT_MS);
      server.server.closeAllConnections();
      // Cleanups run last-in first-out, so the gateway stopped before this; a request handled meanwhile
      // (run now, /summarize) may have started work after the invoker drained: wait for it too.
      await invoker.drain(STOP_TIMEOUT_MS);
    });

    // --- start the scheduler ----------------------------------------------------------------------------
    // Nothing else can be writing this store now (LevelDB's lock is ours, and any CLI that went through the
    // previous process died with it): every pending task is an abandoned create or import. After a kill the
    // state index it lists them by was repaired first (startEmbeddedDynamo), so it lists them all.
    reportReconcile('on start', await taskScheduler.reconcile({ pendingGraceMs: 0 }));
    const catchUp = await gateway.start();
    // Runs the previous process left unfinished resume as a Lambda retry would, within what is left of the budget.
    const recovery = await recoverRuns({
      store,
      clock,
      resume: (input, attempts) => invoker.run(input, { attempts }),
      deadLetter: (input, reason) => deadLetter(input, new Error(reason)),
      onError: (error, run) => logger.error('an unfinished run could not be resumed', { error, run }),
    });
    cleanups.push(async () => {
      for (const timer of recovery.timers) timer.cancel();
    });
    if (recovery.resumed + recovery.deadLettered + recovery.waiting > 0) {
      report(
        `Unfinished runs from before: ${recovery.resumed} resumed, ${recovery.deadLettered} dead-lettered, ${recovery.waiting} resumed when their lease runs out.`,
      );
    }
    // Daily, as the AWS stack's rule runs it: drift the CLI or a crash left while running.
    let reconcileTimer: TimerHandle | undefined;
    const armReconcile = () => {
      reconcileTimer = clock.setTimer(new Date(clock.now().getTime() + 86_400_000), () =>
        taskScheduler
          .reconcile()
          .then((daily) => reportReconcile('daily', daily))
          .catch((error: unknown) => logger.error('daily reconcile failed', { error }))
          .finally(armReconcile),
      );
    };
    armReconcile();
    cleanups.push(async () => reconcileTimer?.cancel());
    const restored = { tasks: totalTasks(counted), active: counted.active, messages: restoredMessages };
    cleanups.push(async () => {
      await gateway.stop(STOP_TIMEOUT_MS);
      await invoker.drain(STOP_TIMEOUT_MS);
    });
    let syncing: Promise<void> | undefined;
    const syncTimer = setInterval(() => {
      if (syncing) return;
      syncing = gateway
        .sync()
        .catch((error: unknown) => logger.error('schedule sync failed', { error }))
        .finally(() => {
          syncing = undefined;
        });
    }, SYNC_INTERVAL_MS);
    syncTimer.unref();
    cleanups.push(async () => {
      clearInterval(syncTimer);
      await syncing; // a sync in progress must not read the store after it closed
    });
    if (sandboxClock) {
      const ticking = sandboxClock;
      ticking.start();
      cleanups.push(async () => ticking.stop());
    }

    const runtimePath = join(dataDir, 'runtime.json');
    const runtimeFile: RuntimeFile = {
      dynamoEndpoint: dynamo.endpoint,
      dynamoAccessKeyId: dynamo.accessKeyId,
      pid: process.pid,
      port: server.port,
      url: server.url,
      sandbox,
      controlToken,
      startedAt: new Date().toISOString(),
      ...(standIn ? { discord: { api: standIn.apiUrl, token: SANDBOX_BOT_TOKEN } } : {}),
    };
    await writeStateFile(runtimePath, runtimeFile);
    cleanups.push(() => rm(runtimePath, { force: true }));

    let stopped: Promise<void> | undefined;
    return {
      sandbox,
      url: server.url,
      port: server.port,
      dataDir,
      config,
      clock,
      store,
      scheduler: taskScheduler,
      gateway,
      invoker,
      metrics,
      applicationId,
      publicKey,
      ...(standIn ? { standIn } : {}),
      ...(keys ? { keys } : {}),
      ...(sandboxClock ? { sandboxClock } : {}),
      catchUp,
      restored,
      warnings,
      stop() {
        stopped ??= cleanUp();
        return stopped;
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** A message the bot answered an interaction with, as the CLI shows it and clicks its buttons. */
export interface ReplyMessage {
  id: string;
  channelId: string;
  token: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  ephemeral: boolean;
  time: string;
}

/** The sandbox's record of interaction responses: Discord keeps them as messages; the CLI reads them. */
class InteractionReplies {
  readonly byToken = new Map<string, { type: number; messageId?: string; channelId: string }>();
  readonly messages = new Map<string, ReplyMessage>();
  #seq = 0;

  constructor(private readonly clock: TimerClock) {}

  record(
    request: { rawBody: Uint8Array },
    response: { status: number; headers: Record<string, string>; body: string },
  ) {
    if (response.status !== 200 || !response.headers['content-type']?.startsWith('application/json')) return;
    let interaction: { token?: string; channel_id?: string; message?: { id?: string } };
    let reply: {
      type: number;
      data?: { content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number };
    };
    try {
      interaction = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
      reply = JSON.parse(response.body);
    } catch {
      return;
    }
    const token = interaction.token;
    if (!token) return;
    const channelId = interaction.channel_id ?? '0';
    const data = reply.data ?? {};
    const now = this.clock.now();
    if (reply.type === InteractionResponseType.ChannelMessageWithSource) {
      const id = (BigInt(snowflakeFromTime(now)) + BigInt(this.#seq++ % 4096)).toString();
      this.messages.set(id, {
        id,
        channelId,
        token,
        content: data.content ?? '',
        embeds: data.embeds ?? [],
        components: data.components ?? [],
        ephemeral: ((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        time: now.toISOString(),
      });
      this.byToken.set(token, { type: reply.type, messageId: id, channelId });
      return;
    }
    if (reply.type === InteractionResponseType.UpdateMessage) {
      const id = interaction.message?.id;
      const existing = id ? this.messages.get(id) : undefined;
      if (existing) {
        if (data.content !== undefined) existing.content = data.content;
        if (data.embeds !== undefined) existing.embeds = data.embeds;
        if (data.components !== undefined) existing.components = data.components;
      }
      this.byToken.set(token, { type: reply.type, ...(id ? { messageId: id } : {}), channelId });
      return;
    }
    this.byToken.set(token, { type: reply.type, channelId });
  }
}

interface ControlDeps {
  sandbox: boolean;
  applicationId: string;
  clock: TimerClock;
  standIn?: DiscordStandIn;
  replies: InteractionReplies;
  gateway: EmbeddedScheduleGateway;
  advancer?: ClockAdvancer;
}

const AdvanceBody = z.object({ by: z.string().min(1).max(20) });
/** A file the CLI attaches to a slash command, as a member attaches one in Discord (at most 1 MB here). */
const AttachmentBody = z.object({
  filename: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^/\\]+$/, 'expected a file name without folders'),
  contentBase64: z.string().max(1_400_000, 'expected a file of at most 1 MB'),
  contentType: z.string().max(100).optional(),
});

/** The CLI's routes: what runs here, the clock, what the bot posted and answered. */
function controlRoutes(deps: ControlDeps): ControlRoute {
  return async ({ method, path, body }) => {
    const [first, second, third] = path;
    if (method === 'GET' && first === 'info' && !second) {
      return {
        status: 200,
        body: {
          sandbox: deps.sandbox,
          applicationId: deps.applicationId,
          now: deps.clock.now().toISOString(),
          ...(deps.sandbox ? { server: sampleServerInfo() } : {}),
          scheduler: deps.gateway.stats(),
        },
      };
    }
    const { standIn, advancer } = deps;
    // Everything below exists only in the sandbox: the real bot's clock and Discord are not ours to move.
    if (!deps.sandbox || !advancer || !standIn) return undefined;
    if (method === 'POST' && first === 'clock' && second === 'advance' && !third) {
      const parsed = AdvanceBody.safeParse(body);
      if (!parsed.success)
        return { status: 400, body: { error: 'by: expected a duration such as 1d or 2h30m' } };
      let ms: number;
      try {
        ms = parseDuration(parsed.data.by);
      } catch (error) {
        return { status: 400, body: { error: `by: ${(error as Error).message}` } };
      }
      const started = advancer.start(ms);
      if (!started) return { status: 409, body: { error: 'the clock is already advancing; wait for it' } };
      return { status: 202, body: started };
    }
    if (method === 'GET' && first === 'clock' && second === 'advance' && third) {
      const progress = advancer.progress(third);
      return progress
        ? { status: 200, body: progress }
        : { status: 404, body: { error: 'no such clock advance' } };
    }
    if (method === 'GET' && first === 'channels' && second && third === 'messages') {
      const channel = standIn.findChannelByName(sampleServerInfo().guild.id, second.replace(/^#/, ''));
      if (!channel)
        return { status: 404, body: { error: `no channel #${second.replace(/^#/, '')} in the sandbox` } };
      // The channel's history as members see it, the bot's posts and public interaction replies alike.
      const history = standIn.messages(channel.id);
      return {
        status: 200,
        body: {
          channel: { id: channel.id, name: channel.name },
          messages: history.filter((m) => m.author.id === standIn.botUser.id),
          all: history,
        },
      };
    }
    if (method === 'POST' && first === 'attachments' && !second) {
      const parsed = AttachmentBody.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { status: 400, body: { error: `${issue?.path.join('.') || 'body'}: ${issue?.message}` } };
      }
      const { filename, contentBase64, contentType } = parsed.data;
      return {
        status: 200,
        body: standIn.addAttachment({
          filename,
          content: Buffer.from(contentBase64, 'base64'),
          ...(contentType ? { contentType } : {}),
        }),
      };
    }
    if (method === 'GET' && first === 'interactions' && second && !third) {
      const known = deps.replies.byToken.get(second);
      if (!known) return { status: 404, body: { error: 'no interaction with that token' } };
      const message = known.messageId ? deps.replies.messages.get(known.messageId) : undefined;
      return {
        status: 200,
        body: {
          type: known.type,
          ...(message ? { message } : {}),
          edits: standIn.interactionResponses(second),
        },
      };
    }
    if (method === 'GET' && first === 'messages' && second && !third) {
      const own = deps.replies.messages.get(second);
      if (own) return { status: 200, body: own };
      for (const channel of sampleServerInfo().channels) {
        const posted = standIn.postedMessages(channel.id).find((m) => m.id === second);
        if (posted) return { status: 200, body: { ...posted, channelId: posted.channel_id } };
      }
      for (const [token, known] of deps.replies.byToken) {
        const edit = standIn.interactionResponses(token).find((r) => r.messageId === second);
        if (edit) {
          const edited = edit.body as { content?: string; embeds?: unknown[]; components?: unknown[] };
          return {
            status: 200,
            body: {
              id: second,
              channelId: known.channelId,
              token,
              content: edited.content ?? '',
              embeds: edited.embeds ?? [],
              components: edited.components ?? [],
            },
          };
        }
      }
      return { status: 404, body: { error: `no message ${second} from the bot in the sandbox` } };
    }
    return undefined;
  };
}
