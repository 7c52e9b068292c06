import { randomUUID } from 'node:crypto';
import type { Deliverers, DeliveryContext } from '../delivery/deliverer.ts';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { DiscordAccessError, isUserFacingError, RunFailedError, RunInProgressError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { maxSnowflake, timeFromSnowflake } from '../shared/snowflake.ts';
import { plural } from '../shared/words.ts';
import type { NormalizedMessage, Summarizer, Summary } from '../summarization/summarizer.ts';
import { destinationWords } from '../tasks/destination-words.ts';
import { nextRuns } from '../tasks/next-runs.ts';
import { toScheduleExpression } from '../tasks/schedule-spec.ts';
import type {
  CleanupTask,
  Destination,
  DestinationOutcome,
  RunRecord,
  SummaryTask,
  Task,
} from '../tasks/task.ts';
import { type AdhocDeps, runAdhocSummary } from './adhoc-summary.ts';
import { ChannelGuard } from './channel-guard.ts';
import { type CleanupDeps, runCleanup } from './cleanup.ts';
import { alertFailingDestinations, withDestinationOutcomes } from './destination-health.ts';
import type { ExecutorInput, ManualRunInput, ScheduledRunInput } from './executor-input.ts';
import {
  applyFailurePolicy,
  type FailurePolicyDeps,
  type TaskDisabler,
  updateTaskWithRetry,
  withRunOutcome,
} from './failures.ts';
import { byTime, filterMessages, readWindowFor } from './message-window.ts';
import type { ChannelDirectory, MessageSource } from './ports.ts';
import { isTransientError, withRetry } from './retry.ts';
import { RunWriter } from './run-writer.ts';

export interface ExecutorSettings {
  /** Run records expire this many days after the run (DynamoDB TTL). */
  runRetentionDays: number;
  maxConsecutiveFailures: number;
  /** A `running` record whose lease (renewed while it works) ran out may be taken over: its invocation died. */
  leaseMs: number;
  /** Retries of one delivery stop after this long, so a run fits its Lambda's timeout. */
  maxRetryTimeMs: number;
  /** Cleanup of delivered local files (local runtime only). */
  removeFilesOlderThan?: CleanupDeps['removeFilesOlderThan'];
}

export interface ExecutorDeps {
  store: TaskStore;
  messages: MessageSource;
  /** Which server a channel is in: every Discord post and notice of a run is checked against the task's. */
  channels: ChannelDirectory;
  summarizer: Summarizer;
  deliverers: Deliverers;
  poster: DiscordPoster;
  tasks: TaskDisabler;
  clock: Clock;
  logger: Logger;
  metrics: RunMetrics;
  settings?: Partial<ExecutorSettings>;
}

export type RunOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'duplicate'; existing: RunRecord }
  | { status: 'adhoc'; messages: number }
  | { status: RunRecord['status']; run: RunRecord };

const DEFAULTS: ExecutorSettings = {
  runRetentionDays: 30,
  maxConsecutiveFailures: 5,
  // Short and renewed by a heartbeat while the run works: a dead attempt's lease runs out before Lambda's
  // next retry (about 1 and 3 minutes later), so the retry takes the run over instead of skipping it.
  leaseMs: 2 * 60_000,
  maxRetryTimeMs: 60_000,
};

/**
 * One run of a task: claim it (idempotent on the scheduled time), read the channels, summarize, deliver
 * to every destination, record the outcome. Also runs `/summarize` requests, which have no task.
 */
export class TaskExecutor {
  private readonly settings: ExecutorSettings;
  /** One guard per run (keyed by its writer): each channel's server is looked up once per run. */
  private readonly guards = new WeakMap<RunWriter, ChannelGuard>();

  constructor(private readonly deps: ExecutorDeps) {
    this.settings = { ...DEFAULTS, ...deps.settings };
  }

