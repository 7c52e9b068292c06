import * as z from 'zod';
import { Destination } from './destination.ts';
import { IsoInstant, Snowflake, TaskId } from './fields.ts';
import { RunStatus } from './run-record.ts';
import { ValidSchedule } from './schedule-spec.ts';
import { Subscribers } from './subscribers.ts';
import { SummaryOptions } from './summary-options.ts';
import { TaskSource } from './task-source.ts';
import { TimeZone } from './time-zone.ts';

/** The task record: a summary or cleanup task, its state, its counters and its links to other tasks. */

/** Where a task is in its life: waiting for its schedule, running on it, held, turned off or done. */
export const TaskState = z.enum(['pending', 'active', 'paused', 'disabled', 'completed']);
export type TaskState = z.infer<typeof TaskState>;

/** A task's counters and its last run, kept up to date by every run. */
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
