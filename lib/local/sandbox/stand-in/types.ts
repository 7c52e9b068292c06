import type {
  APIAttachment,
  APIEmbed,
  APIMessage,
  APIOverwrite,
  APIThreadMetadata,
  ChannelType,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';

// The Discord stand-in's public shapes: what tests and the sandbox hand it and read back.

export interface StandInUser {
  id: string;
  username: string;
  global_name?: string | null;
  bot?: boolean;
}

export interface StandInChannel {
  id: string;
  guildId: string;
  name: string;
  type: ChannelType;
  /** The parent text channel of a thread. */
  parentId?: string;
  threadMetadata?: APIThreadMetadata;
  /** Who started a thread (threads the bot starts are its own). */
  ownerId?: string;
  /** Channel flags, e.g. a forum's REQUIRE_TAG (1 << 4). */
  flags?: number;
  /** A forum or media channel's tags (`available_tags`). */
  availableTags?: { id: string; name: string }[];
  /** The tags a forum post was created with (`applied_tags`). */
  appliedTags?: string[];
  /** Role (type 0) and member (type 1) overwrites; threads have none (they inherit the parent's). */
  permissionOverwrites: APIOverwrite[];
  /** A DM channel's recipient. */
  recipientId?: string;
}

export interface StandInGuild {
  id: string;
  name: string;
  /** The owner has every permission (Discord's compute_base_permissions). */
  ownerId?: string;
}

/** A guild role; the @everyone role has the guild's id. */
export interface StandInRole {
  id: string;
  name?: string;
  /** Permission bits. */
  permissions: bigint;
}

export interface AddChannelInput {
  id?: string;
  guildId: string;
  name: string;
  /** Default GuildText; PublicThread/PrivateThread/AnnouncementThread need `parentId`. */
  type?: ChannelType;
  parentId?: string;
  /** For threads: defaults to an active (not archived) thread created now. */
  threadMetadata?: Partial<APIThreadMetadata>;
  permissionOverwrites?: APIOverwrite[];
  /** Channel flags, e.g. a forum's REQUIRE_TAG (1 << 4). */
  flags?: number;
  /** A forum or media channel's tags (`available_tags`). */
  availableTags?: { id: string; name: string }[];
  /** Who started a thread (the bot's own digest threads, when the sandbox restores them). */
  ownerId?: string;
}

export interface AddMessageInput {
  channelId: string;
  author: StandInUser;
  content: string;
  /** Creation time; also fixes the id, so messages sort by time. Default: the stand-in's clock. */
  timestamp?: Date | string;
  type?: MessageType;
  attachments?: { filename: string; url?: string; size?: number }[];
  embeds?: APIEmbed[];
  /** Emoji name and count, e.g. `[{ emoji: '👍', count: 3 }]`. */
  reactions?: { emoji: string; count: number }[];
  mentions?: StandInUser[];
  /** Makes the message a Discord reply to this message id (type Reply with a message reference). */
  replyTo?: string;
  poll?: APIMessage['poll'];
  stickerIds?: string[];
}

/** One request the stand-in answered; `path` is as sent (percent-encoded), without the `/api/v10` prefix. */
export interface StandInRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  time: Date;
  status: number;
}

export type InjectedResponse =
  | { status: 429; retryAfter: number; global?: boolean }
  | { status: 500 | 502 | 503 }
  /** A Discord JSON error, e.g. a channel deleted between two calls (404, 10003). */
  | { status: 400 | 403 | 404; code: RESTJSONErrorCodes; message: string }
  /** Accept the request and never answer (until `close()`), to exercise client timeouts. */
  | { status: 'no_response' }
  /** Close the connection without an answer, as a server closing a kept-alive socket does. */
  | { status: 'close_connection' };

export interface InteractionResponseRecord {
  kind: 'edit_original' | 'delete_original' | 'follow_up';
  body: unknown;
  messageId: string;
  time: Date;
}

/** A DM channel of the bot: its id and the member it writes to. */
export interface StandInDmChannel {
  id: string;
  recipientId: string;
}

export interface DiscordStandInOptions {
  port?: number;
  host?: '127.0.0.1';
  botUserId?: string;
  applicationId?: string;
  /** When set, only `Authorization: Bot <botToken>` is accepted; otherwise any bot token is. */
  botToken?: string;
  /** Whether the app has the MESSAGE_CONTENT intent (default true). */
  messageContentIntent?: boolean;
  /** The application's public key (`verify_key`, 64 hex digits) that `GET /applications/@me` reports. */
  publicKey?: string;
  /** The application's Interactions Endpoint URL as the Developer Portal holds it (default none). */
  interactionsEndpointUrl?: string;
  /** Per-bucket limit reported in X-RateLimit-* headers and enforced with 429 (default 50 per 1000 ms). */
  rateLimit?: { limit: number; windowMs: number };
  /** Clock for messages the bot posts (the sandbox passes its own). */
  now?: () => Date;
  /** Told of each API request before it is answered (the sandbox places its sample conversation then). */
  onRequest?: () => void;
}

