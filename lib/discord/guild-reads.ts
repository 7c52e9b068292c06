import { OverwriteType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import * as z from 'zod';
import { DiscordAccessError, ExternalServiceError } from '../errors.ts';
import type { GuildLike, GuildMemberLike, OverwriteLike } from './permissions.ts';

/** A guild channel as far as access checks read it. */
export interface ChannelLike {
  id: string;
  /** Absent for DMs: such a channel belongs to no server. */
  guildId?: string;
  type: number;
  /** Its name as Discord shows it after `#`: what run footers say, since embed footers show no mentions. */
  name?: string;
  /** A thread's parent channel, whose overwrites it inherits; a channel's category. */
  parentId?: string;
  overwrites: OverwriteLike[];
  /** The newest message's id (how recently the channel was active), when Discord sends it. */
  lastMessageId?: string;
}

/**
 * What the permission checks read from Discord, once per request: the guild (owner and roles) and channels
 * (guild, type, overwrites). The member (roles, time-out) needs no read: the signed interaction carries it.
 */
export interface GuildReads {
  /** Throws DiscordAccessError when the bot is not in that server. */
  guild(guildId: string): Promise<GuildLike>;
  /** Undefined when Discord knows no such channel; DiscordAccessError when the bot may not see it. */
  channel(channelId: string): Promise<ChannelLike | undefined>;
  /** A member's roles (`GET /guilds/{id}/members/{user}`); undefined when that user is no member. */
  member?(guildId: string, userId: string): Promise<GuildMemberLike | undefined>;
  /** The server's channels, threads not included (`GET /guilds/{id}/channels`). */
  channels?(guildId: string): Promise<ChannelLike[]>;
  /**
   * The server's active threads, public and private (`GET /guilds/{id}/threads/active`, Discord's "List
   * Active Guild Threads").
   */
  activeThreads?(guildId: string): Promise<ChannelLike[]>;
}

/** A snowflake as Discord's JSON writes it. */
export const SnowflakeJson = z.string().regex(/^\d{1,20}$/);
/** A permission bit set as Discord's JSON writes it (a decimal string). */
export const BitsJson = z.string().regex(/^\d{1,40}$/);
/** `GET /guilds/{id}` as far as the permission checks (and `doctor`) read it. */
export const GuildJson = z.object({
  id: SnowflakeJson,
  owner_id: SnowflakeJson,
  roles: z.array(
    z.object({ id: SnowflakeJson, permissions: BitsJson, name: z.string().max(100).optional() }),
  ),
});
/** `GET /channels/{id}` as far as the permission checks (and `doctor`) read it. */
export const ChannelJson = z.object({
  id: SnowflakeJson,
  type: z.number().int(),
  name: z.string().max(100).nullish(),
  guild_id: SnowflakeJson.optional(),
  parent_id: SnowflakeJson.nullish(),
  last_message_id: SnowflakeJson.nullish(),
  permission_overwrites: z
    .array(z.object({ id: SnowflakeJson, type: z.enum(OverwriteType), allow: BitsJson, deny: BitsJson }))
    .default([]),
});

/** `GET /guilds/{id}/members/{user}` as far as the permission checks read it. */
const MemberJson = z.object({
  roles: z.array(SnowflakeJson),
  communication_disabled_until: z.string().nullish(),
});

/** Discord's member JSON (`GET /guilds/{id}/members/{user}`) as permission checks read it. */
export function memberFromJson(userId: string, json: unknown): GuildMemberLike {
  const member = parse(MemberJson, json, 'member');
  return {
    userId,
    roles: member.roles,
    communicationDisabledUntil: member.communication_disabled_until ?? null,
  };
}

/** A parsed guild as the checks hold it. */
export function toGuildLike(guild: z.infer<typeof GuildJson>): GuildLike {
  return { id: guild.id, ownerId: guild.owner_id, roles: guild.roles };
}

/** A parsed channel as the checks hold it. */
export function toChannelLike(channel: z.infer<typeof ChannelJson>): ChannelLike {
  return {
    id: channel.id,
    type: channel.type,
    overwrites: channel.permission_overwrites,
    ...(channel.name ? { name: channel.name } : {}),
    ...(channel.guild_id ? { guildId: channel.guild_id } : {}),
    ...(channel.parent_id ? { parentId: channel.parent_id } : {}),
    ...(channel.last_message_id ? { lastMessageId: channel.last_message_id } : {}),
  };
}

export interface RestGuildReadsOptions {
  token: string;
  /** Base URL without the version (default Discord's); the sandbox and tests name the stand-in's. */
  api?: string;
  /** Per request; a command must still answer inside Discord's 3 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The longest 429 `retry_after` waited out once; longer ones fail the command (it can be retried). */
const MAX_RATE_LIMIT_WAIT_MS = 1_000;

/**
 * `GuildReads` over Discord's REST API with the bot token, each answer kept for the life of this object
 * (one per command: an import naming one channel twenty times reads it once). Plain `fetch` rather than
 * @discordjs/rest: the interactions function only makes these few GETs, and the library would add
 * about 640 KB to its bundle and cold start.
 */
export class RestGuildReads implements GuildReads {
  readonly #options: Required<Omit<RestGuildReadsOptions, 'fetch'>> & { fetch: typeof fetch };
  readonly #cache = new Map<string, Promise<unknown>>();

  constructor(options: RestGuildReadsOptions) {
    this.#options = {
      token: options.token,
      api: (options.api ?? 'https://discord.com/api').replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? 2_000,
      fetch: options.fetch ?? fetch,
    };
  }

  async guild(guildId: string): Promise<GuildLike> {
    const json = await this.#get(`/guilds/${guildId}`, guildId);
    if (json === undefined)
      throw new DiscordAccessError(guildId, 'not_found', `The bot is not in server ${guildId}.`);
    return toGuildLike(parse(GuildJson, json, 'guild'));
  }

  async channel(channelId: string): Promise<ChannelLike | undefined> {
    const json = await this.#get(`/channels/${channelId}`, channelId);
    if (json === undefined) return undefined;
    return toChannelLike(parse(ChannelJson, json, 'channel'));
  }

  async member(guildId: string, userId: string): Promise<GuildMemberLike | undefined> {
    const json = await this.#get(`/guilds/${guildId}/members/${userId}`, guildId);
    if (json === undefined) return undefined;
    return memberFromJson(userId, json);
  }

  async channels(guildId: string): Promise<ChannelLike[]> {
    const json = await this.#get(`/guilds/${guildId}/channels`, guildId);
    if (json === undefined)
      throw new DiscordAccessError(guildId, 'not_found', `The bot is not in server ${guildId}.`);
    return parse(z.array(ChannelJson).max(1_000), json, 'channel list').map(toChannelLike);
  }

  async activeThreads(guildId: string): Promise<ChannelLike[]> {
    return threadsFromJson(await this.#get(`/guilds/${guildId}/threads/active`, guildId), guildId);
  }

  /** A cached GET; undefined for 404, DiscordAccessError for 403. */
  #get(route: string, subject: string): Promise<unknown> {
    let pending = this.#cache.get(route);
    if (!pending) {
      pending = this.#fetch(route, subject, true);
      this.#cache.set(route, pending);
    }
    return pending;
  }

  async #fetch(route: string, subject: string, mayWait: boolean): Promise<unknown> {
    let response: Response;
    try {
      response = await this.#options.fetch(`${this.#options.api}/v10${route}`, {
        headers: { authorization: `Bot ${this.#options.token}`, 'user-agent': USER_AGENT },
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      throw new ExternalServiceError('Discord did not answer in time; try again in a moment', {
        cause: error,
      });
    }
    if (response.ok) return response.json();
    const body = (await response.json().catch(() => ({}))) as { code?: number; retry_after?: number };
    if (response.status === 404) return undefined;
    if (response.status === 403) {
      throw new DiscordAccessError(
        subject,
        'forbidden',
        `The bot cannot see ${subject}: give it the View Channel permission there.`,
      );
    }
    const waitMs = Math.ceil((body.retry_after ?? Number.POSITIVE_INFINITY) * 1000);
    if (response.status === 429 && mayWait && waitMs <= MAX_RATE_LIMIT_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      return this.#fetch(route, subject, false);
    }
    throw new ExternalServiceError(
      `Discord refused a lookup (${response.status}${body.code === undefined || body.code === RESTJSONErrorCodes.GeneralError ? '' : `, code ${body.code}`}); try again in a moment`,
    );
  }
}

