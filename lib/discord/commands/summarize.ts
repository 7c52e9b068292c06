import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
} from 'discord-api-types/v10';
import { PermissionError, ValidationError } from '../../errors.ts';
import type { AdhocSummaryInput } from '../../execution/executor-input.ts';
import type { SummaryFocus, SummaryLength } from '../../tasks/task.ts';
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
  const channelId = chosen?.id ?? ctx.channelId;
  if (!channelId) throw new ValidationError('channel', 'expected a channel to summarize');
  // Discord resolves a channel option with the invoking member's permissions in it; for the current
  // channel, `channel.permissions` (or the member's own) are the member's permissions here.
  const permissions = chosen
    ? chosen.permissions
    : (ctx.interaction.channel?.permissions ?? ctx.interaction.member?.permissions);
  if (!canView(permissions)) {
    throw new PermissionError(
      `You cannot read the history of <#${channelId}>, so it cannot be summarized for you.`,
    );
  }

  const hours = opts.integer('hours');
  const sinceText = opts.string('since');
  if (hours !== undefined && sinceText)
    throw new ValidationError('since', 'give either hours or since, not both');
  let window: AdhocSummaryInput['window'];
  if (sinceText) {
    const zone = (await ctx.scheduler.getGuildConfig(guildId))?.timeZone ?? 'UTC';
    window = { since: parseSince('since', sinceText, zone, ctx.now).toISOString() };
  } else {
    if (hours !== undefined && (hours < 1 || hours > 720))
      throw new ValidationError('hours', 'expected 1 to 720 hours');
    window = { hours: hours ?? 24 };
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
