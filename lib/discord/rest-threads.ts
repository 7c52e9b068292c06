import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  ChannelFlags,
  type RESTPostAPIChannelThreadsJSONBody,
  type RESTPostAPIGuildForumThreadsJSONBody,
  Routes,
} from 'discord-api-types/v10';
import * as z from 'zod';
import type { DiscordThreadPoster, ThreadParent } from '../delivery/discord-poster.ts';
import { DeliveryError, DiscordAccessError, ExternalServiceError } from '../errors.ts';
import { SnowflakeJson } from './guild-reads.ts';
import { toDeliveryError } from './rest-errors.ts';

const ParentJson = z.object({
  type: z.number().int(),
  flags: z.number().int().optional(),
  available_tags: z.array(z.object({ id: SnowflakeJson, name: z.string() })).optional(),
});
const CreatedJson = z.object({ id: SnowflakeJson });
const UserJson = z.object({ id: SnowflakeJson });
const ActiveThreadsJson = z.object({
  threads: z.array(
    z.object({
      id: SnowflakeJson,
      parent_id: SnowflakeJson.nullish(),
      owner_id: SnowflakeJson.nullish(),
      name: z.string().nullish(),
    }),
  ),
});

/** Discord's codes for a refusal the bot's permissions cause: Missing Access, Missing Permissions. */
const PERMISSION_CODES = new Set([50001, 50013]);
/** "A tag is required to create a forum post in this channel". */
const TAG_REQUIRED = 40067;

/**
 * Threads for `thread:true` destinations over Discord REST (channel.mdx: Start Thread without Message,
 * Start Thread in Forum or Media Channel; guild.mdx: List Active Guild Threads). Failures are DeliveryErrors
 * that say what the bot lacks, so a run record and a failure notice tell the admin what to fix.
 */
export class DiscordRestThreads implements DiscordThreadPoster {
  readonly #rest: REST;
  #botId: Promise<string> | undefined;

  constructor(options: { rest: REST }) {
    this.#rest = options.rest;
  }

  async threadParent(channelId: string): Promise<ThreadParent> {
    const channel = ParentJson.safeParse(await this.#read(channelId, Routes.channel(channelId)));
    if (!channel.success) throw new ExternalServiceError('Discord answered with an unexpected channel');
    const flags = channel.data.flags ?? 0;
    return {
      type: channel.data.type,
      requiresTag: (flags & ChannelFlags.RequireTag) === ChannelFlags.RequireTag,
      tags: (channel.data.available_tags ?? []).map(({ id, name }) => ({ id, name })),
    };
  }

  async findOwnThread(guildId: string, parentId: string, name: string): Promise<{ id: string } | undefined> {
    const botId = await this.#ownId();
    const active = ActiveThreadsJson.safeParse(
      await this.#read(parentId, Routes.guildActiveThreads(guildId)),
    );
    if (!active.success) throw new ExternalServiceError('Discord answered with an unexpected thread list');
    const found = active.data.threads.find(
      (t) => t.parent_id === parentId && t.owner_id === botId && t.name === name,
    );
    return found ? { id: found.id } : undefined;
  }

  startThread(channelId: string, body: RESTPostAPIChannelThreadsJSONBody): Promise<{ id: string }> {
    return this.#create(channelId, body, 'Create Public Threads and Send Messages in Threads');
  }

  startForumPost(channelId: string, body: RESTPostAPIGuildForumThreadsJSONBody): Promise<{ id: string }> {
    // "The current user must have the SEND_MESSAGES permission (CREATE_PUBLIC_THREADS is ignored)".
    return this.#create(channelId, body, 'Send Messages and Send Messages in Threads');
  }

  async #create(channelId: string, body: object, needs: string): Promise<{ id: string }> {
    let created: unknown;
    try {
      created = await this.#rest.post(Routes.threads(channelId), { body });
    } catch (error) {
      if (error instanceof DiscordAPIError && PERMISSION_CODES.has(Number(error.code))) {
        throw new DeliveryError(
          `the bot may not start a thread in channel ${channelId}: give it View Channel, ${needs} there`,
          { cause: error, transient: false },
        );
      }
      if (error instanceof DiscordAPIError && Number(error.code) === TAG_REQUIRED) {
        throw new DeliveryError(
          `forum channel ${channelId} requires a tag on every post, and digests carry none; turn off "Require people to select tags" there`,
          { cause: error, transient: false },
        );
      }
      throw toDeliveryError(`starting a thread in channel ${channelId}`, error, undefined);
    }
    const parsed = CreatedJson.safeParse(created);
    if (!parsed.success) throw new ExternalServiceError('Discord answered with an unexpected thread');
    return { id: parsed.data.id };
  }

  /** The bot's own user id (`GET /users/@me`), read once: what marks a thread as the bot's own. */
  #ownId(): Promise<string> {
    if (!this.#botId) {
      const read = this.#read('@me', Routes.user('@me')).then((json) => {
        const user = UserJson.safeParse(json);
        if (!user.success) throw new ExternalServiceError('Discord answered with an unexpected user');
        return user.data.id;
      });
      read.catch(() => {
        if (this.#botId === read) this.#botId = undefined;
      });
      this.#botId = read;
    }
    return this.#botId;
  }

  /** A GET whose 403/404 say the bot cannot see the channel; other failures may pass on a retry. */
  async #read(channelId: string, route: `/${string}`): Promise<unknown> {
    try {
      return await this.#rest.get(route);
    } catch (error) {
      if (error instanceof DiscordAPIError && (error.status === 403 || error.status === 404)) {
        throw new DiscordAccessError(
          channelId,
          error.status === 403 ? 'forbidden' : 'not_found',
          error.status === 403
            ? `The bot cannot see channel ${channelId}: give it View Channel there.`
            : `Channel ${channelId} was not found: it was deleted, or the bot is not in its server.`,
          { cause: error },
        );
      }
      throw new ExternalServiceError(`Discord failed while looking up channel ${channelId}`, {
        cause: error,
      });
    }
  }
}
