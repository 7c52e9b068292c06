import * as z from 'zod';
import type { Destination } from '../tasks/destination.ts';
import { Snowflake } from '../tasks/fields.ts';
import type { ScheduleSpec } from '../tasks/schedule-spec.ts';
import type { SummaryOptions } from '../tasks/summary-options.ts';
import { MAX_DIGEST_SOURCES, type Task, TaskMetadata } from '../tasks/task.ts';
import type { TaskSource } from '../tasks/task-source.ts';
import { parseOrThrow } from './new-task.ts';

/** More entries than this in one file are refused: an import is one all-or-nothing batch. */
export const MAX_IMPORT_TASKS = 500;

/** The states a task is restored in (a task still being created when it was exported is restored active). */
const RestoredState = z.enum(['active', 'paused', 'disabled', 'completed']);
export type RestoredState = z.infer<typeof RestoredState>;

/**
 * One task as exported: what an admin configured and where the task stands (state, run counts and failure
 * streak, read positions, creation time, which anchors `every` schedules), so the file is a faithful backup.
 * Nothing that belongs to one table is kept (id, version, guild, author, the next run, computed again).
 * Webhook signing secrets are included, so the file is as sensitive as the configuration itself.
 */
export interface PortableTask {
  kind: Task['kind'];
  name: string;
  schedule: ScheduleSpec;
  timeZone: string;
  channelIds?: string[];
  /** A category or whole-server task (absent: its channels). */
  source?: TaskSource;
  destinations: Destination[];
  options?: SummaryOptions;
  retentionDays?: number;
  notifyChannelId?: string;
  failureLimit?: number;
  state: RestoredState;
  createdAt: string;
  metadata: TaskMetadata;
  cursors?: Record<string, string>;
  /** A digest of digests: the names of the tasks it digests (ids belong to one table; names travel). */
  digestOf?: string[];
  /** The name of the task it runs after. */
  after?: string;
}

/** The export file. */
export interface TaskExport {
  format: 'summary-bot-tasks';
  version: 1;
  guildId: string;
  exportedAt: string;
  tasks: PortableTask[];
}

/** The envelope is checked here; each entry is validated as a new task by the scheduler (all before any write). */
const ExportFile = z.object({
  format: z.literal('summary-bot-tasks', 'expected "summary-bot-tasks" (a file written by tasks export)'),
  version: z.literal(1, 'expected 1 (the only export version)'),
  guildId: Snowflake.optional(),
  exportedAt: z.string().optional(),
  tasks: z
    .array(z.record(z.string(), z.unknown()), 'expected a list of task objects')
    .max(MAX_IMPORT_TASKS, `expected at most ${MAX_IMPORT_TASKS} tasks in one file`),
});

/**
 * Where an imported task stands. Every field is optional: a file written by hand, or by an earlier version
 * (which kept only the configuration), imports as new active tasks.
 */
const PortableStanding = z.strictObject({
  state: z.preprocess((s) => (s === 'pending' ? 'active' : s), RestoredState).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  metadata: TaskMetadata.optional(),
  cursors: z.record(Snowflake, Snowflake).optional(),
});
export type PortableStanding = z.infer<typeof PortableStanding>;

/** Strips a task down to its portable fields. */
export function toPortable(task: Task): PortableTask {
  const { nextRunAt: _computedAgain, ...metadata } = task.metadata;
  const common = {
    kind: task.kind,
    name: task.name,
    schedule: task.schedule,
    timeZone: task.timeZone,
    destinations: task.destinations,
    ...(task.notifyChannelId ? { notifyChannelId: task.notifyChannelId } : {}),
    ...(task.failureLimit !== undefined ? { failureLimit: task.failureLimit } : {}),
    state: task.state === 'pending' ? 'active' : task.state,
    createdAt: task.createdAt,
    metadata,
  } satisfies Partial<PortableTask>;
  return task.kind === 'summary'
    ? {
        ...common,
        channelIds: task.channelIds,
        ...(task.source && task.source !== 'channel' ? { source: task.source } : {}),
        options: task.options,
        cursors: task.cursors,
        ...(task.digestOf ? { digestOf: task.digestOf.map((s) => s.name) } : {}),
        ...(task.after ? { after: task.after.name } : {}),
      }
    : { ...common, retentionDays: task.retentionDays };
}

/** Builds the export document for a guild's tasks. */
export function buildExport(guildId: string, tasks: readonly Task[], now: Date): TaskExport {
  return {
    format: 'summary-bot-tasks',
    version: 1,
    guildId,
    exportedAt: now.toISOString(),
    tasks: tasks.map(toPortable),
  };
}

/**
 * Links of an imported task to others, by name: tasks of the same file first, else of the server (see
 * `resolveImportLinks`).
 */
const PortableLinks = z.strictObject({
  digestOf: z.array(z.string().trim().min(1).max(100)).min(1).max(MAX_DIGEST_SOURCES).optional(),
  after: z.string().trim().min(1).max(100).optional(),
});
export type PortableLinks = z.infer<typeof PortableLinks>;

/** An import entry: the task's configuration (checked as a new task), where it stood, and its links. */
export interface ImportEntry {
  configuration: Record<string, unknown>;
  standing: PortableStanding;
  links: PortableLinks;
}

/**
 * Checks an import document's envelope and returns its entries without any guild id or author they may
 * carry (the importer supplies both), each split into its configuration and its standing (checked here,
 * fields named `tasks[i].…`). Throws ValidationError naming the field.
 */
export function parseImport(data: unknown): ImportEntry[] {
  const file = parseOrThrow(ExportFile, data);
  return file.tasks.map(
    (
      {
        guildId: _guild,
        createdBy: _author,
        state,
        createdAt,
        metadata,
        cursors,
        digestOf,
        after,
        ...configuration
      },
      index,
    ) => ({
      configuration,
      standing: parseOrThrow(
        PortableStanding,
        dropUndefined({ state, createdAt, metadata, cursors }),
        `tasks[${index}]`,
      ),
      links: parseOrThrow(PortableLinks, dropUndefined({ digestOf, after }), `tasks[${index}]`),
    }),
  );
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
