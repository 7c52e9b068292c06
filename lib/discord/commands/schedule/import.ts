import { ConfigError, PermissionError, ValidationError } from '../../../errors.ts';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { plural } from '../../../shared/words.ts';
import type { ChannelReference } from '../../../tasks/channel-references.ts';
import { taskIdentityKey } from '../../../tasks/same-task.ts';
import type { Task } from '../../../tasks/task.ts';
import { reviewImportedAudience } from '../../audience-review.ts';
import { accessMemberOf, checkChannelAccess } from '../../channel-access.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager } from '../../guards.ts';
import type { GuildReads } from '../../guild-reads.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { ephemeral, type Reply } from '../../replies.ts';
import { checkThreadDestination } from '../../thread-access.ts';
import { defineSubcommand, S } from '../define.ts';

/** `/schedule import`: tasks from a file made by `/schedule export`. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'import',
  description: 'Import tasks from a JSON export (all or nothing)',
  options: [
    { type: S.Attachment, name: 'file', description: 'A file made by /schedule export', required: true },
  ],
});

/** Attachments larger than this are refused before download. */
export const MAX_IMPORT_BYTES = 1_048_576;
/**
 * Imports run inline: each task is one conditional put and one CreateSchedule, and 25 of them finish well
 * inside Discord's 3 seconds; bigger files go through `summary-bot tasks import`.
 */
export const MAX_IMPORT_TASKS = 25;

/**
 * An import is held to what `/schedule create` enforces: every channel of every entry is in this server,
 * the member can read every source and post in every destination and notice channel.
 */
async function checkImportedChannels(
  ctx: CommandContext,
  guildId: string,
  references: readonly ChannelReference[],
  reads: GuildReads | undefined,
): Promise<void> {
  if (references.length === 0) return;
  const member = ctx.interaction.member;
  if (!member) throw new PermissionError('Schedules are managed inside a server, not in direct messages.');
  if (!reads)
    throw new ConfigError('/schedule import cannot check channels: this runtime has no Discord reads');
  const here = ctx.interaction.channel;
  await checkChannelAccess(references, {
    guildId,
    member: accessMemberOf(member),
    known: new Map(here?.permissions ? [[here.id, here.permissions]] : []),
    reads,
    now: ctx.now,
  });
}

/**
 * What create checks of an entry beyond channel access: the audience rule, and that each `thread:true`
 * destination can take a new thread where the member and the bot may start one. Without Discord reads
 * (unit tests only) the entry is taken as it is.
 */
async function reviewEntry(
  ctx: CommandContext,
  guildId: string,
  task: Task,
  entry: string,
  notes: string[],
  reads: GuildReads | undefined,
): Promise<Task> {
  if (!reads) return task;
  const reviewed = await reviewImportedAudience({ guildId, task, entry, reads, notes });
  const member = ctx.interaction.member;
  for (const [index, d] of reviewed.destinations.entries()) {
    if (d.type !== 'discord_channel' || !d.thread) continue;
    await checkThreadDestination(`${entry}.destinations[${index}]`, d.channelId, {
      guildId,
      reads,
      ...(member ? { member: accessMemberOf(member) } : {}),
      ...(ctx.applicationId ? { botUserId: ctx.applicationId } : {}),
      now: ctx.now,
    });
  }
  return reviewed;
}

/** `/schedule import`: validated entry by entry by the scheduler, channels checked here; all or nothing. */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const file = opts.attachment('file');
  if (!file) throw new ValidationError('file', 'expected a JSON file made by /schedule export');
  if (file.size > MAX_IMPORT_BYTES) throw new ValidationError('file', 'expected a file of at most 1024 KB');
  if (!file.filename.toLowerCase().endsWith('.json'))
    throw new ValidationError('file', 'expected a .json file made by /schedule export');
  const text = await ctx.fetchAttachment(file.url, MAX_IMPORT_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ValidationError('file', 'expected a JSON file made by /schedule export');
  }
  const entries = (data as { tasks?: unknown } | null)?.tasks;
  if (Array.isArray(entries) && entries.length > MAX_IMPORT_TASKS) {
    throw new ValidationError(
      'file',
      `expected at most ${MAX_IMPORT_TASKS} tasks per import from Discord; use summary-bot tasks import for more`,
    );
  }
  // A task that already exists here (same channels, destinations and schedule) is skipped, so importing a
  // backup twice, or into the server it came from, does not double every digest.
  const existing = new Set((await ctx.scheduler.listTasks(guildId)).map(taskIdentityKey));
  const skipped: string[] = [];
  const notes: string[] = [];
  // One reader for the whole import (it caches): the access check and the audience rule share its reads.
  const reads = ctx.guildReads?.();
  let imported: Task[];
  try {
    imported = await ctx.scheduler.importTasks(guildId, data, ctx.userId, {
      checkChannels: (references) => checkImportedChannels(ctx, guildId, references, reads),
      skip: (task) => {
        const exists = existing.has(taskIdentityKey(task));
        if (exists) skipped.push(task.name);
        return exists;
      },
      review: (task, entry) => reviewEntry(ctx, guildId, task, entry, notes, reads),
    });
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(`file: ${error.field}`, error.expected, { cause: error });
    throw error;
  }
  // A backup restores each task as it stood: a paused, turned-off or finished one says so.
  const lines = imported
    .slice(0, 20)
    .map((t) => `• **${escapeMarkdown(t.name)}** \`${t.id}\`${t.state === 'active' ? '' : ` (${t.state})`}`);
  if (imported.length > 20) lines.push(`… and ${imported.length - 20} more`);
  if (skipped.length > 0) {
    const names = skipped.slice(0, 10).map((n) => `**${escapeMarkdown(n)}**`);
    lines.push(
      `Skipped ${plural(skipped.length, 'task')} that already ${skipped.length === 1 ? 'exists' : 'exist'} here (same channels, destinations and schedule): ${names.join(', ')}${skipped.length > 10 ? ', …' : ''}.`,
    );
  }
  return ephemeral([`Imported ${plural(imported.length, 'task')}.`, ...lines, ...notes].join('\n'));
}
