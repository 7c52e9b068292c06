import { DiscordAPIError, type REST } from '@discordjs/rest';
import {
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIChannelMessageResult,
  type RESTPostAPIWebhookWithTokenWaitResult,
  Routes,
} from 'discord-api-types/v10';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { DeliveryError } from '../errors.ts';
import { toDeliveryError } from './rest-errors.ts';

/** "Cannot send a message in a forum channel". */
const FORUM_MESSAGE_CODE = 40058;

/** Posts messages, opens DMs and answers interactions through Discord's REST API; failures are DeliveryErrors. */
export class DiscordRestPoster implements DiscordPoster {
  readonly #rest: REST;

  constructor(options: { rest: REST }) {
    this.#rest = options.rest;
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

  /** Deletes the reply of an interaction (its "thinking…" included). */
  async deleteOriginalResponse(applicationId: string, token: string): Promise<void> {
    await this.#deliver('deleting the interaction reply', token, () =>
      this.#rest.delete(Routes.webhookMessage(applicationId, token, '@original'), { auth: false }),
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

  /** Runs one send, turning its failure into a DeliveryError that names what was being sent. */
  async #deliver(what: string, secret: string | undefined, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw toDeliveryError(what, error, secret);
    }
  }
}
