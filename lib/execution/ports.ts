import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { NormalizedMessage } from '../summarization/summarizer.ts';
import type { SummaryTask } from '../tasks/task.ts';

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

/** A source channel a run leaves out under the audience rule, and why, in plain words (footers show no mentions). */
export interface LeftOutSource {
  channelId: string;
  /** "#mods is private to Moderators" */
  reason: string;
}

/** The channels one run may read, decided before any message is read. */
export interface RunSourcePlan {
  channelIds: string[];
  leftOut: LeftOutSource[];
  /** Sources the bot cannot see or that are no channel of the task's server: not checked, so not read. */
  unreadable: { channelId: string; status: 'forbidden' | 'not_found' }[];
  /**
   * A category or whole-server task: the channels and threads it was expanded to for this run, each with its
   * name for its section of the digest (`#general`, `#plan in #dev`). Each is read on its own (a thread is
   * one of them, not read again with its parent). Absent for a task that reads its own channels.
   */
  sections?: Record<string, string>;
  /**
   * Channels the server's cap of channels per task kept out of this run (the least recently active): their
   * ids, and their names for the digest's footer.
   */
  overCap?: { limit: number; channelIds: string[]; names: string[] };
}

/**
 * The audience rule at every run (ARCHITECTURE, "Security"): from fresh Discord reads of roles and
 * overwrites, which of a task's source channels its destinations may receive. Permissions change after a
 * task is created (a channel becomes private), so create and edit are not enough. Throws DiscordAccessError
 * or ExternalServiceError when Discord cannot be read: a run never reads a channel it could not check.
 */
export interface RunSources {
  /** `maxChannels`: the server's cap of channels a category or whole-server task reads a run. */
  plan(task: SummaryTask, options?: { maxChannels?: number }): Promise<RunSourcePlan>;
  /**
   * The audience rule per subscriber: for each member, which of the run's `channelIds` they can read now
   * (their roles and each channel's overwrites), or that they are no member of the server any more.
   */
  forSubscribers(
    guildId: string,
    channelIds: readonly string[],
    userIds: readonly string[],
  ): Promise<Map<string, SubscriberAccess>>;
}

/** One subscriber at a run: the channels they may get, those left out ("#mods"), or gone from the server. */
export type SubscriberAccess = { member: true; readable: string[]; hidden: string[] } | { member: false };
