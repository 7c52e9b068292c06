import type { Deliverers } from '../delivery/deliverer.ts';
import { RunFailedError, RunInProgressError, RunTakenOverError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { plural } from '../shared/words.ts';
import type { Summarizer, Summary } from '../summarization/summarizer.ts';
import { destinationWords } from '../tasks/destination-words.ts';
import type { GuildConfig } from '../tasks/guild-config.ts';
import { resumedFromPause, resumesAt } from '../tasks/pause-until.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { SummaryTask, Task } from '../tasks/task.ts';
import { type AdhocDeps, runAdhocSummary } from './adhoc-summary.ts';
import { overCapNote, withChannelSections } from './channel-sections.ts';
import { type CleanupDeps, runCleanupTask } from './cleanup.ts';
import { describeOutcome } from './describe-outcome.ts';
import { runDigestOf } from './digest-of-run.ts';
import { type ExecutorInput, type ExecutorInvoker, runKeyOf } from './executor-input.ts';
import { type TaskDisabler, updateTaskWithRetry } from './failures.ts';
import { followerCheck, startFollowers } from './followers.ts';
import { unreadableNote, withFooterNotes } from './footer-notes.ts';
import { replyToManualRun } from './manual-reply.ts';
import { readWindowFor, windowStart } from './message-window.ts';
import type { ExecutorDiscord, ReadWindow, RunSourcePlan, RunSources } from './ports.ts';
import { type ChannelReads, readChannels } from './read-channels.ts';
import { leftOutNote, planRunSources } from './run-audience.ts';
import { claimRun } from './run-claim.ts';
import { toRunDigest } from './run-digest.ts';
import { runNotice } from './run-notice.ts';
import { deliverToSubscribers } from './subscriber-delivery.ts';
import { type RunOutcome, type RunSettings, TaskRun, type TaskRunDeps } from './task-run.ts';

export type { RunOutcome } from './task-run.ts';

export interface ExecutorSettings extends RunSettings {
  /** Run records expire this many days after the run (DynamoDB TTL). */
  runRetentionDays: number;
  /** Cleanup of delivered local files (local runtime only). */
  removeFilesOlderThan?: CleanupDeps['removeFilesOlderThan'];
}

export interface ExecutorDeps {
  store: TaskStore;
  /**
   * Reads the channels, posts replies and notices, and says which server a channel is in: every Discord
   * post and notice of a run is checked against the task's.
   */
  discord: ExecutorDiscord;
  /** The audience rule at every run: which sources the task's destinations may receive now. */
  sources: RunSources;
  summarizer: Summarizer;
  deliverers: Deliverers;
  tasks: TaskDisabler;
  clock: Clock;
  logger: Logger;
  metrics: RunMetrics;
  settings?: Partial<ExecutorSettings>;
  /**
   * Starts the runs of tasks that follow a task (`after`) once it ran successfully: the executor itself,
   * asynchronously (Lambda `Event` invocation in AWS, the in-process invoker locally). Without it, no
   * follower is started.
   */
  followers?: ExecutorInvoker;
}

/**
 * A claim's lease. Short and renewed by a heartbeat while the run works: a dead attempt's lease runs out
 * before Lambda's next retry (about 1 and 3 minutes later), so the retry takes the run over instead of
 * skipping it.
 */
const RUN_LEASE_MS = 2 * 60_000;

const DEFAULTS: ExecutorSettings = {
  runRetentionDays: 30,
  maxConsecutiveFailures: 5,
  leaseMs: RUN_LEASE_MS,
  maxRetryTimeMs: 60_000,
};

/**
 * One run of a task: claim it (idempotent on the scheduled time), read the channels, summarize, deliver
 * to every destination, record the outcome. Also runs `/summarize` requests, which have no task.
 */
export class TaskExecutor {
  private readonly settings: ExecutorSettings;

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
    const stored = await this.deps.store.getTask(input.guildId, input.taskId);
    if (!stored) {
      logger.warn('run for a task that does not exist; ignored');
      return { status: 'ignored', reason: 'task not found' };
    }
    let task: Task = stored;
    if (input.type === 'scheduled' && resumesAt(stored, input.scheduledTime)) {
      // The first run of a pause with an end resumes the task (its schedule started then; pause-until.ts).
      const now = this.deps.clock.now();
      task =
        (await updateTaskWithRetry(this.deps.store, stored.guildId, stored.id, (current) =>
          resumesAt(current, input.scheduledTime) ? resumedFromPause(current, now) : current,
        )) ?? stored;
      logger.info('pause ended; task resumed', { state: task.state });
    }
    const runnable = input.type === 'manual' ? ['active', 'paused'] : ['active'];
    if (!runnable.includes(task.state)) {
      logger.info('task is not active; run ignored', { state: task.state });
      return { status: 'ignored', reason: `task is ${task.state}` };
    }
    const waits = await followerCheck(this.deps.store, task, input);
    if (waits) {
      logger.info('run ignored: the task follows another', { reason: waits });
      return { status: 'ignored', reason: waits };
    }
    const scheduledTime = runKeyOf(input);
    const runLogger = logger.child({ scheduledTime });
    const claim = await claimRun({ ...this.deps, ...this.settings }, task, input, scheduledTime);
    if (!claim.claimed) {
      if (claim.existing.status === 'running') {
        runLogger.info('run in progress in another invocation; this one will retry', {});
        throw new RunInProgressError(`the run of ${scheduledTime} is in progress in another invocation`);
      }
      runLogger.info('run already done; duplicate invocation ignored', { status: claim.existing.status });
      // A retry of a run whose followers could not all be started starts them again (their claims are
      // keyed by this run, so a follower already started runs once).
      if (succeeded(claim.existing.status)) await startFollowers(this.deps, task, scheduledTime, runLogger);
      return { status: 'duplicate', existing: claim.existing };
    }
    // A retry of a failed or abandoned attempt keeps what that attempt already delivered; a retried cleanup
    // makes a new report, so it delivers that one everywhere.
    const previous = task.kind === 'summary' ? claim.previous : undefined;
    const run = new TaskRun(task, claim.run, runLogger, this.runDeps(), previous);
    let outcome: RunOutcome;
    try {
      outcome =
        task.kind === 'cleanup'
          ? await runCleanupTask(run, task, this.cleanupDeps())
          : await this.runSummaryTask(run, task);
    } catch (error) {
      if (error instanceof RunTakenOverError) {
        // Not a failure to retry or count: the attempt that holds the run now finishes it.
        runLogger.warn('run taken over by another attempt after this one outlived its lease; stopped', {});
        return { status: 'superseded', reason: error.message };
      }
      if (input.type === 'manual' && input.reply && error instanceof RunFailedError) {
        await replyToManualRun(this.deps, input, `❌ The run failed: ${error.message}. It will be retried.`);
      }
      throw error;
    } finally {
      await run.stop();
    }
    if (input.type === 'manual' && input.reply) {
      await replyToManualRun(this.deps, input, describeOutcome(outcome));
    }
    if ('run' in outcome && succeeded(outcome.status)) {
      await startFollowers(this.deps, task, scheduledTime, runLogger);
    }
    return outcome;
  }

  private runDeps(): TaskRunDeps {
    const { store, discord, deliverers, tasks, clock, metrics } = this.deps;
    return { store, discord, deliverers, tasks, clock, metrics, settings: this.settings };
  }

  private cleanupDeps(): CleanupDeps {
    const { store, clock } = this.deps;
    const { removeFilesOlderThan } = this.settings;
    return { store, clock, ...(removeFilesOlderThan ? { removeFilesOlderThan } : {}) };
  }

  private adhocDeps(): AdhocDeps {
    const { discord, summarizer, clock, logger, metrics, store } = this.deps;
    return {
      discord,
      summarizer,
      clock,
      logger,
      metrics,
      summaryStyle: async (guildId) => (await store.getGuildConfig(guildId))?.summaryStyle,
    };
  }

  private async runSummaryTask(run: TaskRun, task: SummaryTask): Promise<RunOutcome> {
    if (task.digestOf) {
      return runDigestOf(run, task, {
        store: this.deps.store,
        sources: this.deps.sources,
        maxRetryTimeMs: this.settings.maxRetryTimeMs,
        notice: (title, overview) => runNotice(run, title, overview, 0),
      });
    }
    const to = new Date(run.record.scheduledTime);
    let reads: { channelId: string; window: ReadWindow }[] = [];
    let read: ChannelReads;
    let plan: RunSourcePlan;
    let config: GuildConfig | undefined;
    try {
      // A category or whole-server task reads as many channels as the server allows a task.
      const expanded = task.source === 'category' || task.source === 'server';
      if (expanded) config = await this.deps.store.getGuildConfig(task.guildId);
      // The audience rule again, before any message is read: roles and overwrites change after create.
      plan = await planRunSources(
        this.deps.sources,
        task,
        this.settings.maxRetryTimeMs,
        (leftOut) => run.note({ leftOut }),
        config?.maxChannelsPerTask ? { maxChannels: config.maxChannelsPerTask } : {},
      );
      const sized = plan.sections ? { channels: plan.channelIds.length } : undefined;
      reads = plan.channelIds.map((channelId) => ({
        channelId,
        window: readWindowFor(task, channelId, to, sized),
      }));
      read = await readChannels(this.deps.discord, task.guildId, reads, {
        filter: task.options,
        logger: run.logger,
        maxRetryTimeMs: this.settings.maxRetryTimeMs,
        keepSources: (task.subscribers?.length ?? 0) > 0,
      });
      for (const { channelId, status } of plan.unreadable)
        read.channels.push({ channelId, status, messages: 0 });
    } catch (error) {
      return run.fail(error);
    }
    const { messages, channels, cursors, truncated } = read;
    run.note({
      window: { from: windowStart(reads, to).toISOString(), to: to.toISOString() },
      channels,
      messageCount: messages.length,
      participantCount: new Set(messages.map((m) => m.authorId)).size,
    });

    if (!channels.some((c) => c.status === 'read')) {
      const names = channels.map((c) => c.channelId).join(', ');
      return run.fail(new RunFailedError(`the bot cannot read any of the channels (${names})`));
    }

    if (messages.length < task.options.minMessages) {
      const count = plural(messages.length, 'new message');
      run.note({
        skipReason: `${messages.length === 0 ? 'no new messages' : `only ${count}`}; the task needs at least ${task.options.minMessages}`,
      });
      if (task.options.postWhenQuiet) {
        await run.deliver(
          runNotice(
            run,
            `Quiet period: ${task.name}`,
            `${messages.length === 0 ? 'No new messages' : `Only ${count}`} since the last summary; nothing worth summarizing yet.`,
            messages.length,
          ),
        );
      }
      return run.finish('skipped', {}, scopeOf(plan));
    }

    let summary: Summary;
    let summarize: (chosen: typeof messages) => Promise<Summary>;
    try {
      config ??= await this.deps.store.getGuildConfig(task.guildId);
      // The task's language, else the server's (kept from its interactions); else the messages' own.
      const language = task.options.language ?? config?.language;
      const options = {
        length: task.options.length,
        focus: task.options.focus,
        guildId: task.guildId,
        ...(language ? { language } : {}),
        ...(config?.summaryStyle ? { style: config.summaryStyle } : {}),
      };
      // Subscribers who can read only some of the channels get a digest of those (subscriber-delivery.ts).
      summarize = (chosen) => this.deps.summarizer.summarize(chosen, options);
      summary = await summarize(messages);
    } catch (error) {
      return run.fail(error);
    }
    const digest = summary;
    if (summary.usage) run.note({ usage: summary.usage });
    if (plan.sections) summary = withChannelSections(summary, messages, plan.sections);
    const notes: string[] = [];
    const unreadable = unreadableNote(channels.filter((c) => c.status !== 'read').map((c) => c.channelId));
    if (unreadable) notes.push(unreadable);
    const leftOut = leftOutNote(run.record);
    if (leftOut) notes.push(leftOut);
    if (plan.overCap) notes.push(overCapNote(plan.overCap));
    if (truncated) {
      notes.push(
        task.options.lookback.mode === 'fixed'
          ? `More messages than this task reads (${task.options.maxMessages}) were in the window; the newest were summarized.`
          : `More messages than this task reads (${task.options.maxMessages}) were waiting; the rest follow in the next summary.`,
      );
    }
    summary = withFooterNotes(summary, notes);

    const { outcomes, transient } = await run.deliver(summary);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (failed.length === outcomes.length) {
      const error = `every destination failed: ${failed
        .map((o) => `${destinationWords(task.destinations[o.index], o.type)}: ${o.error}`)
        .join('; ')}`;
      return run.fail(new RunFailedError(error), transient);
    }
    run.note({ digest: toRunDigest(summary) });
    const readChannelIds = channels.filter((c) => c.status === 'read').map((c) => c.channelId);
    await deliverToSubscribers(
      run,
      task,
      { readChannelIds, messages, sourceOf: read.sourceOf, digest, summarize, sections: plan.sections },
      { ...this.deps, poster: this.deps.discord, maxRetryTimeMs: this.settings.maxRetryTimeMs },
    );
    return run.finish(failed.length > 0 ? 'partial' : 'succeeded', cursors, scopeOf(plan));
  }
}

/**
 * The channels whose cursors a category or whole-server run keeps: those it reads, and those the cap cut
 * (busy enough to come back soon, when the cursor saves what they said meanwhile). A channel the audience
 * rule leaves out loses its cursor like one deleted: if it is shown again, it starts from the first lookback.
 * Undefined for a task of listed channels.
 */
function scopeOf(plan: RunSourcePlan): ReadonlySet<string> | undefined {
  if (!plan.sections) return undefined;
  return new Set([
    ...plan.channelIds,
    ...plan.unreadable.map((u) => u.channelId),
    ...(plan.overCap?.channelIds ?? []),
  ]);
}

/** A run that delivered its digest (everywhere or somewhere): what starts followers. */
function succeeded(status: RunRecord['status']): boolean {
  return status === 'succeeded' || status === 'partial';
}
