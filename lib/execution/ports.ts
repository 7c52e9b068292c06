import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { NormalizedMessage } from '../summarization/summarizer.ts';

/** What to read of one channel. Messages strictly after `afterId` (if set) and inside [from, to]. */
export interface ReadWindow {
  afterId?: string;
  from: Date;
  to: Date;
  /** Stop after this many messages. */
  limit: number;
  /**
   * Which end of a window with more than `limit` messages is read: the oldest (a run that continues from a
   * cursor next time; the default) or the newest (a fixed window or `/summarize`: the latest talk matters).
   */
  keep?: 'oldest' | 'newest';
  /** Also read threads of the channel that were active in the window. */
  includeThreads: boolean;
}

export interface ChannelHistory {
  /** Oldest to newest, unfiltered (bots and system messages included; the executor filters). */
  messages: (NormalizedMessage & { isSystem: boolean })[];
  /** Newest message id read, in the channel or its threads (the next cursor). */
  lastMessageId?: string;
  /** True when `limit` cut the window short. */
  truncated: boolean;
}

/**
 * Reads channel history (Discord REST in production and locally). Throws DiscordAccessError for a channel
 * the bot cannot read (403/404).
 */
export interface MessageSource {
  readChannel(guildId: string, channelId: string, window: ReadWindow): Promise<ChannelHistory>;
}

/** Which server a channel belongs to (Discord REST `GET /channels/{id}`). */
export interface ChannelDirectory {
  /**
   * The channel's guild id, undefined for a channel outside any server (a DM). Throws DiscordAccessError
   * when the bot cannot see the channel (403/404), ExternalServiceError when Discord fails.
   */
  guildOfChannel(channelId: string): Promise<string | undefined>;
}

/** The executor's Discord client (one REST client in both runtimes): reads history, looks channels up, posts. */
export interface ExecutorDiscord extends MessageSource, ChannelDirectory, DiscordPoster {}
