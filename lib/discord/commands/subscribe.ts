import { ApplicationCommandType } from 'discord-api-types/v10';
import { ConfigError, PermissionError } from '../../errors.ts';
import { subscribable } from '../../scheduling/subscriptions.ts';
import { escapeMarkdown } from '../../shared/markdown.ts';
import { accessMemberOf } from '../channel-access.ts';
import type { CommandContext } from '../context.ts';
import { resolveTask } from '../guards.ts';
import { memberSources } from '../member-access.ts';
import type { OptionReader, OptionsIn } from '../options.ts';
import { canView, computeChannelPermissions } from '../permissions.ts';
import { channelMentions, choices, discordTime, ephemeral, type Reply } from '../replies.ts';
import { defineCommand, guildOnly, S } from './define.ts';

/** The task option of `/subscribe` and `/unsubscribe`: autocomplete offers what the member may pick. */
const taskOption = {
  type: S.String,
  name: 'task',
  description: 'The scheduled digest (name or id)',
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;

/** `/subscribe`: a scheduled task's digest by DM too, with only the channels the member can read. */
export const subscribeDefinition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'subscribe',
  description: 'Get a scheduled digest by DM too (only channels you can read)',
  ...guildOnly,
  options: [taskOption],
});

/** `/unsubscribe`: stop those DMs. */
export const unsubscribeDefinition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'unsubscribe',
  description: 'Stop getting a scheduled digest by DM',
  ...guildOnly,
  options: [taskOption],
});

/** The member of a request made inside a server. */
function memberOf(ctx: CommandContext, command: string) {
  const guildId = ctx.guildId;
  const member = ctx.interaction.member;
  if (!guildId || !member) throw new PermissionError(`/${command} works inside a server.`);
  return { guildId, member: accessMemberOf(member) };
}

/**
 * `/subscribe task`: checks which of the task's channels the member can read now (roles and overwrites, as
 * at every run), refuses when none, subscribes, and names the channels left out of their DMs.
 */
export async function subscribe(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof subscribeDefinition>>,
): Promise<Reply> {
  const { guildId, member } = memberOf(ctx, 'subscribe');
  const task = subscribable(await resolveTask(ctx, guildId, opts.requiredString('task', 'expected a task')));
  const reads = ctx.guildReads?.();
  if (!reads)
    throw new ConfigError('/subscribe cannot check channel access: this runtime has no Discord reads');
  const name = `**${escapeMarkdown(task.name)}**`;
  // A whole-server task's channels are found at each run: which of them the member can read is decided
  // then. A category task is checked by its categories (a channel in one usually shares its audience).
  const wholeServer = task.source === 'server';
  const view = wholeServer
    ? { readable: task.channelIds, hidden: [] }
    : await memberSources({ guildId, member, channelIds: task.channelIds, reads, now: ctx.now });
  const what = task.source === 'category' ? ['category', 'categories'] : ['channel', 'channels'];
  // A channel Discord keeps from the bot is in nobody's digest: say so rather than blame the member.
  const yours = view.hidden.filter((h) => !h.botCannotSee).map((h) => h.channelId);
  const bots = view.hidden.filter((h) => h.botCannotSee).map((h) => h.channelId);
  const botWords = `the bot cannot read ${channelMentions(bots)} (an admin can give it View Channel there)`;
  if (view.readable.length === 0) {
    if (bots.length === 0)
      throw new PermissionError(
        `You cannot read ${channelMentions(task.channelIds)}, the ${task.channelIds.length === 1 ? what[0] : what[1]} ${name} summarizes, so it has nothing to send you.`,
      );
    const parts = [...(yours.length > 0 ? [`you cannot read ${channelMentions(yours)}`] : []), botWords];
    throw new PermissionError(`${name} has nothing to send you: ${parts.join(', and ')}.`);
  }
  const { task: stored, added } = await ctx.scheduler.subscribe(guildId, task.id, member.userId);
  const lines = [
    added
      ? `Subscribed to ${name}: each run's digest also comes to you by direct message${stored.metadata.nextRunAt && stored.state === 'active' ? ` (next run ${discordTime(new Date(stored.metadata.nextRunAt))})` : ''}.`
      : `You are already subscribed to ${name}.`,
  ];
  if (yours.length > 0) {
    lines.push(
      `⚠️ Left out of your digest: ${channelMentions(yours)} (you cannot read ${yours.length === 1 ? 'it' : 'them'}). This is checked again at every run.`,
    );
  }
  if (bots.length > 0) lines.push(`⚠️ Left out of every digest: ${botWords}.`);
  if (wholeServer)
    lines.push(
      'It summarizes the whole server: your digest has only the channels you can read, checked at every run.',
    );
  if (stored.state !== 'active') lines.push(`The task is ${stored.state} now; DMs come once it runs again.`);
  if (added)
    lines.push(
      'Discord delivers them only while you accept direct messages from this server. `/unsubscribe` stops them.',
    );
  return ephemeral(lines.join('\n'));
}

