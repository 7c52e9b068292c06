import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';

/** The status page's names for ids; undefined when Discord does not say (the page then shows the id). */
export interface NameLookup {
  guildName(guildId: string): Promise<string | undefined>;
  channelName(channelId: string): Promise<string | undefined>;
}

/** A name is asked of Discord at most this often; the page refreshes every few seconds. */
const NAME_TTL_MS = 10 * 60_000;
/** After a failure (missing access, a deleted channel, Discord down) the id is shown for a while. */
const FAILURE_TTL_MS = 60_000;

/**
 * Server and channel names read through Discord's REST API with the bot token (GET /guilds/{id},
 * GET /channels/{id}; the sandbox's stand-in answers both) and cached, so the page shows "Lantern
 * Community" and "#digest" instead of snowflakes without a request per refresh.
 */
export class DiscordNames implements NameLookup {
  readonly #rest: Pick<REST, 'get'>;
  readonly #now: () => number;
  readonly #cache = new Map<
    string,
    { name: string | undefined; until: number; pending?: Promise<string | undefined> }
  >();

  constructor(options: { rest: Pick<REST, 'get'>; now?: () => number }) {
    this.#rest = options.rest;
    this.#now = options.now ?? Date.now;
  }

  guildName(guildId: string): Promise<string | undefined> {
    return this.#lookup(`guild:${guildId}`, Routes.guild(guildId));
  }

  channelName(channelId: string): Promise<string | undefined> {
    return this.#lookup(`channel:${channelId}`, Routes.channel(channelId));
  }

  #lookup(key: string, route: `/${string}`): Promise<string | undefined> {
    const cached = this.#cache.get(key);
    if (cached?.pending) return cached.pending;
    if (cached && cached.until > this.#now()) return Promise.resolve(cached.name);
    const pending = (this.#rest.get(route) as Promise<{ name?: unknown }>).then(
      (body) => {
        const name = typeof body?.name === 'string' && body.name !== '' ? body.name : undefined;
        this.#cache.set(key, { name, until: this.#now() + NAME_TTL_MS });
        return name;
      },
      () => {
        // A name is cosmetic: the page falls back to the id and asks again a minute later.
        this.#cache.set(key, { name: undefined, until: this.#now() + FAILURE_TTL_MS });
        return undefined;
      },
    );
    this.#cache.set(key, { name: cached?.name, until: 0, pending });
    return pending;
  }
}
