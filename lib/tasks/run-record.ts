import * as z from 'zod';
import { IsoInstant, Snowflake, TaskId } from './fields.ts';
import { SubscriberOutcomes } from './subscribers.ts';

/** How a run ended, on its record and on its task's last run. */
export const RunStatus = z.enum(['running', 'succeeded', 'partial', 'failed', 'skipped', 'missed']);
export type RunStatus = z.infer<typeof RunStatus>;

/** The outcome of delivering one run to one destination. */
export const DestinationOutcome = z.object({
  /** Index into the task's `destinations`, stable for idempotent retries. */
  index: z.number().int().min(0),
  type: z.enum(['discord_channel', 'webhook', 'email', 'file']),
  status: z.enum(['delivered', 'failed']),
  /** Where it went: a message link, an S3 key, a file path. */
  location: z.string().optional(),
  error: z.string().optional(),
});
export type DestinationOutcome = z.infer<typeof DestinationOutcome>;

/** Tokens the LLMs of a run spent (failed attempts included) and their estimated cost. */
export const RunUsage = z.object({
  /** `provider/model`, comma-separated when the chain tried several. */
  model: z.string().max(500),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  /** USD at the model's list price; absent when a price is unknown. */
  estimatedCostUsd: z.number().min(0).optional(),
});
export type RunUsage = z.infer<typeof RunUsage>;

/** Bounds of a run's kept digest: a record stays small (DynamoDB items are at most 400 KB). */
export const RUN_DIGEST_LIMITS = { title: 256, overview: 600, line: 300, lines: 8 } as const;

/**
 * What a successful summary run posted, kept on its run record for digests of digests: the summary's
 * headline parts, each bounded. Where it was posted is the record's delivered Discord location.
 */
export const RunDigest = z.object({
  title: z.string().max(RUN_DIGEST_LIMITS.title),
  overview: z.string().max(RUN_DIGEST_LIMITS.overview),
  lines: z
    .array(
      z.object({
        kind: z.enum(['point', 'decision', 'action', 'question']),
        text: z.string().max(RUN_DIGEST_LIMITS.line),
        owner: z.string().max(100).optional(),
      }),
    )
    .max(RUN_DIGEST_LIMITS.lines),
});
export type RunDigest = z.infer<typeof RunDigest>;

/** One run of a task, keyed by its scheduled time; the key makes execution idempotent. */
export const RunRecord = z.object({
  taskId: TaskId,
  guildId: Snowflake,
  /** The run's key. A run `after` another task's run is keyed by that run's scheduled time. */
  scheduledTime: IsoInstant,
  trigger: z.enum(['schedule', 'manual', 'missed', 'after']),
  /** The run of another task this run followed (trigger `after`). */
  upstream: z.object({ taskId: TaskId, scheduledTime: IsoInstant }).optional(),
  executionId: z.string().max(200).optional(),
  attempt: z.number().int().min(1),
  status: RunStatus,
  startedAt: IsoInstant,
  /** While `running`, another invocation may take the run over only after this instant (crash recovery). */
  leaseUntil: IsoInstant.optional(),
  /**
   * Which claim wrote the record (random per claim). The claimant's writes are conditional on it, so an
   * attempt that stalled past its lease and was taken over can no longer write the record (or post).
   */
  claimId: z.string().max(64).optional(),
  /**
   * A `failed` run a later attempt may take over: a transient failure that Lambda retries and that is not
   * counted yet. A final failure (counted on the task) is never run again by a duplicate delivery.
   */
  retryable: z.boolean().optional(),
  finishedAt: IsoInstant.optional(),
  durationMs: z.number().min(0).optional(),
  window: z.object({ from: IsoInstant, to: IsoInstant }).optional(),
  messageCount: z.number().int().min(0).optional(),
  participantCount: z.number().int().min(0).optional(),
  channels: z
    .array(
      z.object({
        channelId: Snowflake,
        status: z.enum(['read', 'forbidden', 'not_found']),
        messages: z.number().int().min(0),
      }),
    )
    .optional(),
  destinations: z.array(DestinationOutcome).optional(),
  /** Sources the audience rule kept out of this run's digest, and why ("#mods is private to Moderators"). */
  leftOut: z
    .array(z.object({ channelId: Snowflake, reason: z.string().max(300) }))
    .max(100)
    .optional(),
  skipReason: z.string().optional(),
  /** A `missed` record stands for this many runs, the last of them due at `missedUntil` (one per outage). */
  missedCount: z.number().int().min(1).optional(),
  missedUntil: IsoInstant.optional(),
  error: z.string().optional(),
  /** What a cleanup run removed, in words. */
  report: z.string().max(4000).optional(),
  /** Set when an LLM was called for the summary. */
  usage: RunUsage.optional(),
  /** What a successful summary run posted (bounded), for digests of digests. */
  digest: RunDigest.optional(),
  /** Source tasks a digest of digests could not read any more (deleted), named as they were. */
  sourcesGone: z.array(z.string().max(100)).max(10).optional(),
  /** How each subscriber's DM went (delivered, DMs closed, left the server, no channel they can read). */
  subscribers: SubscriberOutcomes.optional(),
  /** Epoch seconds; DynamoDB TTL removes the record after this. */
  expiresAt: z.number().int(),
});
export type RunRecord = z.infer<typeof RunRecord>;

/** A dead-lettered invocation, kept for the status page and the CLI. */
export const DeadLetterRecord = z.object({
  id: z.string().min(1).max(200),
  taskId: TaskId.optional(),
  guildId: Snowflake.optional(),
  scheduledTime: IsoInstant.optional(),
  receivedAt: IsoInstant,
  source: z.enum(['lambda', 'scheduler', 'local']),
  error: z.string().max(2000),
  expiresAt: z.number().int(),
});
export type DeadLetterRecord = z.infer<typeof DeadLetterRecord>;
