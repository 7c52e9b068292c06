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
 * Guild and channel lookups for the audience rule over REST. Each `guildReads()` serves one look of one run
 * (its plan, or its subscribers' check): it asks Discord once per route and keeps the answer for that look
 * only, so a run sees the roles and overwrites as they are when it starts, whatever an admin changed
 * before, and however little time (real or the sandbox's) passed since the last run. Runs share only a
 * request still in flight: a thousand runs of one server starting in the same moment wait on one
 * `GET /guilds/{id}` instead of queueing a thousand in that route's rate-limit bucket, and none of them is
 * given an answer older than one request's round trip.
 */
export class RunGuildReads {
  readonly #get: ChannelGet;
  /** Requests sent and not yet answered, by route: what a run starting now may share. */
  readonly #inFlight = new Map<string, Promise<unknown>>();

  constructor(get: ChannelGet) {
    this.#get = get;
  }

  /** Lookups of a guild and its channels for one run's audience rule, through this client's rate limits. */
  guildReads(): GuildReads {
    // This run's answers: its plan reads a guild's channels more than once and must see one state of them.
    const answers = new Map<string, Promise<unknown>>();
    const read = (subject: string, route: `/${string}`): Promise<unknown> => {
      const known = answers.get(route);
      if (known) return known;
      const answer = this.#shared(subject, route);
      answers.set(route, answer);
      // A failure is not kept: the run's retry of the lookup asks again.
      answer.catch(() => answers.delete(route));
      return answer;
    };
    return {
      guild: async (guildId) => guildFromJson(await read(guildId, Routes.guild(guildId))),
      channel: async (channelId) => {
        try {
          return channelFromJson(await read(channelId, Routes.channel(channelId)));
        } catch (error) {
          if (error instanceof DiscordAccessError && error.reason === 'not_found') return undefined;
          throw error;
        }
      },
      // A subscriber's roles at this run (a member who left answers 404 Unknown Member: undefined).
      member: async (guildId, userId) => {
        try {
          return memberFromJson(userId, await read(guildId, Routes.guildMember(guildId, userId)));
        } catch (error) {
          if (error instanceof DiscordAccessError && error.reason === 'not_found') return undefined;
          throw error;
        }
      },
      // A category or whole-server task lists the server's channels and active threads at each run.
      channels: async (guildId) => channelsFromJson(await read(guildId, Routes.guildChannels(guildId))),
      activeThreads: async (guildId) =>
        threadsFromJson(await read(guildId, Routes.guildActiveThreads(guildId)), guildId),
    };
  }

  /** The GET of `route` in flight, or a new one; forgotten once answered (or failed). */
  #shared(subject: string, route: `/${string}`): Promise<unknown> {
    const pending = this.#inFlight.get(route);
    if (pending) return pending;
    const answer = this.#get(subject, route);
    this.#inFlight.set(route, answer);
    const forget = () => {
      if (this.#inFlight.get(route) === answer) this.#inFlight.delete(route);
    };
    answer.then(forget, forget);
    return answer;
  }
}
