import type {
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';

/** Posts to Discord: channel messages, interaction follow-ups. Throws DeliveryError. */
export interface DiscordPoster {
  /** Returns the created message's id. */
  postMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody): Promise<{ id: string }>;
  /** Edits the deferred reply of an interaction (`PATCH /webhooks/{app}/{token}/messages/@original`). */
  editOriginalResponse(
    applicationId: string,
    token: string,
    body: RESTPatchAPIWebhookWithTokenMessageJSONBody,
  ): Promise<void>;
  /** Opens (or finds) the bot's direct-message channel with a user (`POST /users/@me/channels`). */
  openDirectMessage(userId: string): Promise<{ channelId: string }>;
  /** Sends a follow-up message to an interaction (`POST /webhooks/{app}/{token}`). */
  followUp(
    applicationId: string,
    token: string,
    body: RESTPostAPIChannelMessageJSONBody,
  ): Promise<{ id: string }>;
}
