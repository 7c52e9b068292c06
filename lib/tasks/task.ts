import * as z from 'zod';
import { LanguageTag } from './language.ts';
import { ValidSchedule } from './schedule-spec.ts';
import { SubscriberOutcomes, Subscribers } from './subscribers.ts';
import { SummaryStyle } from './summary-style.ts';

/** Discord ids are snowflakes: decimal strings of 17 to 20 digits. */
export const Snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

/** Task ids are short, URL-safe and random; the schedule name is `task-<id>`. */
export const TaskId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,32}$/, 'expected a task id (8 to 32 of A-Z a-z 0-9 _ -)');
export type TaskId = z.infer<typeof TaskId>;

// Building an Intl.DateTimeFormat is the slow part of validating a stored task; zones are few, so remember them.
const knownZones = new Map<string, boolean>();
/** The IANA spelling of each zone seen (see canonicalTimeZone), bounded like knownZones. */
const canonicalZones = new Map<string, string>();

/** True when the runtime's IANA database knows the zone (aliases such as `UTC` included). */
export function isValidTimeZone(zone: string): boolean {
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone) && zone.length <= 50;
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      // Intl throws RangeError for an unknown zone; that is exactly the answer.
      valid = false;
    }
  }
  if (knownZones.size < 1_000) knownZones.set(zone, valid);
  return valid;
}

/**
 * The zone as the IANA database spells it (`europe/berlin` is `Europe/Berlin`): Intl accepts any letter case,
 * EventBridge and people reading the task should not have to. Other aliases keep their name.
 */
export function canonicalTimeZone(zone: string): string {
  const known = canonicalZones.get(zone);
  if (known !== undefined) return known;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  const canonical = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  if (canonicalZones.size < 1_000) canonicalZones.set(zone, canonical);
  return canonical;
}

export const TimeZone = z
  .string()
  .refine(isValidTimeZone, {
    message: 'expected an IANA time zone such as Europe/Berlin or America/New_York',
  })
  .transform(canonicalTimeZone);

/**
 * Webhooks are https. Plain http is representable only for loopback hosts, for local receivers; the webhook
 * deliverer still refuses those unless the runtime allows loopback (off by default).
 */
export function isAllowedWebhookScheme(url: string): boolean {
  if (url.startsWith('https://')) return true;
  try {
    const { protocol, hostname } = new URL(url);
    return (
      protocol === 'http:' && (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]')
    );
  } catch {
    return false; // not a URL at all: the .url() check above already reports it
  }
}

/** Where a summary goes. At least one per summary task. */
export const Destination = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('discord_channel'),
    channelId: Snowflake,
    format: z.enum(['embed', 'markdown']),
    /** Each run starts a new thread there (a post in a forum or media channel) named after its window. */
    thread: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('webhook'),
    url: z
      .string()
      .max(2048)
      .url('expected an https:// URL')
      .refine(isAllowedWebhookScheme, 'expected an https:// URL'),
    secret: z.string().min(16, 'expected a signing secret of at least 16 characters').max(256).optional(),
  }),
  z.object({
    type: z.literal('email'),
    addresses: z.array(z.email('expected an e-mail address')).min(1).max(50),
  }),
  z.object({
    type: z.literal('file'),
    // A relative prefix under the configured root (S3 bucket or local folder); never absolute, never `..`.
    prefix: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'expected a relative folder such as summaries/weekly'),
  }),
]);
export type Destination = z.infer<typeof Destination>;
export type DestinationType = Destination['type'];

export const SummaryLength = z.enum(['brief', 'detailed', 'comprehensive']);
export type SummaryLength = z.infer<typeof SummaryLength>;
export const SummaryFocus = z.enum([
  'general',
  'developer',
  'executive',
  'support',
  'moderation',
  'community',
]);
export type SummaryFocus = z.infer<typeof SummaryFocus>;

/** How far back a run reads: since the last successful run (per-channel cursor) or a fixed window. */
export const Lookback = z.discriminatedUnion('mode', [
  // The first run (no cursor yet) reads `initialHours`.
  z.object({ mode: z.literal('since_last_run'), initialHours: z.number().int().min(1).max(720).default(24) }),
  z.object({ mode: z.literal('fixed'), hours: z.number().int().min(1).max(720) }),
]);
export type Lookback = z.infer<typeof Lookback>;

