import { DiscordAccessError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { NormalizedMessage } from '../summarization/summarizer.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { SummaryOptions } from '../tasks/summary-options.ts';
import { byTime, filterMessages } from './message-window.ts';
import type { MessageSource, ReadWindow } from './ports.ts';
import { withRetry } from './retry.ts';

/** One channel to read and the window to read of it. */
export interface ChannelRead {
  channelId: string;
  window: ReadWindow;
}

/** What a run read: the kept messages of every channel, and how each channel went. */
export interface ChannelReads {
  /** Oldest first across channels, filtered. */
  messages: NormalizedMessage[];
  /** Per channel in the order asked: read (with its kept messages) or why the bot could not read it. */
  channels: NonNullable<RunRecord['channels']>;
  /** Per channel read, the newest message id seen (the task's next cursor). */
  cursors: Record<string, string>;
  /** True when some channel held more than its window's limit. */
  truncated: boolean;
  /**
   * With `keepSources`: the source channel of each kept message by id (a thread's messages carry the
   * thread's id, not the channel the task reads), for digests cut to the channels one subscriber can read.
   */
  sourceOf?: Map<string, string>;
}

/**
 * Reads the channels one after another (scheduled runs and `/summarize` alike), each read retried while
 * Discord fails transiently. A channel the bot cannot see (403/404) is skipped and reported, so the others
 * are still summarized; a missing Message Content intent concerns every channel, so it fails the read.
 */
export async function readChannels(
  source: MessageSource,
  guildId: string,
  reads: ChannelRead[],
  options: {
    filter: Pick<SummaryOptions, 'includeBots' | 'excludedUserIds'>;
    logger: Logger;
    /** Retries of one channel stop after this long (a scheduled run must fit its Lambda's timeout). */
    maxRetryTimeMs?: number;
    /** Record each message's source channel (only tasks with subscribers need it). */
    keepSources?: boolean;
  },
): Promise<ChannelReads> {
  const result: ChannelReads = { messages: [], channels: [], cursors: {}, truncated: false };
  const sourceOf = options.keepSources ? new Map<string, string>() : undefined;
  if (sourceOf) result.sourceOf = sourceOf;
  const retry = options.maxRetryTimeMs === undefined ? {} : { maxRetryTimeMs: options.maxRetryTimeMs };
  for (const { channelId, window } of reads) {
    try {
      const history = await withRetry(() => source.readChannel(guildId, channelId, window), retry);
      const kept = filterMessages(history.messages, options.filter);
      result.truncated ||= history.truncated;
      result.messages.push(...kept);
      if (sourceOf) for (const m of kept) sourceOf.set(m.id, channelId);
      result.channels.push({ channelId, status: 'read', messages: kept.length });
      if (history.lastMessageId) result.cursors[channelId] = history.lastMessageId;
    } catch (error) {
      if (error instanceof DiscordAccessError && error.reason !== 'missing_message_content_intent') {
        options.logger.warn('channel skipped: the bot cannot read it', { channelId, reason: error.reason });
        result.channels.push({ channelId, status: error.reason, messages: 0 });
        continue;
      }
      throw error;
    }
  }
  result.messages.sort(byTime);
  return result;
}
