import { REST } from '@discordjs/rest';
import type {
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { DiscordPoster, DiscordThreadPoster } from '../delivery/discord-poster.ts';
import type { ChannelDirectory, ChannelHistory, MessageSource, ReadWindow } from '../execution/ports.ts';
import type { GuildReads } from './guild-reads.ts';
import { channelGet } from './rest-get.ts';
import { RunGuildReads } from './rest-guild-reads.ts';
import { DiscordRestHistory } from './rest-history.ts';
import { DiscordRestPoster } from './rest-posting.ts';
import { repeatWhenClosedBeforeAnswer } from './rest-repeat.ts';
import { DiscordRestThreads } from './rest-threads.ts';

/**
 * @discordjs/rest retries a 5xx or a timed-out request immediately, without backoff. Two extra attempts ride
 * over a blip; longer outages are the executor's job (backoff, then Lambda's async retries).
 */
const DEFAULT_RETRIES = 2;
/** Under the library's 15 s so a stuck request leaves time to retry inside one Lambda invocation. */
const DEFAULT_TIMEOUT_MS = 10_000;

/** How to reach Discord: the bot token, and where and how patiently to call its API. */
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
 * Reads channel history and posts messages and interaction replies through Discord's REST API: the one
 * adapter over the process's REST client, so every read and post shares its rate limits.
 */
export class DiscordRestClient implements MessageSource, ChannelDirectory, DiscordPoster {
  /** Starts the threads of `thread:true` destinations, through the same client and rate limits. */
  readonly threads: DiscordThreadPoster;
  readonly #history: DiscordRestHistory;
  readonly #guildReads: RunGuildReads;
  readonly #poster: DiscordRestPoster;

  constructor(options: { rest: REST }) {
    const get = channelGet(options.rest);
    this.threads = new DiscordRestThreads({ rest: options.rest });
    this.#history = new DiscordRestHistory(get);
    this.#guildReads = new RunGuildReads(get);
    this.#poster = new DiscordRestPoster({ rest: options.rest });
  }

  /** Messages of the channel (and optionally its threads) inside the window, oldest first. */
  readChannel(guildId: string, channelId: string, window: ReadWindow): Promise<ChannelHistory> {
    return this.#history.readChannel(guildId, channelId, window);
  }

  /** The server a channel belongs to (`GET /channels/{id}`); undefined for a DM channel. */
  guildOfChannel(channelId: string): Promise<string | undefined> {
    return this.#history.guildOfChannel(channelId);
  }

  /** Lookups of a guild and its channels for one run's audience rule (see RunGuildReads). */
  guildReads(): GuildReads {
    return this.#guildReads.guildReads();
  }

  /** Posts a message to a channel; returns its id. */
  postMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<{ id: string }> {
    return this.#poster.postMessage(channelId, body);
  }

  /** Opens the bot's DM channel with a user (Discord returns the existing one if there is one). */
  openDirectMessage(userId: string): Promise<{ channelId: string }> {
    return this.#poster.openDirectMessage(userId);
  }

  /** Edits the deferred reply of an interaction. */
  editOriginalResponse(
    applicationId: string,
    token: string,
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody,
  ): Promise<void> {
    return this.#poster.editOriginalResponse(applicationId, token, body);
  }

  /** Deletes the reply of an interaction (its "thinking…" included). */
  deleteOriginalResponse(applicationId: string, token: string): Promise<void> {
    return this.#poster.deleteOriginalResponse(applicationId, token);
  }

  /** Sends a follow-up message to an interaction; returns its id. */
  followUp(
    applicationId: string,
    token: string,
    body: RESTPostAPIChannelMessageJSONBody,
  ): Promise<{ id: string }> {
    return this.#poster.followUp(applicationId, token, body);
  }
}