export const SummaryOptions = z.object({
  lookback: Lookback.default({ mode: 'since_last_run', initialHours: 24 }),
  /** A run with fewer messages is skipped, not failed. */
  minMessages: z.number().int().min(0).max(10_000).default(1),
  maxMessages: z.number().int().min(1).max(50_000).default(1_000),
  length: SummaryLength.default('detailed'),
  focus: SummaryFocus.default('general'),
  includeBots: z.boolean().default(false),
  includeThreads: z.boolean().default(true),
  excludedUserIds: z.array(Snowflake).max(100).default([]),
  /** Post a short "quiet period" note instead of nothing when a run is skipped. */
  postWhenQuiet: z.boolean().default(false),
  /** The language an LLM writes this task's summaries in; the server's language when absent. */
  language: LanguageTag.optional(),
  /**
   * The creator's explicit `include_private:true`: sources not every member can read may still go to this
   * task's webhook, e-mail and file destinations, whose readers Discord does not know. Discord destinations
   * keep the audience rule either way.
   */
  includePrivate: z.boolean().default(false),
});
export type SummaryOptions = z.infer<typeof SummaryOptions>;

export const TaskState = z.enum(['pending', 'active', 'paused', 'disabled', 'completed']);
export type TaskState = z.infer<typeof TaskState>;

export const RunStatus = z.enum(['running', 'succeeded', 'partial', 'failed', 'skipped', 'missed']);
export type RunStatus = z.infer<typeof RunStatus>;

const IsoInstant = z.iso.datetime({ offset: true });

export const TaskMetadata = z.object({
  runCount: z.number().int().min(0).default(0),
  successCount: z.number().int().min(0).default(0),
  failureCount: z.number().int().min(0).default(0),
  skipCount: z.number().int().min(0).default(0),
  consecutiveFailures: z.number().int().min(0).default(0),
  lastRun: z
    .object({
      scheduledTime: IsoInstant,
      finishedAt: IsoInstant,
      status: RunStatus,
      error: z.string().optional(),
    })
    .optional(),
  nextRunAt: IsoInstant.optional(),
  /** Consecutive failed deliveries per destination (keyed by destination-health's `destinationKey`). */
  destinationFailures: z.record(z.string(), z.number().int().min(1)).optional(),
});
export type TaskMetadata = z.infer<typeof TaskMetadata>;

// Control characters (NUL, tab, CR, LF, DEL, C1), line and paragraph separators, and the bidirectional
// marks, embeddings, overrides and isolates that can make a name read differently from what it is
// (`\u202Egnp.exe`) or break the line it is shown on.
const UNSAFE_NAME_CHARACTER = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/**
 * A task name as people may give it (create, edit, import): 1 to 100 characters, none of them control
 * characters, line breaks or bidirectional overrides. Stored tasks are read with the looser `TaskBase` rule,
 * so a task saved before this rule stays readable and can be renamed.
 */
export const TaskName = z
  .string()
  .refine((name) => !UNSAFE_NAME_CHARACTER.test(name), {
    error:
      'expected a name without control characters, line breaks or bidirectional overrides (U+202A–U+202E, U+2066–U+2069)',
  })
  .trim()
  .min(1, 'expected a name')
  .max(100, 'expected a name of at most 100 characters');

/** A task's own failure limit: failed runs in a row before it is turned off. */
export const FailureLimit = z
  .number()
  .int('expected a whole number of failed runs')
  .min(1, 'expected at least 1 failed run')
  .max(100, 'expected at most 100 failed runs');

const TaskBase = z.object({
  id: TaskId,
  guildId: Snowflake,
  name: z.string().trim().min(1, 'expected a name').max(100, 'expected a name of at most 100 characters'),
  /** Checked once when it enters (a command, an import, a read from the table); trusted from then on. */
  schedule: ValidSchedule,
  timeZone: TimeZone,
  state: TaskState,
  createdBy: Snowflake,
  createdAt: IsoInstant,
  updatedAt: IsoInstant,
  /** Incremented by every write; every update is conditional on it. */
  version: z.number().int().min(1),
  metadata: TaskMetadata.default({
    runCount: 0,
    successCount: 0,
    failureCount: 0,
    skipCount: 0,
    consecutiveFailures: 0,
  }),
  /** Where failure notices go; falls back to the guild's notify channel. */
  notifyChannelId: Snowflake.optional(),
  /** Failed runs in a row that turn this task off; the deployment's limit when absent. */
  failureLimit: FailureLimit.optional(),
  /** A `paused` task resumes by itself at its first run from this instant on (see pause-until.ts). */
  pausedUntil: IsoInstant.optional(),
});

/** The failure limit that applies to a task: its own, else the deployment's. */
export function failureLimitOf(task: Pick<Task, 'failureLimit'>, deploymentLimit: number): number {
  return task.failureLimit ?? deploymentLimit;
}

/**
 * Another task of the same server, named as it was when the link was made: a source deleted later is still
 * named in the digest's footer ("Daily digest was deleted").
 */
export const TaskLink = z.object({
  taskId: TaskId,
  name: z.string().trim().min(1).max(100),
});
export type TaskLink = z.infer<typeof TaskLink>;

