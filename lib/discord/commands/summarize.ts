import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { ConfigError, PermissionError, ValidationError } from '../../errors.ts';
import type { AdhocSummaryInput } from '../../execution/executor-input.ts';
import type { SummaryFocus, SummaryLength } from '../../tasks/summary-options.ts';
import { accessMemberOf, checkChannelAccess } from '../channel-access.ts';
import type { CommandContext } from '../context.ts';
import { interactionLanguage } from '../guild-language.ts';
import type { OptionReader, OptionsIn } from '../options.ts';
import { canView } from '../permissions.ts';
import { deferred, type Reply } from '../replies.ts';
import { parseSince } from '../values.ts';
import {
  defineCommand,
  focusChoices,
  languageOption,
  lengthChoices,
  readLanguage,
  S,
  TEXT_CHANNELS,
} from './define.ts';
import { parseExclusions, parseMessageLink, windowFrom } from './summarize-options.ts';

/** `/summarize`: an on-demand summary of one channel. */
export const definition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'summarize',
  description: 'Summarize a channel now (only you see it unless public is set)',
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: S.Channel,
      name: 'channel',
      description: 'Channel to summarize (default: this one)',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.Integer,
      name: 'hours',
      description: 'Summarize the last N hours (1-720, default 24)',
      min_value: 1,
      max_value: 720,
    },
    {
      type: S.String,
      name: 'since',
      description: "Start, e.g. 90m, 2d, yesterday, monday 09:00 or 2026-05-01 (server's zone)",
      max_length: 40,
    },
    {
      type: S.Integer,
      name: 'minutes',
      description: 'Summarize the last N minutes (1-43200)',
      min_value: 1,
      max_value: 43_200,
    },
    {
      type: S.String,
      name: 'from',
      description: 'From this message on: its link (right-click a message, Copy Message Link)',
      max_length: 200,
    },
    {
      type: S.Integer,
      name: 'messages',
      description: 'Only the last N messages (1-1000)',
      min_value: 1,
      max_value: 1_000,
    },
    {
      type: S.String,
      name: 'exclude',
      description: 'Leave out channels or threads and members, e.g. #random @dave',
      max_length: 1_000,
    },
    { type: S.String, name: 'length', description: 'Summary length', choices: lengthChoices },
    { type: S.String, name: 'focus', description: 'Summary focus', choices: focusChoices },
    { type: S.Boolean, name: 'public', description: 'Post the summary for everyone in the channel' },
    languageOption,
  ],
});

/**
 * `/summarize`: checks the member can read the channel, hands the work to the executor and answers with a
 * deferred reply; the executor edits that reply through the interaction token. Private unless `public`.
 */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const guildId = ctx.guildId;
  if (!guildId) throw new PermissionError('/summarize works inside a server.');
  const chosen = opts.channel('channel');
  const fromText = opts.string('from');
  const from = fromText ? parseMessageLink('from', fromText, guildId, ctx.now) : undefined;
  if (from && chosen && chosen.id !== from.channelId) {
    throw new ValidationError(
      'from',
      `expected a message of <#${chosen.id}>; that message is in <#${from.channelId}> (leave channel out to summarize that one)`,
    );
  }
  const channelId = chosen?.id ?? from?.channelId ?? ctx.channelId;
  if (!channelId) throw new ValidationError('channel', 'expected a channel to summarize');
  await requireReadable(ctx, guildId, channelId, chosen?.permissions, from !== undefined);

  const hours = opts.integer('hours');
  if (hours !== undefined && (hours < 1 || hours > 720))
    throw new ValidationError('hours', 'expected 1 to 720 hours');
  const minutes = opts.integer('minutes');
  if (minutes !== undefined && (minutes < 1 || minutes > 43_200))
    throw new ValidationError('minutes', 'expected 1 to 43200 minutes');
  const lastMessages = opts.integer('messages');
  if (lastMessages !== undefined && (lastMessages < 1 || lastMessages > 1_000))
    throw new ValidationError('messages', 'expected 1 to 1000 messages');
  const sinceText = opts.string('since');
  const zone = sinceText ? ((await ctx.scheduler.getGuildConfig(guildId))?.timeZone ?? 'UTC') : 'UTC';
  const since = sinceText ? parseSince('since', sinceText, zone, ctx.now) : undefined;
  const window = windowFrom({ hours, minutes, since, from }, lastMessages);

  const excludeText = opts.string('exclude');
  const excluded = excludeText ? parseExclusions('exclude', excludeText) : { channelIds: [], userIds: [] };
  if (excluded.channelIds.includes(channelId)) {
    throw new ValidationError(
      'exclude',
      `expected channels other than the one summarized; <#${channelId}> is the channel being summarized`,
    );
  }

  if (!ctx.applicationId || !ctx.interaction.token)
    throw new Error('interaction has no application id or token');
  // The option, else the server's language as Discord sends it; the messages' own when neither is known.
  const language = readLanguage(opts) ?? interactionLanguage(ctx);
  const input: AdhocSummaryInput = {
    type: 'adhoc',
    guildId,
    channelIds: [channelId],
    requestedBy: ctx.userId,
    requestedAt: ctx.now.toISOString(),
    window,
    ...(lastMessages !== undefined ? { lastMessages } : {}),
    ...(excluded.channelIds.length > 0 ? { excludedChannelIds: excluded.channelIds } : {}),
    ...(excluded.userIds.length > 0 ? { excludedUserIds: excluded.userIds } : {}),
    length: (opts.string('length') ?? 'detailed') as SummaryLength,
    focus: (opts.string('focus') ?? 'general') as SummaryFocus,
    ...(language ? { language } : {}),
    maxMessages: 2_000,
    ephemeral: opts.boolean('public') !== true,
    reply: { applicationId: ctx.applicationId, token: ctx.interaction.token },
  };
  // In AWS this is an `InvocationType: Event` call that returns once Lambda queued it (tens of ms);
  // the local invoker starts the run without awaiting it. Either way the summary is not awaited here.
  await ctx.executor.invoke(input);
  return deferred(opts.boolean('public') !== true);
}

/**
 * The member must be able to read what is summarized for them. Discord resolves a channel option with the
 * member's permissions in it, and for the channel the command is typed in `channel.permissions` (or the
 * member's own) are those; a channel named only by a `from:` link is computed from Discord's roles and
 * overwrites, as for schedules.
 */
async function requireReadable(
  ctx: CommandContext,
  guildId: string,
  channelId: string,
  chosenPermissions: string | undefined,
  fromLink: boolean,
): Promise<void> {
  const here = channelId === ctx.channelId;
  if (!fromLink || chosenPermissions !== undefined || here) {
    const permissions =
      chosenPermissions ?? ctx.interaction.channel?.permissions ?? ctx.interaction.member?.permissions;
    if (!canView(permissions)) {
      throw new PermissionError(
        `You cannot read the history of <#${channelId}>, so it cannot be summarized for you.`,
      );
    }
    return;
  }
  const member = ctx.interaction.member;
  if (!member) throw new PermissionError('/summarize works inside a server.');
  if (!ctx.guildReads)
    throw new ConfigError('/summarize from: cannot check the channel: this runtime has no Discord reads');
  await checkChannelAccess([{ field: 'from', channelId, use: 'read' }], {
    guildId,
    member: accessMemberOf(member),
    reads: ctx.guildReads(),
    now: ctx.now,
  });
}
