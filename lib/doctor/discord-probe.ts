import { DiscordAPIError, HTTPError, type REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import * as z from 'zod';
import {
  ChannelJson,
  type ChannelLike,
  GuildJson,
  SnowflakeJson,
  toChannelLike,
  toGuildLike,
} from '../discord/guild-reads.ts';
import type { GuildLike, GuildMemberLike } from '../discord/permissions.ts';
import { type DiscordApplication, type DiscordProbe, ProbeError } from './ports.ts';

const UserJson = z.object({ id: SnowflakeJson, username: z.string(), bot: z.boolean().optional() });
const ApplicationJson = z.object({
  id: SnowflakeJson,
  verify_key: z.string(),
  interactions_endpoint_url: z.string().nullish(),
  flags: z.number().int().optional(),
});
const MemberJson = z.object({
  roles: z.array(SnowflakeJson),
  communication_disabled_until: z.string().nullish(),
});

/** `DiscordProbe` over the process's @discordjs/rest client (the bot token set on it). */
export class RestDiscordProbe implements DiscordProbe {
  readonly #rest: REST;

  constructor(options: { rest: REST }) {
    this.#rest = options.rest;
  }

  async currentUser(): Promise<{ id: string; username: string; bot: boolean }> {
    const user = parse(UserJson, await this.#get(Routes.user('@me')), 'user');
    return { id: user.id, username: user.username, bot: user.bot === true };
  }

  async application(): Promise<DiscordApplication> {
    const app = parse(ApplicationJson, await this.#get(Routes.currentApplication()), 'application');
    return {
      id: app.id,
      verifyKey: app.verify_key,
      interactionsEndpointUrl: app.interactions_endpoint_url ?? null,
      flags: app.flags ?? 0,
    };
  }

  async commands(applicationId: string, guildId?: string): Promise<unknown[]> {
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    return parse(z.array(z.unknown()), await this.#get(route), 'command list');
  }

  async channel(channelId: string): Promise<ChannelLike> {
    return toChannelLike(parse(ChannelJson, await this.#get(Routes.channel(channelId)), 'channel'));
  }

  async guild(guildId: string): Promise<GuildLike> {
    return toGuildLike(parse(GuildJson, await this.#get(Routes.guild(guildId)), 'server'));
  }

  async member(guildId: string, userId: string): Promise<GuildMemberLike> {
    const member = parse(MemberJson, await this.#get(Routes.guildMember(guildId, userId)), 'member');
    return {
      userId,
      roles: member.roles,
      communicationDisabledUntil: member.communication_disabled_until ?? null,
    };
  }

  async #get(route: `/${string}`): Promise<unknown> {
    try {
      return await this.#rest.get(route);
    } catch (error) {
      throw probeErrorOf(error);
    }
  }
}

/** Discord's answer as a ProbeError: its status and message (@discordjs/rest never puts the token in them). */
function probeErrorOf(error: unknown): ProbeError {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const kind =
      error.status === 401
        ? 'unauthorized'
        : error.status === 403
          ? 'forbidden'
          : error.status === 404
            ? 'not_found'
            : 'other';
    return new ProbeError(kind, `Discord answered ${error.status} (${error.message})`, { cause: error });
  }
  return new ProbeError(
    'unreachable',
    `Discord did not answer (${error instanceof Error ? error.message : String(error)})`,
    {
      cause: error,
    },
  );
}

function parse<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(json);
  if (!result.success) throw new ProbeError('other', `Discord answered with an unexpected ${what}`);
  return result.data;
}