/** Most source tasks one digest of digests reads (each line links to a digest of one of them). */
export const MAX_DIGEST_SOURCES = 5;

/**
 * What a summary task reads: its channels (threads included; the default, also when absent), every channel of
 * the categories its `channelIds` name, or every channel of the server. A category or the server is expanded
 * into channels at each run (lib/discord/run-sources.ts), so channels made or opened later are read too.
 */
export const TaskSource = z.enum(['channel', 'category', 'server']);
export type TaskSource = z.infer<typeof TaskSource>;

/** The most channels one category or whole-server task reads a run unless a server sets its own cap. */
export const DEFAULT_MAX_CHANNELS_PER_TASK = 50;
/** The highest cap a server may set (`/config channel-limit`). */
export const MAX_CHANNELS_PER_TASK = 200;

export const SummaryTask = TaskBase.extend({
  kind: z.literal('summary'),
  /** For a `category` source, the categories; for `server`, the channels it was created with (not read). */
  channelIds: z.array(Snowflake).min(1, 'expected at least one channel').max(10),
  /** Absent: `channel`. */
  source: TaskSource.optional(),
  destinations: z.array(Destination).min(1, 'expected at least one destination').max(10),
  options: SummaryOptions,
  /** Per-channel cursor: the id of the newest message summarized by the last successful run. */
  cursors: z.record(z.string(), Snowflake).default({}),
  /**
   * A digest of digests: each run summarizes the digests these tasks posted in its window (from their run
   * records) instead of reading messages (see execution/digest-of.ts).
   */
  digestOf: z
    .array(TaskLink)
    .min(1, 'expected at least one task')
    .max(MAX_DIGEST_SOURCES, `expected at most ${MAX_DIGEST_SOURCES} tasks`)
    .optional(),
  /**
   * Runs right after this task's successful runs, once per occurrence of its own schedule, instead of at its
   * own times (see tasks/chain.ts); at its own times again while that task is gone or not active.
   */
  after: TaskLink.optional(),
  /** Members who also get each run's digest by DM, with only the channels each can read (`/subscribe`). */
  subscribers: Subscribers.optional(),
});
export type SummaryTask = z.infer<typeof SummaryTask>;

export const CleanupTask = TaskBase.extend({
  kind: z.literal('cleanup'),
  /** Run records, local files and completed one-time tasks older than this are removed. */
  retentionDays: z.number().int().min(1).max(3650),
  /** Optional: where to report what was removed. */
  destinations: z.array(Destination).max(10).default([]),
});
export type CleanupTask = z.infer<typeof CleanupTask>;

export const Task = z.discriminatedUnion('kind', [SummaryTask, CleanupTask]);
export type Task = z.infer<typeof Task>;
export type TaskKind = Task['kind'];

/** Tokens a server may spend on LLM summaries per UTC day; 0 turns them off for the server. */
export const DailyTokenBudget = z
  .number()
  .int('expected a whole number of tokens')
  .min(0, 'expected 0 or more tokens')
  .max(1_000_000_000, 'expected at most 1,000,000,000 tokens');

/** Per-server defaults, stored beside the guild's tasks. */
export const GuildConfig = z.object({
  guildId: Snowflake,
  timeZone: TimeZone.optional(),
  notifyChannelId: Snowflake.optional(),
  managerRoleId: Snowflake.optional(),
  /** The server's own daily LLM token budget (`/config llm-budget`); the deployment's default otherwise. */
  llmDailyTokenBudget: DailyTokenBudget.optional(),
  /** The server's language (Discord's `guild_locale`, kept from its interactions): what LLM summaries are written in. */
  language: LanguageTag.optional(),
  /** The server's style note for LLM summaries (`/config summary-style`): a preference, never instructions. */
  summaryStyle: SummaryStyle.optional(),
  /** How many channels a category or whole-server task reads a run (`/config channel-limit`). */
  maxChannelsPerTask: z.number().int().min(1).max(MAX_CHANNELS_PER_TASK).optional(),
  updatedAt: IsoInstant,
  version: z.number().int().min(1),
});
export type GuildConfig = z.infer<typeof GuildConfig>;

/** Changes to a server's defaults: a value sets it, `null` clears it, an absent key keeps it. */
export const GuildConfigChanges = z
  .strictObject({
    timeZone: TimeZone,
    notifyChannelId: Snowflake.nullable(),
    managerRoleId: Snowflake.nullable(),
    llmDailyTokenBudget: DailyTokenBudget.nullable(),
    language: LanguageTag.nullable(),
    summaryStyle: SummaryStyle.nullable(),
    maxChannelsPerTask: z.number().int().min(1).max(MAX_CHANNELS_PER_TASK).nullable(),
  })
  .partial();
export type GuildConfigChanges = z.input<typeof GuildConfigChanges>;

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