/** `/unsubscribe task`: ends the member's subscription, or says there was none. */
export async function unsubscribe(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof unsubscribeDefinition>>,
): Promise<Reply> {
  const { guildId, member } = memberOf(ctx, 'unsubscribe');
  const task = await resolveTask(ctx, guildId, opts.requiredString('task', 'expected a task'));
  const { removed } = await ctx.scheduler.unsubscribe(guildId, task.id, member.userId);
  const name = `**${escapeMarkdown(task.name)}**`;
  return ephemeral(
    removed
      ? `Unsubscribed from ${name}: its digest no longer comes to you by direct message.`
      : `You are not subscribed to ${name}, so there is nothing to stop.`,
  );
}

/**
 * Autocomplete of `/subscribe` and `/unsubscribe`, for any member (not only managers): `/unsubscribe` offers
 * the tasks the member is subscribed to; `/subscribe` the server's summary tasks that read at least one
 * channel the member can read, from two reads (the guild's roles and its channel list with overwrites), so
 * a task reading only channels hidden from the member is not even named to them.
 */
export async function autocompleteTasks(
  ctx: CommandContext,
  command: 'subscribe' | 'unsubscribe',
  typed: string,
): Promise<Reply> {
  const guildId = ctx.guildId;
  const member = ctx.interaction.member;
  if (!guildId || !member) return choices([]);
  const query = typed.trim().toLowerCase();
  const userId = member.user.id;
  let tasks = (await ctx.scheduler.listTaskSummaries(guildId, { kind: 'summary' })).filter(
    (t) => !query || t.name.toLowerCase().includes(query) || t.id.toLowerCase().startsWith(query),
  );
  if (command === 'unsubscribe') {
    tasks = tasks.filter((t) => t.subscriberIds?.includes(userId));
  } else {
    const reads = ctx.guildReads?.();
    if (!reads?.channels) return choices([]);
    const [guild, channels] = await Promise.all([reads.guild(guildId), reads.channels(guildId)]);
    const who = accessMemberOf(member);
    const readable = new Set(
      channels
        .filter((c) =>
          canView(computeChannelPermissions({ guild, member: who, overwrites: c.overwrites, now: ctx.now })),
        )
        .map((c) => c.id),
    );
    tasks = tasks.filter(
      (t) => (t.state === 'active' || t.state === 'paused') && t.channelIds.some((id) => readable.has(id)),
    );
  }
  return choices(
    tasks.map((t) => {
      const count = t.subscriberIds?.length ?? 0;
      const mine = t.subscriberIds?.includes(userId) ? 'subscribed' : undefined;
      const detail = [
        t.state === 'active' ? undefined : t.state,
        mine,
        count > 0 ? `${count} subscribed` : undefined,
      ];
      return { name: `${t.name} (${[...detail.filter(Boolean), t.id].join(', ')})`, value: t.id };
    }),
  );
}
