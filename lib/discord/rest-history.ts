import {
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  type RESTGetAPIChannelMessagesQuery,
  type RESTGetAPIChannelMessagesResult,
  type RESTGetAPIChannelThreadsArchivedPublicResult,
  type RESTGetAPIGuildThreadsResult,
  Routes,
} from 'discord-api-types/v10';
import { DiscordAccessError } from '../errors.ts';
import type { ChannelDirectory, ChannelHistory, MessageSource, ReadWindow } from '../execution/ports.ts';
import {
  compareSnowflakes,
  DISCORD_EPOCH_MS,
  maxSnowflake,
  snowflakeFromTime,
  timeFromSnowflake,
} from '../shared/snowflake.ts';
import type { ChannelGet } from './rest-get.ts';
import { ContentEvidence, type HistoryMessage, normalize, StringPool } from './rest-messages.ts';

/** Discord's largest page for `GET /channels/{id}/messages` (FACTS B5). */
const MESSAGE_PAGE_LIMIT = 100;
/** Largest page for the archived-threads listing. */
const THREAD_PAGE_LIMIT = 100;

/**
 * Private threads are left out: their members did not agree to appear in a summary posted to the channel.
 * (The archived listing used below returns public threads only.)
 */
const PUBLIC_THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.AnnouncementThread]);

/** Reads a channel's history (and its public threads') inside a window, page by page over REST. */
export class DiscordRestHistory implements MessageSource, ChannelDirectory {
  readonly #get: ChannelGet;

  constructor(get: ChannelGet) {
    this.#get = get;
  }

  /** Messages of the channel (and optionally its threads) inside the window, oldest first. */
  async readChannel(guildId: string, channelId: string, window: ReadWindow): Promise<ChannelHistory> {
    // `after` is exclusive: one below the first id of `from` keeps a message sent at exactly `from`.
    const fromCursor =
      window.from.getTime() <= DISCORD_EPOCH_MS
        ? '0'
        : (BigInt(snowflakeFromTime(window.from)) - 1n).toString();
    const after = window.afterId ? maxSnowflake(window.afterId, fromCursor) : fromCursor;

    // A task's channel ids come from the guild's own commands and imports; a channel of another server the
    // bot is also in must never be read for this guild.
    if ((await this.guildOfChannel(channelId)) !== guildId) {
      throw new DiscordAccessError(channelId, 'not_found', `Channel ${channelId} is not in this server.`);
    }
    // Each page is reduced to compact normalized messages as soon as it is read: a long window must not
    // hold Discord's full JSON for every message (50,000 of them are hundreds of megabytes).
    const content = new ContentEvidence();
    // One string per distinct channel, author and name of this read, shared by its messages.
    const pool = new StringPool();
    const own = await this.#read(guildId, channelId, after, window, content, pool);
    let collected = own.messages;
    let truncated = own.truncated;

    if (window.includeThreads) {
      for (const thread of await this.#threadsActiveIn(guildId, channelId, window)) {
        const fromThread = await this.#readThread(
          guildId,
          thread.id,
          after,
          window,
          content,
          pool,
          thread.name,
        );
        truncated ||= fromThread.truncated;
        collected.push(...fromThread.messages);
      }
      collected.sort((a, b) => compareSnowflakes(a.id, b.id));
    }
    if (collected.length > window.limit) {
      collected =
        window.keep === 'newest' ? collected.slice(-window.limit) : collected.slice(0, window.limit);
      truncated = true;
    }

    content.assertVisible(channelId);

