import type {
  RESTPatchAPIWebhookWithTokenMessageJSONBody,
  RESTPostAPIChannelMessageJSONBody,
  RESTPostAPIChannelThreadsJSONBody,
  RESTPostAPIGuildForumThreadsJSONBody,
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

/** What a thread destination reads of the channel it starts threads in. */
export interface ThreadParent {
  /** Discord's channel type (GUILD_TEXT 0, GUILD_ANNOUNCEMENT 5, GUILD_FORUM 15, GUILD_MEDIA 16, threads 10-12). */
  type: number;
  /** A forum or media channel's REQUIRE_TAG flag: Discord refuses a post there without a tag (code 40067). */
  requiresTag: boolean;
  /** A forum or media channel's tags (`available_tags`); empty for other channels. */
  tags: { id: string; name: string }[];
}

/**
 * Starts the threads and forum posts of `thread:true` Discord destinations (Discord REST). Throws
 * DeliveryError (with `transient`), DiscordAccessError for a channel the bot cannot see.
 */
export interface DiscordThreadPoster {
  /** `GET /channels/{id}`: the kind of channel a thread is started in. */
  threadParent(channelId: string): Promise<ThreadParent>;
  /**
   * An active thread under `parentId` named `name` that the bot itself started, if any: what a retried
   * delivery continues in instead of starting a second thread (a thread create carries no nonce).
   */
  findOwnThread(guildId: string, parentId: string, name: string): Promise<{ id: string } | undefined>;
  /** Start Thread without Message (`POST /channels/{id}/threads`): a public or announcement thread. */
  startThread(channelId: string, body: RESTPostAPIChannelThreadsJSONBody): Promise<{ id: string }>;
  /** Start Thread in Forum or Media Channel (the same route, with the first `message`). */
  startForumPost(channelId: string, body: RESTPostAPIGuildForumThreadsJSONBody): Promise<{ id: string }>;
}
