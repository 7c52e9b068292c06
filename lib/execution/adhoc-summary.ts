import { randomUUID } from 'node:crypto';
import { MessageFlags } from 'discord-api-types/v10';
import { buildEmbedMessages } from '../delivery/discord-message.ts';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { DiscordAccessError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { Clock } from '../shared/clock.ts';
import { timeFromSnowflake } from '../shared/snowflake.ts';
import type { KeyPoint, NormalizedMessage, Summarizer } from '../summarization/summarizer.ts';
import { CATCHUP_LOOKBACK_DAYS, CATCHUP_READ_CAP, forYouPoints, sinceOwnLastMessage } from './catchup.ts';
import type { AdhocSummaryInput } from './executor-input.ts';
import { unreadableNote, withFooterNotes } from './footer-notes.ts';
import type { MessageSource } from './ports.ts';
import { readChannels } from './read-channels.ts';

export interface AdhocDeps {
  /** Reads the channels and edits the deferred reply. */
  discord: MessageSource & DiscordPoster;
  summarizer: Summarizer;
  clock: Clock;
  logger: Logger;
  metrics: RunMetrics;
  /** The server's style note for LLM summaries (`/config summary-style`), if it set one. */
  summaryStyle?: (guildId: string) => Promise<string | undefined>;
}

/**
 * `/summarize`: reads the channels for the requested window, summarizes, and edits the deferred reply
 * (follow-ups carry what does not fit one message). Errors become a short reply, never internals.
 */
export async function runAdhocSummary(
  input: AdhocSummaryInput,
  deps: AdhocDeps,
): Promise<{ status: 'adhoc'; messages: number }> {
  const { applicationId, token } = input.reply;
  const logger = deps.logger.child({
    guildId: input.guildId,
    trigger: 'adhoc',
    requestedBy: input.requestedBy,
  });
  const to = deps.clock.now();
  const { from, afterId } = windowStart(input, to);
  const reply = (body: Parameters<DiscordPoster['editOriginalResponse']>[2]) =>
    deps.discord.editOriginalResponse(applicationId, token, { allowed_mentions: { parse: [] }, ...body });
  try {
    const excludedChannels = new Set(input.excludedChannelIds ?? []);
    const channelIds = input.channelIds.filter((id) => !excludedChannels.has(id));
    const window = {
      from,
      to,
      ...(afterId ? { afterId } : {}),
      limit: readLimit(input, channelIds.length),
      includeThreads: true,
      // From a message on, that message is where the reader starts; otherwise the latest talk matters.
      keep: afterId ? 'oldest' : 'newest',
    } as const;
    const read = await readChannels(
      deps.discord,
      input.guildId,
      channelIds.map((channelId) => ({ channelId, window })),
      { filter: { includeBots: false, excludedUserIds: input.excludedUserIds ?? [] }, logger },
    );
    const unreadableIds = read.channels.filter((c) => c.status !== 'read').map((c) => c.channelId);
    const unreadable = unreadableIds.map((id) => `<#${id}>`);
    // An excluded thread of the channel is read with it (Discord lists threads with their channel).
    let messages = read.messages.filter((m) => !excludedChannels.has(m.channelId));
    if (input.lastMessages !== undefined) messages = messages.slice(-input.lastMessages);
    const catchup = input.catchup ? catchUp(input, messages, read.truncated) : undefined;
    if (catchup) messages = catchup.missed;
    const shownFrom = catchup?.from ?? from;
    if (messages.length === 0) {
      const where = channelIds.map((id) => `<#${id}>`).join(', ');
      const note = unreadable.length > 0 ? ` The bot cannot read ${unreadable.join(', ')}.` : '';
      const extra = catchup?.notes.length ? ` ${catchup.notes.join(' ')}` : '';
      await reply({
        content: `${catchup ? 'Nothing new' : 'No messages to summarize'} in ${where} since <t:${Math.floor(shownFrom.getTime() / 1000)}:f>.${note}${extra}`,
      });
      return { status: 'adhoc', messages: 0 };
    }
    // The server's guild id: /summarize spends from the same daily token budget as its scheduled runs.
    const style = await deps.summaryStyle?.(input.guildId);
    let summary = await deps.summarizer.summarize(messages, {
      length: input.length,
      focus: input.focus,
      guildId: input.guildId,
      ...(input.language ? { language: input.language } : {}),
      ...(style ? { style } : {}),
    });
    const unreadableWords = unreadableNote(unreadableIds);
    summary = withFooterNotes(summary, [
      ...(catchup?.notes ?? []),
      ...(unreadableWords ? [unreadableWords] : []),
    ]);
    if (catchup && catchup.forYou.length > 0) summary = { ...summary, forYou: catchup.forYou };
    const bodies = buildEmbedMessages(summary, {
      taskId: 'adhoc',
      taskName: catchup ? 'Catch-up' : 'Summary',
      guildId: input.guildId,
      channelIds,
      scheduledTime: input.requestedAt,
      // The last N messages span less than the lookback they were read from: show what they span.
      window: {
        from:
          input.lastMessages !== undefined
            ? (messages[0]?.timestamp ?? from.toISOString())
            : shownFrom.toISOString(),
        to: to.toISOString(),
      },
      summary,
    });
    const [first, ...rest] = bodies;
    if (first) await reply({ content: first.content ?? null, embeds: first.embeds ?? [] });
    for (const body of rest) {
      const { nonce: _nonce, enforce_nonce: _enforce, ...followUp } = body;
      await deps.discord.followUp(applicationId, token, {
        ...followUp,
        allowed_mentions: { parse: [] },
        ...(input.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
    }
    deps.metrics.runFinished('succeeded', deps.clock.now().getTime() - to.getTime(), messages.length);
    logger.info('ad hoc summary delivered', {
      messages: messages.length,
      ...(summary.usage ? { usage: summary.usage } : {}),
    });
    return { status: 'adhoc', messages: messages.length };
  } catch (error) {
    const reference = randomUUID().slice(0, 8);
    logger.error('ad hoc summary failed', { reference, error });
    const content =
      error instanceof DiscordAccessError
        ? `I could not summarize: ${error.message}`
        : `Sorry, the summary could not be made (reference \`${reference}\`).`;
    await reply({ content }).catch((replyError: unknown) =>
      logger.error('could not edit the /summarize reply', { reference, error: replyError }),
    );
    return { status: 'adhoc', messages: 0 };
  }
}

const MINUTE_MS = 60_000;

/** Where the window opens: `hours`/`minutes` back from `to`, an instant, or a message (and everything after it). */
function windowStart(input: AdhocSummaryInput, to: Date): { from: Date; afterId?: string } {
  const { window } = input;
  if ('hours' in window) return { from: new Date(to.getTime() - window.hours * 60 * MINUTE_MS) };
  if ('minutes' in window) return { from: new Date(to.getTime() - window.minutes * MINUTE_MS) };
  if ('since' in window) return { from: new Date(window.since) };
  if ('sinceOwnMessage' in window)
    return { from: new Date(to.getTime() - CATCHUP_LOOKBACK_DAYS * 24 * 60 * MINUTE_MS) };
  // `afterId` is exclusive: one below the linked message keeps the message itself.
  return {
    from: timeFromSnowflake(window.fromMessageId),
    afterId: (BigInt(window.fromMessageId) - 1n).toString(),
  };
}

/**
 * Messages read per channel. With `lastMessages`, twice the count (bots' and system messages are read and
 * then dropped, and they must not crowd out the members' last N), within the request's overall bound.
 */
function readLimit(input: AdhocSummaryInput, channels: number): number {
  const share = Math.ceil(input.maxMessages / Math.max(1, channels));
  if (input.catchup) return Math.min(share, CATCHUP_READ_CAP);
  return input.lastMessages === undefined ? share : Math.min(share, input.lastMessages * 2);
}

/** A catch-up's cut: the messages the requester missed, what concerns them, where it starts and its notes. */
function catchUp(
  input: AdhocSummaryInput,
  messages: NormalizedMessage[],
  truncated: boolean,
): { missed: NormalizedMessage[]; forYou: KeyPoint[]; from?: Date; notes: string[] } {
  const notes: string[] = [];
  const over = input.catchup?.channelsOverCap ?? 0;
  if (over > 0) {
    // Embed footers show no channel mentions: names as Discord shows them after '#' (footers render no markdown).
    const names = (input.catchup?.leftOutNames ?? []).map((n) => `#${n}`);
    const rest = over - names.length;
    const which = names.length > 0 ? `: ${names.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}` : '';
    notes.push(
      `Left out, over the limit of ${input.channelIds.length} channels per catch-up (the least recently active)${which}. Name a channel to catch up on it.`,
    );
  }
  if (!('sinceOwnMessage' in input.window)) {
    return { missed: messages, forYou: forYouPoints(messages, messages, input.requestedBy), notes };
  }
  const { missed, lastOwn } = sinceOwnLastMessage(messages, input.requestedBy);
  if (!lastOwn) {
    notes.push(
      truncated
        ? `Your last message is older than the ${CATCHUP_READ_CAP} newest messages read per channel (the read cap); this covers those.`
        : `You have not written here in the last ${CATCHUP_LOOKBACK_DAYS} days; this covers them.`,
    );
  }
  return {
    missed,
    forYou: forYouPoints(missed, messages, input.requestedBy),
    ...(lastOwn ? { from: new Date(lastOwn.timestamp) } : {}),
    notes,
  };
}
