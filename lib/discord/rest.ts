import { DiscordAPIError, HTTPError, REST } from '@discordjs/rest';
import {
  type APIMessage,
  type APIThreadChannel,
  ChannelType,
  type RESTGetAPIChannelMessagesQuery,
  type RESTGetAPIChannelMessagesResult,
  type RESTGetAPIChannelThreadsArchivedPublicResult,
  type RESTGetAPIGuildThreadsResult,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIWebhookWithTokenWaitResult,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordPoster, DiscordThreadPoster } from '../delivery/discord-poster.ts';
import { DeliveryError, DiscordAccessError, ExternalServiceError } from '../errors.ts';
import type { ChannelDirectory, ChannelHistory, MessageSource, ReadWindow } from '../execution/ports.ts';
import {
  compareSnowflakes,
  DISCORD_EPOCH_MS,
  maxSnowflake,
  snowflakeFromTime,
  timeFromSnowflake,
} from '../shared/snowflake.ts';
import {
  channelFromJson,
  channelsFromJson,
  type GuildReads,
  guildFromJson,
  memberFromJson,
  threadsFromJson,
} from './guild-reads.ts';
import { toDeliveryError } from './rest-errors.ts';
import { ContentEvidence, type HistoryMessage, normalize } from './rest-messages.ts';
import { repeatWhenClosedBeforeAnswer } from './rest-repeat.ts';
import { DiscordRestThreads } from './rest-threads.ts';

/** Discord's largest page for `GET /channels/{id}/messages` (FACTS B5). */
const MESSAGE_PAGE_LIMIT = 100;
/** "Cannot send a message in a forum channel". */
const FORUM_MESSAGE_CODE = 40058;
/** Largest page for the archived-threads listing. */
const THREAD_PAGE_LIMIT = 100;

/**
 * @discordjs/rest retries a 5xx or a timed-out request immediately, without backoff. Two extra attempts ride
 * over a blip; longer outages are the executor's job (backoff, then Lambda's async retries).
 */
const DEFAULT_RETRIES = 2;
/** Under the library's 15 s so a stuck request leaves time to retry inside one Lambda invocation. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Private threads are left out: their members did not agree to appear in a summary posted to the channel.
 * (The archived listing used below returns public threads only.)
 */
const PUBLIC_THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.AnnouncementThread]);

export interface DiscordRestOptions {
  token: string;
  /** Base URL without the version, e.g. the stand-in's `http://127.0.0.1:PORT/api`. Default Discord's. */
  api?: string;
  timeoutMs?: number;
  /** Retries of a 5xx or timed-out request (429s are always waited out and retried). */
  retries?: number;
}

/** Builds the process's one Discord REST client (API v10); pass it to every adapter that needs it. */
export function createDiscordRest(options: DiscordRestOptions): REST {
  return new REST({
    version: '10',
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: options.retries ?? DEFAULT_RETRIES,
    makeRequest: repeatWhenClosedBeforeAnswer(),
    ...(options.api ? { api: options.api } : {}),
  }).setToken(options.token);
}

/**
 * How stale the roles and overwrites a run's audience rule reads may be. Short against how fast people change
 * permissions, long enough that runs due in the same minute share one lookup of their server.
 */
const AUDIENCE_READ_TTL_MS = 10_000;
/** Past this many remembered answers, the expired ones are dropped. */
const MAX_RECENT_ANSWERS = 1_000;

/** Reads channel history and posts messages and interaction replies through Discord's REST API. */
export class DiscordRestClient implements MessageSource, ChannelDirectory, DiscordPoster {
  readonly #rest: REST;
  readonly #recentAnswers = new Map<string, { at: number; answer: Promise<unknown> }>();
  /** Starts the threads of `thread:true` destinations, through the same client and rate limits. */
  readonly threads: DiscordThreadPoster;