  /** Runs whatever the executor was invoked with. Throws RunFailedError when a retry may help. */
  async execute(input: ExecutorInput): Promise<RunOutcome> {
    if (input.type === 'adhoc') return runAdhocSummary(input, this.adhocDeps());
    const logger = this.deps.logger.child({
      taskId: input.taskId,
      guildId: input.guildId,
      trigger: input.type,
    });
    const task = await this.deps.store.getTask(input.guildId, input.taskId);
    if (!task) {
      logger.warn('run for a task that does not exist; ignored');
      return { status: 'ignored', reason: 'task not found' };
    }
    const runnable = input.type === 'manual' ? ['active', 'paused'] : ['active'];
    if (!runnable.includes(task.state)) {
      logger.info('task is not active; run ignored', { state: task.state });
      return { status: 'ignored', reason: `task is ${task.state}` };
    }
    const scheduledTime = input.type === 'scheduled' ? input.scheduledTime : input.requestedAt;
    const runLogger = logger.child({ scheduledTime });
    const claim = await this.claim(task, input, scheduledTime);
    if (!claim.claimed) {
      if (claim.existing.status === 'running') {
        runLogger.info('run in progress in another invocation; this one will retry', {});
        throw new RunInProgressError(`the run of ${scheduledTime} is in progress in another invocation`);
      }
      runLogger.info('run already done; duplicate invocation ignored', { status: claim.existing.status });
      return { status: 'duplicate', existing: claim.existing };
    }
    const writer = new RunWriter(claim.run, {
      store: this.deps.store,
      clock: this.deps.clock,
      logger: runLogger,
      leaseMs: this.settings.leaseMs,
    });
    writer.startHeartbeat();
    let outcome: RunOutcome;
    try {
      outcome =
        task.kind === 'cleanup'
          ? await this.runCleanupTask(task, writer, runLogger)
          : await this.runSummaryTask(task, writer, claim.previous, runLogger);
    } catch (error) {
      if (input.type === 'manual' && input.reply && error instanceof RunFailedError) {
        await this.replyToManualRun(input, `❌ The run failed: ${error.message}. It will be retried.`);
      }
      throw error;
    } finally {
      await writer.stop();
    }
    if (input.type === 'manual' && input.reply) await this.replyToManualRun(input, describeOutcome(outcome));
    return outcome;
  }

  /** The run's channel guard, made at its first use. */
  private guardOf(writer: RunWriter, guildId: string): ChannelGuard {
    let guard = this.guards.get(writer);
    if (!guard) {
      guard = new ChannelGuard(this.deps.channels, guildId);
      this.guards.set(writer, guard);
    }
    return guard;
  }

  private adhocDeps(): AdhocDeps {
    const { messages, summarizer, poster, clock, logger, metrics } = this.deps;
    return { messages, summarizer, poster, clock, logger, metrics };
  }

