import * as z from 'zod';
import type { ScheduleSpec } from '../tasks/schedule-spec.ts';
import { type Destination, Snowflake, type SummaryOptions, type Task } from '../tasks/task.ts';
import { parseOrThrow } from './new-task.ts';

/** More entries than this in one file are refused: an import is one all-or-nothing batch. */
export const MAX_IMPORT_TASKS = 500;

/**
 * One task as exported: what an admin configured, nothing the system assigned (id, state, version,
 * timestamps, run metadata, cursors). Webhook signing secrets are included, so the file is as sensitive
 * as the configuration itself.
 */
export interface PortableTask {
  kind: Task['kind'];
  name: string;
  schedule: ScheduleSpec;
  timeZone: string;
  channelIds?: string[];
  destinations: Destination[];
  options?: SummaryOptions;
  retentionDays?: number;
  notifyChannelId?: string;
  failureLimit?: number;
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

/** Strips a task down to its portable fields. */
export function toPortable(task: Task): PortableTask {
  const common = {
    kind: task.kind,
    name: task.name,
    schedule: task.schedule,
    timeZone: task.timeZone,
    destinations: task.destinations,
    ...(task.notifyChannelId ? { notifyChannelId: task.notifyChannelId } : {}),
    ...(task.failureLimit !== undefined ? { failureLimit: task.failureLimit } : {}),
  };
  return task.kind === 'summary'
    ? { ...common, channelIds: task.channelIds, options: task.options }
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
 * Checks an import document's envelope and returns its raw entries without any guild id or author they
 * may carry (the importer supplies both). Throws ValidationError naming the field.
 */
export function parseImport(data: unknown): Record<string, unknown>[] {
  const file = parseOrThrow(ExportFile, data);
  return file.tasks.map(({ guildId: _guild, createdBy: _author, ...entry }) => entry);
}