  constructor(options: { rest: REST }) {
    this.#rest = options.rest;
    this.threads = new DiscordRestThreads({ rest: options.rest });
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
    const own = await this.#read(guildId, channelId, after, window, content);
    let collected = own.messages;
    let truncated = own.truncated;

    if (window.includeThreads) {
      for (const thread of await this.#threadsActiveIn(guildId, channelId, window)) {
        const fromThread = await this.#readThread(guildId, thread.id, after, window, content, thread.name);
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

  /**
   * Lookups of a guild and its channels for one run's audience rule, through this client's rate limits.
   * Answers are shared for at most AUDIENCE_READ_TTL_MS between runs: a thousand runs of one server in the
   * same minute would otherwise queue a thousand `GET /guilds/{id}` in that route's bucket, one at a time.
   */
  guildReads(): GuildReads {
    return {
      guild: async (guildId) => guildFromJson(await this.#recent(guildId, Routes.guild(guildId))),
      channel: async (channelId) => {
        try {
          return channelFromJson(await this.#recent(channelId, Routes.channel(channelId)));
        } catch (error) {
          if (error instanceof DiscordAccessError && error.reason === 'not_found') return undefined;
          throw error;
        }
      },
      // A subscriber's roles at this run (a member who left answers 404 Unknown Member: undefined).
      member: async (guildId, userId) => {
        try {
          return memberFromJson(userId, await this.#recent(guildId, Routes.guildMember(guildId, userId)));
        } catch (error) {
          if (error instanceof DiscordAccessError && error.reason === 'not_found') return undefined;
          throw error;
        }
      },
      // A category or whole-server task lists the server's channels and active threads at each run.
      channels: async (guildId) =>
        channelsFromJson(await this.#recent(guildId, Routes.guildChannels(guildId))),
      activeThreads: async (guildId) =>
        threadsFromJson(await this.#recent(guildId, Routes.guildActiveThreads(guildId)), guildId),
    };
  }

  /** A GET answered at most AUDIENCE_READ_TTL_MS ago (or still in flight), else a new one; failures are not kept. */
  #recent(subject: string, route: `/${string}`): Promise<unknown> {
    const now = Date.now();
    const known = this.#recentAnswers.get(route);
    if (known && now - known.at < AUDIENCE_READ_TTL_MS) return known.answer;
    if (this.#recentAnswers.size >= MAX_RECENT_ANSWERS) {
      for (const [key, entry] of this.#recentAnswers)
        if (now - entry.at >= AUDIENCE_READ_TTL_MS) this.#recentAnswers.delete(key);
    }
    const answer = this.#get(subject, route);
    this.#recentAnswers.set(route, { at: now, answer });
    answer.catch(() => this.#recentAnswers.delete(route));
    return answer;
  }

  /** The window of one channel or thread, read in the direction the window asks for. */
  #read(
    guildId: string,
    channelId: string,
    after: string,
    window: ReadWindow,
    content: ContentEvidence,
    threadName?: string,
  ): Promise<{ messages: HistoryMessage[]; truncated: boolean }> {
    const keep = (message: APIMessage) => {
      content.observe(message);
      return normalize(guildId, message, threadName);
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
    threadName: string,
  ) {
    try {
      return await this.#read(guildId, threadId, after, window, content, threadName);
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

  /** GET on a channel's route, mapping 403/404 to DiscordAccessError; other failures propagate unchanged. */
  async #get(
    channelId: string,
    route: `/${string}`,
    query?: Record<string, string | number>,
  ): Promise<unknown> {
    try {
      return await this.#rest.get(route, query ? { query: toSearchParams(query) } : {});
    } catch (error) {
      if (error instanceof DiscordAPIError && error.status === 403) {
        throw new DiscordAccessError(
          channelId,
          'forbidden',
          `The bot cannot read channel ${channelId}: give it View Channel and Read Message History there.`,
          { cause: error },
        );
      }
      if (error instanceof DiscordAPIError && error.status === 404) {
        throw new DiscordAccessError(
          channelId,
          'not_found',
          `Channel ${channelId} was not found: it was deleted, or the bot is not in its server.`,
          { cause: error },
        );
      }
      // Retries inside @discordjs/rest are spent: say whether a later attempt may still pass.
      if (error instanceof HTTPError || (error instanceof DiscordAPIError && error.status >= 500)) {
        throw new ExternalServiceError(
          `Discord failed while reading channel ${channelId} (${error.status})`,
          {
            cause: error,
          },
        );
      }
      if (error instanceof Error && error.name === 'AbortError') {
        throw new ExternalServiceError(`Discord did not answer in time while reading channel ${channelId}`, {
          cause: error,
        });
      }
      throw error;
    }
  }

  /** Posts a message to a channel; returns its id. */
  async postMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<{ id: string }> {
    const message = (await this.#deliver(`posting to channel ${channelId}`, undefined, async () => {
      try {
        return await this.#rest.post(Routes.channelMessages(channelId), { body });
      } catch (error) {
        // A forum holds only posts: say how to deliver there (a task made before forums were understood).
        if (error instanceof DiscordAPIError && Number(error.code) === FORUM_MESSAGE_CODE)
          throw new DeliveryError(
            `channel ${channelId} is a forum channel, which holds only posts; turn on /schedule settings thread:true to post each digest as a new post there`,
            { cause: error, transient: false },
          );
        throw error;
      }
    })) as RESTPostAPIChannelMessageResult;
    return { id: message.id };
  }

  /** Opens the bot's DM channel with a user (Discord returns the existing one if there is one). */
  async openDirectMessage(userId: string): Promise<{ channelId: string }> {
    const channel = (await this.#deliver(`opening a direct message to ${userId}`, undefined, () =>
      this.#rest.post(Routes.userChannels(), { body: { recipient_id: userId } }),
    )) as { id: string };
    return { channelId: channel.id };
  }

  /** Edits the deferred reply of an interaction. */
  async editOriginalResponse(
    applicationId: string,
    token: string,
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody,
  ): Promise<void> {
    await this.#deliver('editing the interaction reply', token, () =>
      this.#rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body, auth: false }),
    );
  }

  /** Sends a follow-up message to an interaction; returns its id. */
  async followUp(
    applicationId: string,
    token: string,
    body: RESTPostAPIChannelMessageJSONBody,
  ): Promise<{ id: string }> {
    const message = (await this.#deliver('sending an interaction follow-up', token, () =>
      this.#rest.post(Routes.webhook(applicationId, token), {
        body,
        auth: false,
        query: new URLSearchParams({ wait: 'true' }),
      }),
    )) as RESTPostAPIWebhookWithTokenWaitResult;
    return { id: message.id };
  }

  async #deliver(what: string, secret: string | undefined, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw toDeliveryError(what, error, secret);
    }
  }
}

function toSearchParams(query: Record<string, string | number>): URLSearchParams {
  return new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
}
