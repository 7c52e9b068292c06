import { NotFoundError, ValidationError } from '../../../errors.ts';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { describeScheduleShort, joinWords } from '../../../tasks/describe.ts';
import type { Destination } from '../../../tasks/destination.ts';
import { MAX_DIGEST_SOURCES, type SummaryTask, type Task, type TaskLink } from '../../../tasks/task.ts';
import type { CommandContext } from '../../context.ts';
import { resolveTask } from '../../guards.ts';
import { S } from '../define.ts';
import { audienceChecked } from './audience.ts';

/**
 * `digest_of:` and `after:` on `/schedule settings`: links to other tasks of the server (the scheduler
 * checks them: same server, summary tasks, no cycle). Both autocomplete the server's tasks like `task:`.
 */
export const linkOptions = [
  {
    type: S.String,
    name: 'digest_of',
    description: "Summarize these tasks' digests, not messages, e.g. daily, dev (none: messages)",
    autocomplete: true,
    max_length: 200,
  },
  {
    type: S.String,
    name: 'after',
    description: "Run right after this task's runs, not at own times (none: own times)",
    autocomplete: true,
    max_length: 100,
  },
] as const;

/** The task a name or id names, refused on `field` when it is not a task of this server. */
async function linkedTask(
  ctx: CommandContext,
  guildId: string,
  ref: string,
  field: 'digest_of' | 'after',
): Promise<TaskLink> {
  try {
    const task = await resolveTask(ctx, guildId, ref);
    return { taskId: task.id, name: task.name };
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new ValidationError(
        field,
        `a task of this server (name or id); there is no task “${ref.slice(0, 100)}” here. Pick one from the list`,
        { cause: error },
      );
    }
    if (error instanceof ValidationError) throw new ValidationError(field, error.expected, { cause: error });
    throw error;
  }
}

/** `digest_of:` as typed: `none` (null), or tasks separated by commas (names or ids). */
export async function readDigestOf(
  ctx: CommandContext,
  guildId: string,
  text: string,
): Promise<TaskLink[] | null> {
  if (text.trim().toLowerCase() === 'none') return null;
  const refs = [
    ...new Set(
      text
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  if (refs.length === 0) throw new ValidationError('digest_of', 'one or more tasks, or none');
  if (refs.length > MAX_DIGEST_SOURCES) {
    throw new ValidationError('digest_of', `at most ${MAX_DIGEST_SOURCES} tasks; ${refs.length} were given`);
  }
  const links: TaskLink[] = [];
  for (const ref of refs) links.push(await linkedTask(ctx, guildId, ref, 'digest_of'));
  return links;
}

/** `after:` as typed: `none` (null), or one task (name or id). */
export async function readAfter(
  ctx: CommandContext,
  guildId: string,
  text: string,
): Promise<TaskLink | null> {
  if (text.trim().toLowerCase() === 'none') return null;
  return linkedTask(ctx, guildId, text.trim(), 'after');
}

/** What a task's links mean, in words, for the settings reply. */
export function linkLines(task: Task): string[] {
  if (task.kind !== 'summary') return [];
  const lines: string[] = [];
  const bold = (name: string) => `**${escapeMarkdown(name)}**`;
  if (task.digestOf) {
    lines.push(
      `• Summarizes the digests ${joinWords(task.digestOf.map((s) => bold(s.name)))} posted since its last run, one line each with a link, instead of reading messages`,
    );
  }
  if (task.after) {
    lines.push(
      `• Runs right after ${bold(task.after.name)}’s successful runs, once per its own schedule (${describeScheduleShort(task.schedule)}); at its own times while ${bold(task.after.name)} is paused or deleted`,
    );
  }
  return lines;
}

/**
 * The audience rule at `/schedule settings digest_of:`, as create and edit apply it to channels: the
 * digests' lines come from the sources' channels, so those are checked against the task's destinations.
 * Refused (nothing changes) when no source could be shown there, or a private one would leave Discord
 * without include_private; otherwise the channels that keep their tasks' digests out are returned, named.
 */
export async function digestAudience(
  ctx: CommandContext,
  guildId: string,
  links: readonly TaskLink[],
  destinations: readonly Destination[],
  task: SummaryTask,
): Promise<string[]> {
  const channels = new Set<string>();
  for (const link of links) {
    const source = await ctx.scheduler.getTask(guildId, link.taskId);
    if (source.kind === 'summary') for (const id of source.channelIds) channels.add(id);
  }
  if (channels.size === 0) return [];
  try {
    const { notes } = await audienceChecked(
      ctx,
      guildId,
      [...channels],
      destinations,
      task.options.includePrivate,
    );
    return notes.map((n) => n.replace(/^left out: /, ''));
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError('digest_of', error.expected, { cause: error });
    }
    throw error;
  }
}
