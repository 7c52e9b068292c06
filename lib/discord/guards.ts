import { NotFoundError, PermissionError, ValidationError } from '../errors.ts';
import { TaskId } from '../tasks/fields.ts';
import type { GuildConfig } from '../tasks/guild-config.ts';
import type { Task } from '../tasks/task.ts';
import type { CommandContext } from './context.ts';
import { rememberGuildLanguage } from './guild-language.ts';
import { canManage, canManageServer } from './permissions.ts';
import { channelMentions } from './replies.ts';

/** The guild of a management request, after checking the member may manage schedules there. */
export async function requireManager(
  ctx: CommandContext,
): Promise<{ guildId: string; config: GuildConfig | undefined }> {
  const guildId = ctx.guildId;
  if (!guildId) throw new PermissionError('Schedules are managed inside a server, not in direct messages.');
  const member = ctx.interaction.member;
  // Manage Server answers without a read; only the manager-role path needs the stored config.
  if (canManage(member)) {
    await rememberGuildLanguage(ctx, guildId);
    return { guildId, config: undefined };
  }
  const config = await ctx.scheduler.getGuildConfig(guildId);
  if (canManage(member, config?.managerRoleId)) {
    await rememberGuildLanguage(ctx, guildId, config);
    return { guildId, config };
  }
  throw new PermissionError(
    'You need the Manage Server permission (or the manager role set with /config manager-role) to do that.',
  );
}

/**
 * The guild of a request that changes the server's bot settings (`/config`), after checking the member has
 * Manage Server. The manager role is not enough: it manages schedules only, so its holders cannot hand it
 * to everyone, clear it, or move where failure notices go.
 */
export function requireServerManager(ctx: CommandContext): { guildId: string } {
  const guildId = ctx.guildId;
  if (!guildId)
    throw new PermissionError('Server settings are changed inside a server, not in direct messages.');
  if (canManageServer(ctx.interaction.member)) return { guildId };
  throw new PermissionError(
    "You need the Manage Server permission to change this server's settings (the manager role manages schedules only).",
  );
}

/** A task of this guild by id (what autocomplete sends) or by exact name (what people type). */
export async function resolveTask(ctx: CommandContext, guildId: string, ref: string): Promise<Task> {
  if (TaskId.safeParse(ref).success) {
    try {
      return await ctx.scheduler.getTask(guildId, ref);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      // Not an id of this guild: it may still be a name.
    }
  }
  const wanted = ref.trim().toLowerCase();
  const matches = (await ctx.scheduler.listTaskSummaries(guildId)).filter(
    (t) => t.name.trim().toLowerCase() === wanted,
  );
  if (matches.length > 1) {
    const which = matches
      .slice(0, 5)
      .map((t) => `\`${t.id}\`${t.channelIds.length > 0 ? ` (${channelMentions(t.channelIds)})` : ''}`);
    throw new ValidationError(
      'task',
      `${matches.length} tasks have that name: ${which.join(', ')}; give the id of the one you mean, or pick it from the list`,
    );
  }
  const [match] = matches;
  if (!match) throw new NotFoundError(`task ${ref}`);
  // The summary found it; the caller acts on the whole task, read by key.
  return ctx.scheduler.getTask(guildId, match.id);
}
