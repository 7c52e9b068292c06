import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { ConfigError, PermissionError, ValidationError } from '../../errors.ts';
import type { AdhocSummaryInput } from '../../execution/executor-input.ts';
import { accessMemberOf } from '../channel-access.ts';
import type { CommandContext } from '../context.ts';
import { interactionLanguage } from '../guild-language.ts';
import type { ChannelLike } from '../guild-reads.ts';
import type { OptionReader, OptionsIn } from '../options.ts';
import { canView, computeChannelPermissions } from '../permissions.ts';
import { deferred, type Reply } from '../replies.ts';
import { parseSince } from '../values.ts';
import { defineCommand, S, TEXT_CHANNELS } from './define.ts';

/** A server-wide catch-up reads at most this many channels (the executor's bound on one request). */
export const CATCHUP_MAX_CHANNELS = 10;

/** `/catchup`: what the member missed, privately. */
export const definition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'catchup',
  description: 'What you missed since your last message (only you see it)',
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: S.Channel,
      name: 'channel',
      description: 'Channel to catch up on (default: this one)',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.String,
      name: 'scope',
      description: 'server: every channel you can read',
      choices: [{ name: 'server', value: 'server' }],
    },
    {
      type: S.String,
      name: 'since',
      description: "Instead of since your last message: 2d, yesterday, monday 09:00 (server's zone)",
      max_length: 40,
    },
  ],
});

/**
 * `/catchup`: picks the channels the member can read (one, or the server's), hands a catch-up to the
 * executor and answers with a private deferred reply the executor edits.
 */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const guildId = ctx.guildId;
  const member = ctx.interaction.member;
  if (!guildId || !member) throw new PermissionError('/catchup works inside a server.');
  const chosen = opts.channel('channel');
  const server = opts.string('scope') === 'server';
  if (server && chosen) {
    throw new ValidationError('scope', 'give either a channel or scope:server, not both');
  }
  let channelIds: string[];
  let leftOut: string[] = [];
  if (server) {
    const readable = await readableChannels(ctx, guildId, accessMemberOf(member));
    if (readable.length === 0)
      throw new PermissionError('There is no channel in this server you can read history in.');
    channelIds = readable.slice(0, CATCHUP_MAX_CHANNELS).map((c) => c.id);
    leftOut = readable.slice(CATCHUP_MAX_CHANNELS).map((c) => c.name ?? c.id);
  } else {
    const channelId = chosen?.id ?? ctx.channelId;
    if (!channelId) throw new ValidationError('channel', 'expected a channel to catch up on');
    // Discord resolves a channel option with the member's permissions in it; for the channel the command is
    // typed in, the payload's channel permissions are the member's there.
    const permissions = chosen?.permissions ?? ctx.interaction.channel?.permissions ?? member.permissions;
    if (!canView(permissions))
      throw new PermissionError(
        `You cannot read the history of <#${channelId}>, so there is nothing to catch up on.`,
      );
    channelIds = [channelId];
  }

  const sinceText = opts.string('since');
  const zone = sinceText ? ((await ctx.scheduler.getGuildConfig(guildId))?.timeZone ?? 'UTC') : 'UTC';
  const since = sinceText ? parseSince('since', sinceText, zone, ctx.now) : undefined;

  if (!ctx.applicationId || !ctx.interaction.token)
    throw new Error('interaction has no application id or token');
  const language = interactionLanguage(ctx);
  const input: AdhocSummaryInput = {
    type: 'adhoc',
    guildId,
    channelIds,
    requestedBy: ctx.userId,
    requestedAt: ctx.now.toISOString(),
    window: since ? { since: since.toISOString() } : { sinceOwnMessage: true },
    catchup: { channelsOverCap: leftOut.length, leftOutNames: leftOut.slice(0, MAX_NAMED) },
    length: 'detailed',
    focus: 'general',
    ...(language ? { language } : {}),
    maxMessages: 5_000,
    ephemeral: true,
    reply: { applicationId: ctx.applicationId, token: ctx.interaction.token },
  };
  await ctx.executor.invoke(input);
  return deferred(true);
}

/** At most this many channels left out by the cap are named in the reply (the rest are counted). */
const MAX_NAMED = 10;

const CATCHUP_TYPES: ReadonlySet<number> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);

/**
 * The server's text and announcement channels the member can read the history of, computed as Discord
 * documents it (base permissions from @everyone and the member's roles, then the channel's overwrites:
 * @everyone, roles, the member), the most recently active first. Threads are read with their channel.
 */
async function readableChannels(
  ctx: CommandContext,
  guildId: string,
  member: ReturnType<typeof accessMemberOf>,
): Promise<ChannelLike[]> {
  const reads = ctx.guildReads?.();
  if (!reads?.channels)
    throw new ConfigError('/catchup scope:server cannot list channels: this runtime has no Discord reads');
  const [guild, channels] = await Promise.all([reads.guild(guildId), reads.channels(guildId)]);
  return channels
    .filter((c) => CATCHUP_TYPES.has(c.type))
    .filter((c) =>
      canView(computeChannelPermissions({ guild, member, overwrites: c.overwrites, now: ctx.now })),
    )
    .sort((a, b) => activity(b) - activity(a));
}

/** Newest activity first: the cap keeps the channels that were active last (a snowflake's time). */
function activity(channel: ChannelLike): number {
  return channel.lastMessageId ? Number(BigInt(channel.lastMessageId) >> 22n) : 0;
}
