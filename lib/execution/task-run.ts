import { type Deliverers, type DeliveryContext, deliverTo } from '../delivery/deliverer.ts';
import { RunFailedError, RunTakenOverError, safeMessage } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { maxSnowflake } from '../shared/snowflake.ts';
import type { Summary } from '../summarization/summarizer.ts';
import type { Destination } from '../tasks/destination.ts';
import { nextRunAfter } from '../tasks/next-runs.ts';
import type { DestinationOutcome, RunRecord } from '../tasks/run-record.ts';
import type { Task } from '../tasks/task.ts';
import { ChannelGuard } from './channel-guard.ts';
import { alertFailingDestinations, withDestinationOutcomes } from './destination-health.ts';
import { applyFailurePolicy, type TaskDisabler, updateTaskWithRetry, withRunOutcome } from './failures.ts';
import type { ExecutorDiscord } from './ports.ts';
import { isTransientError, withRetry } from './retry.ts';
import { RunWriter } from './run-writer.ts';

/** What one invocation of the executor ended with. */
export type RunOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'duplicate'; existing: RunRecord }
  /** This attempt stalled past its lease and another took the run over; it stopped without posting more. */
  | { status: 'superseded'; reason: string }
  | { status: 'adhoc'; messages: number }
  | { status: RunRecord['status']; run: RunRecord };

/** The settings a run itself uses (the executor's settings hold these and more). */
export interface RunSettings {
  /** A `running` record whose lease (renewed while it works) ran out may be taken over: its invocation died. */
  leaseMs: number;
  /** Retries of one delivery stop after this long, so a run fits its Lambda's timeout. */
  maxRetryTimeMs: number;
  maxConsecutiveFailures: number;
}

/** The adapters a run talks to. */
export interface TaskRunDeps {
  store: TaskStore;
  discord: ExecutorDiscord;
  deliverers: Deliverers;
  tasks: TaskDisabler;
  clock: Clock;
  metrics: RunMetrics;
  settings: RunSettings;
}

/** What the executor learns during a run and records on it (all but status, timing and deliveries). */
export type RunFacts = Partial<
  Pick<
    RunRecord,
    | 'window'
    | 'channels'
    | 'messageCount'
    | 'participantCount'
    | 'skipReason'
    | 'usage'
    | 'report'
    | 'leftOut'
    | 'digest'
    | 'sourcesGone'
    | 'subscribers'
  >
>;

/** What a delivery to every destination came to. */
export interface Deliveries {
  /** One per destination, in the task's order (those an earlier attempt delivered included). */
  outcomes: DestinationOutcome[];
  /** Some failure may pass on retry: decides between retrying the run and counting a failure. */
  transient: boolean;
}

type Finished = 'succeeded' | 'partial' | 'skipped' | 'failed';

/**
 * One claimed run of a task, from the claim to its recorded outcome. It alone writes the run record (through
 * its writer, whose heartbeat keeps the lease alive until `stop`), and holds what the whole run shares: the
 * task, the start instant, the logger, and the channel guard (each channel's server looked up once a run).
 */
export class TaskRun {
  readonly started: Date;
  /** Checks that a Discord channel belongs to the task's server before anything is posted there. */
  readonly guard: ChannelGuard;
  readonly #writer: RunWriter;
  readonly #deps: TaskRunDeps;
  /** Destinations an earlier attempt of this run delivered to, by index: a retry does not post them again. */
  readonly #delivered: Map<number, DestinationOutcome>;

