import * as z from 'zod';
import { ValidationError } from '../errors.ts';
import type { Destination } from '../tasks/destination.ts';
import { Snowflake } from '../tasks/fields.ts';
import { ScheduleSpec, ValidSchedule } from '../tasks/schedule-spec.ts';
import { SummaryOptions } from '../tasks/summary-options.ts';
import { CleanupTask, FailureLimit, SummaryTask, TaskName } from '../tasks/task.ts';

/** Cap on one `channelIds`/`destinations` list is the task model's; reuse its validators field by field. */
const summaryShape = SummaryTask.shape;
const cleanupShape = CleanupTask.shape;

const NewSummaryTask = z.object({
  kind: z.literal('summary'),
  guildId: Snowflake,
  name: TaskName,
  channelIds: summaryShape.channelIds,
  source: summaryShape.source,
  schedule: ValidSchedule,
  /** Falls back to the guild's configured zone, then UTC. */
  timeZone: summaryShape.timeZone.optional(),
  destinations: summaryShape.destinations,
  options: SummaryOptions.default(SummaryOptions.parse({})),
  createdBy: Snowflake,
  notifyChannelId: Snowflake.optional(),
  failureLimit: FailureLimit.optional(),
});

const NewCleanupTask = z.object({
  kind: z.literal('cleanup'),
  guildId: Snowflake,
  name: TaskName,
  schedule: ValidSchedule,
  timeZone: cleanupShape.timeZone.optional(),
  retentionDays: cleanupShape.retentionDays,
  destinations: cleanupShape.destinations,
  createdBy: Snowflake,
  notifyChannelId: Snowflake.optional(),
  failureLimit: FailureLimit.optional(),
});

/**
 * What `createTask` accepts: a task without id, state, version, timestamps or run metadata. The type is
 * what callers write (a plain schedule spec, options with defaults left out); the scheduler parses it once,
 * which checks the schedule into a `ValidSchedule`.
 */
export const NewTaskInput = z.discriminatedUnion('kind', [NewSummaryTask, NewCleanupTask]);
export type NewTaskInput = z.input<typeof NewTaskInput>;
/** A new summary task as callers write it. */
export type NewSummaryTaskInput = Extract<NewTaskInput, { kind: 'summary' }>;
/** A parsed `NewTaskInput`: every field checked, defaults filled in. */
export type ParsedNewTask = z.output<typeof NewTaskInput>;

/**
 * What `updateTask` accepts. `options` is merged key by key into the task's options and the merged task is
 * validated as a whole, so a wrong option is reported as `options.<key>`; `notifyChannelId: null` clears it.
 */
export const TaskChanges = z
  .strictObject({
    name: TaskName,
    // Checked (into a ValidSchedule) with the merged task, the one check an update needs.
    schedule: ScheduleSpec,
    timeZone: summaryShape.timeZone,
    channelIds: summaryShape.channelIds,
    /** What the task reads: its channels, their categories' channels, or the whole server. */
    source: summaryShape.source.unwrap(),
    destinations: z.array(z.unknown()),
    options: z.record(z.string(), z.unknown()),
    notifyChannelId: Snowflake.nullable(),
    failureLimit: FailureLimit.nullable(),
    retentionDays: cleanupShape.retentionDays,
    /** A digest of digests of these tasks (null: read messages again); checked with the other tasks. */
    digestOf: summaryShape.digestOf.unwrap().nullable(),
    /** Run after this task's successful runs (null: at the task's own times again). */
    after: summaryShape.after.unwrap().nullable(),
  })
  .partial();
/**
 * The changes callers write. Destinations and options are checked as part of the merged task, so the
 * schema takes them as they come; the type still says what they are.
 */
export type TaskChanges = Omit<z.input<typeof TaskChanges>, 'destinations' | 'options'> & {
  destinations?: Destination[];
  options?: Partial<SummaryOptions>;
};

/** Renders a zod issue path the way a user writes it: `destinations[0].url`, `tasks[3].schedule.time`. */
export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(input)';
}

/** Parses `data` with `schema`, or throws ValidationError naming the first bad field (under `prefix`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ValidationError(prefix || '(input)', 'valid input', { cause: result.error });
  throw new ValidationError(formatPath(issue.path, prefix), describeIssue(issue), { cause: result.error });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `${issue.keys.length === 1 ? 'unknown field' : 'unknown fields'} ${issue.keys.join(', ')}`;
  // zod's stock messages start with "Invalid input: "; the field name already says where.
  return issue.message.replace(/^Invalid input: /, '');
}

/** Re-roots a ValidationError thrown for a nested value (a schedule, an import entry) under `prefix`. */
export function underField(prefix: string, error: unknown): unknown {
  if (!(error instanceof ValidationError)) return error;
  if (
    error.field === prefix ||
    error.field.startsWith(`${prefix}.`) ||
    error.field.startsWith(`${prefix}[`)
  ) {
    return error;
  }
  const field = error.field === '(input)' ? prefix : `${prefix}.${error.field}`;
  return new ValidationError(field, error.expected, { cause: error.cause ?? error });
}
