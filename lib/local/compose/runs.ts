import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { LocalConfig } from '../../config.ts';
import { parseFileKey } from '../../delivery/file.ts';
import { createDeliverers } from '../../delivery/index.ts';
import { WebhookDeliverer } from '../../delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../../discord/rest.ts';
import { DiscordRunSources } from '../../discord/run-sources.ts';
import { DynamoTokenUsageStore } from '../../dynamo/dynamo-token-usage-store.ts';
import { safeMessage } from '../../errors.ts';
import { recordDeadLetter } from '../../execution/dead-letters.ts';
import {
  describeExecution,
  describeInput,
  type ManualRunResult,
  manualRunResult,
} from '../../execution/describe-outcome.ts';
import {
  type ExecutorInput,
  runKeyOf,
  type ScheduledRunInput,
  type TaskRunInput,
} from '../../execution/executor-input.ts';
import { TaskExecutor } from '../../execution/task-executor.ts';
import type { RunOutcome } from '../../execution/task-run.ts';
import { serverTokenBudget } from '../../execution/token-budget.ts';
import type { Logger } from '../../observability/logger.ts';
import { CountingRunMetrics } from '../../observability/metrics.ts';
import { schedulingLimitsOf } from '../../scheduling/limits.ts';
import { TaskScheduler } from '../../scheduling/task-scheduler.ts';
import { createSummarizer, type SummarizerSettings } from '../../summarization/llm/index.ts';
import type { DiscordSide } from '../discord-side.ts';
import { EmbeddedScheduleGateway } from '../embedded-scheduler.ts';
import { EmlEmailSender } from '../eml-email-sender.ts';
import { lateBound } from '../late-bound.ts';
import { LeaseWatch, type RunKey } from '../lease-watch.ts';
import { LocalFileStore } from '../local-file-store.ts';
import { createLocalInvoker, type LocalInvoker } from '../local-invoker.ts';
import { enqueuedRun, isEnqueued } from '../run-recovery.ts';
import { describeMissedRuns, type MissedSpan } from '../schedule-catch-up.ts';
import type { LocalStore } from './store.ts';

/** What the local runs need: config, where files go, the Discord side, the store, and whom to tell. */
export interface RunsDeps {
  config: LocalConfig;
  dataDir: string;
  summarizerSettings: SummarizerSettings;
  discord: DiscordSide;
  local: LocalStore;
  logger: Logger;
  /** One human-readable line per notable event (a run finished, a run missed). */
  report: (line: string) => void;
  /**
   * Told how each attempt of a run-now that reports to an interaction came out, after the executor edited
   * that interaction's reply (the sandbox keeps it for the CLI's exit status).
   */
  onManualRun?: (token: string, result: ManualRunResult) => void;
}

/** The run side of the local runtime: scheduler service, embedded gateway, executor behind the invoker. */
export interface LocalRuns {
  metrics: CountingRunMetrics;
  /** The Discord REST client every part shares (reads, posts, names on the status page). */
  rest: ReturnType<typeof createDiscordRest>;
  discordClient: DiscordRestClient;
  /** Sandbox, or ALLOW_LOOPBACK_WEBHOOKS: webhooks may point at this machine. */
  allowLoopback: boolean;
  scheduler: TaskScheduler;
  gateway: EmbeddedScheduleGateway;
  invoker: LocalInvoker;
  /** The leases of runs being worked on, taken over when they run out (stopped with the runtime). */
  leases: LeaseWatch;
  /** Records an input that failed its last attempt, as the AWS dead-letter handler does. */
  deadLetter(input: ExecutorInput, error: unknown): Promise<void>;
}

/**
 * Builds the scheduler service on the embedded gateway, and the executor behind the in-process invoker with
 * Lambda's retry and dead-letter policy. The gateway fires through a late-bound call to the invoker (the
 * executor needs the scheduler to disable tasks, so the invoker exists only after the gateway).
 */