  constructor(
    readonly task: Task,
    record: RunRecord,
    readonly logger: Logger,
    deps: TaskRunDeps,
    previous?: RunRecord,
  ) {
    this.#deps = deps;
    this.started = deps.clock.now();
    this.guard = new ChannelGuard(deps.discord, task.guildId);
    this.#writer = new RunWriter(record, {
      store: deps.store,
      clock: deps.clock,
      logger,
      leaseMs: deps.settings.leaseMs,
    });
    this.#delivered = new Map(
      (previous?.destinations ?? []).filter((o) => o.status === 'delivered').map((o) => [o.index, o]),
    );
    this.#writer.startHeartbeat();
  }

  /** Confirms this attempt still holds the run before a side effect (a DM); RunTakenOverError if not. */
  confirm(): Promise<void> {
    return this.#writer.confirm();
  }

  /** Writes the record as it is now (progress: what was delivered so far). */
  write(): Promise<void> {
    return this.#writer.write();
  }

  /** The run record as written so far. */
  get record(): Readonly<RunRecord> {
    return this.#writer.run;
  }

  /** Records what the run learned (written with the next write). */
  note(facts: RunFacts): void {
    Object.assign(this.#writer.run, facts);
  }

  /**
   * Delivers `summary` to every destination in parallel, each retried while its failure is transient; a
   * destination an earlier attempt delivered to is kept as it was. Each outcome is written as soon as it is
   * known, so an attempt that dies mid-way is resumed, not redone.
   */
  async deliver(summary: Summary): Promise<Deliveries> {
    const { task } = this;
    const run = this.#writer.run;
    const context: DeliveryContext = {
      taskId: task.id,
      taskName: task.name,
      guildId: task.guildId,
      channelIds: task.kind === 'summary' ? task.channelIds : [],
      scheduledTime: run.scheduledTime,
      window: run.window ?? { from: run.scheduledTime, to: run.scheduledTime },
      timeZone: task.timeZone,
      summary,
    };
    const outcomes: DestinationOutcome[] = [];
    let transient = false;
    await Promise.all(
      task.destinations.map(async (destination, index) => {
        const already = this.#delivered.get(index);
        if (already) {
          outcomes.push(already);
          return;
        }
        const { outcome, retryable } = await this.#deliverOne(destination, index, context);
        if (retryable) transient = true;
        outcomes.push(outcome);
        run.destinations = [...outcomes].sort((a, b) => a.index - b.index);
        await this.#writer.write();
      }),
    );
    return { outcomes: run.destinations ?? [], transient };
  }

  async #deliverOne(
    destination: Destination,
    index: number,
    context: DeliveryContext,
  ): Promise<{ outcome: DestinationOutcome; retryable: boolean }> {
    try {
      const receipt = await withRetry(
        async () => {
          // Checked inside the retry: a lookup Discord fails transiently is tried again like the post.
          if (destination.type === 'discord_channel') await this.guard.assertInServer(destination.channelId);
          // Still ours? An attempt that stalled past its lease and was taken over stops before it posts.
          await this.#writer.confirm();
          return deliverTo(this.#deps.deliverers, destination, context);
        },
        {
          maxRetryTimeMs: this.#deps.settings.maxRetryTimeMs,
          ...(this.#deps.deliverers[destination.type].retriesTransientFailures ? { retries: 0 } : {}),
          onRetry: (error, attempt) =>
            this.logger.warn('delivery failed; retrying', { type: destination.type, attempt, error }),
        },
      );
      const outcome: DestinationOutcome = {
        index,
        type: destination.type,
        status: 'delivered',
        ...(receipt.location ? { location: receipt.location } : {}),
      };
      return { outcome, retryable: false };
    } catch (error) {
      if (error instanceof RunTakenOverError) throw error; // not this destination's failure: the run is not ours
      this.#deps.metrics.deliveryFailed(destination.type);
      this.logger.error('delivery failed', { type: destination.type, index, error });
      return {
        outcome: { index, type: destination.type, status: 'failed', error: safeMessage(error) },
        retryable: isTransientError(error),
      };
    }
  }

  /**
   * Ends the run as failed. A transient failure (`transient`, by default judged from the error) is recorded
   * as retryable and thrown as RunFailedError, so Lambda retries the run and the retry can claim it again
   * (the dead-letter handler counts it if every retry fails); any other failure is final and counted now.
   */
  async fail(error: unknown, transient = isTransientError(error)): Promise<RunOutcome> {
    const run = this.#writer.run;
    run.error = safeMessage(error);
    if (transient) {
      run.retryable = true;
      await this.#record('failed');
      this.logger.warn('run failed; a retry may succeed', { error });
      throw new RunFailedError(run.error, { cause: error });
    }
    this.logger.error('run failed', { error });
    return this.finish('failed');
  }

  /**
   * Records the outcome on the run and on the task (counts, next run, cursors moved to `cursors` after a
   * success, per-destination failure counts, a one-time task completed), then applies the failure policy
   * or the failing-destination alert.
   */
  async finish(
    status: Finished,
    cursors: Record<string, string> = {},
    /** A category or whole-server run: the channels whose cursors it keeps; any other's is dropped. */
    scope?: ReadonlySet<string>,
  ): Promise<RunOutcome> {
    const { task, logger } = this;
    const { store, clock, metrics, settings } = this.#deps;
    const run = this.#writer.run;
    await this.#record(status);
    const now = clock.now();
    const updated = await updateTaskWithRetry(store, task.guildId, task.id, (current) => {
      const completes =
        current.schedule.type === 'once' &&
        (run.trigger === 'schedule' || run.trigger === 'after') &&
        current.state === 'active';
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
      if (next.kind === 'summary' && scope && status !== 'failed') {
        next.cursors = cursorsWithin(next.cursors, scope);
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
    metrics.runFinished(status, run.durationMs ?? 0, run.messageCount ?? 0);
    logger.info('run finished', { status, messages: run.messageCount, durationMs: run.durationMs });
    if (status === 'failed' && updated) {
      const { tasks, discord } = this.#deps;
      await applyFailurePolicy(updated, run.error ?? 'unknown error', {
        store,
        channels: this.guard,
        tasks,
        poster: discord,
        metrics,
        logger,
        maxConsecutiveFailures: settings.maxConsecutiveFailures,
      });
    }
    if (status === 'partial' && updated && run.destinations) {
      await alertFailingDestinations(updated, run.destinations, {
        poster: this.#deps.discord,
        channels: this.guard,
        logger,
        threshold: settings.maxConsecutiveFailures,
        serverNotifyChannelId: async () => (await store.getGuildConfig(updated.guildId))?.notifyChannelId,
      });
    }
    return { status, run };
  }

  /** Stops the lease heartbeat and waits for the record's queued writes. */
  stop(): Promise<void> {
    return this.#writer.stop();
  }

  async #record(status: Finished): Promise<void> {
    const run = this.#writer.run;
    const finished = this.#deps.clock.now();
    run.status = status;
    run.finishedAt = finished.toISOString();
    run.durationMs = finished.getTime() - this.started.getTime();
    delete run.leaseUntil;
    if (status !== 'failed') delete run.retryable;
    await this.#writer.write();
  }
}

/**
 * The cursors of the channels in `scope`: a channel deleted, moved out of the category or an archived
 * thread does not keep one forever. Should it come back, its first run reads the task's first lookback again.
 */
function cursorsWithin(cursors: Record<string, string>, scope: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(cursors).filter(([channelId]) => scope.has(channelId)));
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
