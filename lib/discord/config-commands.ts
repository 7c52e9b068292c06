import type { CommandContext } from './context.ts';
import { requireManager } from './guards.ts';
import type { OptionReader } from './options.ts';
import { ephemeral, type Reply } from './replies.ts';
import { parseTimeZone } from './values.ts';

/** `/config timezone`: the default zone for new tasks and for `/summarize since:`. */
export async function setTimeZone(
  ctx: CommandContext,
  opts: OptionReader<'config timezone'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const zone = parseTimeZone(
    'zone',
    opts.requiredString('zone', 'expected an IANA time zone such as Europe/Berlin'),
  );
  await ctx.scheduler.updateGuildConfig(guildId, { timeZone: zone });
  return ephemeral(
    `New tasks in this server now use **${zone}** unless told otherwise. Existing tasks keep their zone.`,
  );
}

/** `/config notify-channel`: where failure notices go; without a channel, clears it. */
export async function setNotifyChannel(
  ctx: CommandContext,
  opts: OptionReader<'config notify-channel'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const channelId = opts.channel('channel')?.id;
  await ctx.scheduler.updateGuildConfig(guildId, { notifyChannelId: channelId ?? null });
  return ephemeral(channelId ? `Failure notices go to <#${channelId}>.` : 'Failure notices channel cleared.');
}

/** `/config manager-role`: members with this role may manage schedules; without a role, clears it. */
export async function setManagerRole(
  ctx: CommandContext,
  opts: OptionReader<'config manager-role'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const roleId = opts.role('role');
  await ctx.scheduler.updateGuildConfig(guildId, { managerRoleId: roleId ?? null });
  return ephemeral(
    roleId
      ? `Members with <@&${roleId}> may now manage schedules. Discord still hides /schedule from them unless you allow it under Server Settings → Integrations.`
      : 'Manager role cleared: only members with Manage Server manage schedules.',
  );
}

/** `/config show`. */
export async function showConfig(ctx: CommandContext): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const config = await ctx.scheduler.getGuildConfig(guildId);
  return ephemeral(
    [
      'Settings of this server:',
      `• Time zone: ${config?.timeZone ?? 'not set (UTC)'}`,
      `• Failure notices: ${config?.notifyChannelId ? `<#${config.notifyChannelId}>` : 'not set'}`,
      `• Manager role: ${config?.managerRoleId ? `<@&${config.managerRoleId}>` : 'not set (Manage Server only)'}`,
    ].join('\n'),
  );
}