/** Discord requires `DiscordBot ($url, $versionNumber)` (FACTS B5). */
const USER_AGENT = 'DiscordBot (https://github.com/summary-bot-ng, 0.1.0)';

/** Discord's guild JSON (`GET /guilds/{id}`) as permission checks read it; ExternalServiceError if malformed. */
export function guildFromJson(json: unknown): GuildLike {
  return toGuildLike(parse(GuildJson, json, 'guild'));
}

/** `GET /guilds/{id}/channels` as the checks hold it; ExternalServiceError if malformed. */
export function channelsFromJson(json: unknown): ChannelLike[] {
  return parse(z.array(ChannelJson).max(1_000), json, 'channel list').map(toChannelLike);
}

/**
 * `GET /guilds/{id}/threads/active` (`{ threads, members }`) as the checks hold its threads; ExternalServiceError
 * if malformed. Undefined (the bot is not in that server) throws DiscordAccessError.
 */
export function threadsFromJson(json: unknown, guildId: string): ChannelLike[] {
  if (json === undefined)
    throw new DiscordAccessError(guildId, 'not_found', `The bot is not in server ${guildId}.`);
  const list = parse(z.object({ threads: z.array(ChannelJson).max(10_000) }), json, 'thread list');
  return list.threads.map(toChannelLike);
}

/** Discord's channel JSON (`GET /channels/{id}`) as permission checks read it; ExternalServiceError if malformed. */
export function channelFromJson(json: unknown): ChannelLike {
  return toChannelLike(parse(ChannelJson, json, 'channel'));
}

function parse<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw new ExternalServiceError(`Discord answered with an unexpected ${what}`);
  return result.data;
}