    // The cursor is the newest message read in the channel or its threads: snowflakes order by time across
    // channels, so the next run reads the channel and the threads after it and sees each message once.
    const lastMessageId = collected.at(-1)?.id;
    return {
      messages: collected,
      ...(lastMessageId ? { lastMessageId } : {}),
      truncated,
    };
  }

  /** The server a channel belongs to (`GET /channels/{id}`); undefined for a DM channel. */
  async guildOfChannel(channelId: string): Promise<string | undefined> {
    const channel = (await this.#get(channelId, Routes.channel(channelId))) as { guild_id?: string };
    return channel.guild_id;
  }

  /** The window of one channel or thread, read in the direction the window asks for. */
  #read(
    guildId: string,
    channelId: string,
    after: string,
    window: ReadWindow,
    content: ContentEvidence,
    pool: StringPool,
    threadName?: string,
  ): Promise<{ messages: HistoryMessage[]; truncated: boolean }> {
    const keep = (message: APIMessage) => {
      content.observe(message);
      return normalize(guildId, message, threadName, pool);
    };
    return window.keep === 'newest'
      ? this.#readNewest(channelId, after, window, keep)
      : this.#readMessages(channelId, after, window, keep);
  }

  /** One page of a channel's history (Discord answers it newest first). */
  async #page(
    channelId: string,
    query: RESTGetAPIChannelMessagesQuery,
  ): Promise<RESTGetAPIChannelMessagesResult> {
    return (await this.#get(
      channelId,
      Routes.channelMessages(channelId),
      query as Record<string, string | number>,
    )) as RESTGetAPIChannelMessagesResult;
  }

  /** Pages forward from `after` until `window.to`, collecting at most `window.limit` (oldest first). */
  async #readMessages(
    channelId: string,
    after: string,
    window: ReadWindow,
    keep: (message: APIMessage) => HistoryMessage,
  ): Promise<{ messages: HistoryMessage[]; truncated: boolean }> {
    const from = window.from.getTime();
    const to = window.to.getTime();
    const messages: HistoryMessage[] = [];
    let cursor = after;
    for (;;) {
      const page = await this.#page(channelId, { limit: MESSAGE_PAGE_LIMIT, after: cursor });
      // Discord answers newest first even when paging forward; the order inside a page is not promised.
      const ascending = [...page].sort((a, b) => compareSnowflakes(a.id, b.id));
      for (const message of ascending) {
        const at = Date.parse(message.timestamp);
        if (at > to) return { messages, truncated: false };
        if (at < from) continue;
        if (messages.length === window.limit) return { messages, truncated: true };
        messages.push(keep(message));
      }
      const newest = ascending[ascending.length - 1];
      if (!newest || page.length < MESSAGE_PAGE_LIMIT) return { messages, truncated: false };
      cursor = newest.id;
    }
  }

  /**
   * Pages backward from `window.to` (Discord's `before`), collecting the newest `window.limit` messages after
   * `after` and inside the window; returned oldest first.
   */
  async #readNewest(
    channelId: string,
    after: string,
    window: ReadWindow,
    keep: (message: APIMessage) => HistoryMessage,
  ): Promise<{ messages: HistoryMessage[]; truncated: boolean }> {
    const from = window.from.getTime();
    const to = window.to.getTime();
    const newestFirst: HistoryMessage[] = [];
    let before = (BigInt(snowflakeFromTime(window.to)) + (1n << 22n)).toString();
    for (;;) {
      const page = await this.#page(channelId, { limit: MESSAGE_PAGE_LIMIT, before });
      const descending = [...page].sort((a, b) => compareSnowflakes(b.id, a.id));
      for (const message of descending) {
        const at = Date.parse(message.timestamp);
        if (at > to) continue;
        if (at < from || compareSnowflakes(message.id, after) <= 0) return done(false);
        if (newestFirst.length === window.limit) return done(true);
        newestFirst.push(keep(message));
      }
      const oldest = descending[descending.length - 1];
      if (!oldest || page.length < MESSAGE_PAGE_LIMIT) return done(false);
      before = oldest.id;
    }
    function done(truncated: boolean) {
      return { messages: newestFirst.reverse(), truncated };
    }
  }

  /** A thread deleted between listing and reading has nothing left to summarize; other failures propagate. */
  async #readThread(
    guildId: string,
    threadId: string,
    after: string,
    window: ReadWindow,
    content: ContentEvidence,
    pool: StringPool,
    threadName: string,
  ) {
    try {
      return await this.#read(guildId, threadId, after, window, content, pool, threadName);
    } catch (error) {
      if (error instanceof DiscordAccessError && error.reason === 'not_found')
        return { messages: [], truncated: false };
      throw error;
    }
  }

  /** Threads under the channel that can hold messages from the window: active ones and recently archived. */
  async #threadsActiveIn(
    guildId: string,
    channelId: string,
    window: ReadWindow,
  ): Promise<APIThreadChannel[]> {
    const from = window.from.getTime();
    const to = window.to.getTime();
    const createdBy = (t: APIThreadChannel) => {
      const created = t.thread_metadata?.create_timestamp;
      // Threads from before 2022-01-09 carry no create_timestamp; treat them as old enough.
      return created === undefined || Date.parse(created) <= to;
    };
    const active = (await this.#get(
      channelId,
      Routes.guildActiveThreads(guildId),
    )) as RESTGetAPIGuildThreadsResult;
    const threads = (active.threads as APIThreadChannel[]).filter(
      (t) =>
        t.parent_id === channelId &&
        PUBLIC_THREAD_TYPES.has(t.type) &&
        createdBy(t) &&
        (t.last_message_id == null || timeFromSnowflake(t.last_message_id).getTime() >= from),
    );

    // Archived threads come newest-archived first; one archived before the window opened saw no messages in it.
    let before: string | undefined;
    for (;;) {
      const query: Record<string, string | number> = {
        limit: THREAD_PAGE_LIMIT,
        ...(before ? { before } : {}),
      };
      const page = (await this.#get(
        channelId,
        Routes.channelThreads(channelId, 'public'),
        query,
      )) as RESTGetAPIChannelThreadsArchivedPublicResult;
      let reachedOlder = false;
      for (const thread of page.threads as APIThreadChannel[]) {
        const archivedAt = thread.thread_metadata?.archive_timestamp;
        if (archivedAt !== undefined && Date.parse(archivedAt) < from) {
          reachedOlder = true;
          break;
        }
        if (createdBy(thread) && !threads.some((t) => t.id === thread.id)) threads.push(thread);
      }
      const oldest = page.threads[page.threads.length - 1] as APIThreadChannel | undefined;
      const oldestArchive = oldest?.thread_metadata?.archive_timestamp;
      if (reachedOlder || !page.has_more || oldestArchive === undefined) break;
      before = oldestArchive;
    }
    return threads;
  }
}
