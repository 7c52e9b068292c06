import { DiscordAPIError, HTTPError, type REST } from '@discordjs/rest';
import { DiscordAccessError, ExternalServiceError } from '../errors.ts';

/** A GET on Discord's REST API about one channel (or its server), failing with errors that name the channel. */
export type ChannelGet = (
  channelId: string,
  route: `/${string}`,
  query?: Record<string, string | number>,
) => Promise<unknown>;

/** GETs through `rest`, mapping 403/404 to DiscordAccessError; other failures propagate unchanged. */
export function channelGet(rest: REST): ChannelGet {
  return async (channelId, route, query) => {
    try {
      return await rest.get(route, query ? { query: toSearchParams(query) } : {});
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
  };
}

function toSearchParams(query: Record<string, string | number>): URLSearchParams {
  return new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
}