  private async claim(
    task: Task,
    input: ScheduledRunInput | ManualRunInput,
    scheduledTime: string,
  ): Promise<
    { claimed: true; run: RunRecord; previous?: RunRecord } | { claimed: false; existing: RunRecord }
  > {
    const now = this.deps.clock.now();
    const run: RunRecord = {
      taskId: task.id,
      guildId: task.guildId,
      scheduledTime,
      trigger: input.type === 'scheduled' ? 'schedule' : 'manual',
      executionId: input.type === 'scheduled' ? input.executionId : randomUUID(),
      attempt: input.type === 'scheduled' ? input.attempt : 1,
      status: 'running',
      startedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + this.settings.leaseMs).toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + this.settings.runRetentionDays * 86_400,
    };
    const result = await this.deps.store.claimRun(run, now);
    if (!result.claimed) return result;
    // A retry of a failed or abandoned attempt keeps what that attempt already delivered.
    return result.previous ? { claimed: true, run, previous: result.previous } : { claimed: true, run };
  }

  private async runSummaryTask(
    task: SummaryTask,
    writer: RunWriter,
    previous: RunRecord | undefined,
    logger: Logger,
  ): Promise<RunOutcome> {
    const { run } = writer;
    const started = this.deps.clock.now();
    const to = new Date(run.scheduledTime);
    let collected: Awaited<ReturnType<TaskExecutor['readChannels']>>;
    try {
      collected = await this.readChannels(task, to, logger);
    } catch (error) {
      return this.finishFailed(task, writer, started, error, logger);
    }
    const { messages, channels, cursors, from, truncated } = collected;
    run.window = { from: from.toISOString(), to: to.toISOString() };
    run.channels = channels;
    run.messageCount = messages.length;
    run.participantCount = new Set(messages.map((m) => m.authorId)).size;

    const readable = channels.filter((c) => c.status === 'read');
    if (readable.length === 0) {
      const names = channels.map((c) => c.channelId).join(', ');
      return this.finishFailed(
        task,
        writer,
        started,
        new RunFailedError(`the bot cannot read any of the channels (${names})`),
        logger,
      );
    }

    if (messages.length < task.options.minMessages) {
      run.skipReason = `${messages.length === 0 ? 'no new messages' : `only ${plural(messages.length, 'new message')}`}; the task needs at least ${task.options.minMessages}`;
      if (task.options.postWhenQuiet) {
        await this.deliverAll(
          task,
          writer,
          previous,
          noticeSummary(
            `Quiet period: ${task.name}`,
            `${messages.length === 0 ? 'No new messages' : `Only ${plural(messages.length, 'new message')}`} since the last summary; nothing worth summarizing yet.`,
            run,
            messages.length,
          ),
          logger,
        );
      }
      return this.finish(task, writer, 'skipped', started, logger, {});
    }

    let summary: Summary;
    try {
      // The task's language, else the server's (kept from its interactions); else the messages' own.
      const language =
        task.options.language ?? (await this.deps.store.getGuildConfig(task.guildId))?.language;
      summary = await this.deps.summarizer.summarize(messages, {
        length: task.options.length,
        focus: task.options.focus,
        guildId: task.guildId,
        ...(language ? { language } : {}),
      });
    } catch (error) {
      return this.finishFailed(task, writer, started, error, logger);
    }
    if (summary.usage) run.usage = summary.usage;
    const notes: string[] = [];
    const forbidden = channels.filter((c) => c.status !== 'read').map((c) => `<#${c.channelId}>`);
    if (forbidden.length > 0) notes.push(`Not readable by the bot: ${forbidden.join(', ')}.`);
    if (truncated) {
      notes.push(
        task.options.lookback.mode === 'fixed'
          ? `More messages than this task reads (${task.options.maxMessages}) were in the window; the newest were summarized.`
          : `More messages than this task reads (${task.options.maxMessages}) were waiting; the rest follow in the next summary.`,
      );
    }
    if (notes.length > 0) {
      const note = notes.join(' ');
      summary = { ...summary, footer: summary.footer ? `${summary.footer} ${note}` : note };
    }

    const { outcomes, transient } = await this.deliverAll(task, writer, previous, summary, logger);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length === outcomes.length) {
      const error = `every destination failed: ${failed
        .map((o) => `${destinationWords(task.destinations[o.index], o.type)}: ${o.error}`)
        .join('; ')}`;
      return this.finishFailed(task, writer, started, new RunFailedError(error), logger, transient);
    }
    return this.finish(task, writer, failed.length > 0 ? 'partial' : 'succeeded', started, logger, cursors);
  }

  private async readChannels(task: SummaryTask, to: Date, logger: Logger) {
    const channels: NonNullable<RunRecord['channels']> = [];
    const cursors: Record<string, string> = {};
    const all: NormalizedMessage[] = [];
    let from = to;
    let truncated = false;
    for (const channelId of task.channelIds) {
      const window = readWindowFor(task, channelId, to);
      // After a cursor the run reads what came since the last message summarized, not the whole lookback:
      // that instant is what the digest's header says it covers.
      const readFrom = window.afterId
        ? new Date(Math.max(window.from.getTime(), timeFromSnowflake(window.afterId).getTime()))
        : window.from;
      if (readFrom < from) from = readFrom;
      try {
        const history = await withRetry(
          () => this.deps.messages.readChannel(task.guildId, channelId, window),
          {
            maxRetryTimeMs: this.settings.maxRetryTimeMs,
          },
        );
        const kept = filterMessages(history.messages, task.options);
        truncated ||= history.truncated;
        all.push(...kept);
        channels.push({ channelId, status: 'read', messages: kept.length });
        if (history.lastMessageId) cursors[channelId] = history.lastMessageId;
      } catch (error) {
        if (error instanceof DiscordAccessError && error.reason !== 'missing_message_content_intent') {
          logger.warn('channel skipped: the bot cannot read it', { channelId, reason: error.reason });
          channels.push({ channelId, status: error.reason, messages: 0 });
          continue;
        }
        throw error;
      }
    }
    all.sort(byTime);
    return { messages: all, channels, cursors, from, truncated };
  }

  private async deliverAll(
    task: Task,
    writer: RunWriter,
    previous: RunRecord | undefined,
    summary: Summary,
    logger: Logger,
  ): Promise<{ outcomes: DestinationOutcome[]; transient: boolean }> {
    const { run } = writer;
    const context: DeliveryContext = {
      taskId: task.id,
      taskName: task.name,
      guildId: task.guildId,
      channelIds: task.kind === 'summary' ? task.channelIds : [],
      scheduledTime: run.scheduledTime,
      window: run.window ?? { from: run.scheduledTime, to: run.scheduledTime },
      summary,
    };
    const done = new Map(
      (previous?.destinations ?? [])
        .filter((o) => o.status === 'delivered')
        .map((o) => [o.index, o] as const),
    );
    const outcomes: DestinationOutcome[] = [];
    const guard = this.guardOf(writer, task.guildId);
    let transient = false;
    // Each outcome is written as soon as it is known, so an attempt that dies mid-way is resumed, not redone.
    const persist = () => {
      run.destinations = [...outcomes].sort((a, b) => a.index - b.index);
      return writer.write();
    };
    await Promise.all(
      task.destinations.map(async (destination, index) => {
        const already = done.get(index);
        if (already) {
          outcomes.push(already);
          return;
        }
        const outcome = await this.deliverOne(destination, index, context, logger, guard);
        if (outcome.status === 'failed' && outcome.transient) transient = true;
        outcomes.push(outcome.result);
        await persist();
      }),
    );
    // `transient`: some failure may pass on retry, which decides between retrying and counting a failure.
    return { outcomes: run.destinations ?? [], transient };
  }

  private async deliverOne(
    destination: Destination,
    index: number,
    context: DeliveryContext,
    logger: Logger,
    guard: ChannelGuard,
  ): Promise<{ status: 'delivered' | 'failed'; transient: boolean; result: DestinationOutcome }> {
    const deliverer = this.deps.deliverers[destination.type] as {
      deliver(d: Destination, c: DeliveryContext): Promise<{ location?: string }>;
    };
    try {
      const receipt = await withRetry(
        async () => {
          // Checked inside the retry: a lookup Discord fails transiently is tried again like the post.
          if (destination.type === 'discord_channel') await guard.assertInServer(destination.channelId);
          return deliverer.deliver(destination, context);
        },
        {
          maxRetryTimeMs: this.settings.maxRetryTimeMs,
          onRetry: (error, attempt) =>
            logger.warn('delivery failed; retrying', { type: destination.type, attempt, error }),
        },
      );
      return {
        status: 'delivered',
        transient: false,
        result: {
          index,
          type: destination.type,
          status: 'delivered',
          ...(receipt.location ? { location: receipt.location } : {}),
        },
      };
    } catch (error) {
      this.deps.metrics.deliveryFailed(destination.type);
      logger.error('delivery failed', { type: destination.type, index, error });
      return {
        status: 'failed',
        transient: isTransientError(error),
        result: { index, type: destination.type, status: 'failed', error: safeMessage(error) },
      };
    }
  }

  private async finishFailed(
    task: Task,
    writer: RunWriter,
    started: Date,
    error: unknown,
    logger: Logger,
    transient = isTransientError(error),
  ): Promise<RunOutcome> {
    const { run } = writer;
    run.error = safeMessage(error);
    if (transient) {
      // Recorded as a retryable failure so the retry can claim it again; the dead-letter handler counts it
      // if every retry fails. A duplicate delivery never re-runs a final (counted) failure.
      run.retryable = true;
      await this.recordRun(writer, 'failed', started);
      logger.warn('run failed; a retry may succeed', { error });
      throw new RunFailedError(run.error, { cause: error });
    }
    logger.error('run failed', { error });
    return this.finish(task, writer, 'failed', started, logger, {});
  }

  private async recordRun(writer: RunWriter, status: RunRecord['status'], started: Date): Promise<void> {
    const { run } = writer;
    const finished = this.deps.clock.now();
    run.status = status;
    run.finishedAt = finished.toISOString();
    run.durationMs = finished.getTime() - started.getTime();
    delete run.leaseUntil;
    if (status !== 'failed') delete run.retryable;
    await writer.write();
  }

  private async finish(
    task: Task,
    writer: RunWriter,
    status: 'succeeded' | 'partial' | 'skipped' | 'failed',
    started: Date,
    logger: Logger,
    cursors: Record<string, string>,
  ): Promise<RunOutcome> {
    const { run } = writer;
    await this.recordRun(writer, status, started);
    const now = this.deps.clock.now();
    const updated = await updateTaskWithRetry(this.deps.store, task.guildId, task.id, (current) => {
      const completes =
        current.schedule.type === 'once' && run.trigger === 'schedule' && current.state === 'active';
      // From the task as stored now (an edit may have landed during the run), and only while it will run.
      const nextRunAt = current.state === 'active' && !completes ? nextRunAfter(current, now) : undefined;
      const next = withRunOutcome(current, {
        scheduledTime: run.scheduledTime,
        finishedAt: run.finishedAt ?? now.toISOString(),
        status,
        ...(run.error ? { error: run.error } : {}),
        ...(nextRunAt ? { nextRunAt: nextRunAt.toISOString() } : {}),
      });
      if (next.kind === 'summary' && (status === 'succeeded' || status === 'partial')) {
        next.cursors = newestCursors(next.cursors, cursors);
      }
      if (run.destinations && run.destinations.length > 0) {
        const counts = withDestinationOutcomes(
          next.metadata.destinationFailures,
          next.destinations,
          run.destinations,
        );
        if (Object.keys(counts).length > 0) next.metadata.destinationFailures = counts;
        else delete next.metadata.destinationFailures;
      }
      if (completes) next.state = 'completed';
      return next;
    });
    this.deps.metrics.runFinished(status, run.durationMs ?? 0, run.messageCount ?? 0);
    logger.info('run finished', { status, messages: run.messageCount, durationMs: run.durationMs });
    if (status === 'failed' && updated) {
      await applyFailurePolicy(
        updated,
        run.error ?? 'unknown error',
        this.failureDeps(logger, this.guardOf(writer, task.guildId)),
      );
    }
    if (status === 'partial' && updated && run.destinations) {
      await alertFailingDestinations(updated, run.destinations, {
        poster: this.deps.poster,
        channels: this.guardOf(writer, task.guildId),
        logger,
        threshold: this.settings.maxConsecutiveFailures,
        serverNotifyChannelId: async () =>
          (await this.deps.store.getGuildConfig(updated.guildId))?.notifyChannelId,
      });
    }
    return { status, run };
  }

  private failureDeps(logger: Logger, channels: ChannelDirectory): FailurePolicyDeps {
    const { store, tasks, poster, metrics } = this.deps;
    return {
      store,
      channels,
      tasks,
      poster,
      metrics,
      logger,
      maxConsecutiveFailures: this.settings.maxConsecutiveFailures,
    };
  }

  private async runCleanupTask(task: CleanupTask, writer: RunWriter, logger: Logger): Promise<RunOutcome> {
    const { run } = writer;
    const started = this.deps.clock.now();
    try {
      const report = await runCleanup(task, {
        store: this.deps.store,
        clock: this.deps.clock,
        ...(this.settings.removeFilesOlderThan
          ? { removeFilesOlderThan: this.settings.removeFilesOlderThan }
          : {}),
      });
      run.report = report.text;
      run.window = { from: report.cutoff, to: run.scheduledTime };
      if (task.destinations.length > 0)
        await this.deliverAll(
          task,
          writer,
          undefined,
          noticeSummary('Cleanup report', report.text, run, 0),
          logger,
        );
      return this.finish(task, writer, 'succeeded', started, logger, {});
    } catch (error) {
      return this.finishFailed(task, writer, started, error, logger);
    }
  }

  private async replyToManualRun(input: ManualRunInput, text: string): Promise<void> {
    if (!input.reply) return;
    try {
      await this.deps.poster.editOriginalResponse(input.reply.applicationId, input.reply.token, {
        content: text,
        allowed_mentions: { parse: [] },
      });
    } catch (error) {
      this.deps.logger.warn('could not edit the run-now reply', { taskId: input.taskId, error });
    }
  }
}

