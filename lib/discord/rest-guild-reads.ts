import { Routes } from 'discord-api-types/v10';
import { DiscordAccessError } from '../errors.ts';
import {
  channelFromJson,
  channelsFromJson,
  type GuildReads,
  guildFromJson,
  memberFromJson,
  threadsFromJson,
} from './guild-reads.ts';
import type { ChannelGet } from './rest-get.ts';

/**
 * How stale the roles and overwrites a run's audience rule reads may be. Short against how fast people change
 * permissions, long enough that runs due in the same minute share one lookup of their server.
 */
const AUDIENCE_READ_TTL_MS = 10_000;
/** Past this many remembered answers, the expired ones are dropped. */
const MAX_RECENT_ANSWERS = 1_000;

/** Guild and channel lookups for the audience rule over REST, each answer remembered for a few seconds. */
export class RecentGuildReads {
  readonly #get: ChannelGet;
  readonly #recentAnswers = new Map<string, { at: number; answer: Promise<unknown> }>();

  constructor(get: ChannelGet) {
    this.#get = get;
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
}