export async function composeRuns(deps: RunsDeps): Promise<LocalRuns> {
  const { config, dataDir, discord, logger, report } = deps;
  const { store, repository, documentClient, tableName } = deps.local;
  const clock = discord.clock;
  const metrics = new CountingRunMetrics();
  const rest = createDiscordRest({ token: discord.botToken, api: discord.apiUrl });
  const discordClient = new DiscordRestClient({ rest });
  const allowLoopback = discord.sandbox !== undefined || config.ALLOW_LOOPBACK_WEBHOOKS;
  const files = new LocalFileStore({ root: join(dataDir, 'files') });
  const deliverers = createDeliverers({
    poster: discordClient,
    threads: discordClient.threads,
    webhook: new WebhookDeliverer({ allowLoopback }),
    emailSender: new EmlEmailSender({ dir: join(dataDir, 'outbox'), now: () => clock.now() }),
    fileStore: files,
  });
  const budget = serverTokenBudget({
    store,
    usage: new DynamoTokenUsageStore({ client: documentClient, tableName }),
    defaultLimit: deps.summarizerSettings.defaultDailyTokenBudget,
    clock,
  });
  const summarizer = await createSummarizer(deps.summarizerSettings, { logger, budget });

  const fire = lateBound<[ScheduledRunInput], Promise<void>>("the embedded scheduler's firing");
  const gateway = new EmbeddedScheduleGateway({
    repository,
    clock,
    onFire: fire.call,
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
  const scheduler = new TaskScheduler({
    store,
    schedules: gateway,
    clock,
    warn: (message, error) => logger.warn(message, { error }),
    limits: schedulingLimitsOf(config),
  });
  const executor = new TaskExecutor({
    store,
    discord: discordClient,
    sources: new DiscordRunSources(() => discordClient.guildReads()),
    summarizer,
    deliverers,
    tasks: scheduler,
    // Followers (`after`) go through the invoker like any run: retries, then a dead letter.
    followers: { invoke: (input) => invoker.invoke(input) },
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
      const outcome = await executeTold(input);
      if (outcome.status === 'ignored' && input.type === 'scheduled') {
        // The run the scheduler enqueued will not happen (the task is gone or not active): owe nothing.
        const enqueued = await store.getRun(input.taskId, input.scheduledTime);
        if (enqueued && isEnqueued(enqueued)) await store.deleteRun(input.taskId, input.scheduledTime);
      }
      report(describeExecution(input, outcome));
    },
    onDeadLetter: (input, error) => deadLetter(input, error),
    onError: (error, input) => logger.error('dead letter could not be recorded', { error, input }),
    // Finished here, yet the record may still say `running` (another holder's live lease made the dead
    // letter uncounted, or the last write failed): if nobody finishes it, it is taken over once its lease
    // runs out instead of staying unfinished until the next start.
    onSettled: (input) => {
      if (input.type !== 'adhoc') void leases.look(runOf(input), input);
    },
  });
  fire.bind((event) => invoker.run(event));

  /** Runs the executor, telling `onManualRun` how a run-now with a reply came out, failed attempts too. */
  async function executeTold(input: ExecutorInput): Promise<RunOutcome> {
    const token = input.type === 'manual' ? input.reply?.token : undefined;
    if (!token || !deps.onManualRun) return executor.execute(input);
    let outcome: RunOutcome;
    try {
      outcome = await executor.execute(input);
    } catch (error) {
      deps.onManualRun(token, { status: 'failed', problem: `the run failed: ${safeMessage(error)}` });
      throw error;
    }
    deps.onManualRun(token, manualRunResult(outcome));
    return outcome;
  }
  const leases = new LeaseWatch({
    store,
    clock,
    resume: (input, attempts) => invoker.run(input, { attempts }),
    deadLetter: (input, reason) => deadLetter(input, new Error(reason)),
    isLive: (run) => invoker.isRunning(run),
    onError: (error, run) =>
      logger.error('a run whose lease ran out could not be taken over', { error, run }),
  });

  async function deadLetter(input: ExecutorInput, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    report(`✗ ${describeInput(input)} failed after retries: ${message}`);
    await recordDeadLetter(
      randomUUID(),
      { source: 'local', input, error: message },
      {
        store,
        tasks: scheduler,
        poster: discordClient,
        channels: discordClient,
        clock,
        logger,
        metrics,
        maxConsecutiveFailures: config.MAX_CONSECUTIVE_FAILURES,
        retentionDays: config.RUN_RETENTION_DAYS,
      },
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

  return { metrics, rest, discordClient, allowLoopback, scheduler, gateway, invoker, leases, deadLetter };
}

/** The run record an input stands for. */
function runOf(input: TaskRunInput): RunKey {
  return { taskId: input.taskId, scheduledTime: runKeyOf(input) };
}