/** A one-line account of an outcome for the run-now reply. */
function describeOutcome(outcome: RunOutcome): string {
  if ('run' in outcome) return describeRun(outcome.run);
  if (outcome.status === 'duplicate') return 'This run was already started.';
  return `Nothing ran: ${'reason' in outcome ? outcome.reason : outcome.status}.`;
}

/** Per channel, the newer of two cursors: overlapping runs (a run now during a scheduled run) never move it back. */
export function newestCursors(
  current: Record<string, string>,
  read: Record<string, string>,
): Record<string, string> {
  const merged = { ...current };
  for (const [channelId, id] of Object.entries(read)) {
    const existing = merged[channelId];
    merged[channelId] = existing ? maxSnowflake(existing, id) : id;
  }
  return merged;
}

/** The next invocation after `from`, with EventBridge semantics, or undefined for a finished one-time task. */
export function nextRunAfter(task: Task, from: Date): Date | undefined {
  const expression = toScheduleExpression(task.schedule);
  return nextRuns(expression, task.timeZone, from, 1, { anchor: new Date(task.createdAt) })[0];
}

/** A one-line account of a run for a Discord reply. */
export function describeRun(run: RunRecord): string {
  const delivered = (run.destinations ?? []).filter((d) => d.status === 'delivered').length;
  const total = run.destinations?.length ?? 0;
  switch (run.status) {
    case 'succeeded':
      return `✅ Summarized ${plural(run.messageCount ?? 0, 'message')} and delivered to ${plural(delivered, 'destination')}.`;
    case 'partial':
      return `⚠️ Summarized ${plural(run.messageCount ?? 0, 'message')}; delivered to ${delivered} of ${plural(total, 'destination')}.`;
    case 'skipped':
      return `⏭️ Skipped: ${run.skipReason ?? 'not enough messages'}.`;
    default:
      return `❌ The run failed: ${run.error ?? 'unknown error'}.`;
  }
}

/** An error's message if it is one of ours (written to be shown); otherwise only its class. */
export function safeMessage(error: unknown): string {
  if (isUserFacingError(error)) return error.message.slice(0, 500);
  return `internal error (${error instanceof Error ? error.name : typeof error})`;
}

/** A summary that is only a notice (quiet period, cleanup report): no sections, just a title and a line. */
function noticeSummary(title: string, overview: string, run: RunRecord, messages: number): Summary {
  const window = run.window ?? { from: run.scheduledTime, to: run.scheduledTime };
  return {
    title,
    overview,
    keyPoints: [],
    decisions: [],
    actionItems: [],
    openQuestions: [],
    participants: [],
    links: [],
    stats: { messages, participants: run.participantCount ?? 0, from: window.from, to: window.to },
  };
}