export interface DiscordStandIn {
  /** Pass to `new REST({ api })`; @discordjs/rest appends `/v10`. */
  readonly apiUrl: string;
  readonly port: number;
  readonly botUser: StandInUser;
  readonly applicationId: string;
  /** Every request answered, oldest first (live array). */
  readonly requests: StandInRequest[];
  close(): Promise<void>;
  /** A guild with an @everyone role that may view, read and post (change it with `setRole`). */
  addGuild(guild: StandInGuild): void;
  /** Adds or replaces a role of the guild (the guild's own id is @everyone). */
  setRole(guildId: string, role: StandInRole): void;
  /** Replaces a channel's permission overwrites. */
  setPermissionOverwrites(channelId: string, overwrites: APIOverwrite[]): void;
  addChannel(channel: AddChannelInput): StandInChannel;
  addMessage(message: AddMessageInput): APIMessage;
  findChannelByName(guildId: string, name: string): StandInChannel | undefined;
  /** The threads (and forum posts) under a channel, oldest first. */
  threadsOf(parentId: string): StandInChannel[];
  /** All stored messages of a channel, oldest first, unredacted. */
  messages(channelId: string): APIMessage[];
  /** What the bot posted to the channel through `POST /channels/{id}/messages`, in order. */
  postedMessages(channelId: string): APIMessage[];
  /** Edits and deletions of `@original` and follow-ups received for an interaction token, in order. */
  interactionResponses(token: string): InteractionResponseRecord[];
  /**
   * Posts edits and follow-ups of this interaction into the channel as well (as Discord shows them); with
   * `original`, the interaction's first reply is posted now, as Discord does for a public reply.
   */
  registerInteraction(interaction: {
    token: string;
    channelId: string;
    original?: { content?: string; embeds?: APIEmbed[] };
  }): void;
  /**
   * Keeps a file as Discord keeps one a member attached to a command, and returns the attachment the
   * interaction carries: its `url` (under `attachmentsOrigin`) serves the bytes, as Discord's CDN does.
   */
  addAttachment(file: { filename: string; content: Uint8Array; contentType?: string }): APIAttachment;
  /** `http://127.0.0.1:<port>`: where attachment URLs point (Discord: https://cdn.discordapp.com). */
  readonly attachmentsOrigin: string;
  /** Later webhook calls with this token get 404 Unknown Webhook, as after Discord's 15 minutes. */
  expireInteraction(token: string): void;
  /** Every `/channels/{id}/...` route answers 403 Missing Access (50001). */
  forbid(channelId: string): void;
  /**
   * The next requests matching `route` get these responses, one each, before normal service resumes.
   * A string matches the path exactly (`/channels/1/messages`) or `METHOD path`; a RegExp is tested against
   * `METHOD path`.
   */
  failNext(route: string | RegExp, responses: InjectedResponse[]): void;
  /** Drops every injected response not yet served: normal service from now on. */
  clearFaults(): void;
  setMessageContentIntent(enabled: boolean): void;
  /** What the Developer Portal's Interactions Endpoint URL holds (null: none). */
  setInteractionsEndpointUrl(url: string | null): void;
  /** The bot's roles in a guild (default none but @everyone), as `GET /guilds/{id}/members/{bot}` lists them. */
  setBotRoles(guildId: string, roleIds: string[]): void;
  /** Makes `user` a member of the guild with these roles (`GET /guilds/{id}/members/{user}` answers it). */
  setMember(guildId: string, user: StandInUser, roleIds?: string[]): void;
  /** The user leaves the guild: `GET /guilds/{id}/members/{user}` answers 404 Unknown Member (10007). */
  removeMember(guildId: string, userId: string): void;
  /** The user accepts no DMs (or accepts them again): a post to their DM channel gets 403, code 50007. */
  setDmsClosed(userId: string, closed: boolean): void;
  /** What the bot sent the user by DM (`POST /users/@me/channels`, then posts to that channel), in order. */
  directMessages(userId: string): APIMessage[];
  /** The commands registered globally, or in one guild, as Discord keeps them after a bulk overwrite. */
  registeredCommands(guildId?: string): unknown[];
  /** Registers commands as `PUT /applications/{id}/commands` would, without a request (the sandbox's app). */
  setCommands(commands: readonly object[], guildId?: string): void;
  clearRequests(): void;
  /** Grows with every message stored or edited: a saver writes the history only when it changed. */
  readonly revision: number;
  /** Every channel's messages, oldest first, as they are stored (for saving the sandbox's history). */
  snapshotMessages(): Record<string, APIMessage[]>;
  /** The threads and forum posts the bot started (its digest threads), for saving the sandbox's history. */
  snapshotThreads(): StandInChannel[];
  /** The bot's DM channels (one per member it wrote to), for saving the sandbox's history. */
  snapshotDirectMessageChannels(): StandInDmChannel[];
  /** Puts a saved DM channel back with its id, before its messages are restored. */
  restoreDirectMessageChannel(channel: StandInDmChannel): void;
  /**
   * Puts saved messages back (channels must exist): history, and what the bot posted, as before a restart.
   * Ids already present are skipped.
   */
  restoreMessages(saved: Record<string, APIMessage[]>): number;
}
