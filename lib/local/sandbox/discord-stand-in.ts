import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIAttachment,
  type APIEmbed,
  type APIMessage,
  type APIOverwrite,
  type APIReaction,
  type APIRole,
  type APIThreadMetadata,
  type APIUser,
  ApplicationFlags,
  ChannelType,
  MessageReferenceType,
  MessageType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  StickerFormatType,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { isSnowflake, snowflakeFromTime, timeFromSnowflake } from '../../shared/snowflake.ts';
import { findMessageViolations, toDiscordErrorTree } from './message-limits.ts';

/**
 * A loopback HTTP server that speaks the part of Discord's REST API (v10) the bot uses, with Discord's paging,
 * limits, error shapes and rate-limit headers. The tests of every part and the local sandbox (`npm start`
 * without credentials) point `@discordjs/rest` at `apiUrl`. State lives in memory.
 */

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
  /** Role (type 0) and member (type 1) overwrites; threads have none (they inherit the parent's). */
  permissionOverwrites: APIOverwrite[];
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
  | { status: 'no_response' };

export interface InteractionResponseRecord {
  kind: 'edit_original' | 'follow_up';
  body: unknown;
  messageId: string;
  time: Date;
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
  /** All stored messages of a channel, oldest first, unredacted. */
  messages(channelId: string): APIMessage[];
  /** What the bot posted to the channel through `POST /channels/{id}/messages`, in order. */
  postedMessages(channelId: string): APIMessage[];
  /** Edits of `@original` and follow-ups received for an interaction token, in order. */
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
  /** The commands registered globally, or in one guild, as Discord keeps them after a bulk overwrite. */
  registeredCommands(guildId?: string): unknown[];
  /** Registers commands as `PUT /applications/{id}/commands` would, without a request (the sandbox's app). */
  setCommands(commands: readonly object[], guildId?: string): void;
  clearRequests(): void;
  /** Grows with every message stored or edited: a saver writes the history only when it changed. */
  readonly revision: number;
  /** Every channel's messages, oldest first, as they are stored (for saving the sandbox's history). */
  snapshotMessages(): Record<string, APIMessage[]>;
  /**
   * Puts saved messages back (channels must exist): history, and what the bot posted, as before a restart.
   * Ids already present are skipped.
   */
  restoreMessages(saved: Record<string, APIMessage[]>): number;
}

interface ApiError {
  status: number;
  body: { message: string; code: number; errors?: Record<string, unknown> };
}

const apiError = (status: number, code: number, message: string, errors?: Record<string, unknown>) => ({
  status,
  body: errors ? { message, code, errors } : { message, code },
});

const NOT_FOUND = apiError(404, RESTJSONErrorCodes.GeneralError, '404: Not Found');
const METHOD_NOT_ALLOWED = apiError(405, RESTJSONErrorCodes.GeneralError, '405: Method Not Allowed');
const UNAUTHORIZED = apiError(401, RESTJSONErrorCodes.GeneralError, '401: Unauthorized');
const MISSING_ACCESS = apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
const UNKNOWN_CHANNEL = apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
const UNKNOWN_GUILD = apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
const UNKNOWN_MEMBER = apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
const UNKNOWN_APPLICATION = apiError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
/** A fixed, well-formed public key for tests that do not sign with their own. */
const DEFAULT_PUBLIC_KEY = '5b'.repeat(32);
/** A guild made without an owner is owned by this user, who is nobody else in the tests. */
const DEFAULT_OWNER_ID = '1100000000000000999';
/** What @everyone may do in a new stand-in guild unless a test says otherwise. */
const DEFAULT_EVERYONE = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AddReactions,
].reduce((all, flag) => all | flag, 0n);
const UNKNOWN_WEBHOOK = apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
const EMPTY_MESSAGE = apiError(
  400,
  RESTJSONErrorCodes.CannotSendAnEmptyMessage,
  'Cannot send an empty message',
);

function invalidForm(errors: Record<string, unknown>): ApiError {
  return apiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', errors);
}

function fieldError(field: string, code: string, message: string): ApiError {
  return invalidForm({ [field]: { _errors: [{ code, message }] } });
}

const THREAD_TYPES = new Set<ChannelType>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);
const PUBLIC_THREAD_TYPES = new Set<ChannelType>([ChannelType.PublicThread, ChannelType.AnnouncementThread]);

/** How long Discord remembers an enforced nonce ("the past few minutes"). */
const NONCE_MEMORY_MS = 5 * 60_000;
const MAX_BODY_BYTES = 8 * 1024 * 1024;
const API_PREFIX = '/api/v10';

/** A malformed escape is left as is; it then matches no route and gets Discord's 404. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

type MentionKind = 'users' | 'roles' | 'everyone';

interface AllowedMentionsInput {
  parse?: MentionKind[];
  users?: string[];
  roles?: string[];
}

/** Discord's default when `allowed_mentions` is absent (FACTS B4): regular messages parse everything. */
const MESSAGE_DEFAULT_PARSE: MentionKind[] = ['users', 'roles', 'everyone'];
/** Interactions and webhooks default to `{ parse: ['users'] }` (FACTS B4). */
const WEBHOOK_DEFAULT_PARSE: MentionKind[] = ['users'];

/**
 * Which mentions of `content` ping, as Discord decides: only the content is parsed (mentions inside embeds
 * render but never ping), and `allowed_mentions` (or the default) filters what is parsed. The bot is treated
 * as having MENTION_EVERYONE, so `@everyone` and `@here` ping whenever "everyone" is allowed.
 */
export function resolveMentions(
  content: string,
  allowed: AllowedMentionsInput | undefined,
  defaultParse: readonly MentionKind[],
): { everyone: boolean; userIds: string[]; roleIds: string[] } {
  const parse = allowed ? (allowed.parse ?? []) : defaultParse;
  const userIds = [...new Set([...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]!))];
  const roleIds = [...new Set([...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1]!))];
  const pick = (kind: 'users' | 'roles', ids: string[]) => {
    if (parse.includes(kind)) return ids;
    const listed = allowed?.[kind];
    // "the API will silently ignore entities whose id are present in the allowed_mentions field, but not in
    // the content" (FACTS B4).
    return listed ? ids.filter((id) => listed.includes(id)) : [];
  };
  return {
    everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
    userIds: pick('users', userIds),
    roleIds: pick('roles', roleIds),
  };
}

/** A role object as Discord returns it (permissions as a decimal string). */
function roleJson(guildId: string, role: StandInRole): APIRole {
  const everyone = role.id === guildId;
  return {
    id: role.id,
    name: role.name ?? (everyone ? '@everyone' : `role-${role.id}`),
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    position: everyone ? 0 : 1,
    permissions: role.permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as APIRole['flags'],
  };
}

function apiUser(user: StandInUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.global_name ?? null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/** Starts the stand-in on loopback (an ephemeral port unless `port` is given). */
export async function startDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? '127.0.0.1';
  const botUser: StandInUser = {
    id: options.botUserId ?? '1100000000000000001',
    username: 'summary-bot',
    global_name: 'Summary Bot',
    bot: true,
  };
  const applicationId = options.applicationId ?? botUser.id;
  const rateLimit = options.rateLimit ?? { limit: 50, windowMs: 1000 };
  let messageContentIntent = options.messageContentIntent ?? true;
  let interactionsEndpointUrl: string | null = options.interactionsEndpointUrl ?? null;
  const publicKey = options.publicKey ?? DEFAULT_PUBLIC_KEY;
  /** `global` or a guild id → the commands of the last bulk overwrite there. */
  const commandSets = new Map<string, unknown[]>();
  /** `<guildId>` → the bot's role ids there. */
  const botRoles = new Map<string, string[]>();

  const guilds = new Map<
    string,
    { id: string; name: string; ownerId: string; roles: Map<string, APIRole> }
  >();
  const ensureGuild = (guild: StandInGuild) => {
    const existing = guilds.get(guild.id);
    const roles =
      existing?.roles ??
      new Map([[guild.id, roleJson(guild.id, { id: guild.id, permissions: DEFAULT_EVERYONE })]]);
    guilds.set(guild.id, {
      id: guild.id,
      name: guild.name,
      ownerId: guild.ownerId ?? existing?.ownerId ?? DEFAULT_OWNER_ID,
      roles,
    });
  };
  const guildJson = (guild: { id: string; name: string; ownerId: string; roles: Map<string, APIRole> }) => ({
    id: guild.id,
    name: guild.name,
    owner_id: guild.ownerId,
    roles: [...guild.roles.values()],
  });
  const channels = new Map<string, StandInChannel & { lastMessageId?: string; messageCount: number }>();
  const messagesByChannel = new Map<string, APIMessage[]>();
  /** Recipient user id → DM channel id. */
  const dmChannels = new Map<string, string>();
  const posted = new Map<string, APIMessage[]>();
  const interactions = new Map<string, InteractionResponseRecord[]>();
  const interactionChannels = new Map<string, string>();
  const originalIds = new Map<string, string>();
  const expired = new Set<string>();
  const forbidden = new Set<string>();
  const nonces = new Map<string, { messageId: string; channelId: string; at: number }>();
  const faults: { route: string | RegExp; responses: InjectedResponse[] }[] = [];
  const buckets = new Map<string, { windowStart: number; count: number }>();
  const usedIds = new Set<string>();
  let revision = 0;
  const requests: StandInRequest[] = [];
  const attachments = new Map<string, { filename: string; content: Uint8Array; contentType: string }>();
  const knownUsers = new Map<string, StandInUser>([[botUser.id, botUser]]);
  const rememberUser = (user: StandInUser) => {
    if (!knownUsers.has(user.id)) knownUsers.set(user.id, user);
  };

  /** The `mention_everyone`, `mentions` and `mention_roles` Discord would return for a message the bot sends. */
  function mentionFields(
    body: unknown,
    defaultParse: readonly MentionKind[],
  ): Pick<APIMessage, 'mention_everyone' | 'mentions' | 'mention_roles'> {
    const input = body as { content?: string | null; allowed_mentions?: AllowedMentionsInput };
    const resolved = resolveMentions(input.content ?? '', input.allowed_mentions, defaultParse);
    return {
      mention_everyone: resolved.everyone,
      mentions: resolved.userIds.map((id) => apiUser(knownUsers.get(id) ?? { id, username: `user-${id}` })),
      mention_roles: resolved.roleIds,
    };
  }

  function nextId(at: Date): string {
    const base = BigInt(snowflakeFromTime(at));
    for (let increment = 0n; increment < 4096n; increment++) {
      const id = (base | increment).toString();
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
    throw new RangeError(`More than 4096 ids in the millisecond ${at.toISOString()}`);
  }

  function channelJson(channel: StandInChannel & { lastMessageId?: string; messageCount: number }) {
    return {
      id: channel.id,
      type: channel.type,
      guild_id: channel.guildId,
      name: channel.name,
      last_message_id: channel.lastMessageId ?? null,
      ...(channel.parentId ? { parent_id: channel.parentId } : {}),
      ...(THREAD_TYPES.has(channel.type) ? {} : { permission_overwrites: channel.permissionOverwrites }),
      ...(channel.threadMetadata
        ? {
            thread_metadata: channel.threadMetadata,
            message_count: channel.messageCount,
            member_count: 1,
            total_message_sent: channel.messageCount,
          }
        : {}),
    };
  }

  function store(message: APIMessage): APIMessage {
    revision++;
    usedIds.add(message.id);
    const list = messagesByChannel.get(message.channel_id) ?? [];
    const id = BigInt(message.id);
    let at = list.length;
    while (at > 0 && BigInt(list[at - 1]!.id) > id) at--;
    list.splice(at, 0, message);
    messagesByChannel.set(message.channel_id, list);
    const channel = channels.get(message.channel_id);
    if (channel) {
      channel.messageCount++;
      const newest = list[list.length - 1]!;
      channel.lastMessageId = newest.id;
    }
    return message;
  }

  function buildMessage(
    channelId: string,
    author: StandInUser,
    time: Date,
    fields: Partial<APIMessage>,
  ): APIMessage {
    return {
      id: nextId(time),
      channel_id: channelId,
      author: apiUser(author),
      content: '',
      timestamp: time.toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: MessageType.Default,
      ...fields,
    };
  }

  /** What Discord shows an app without MESSAGE_CONTENT (FACTS B5): its own and mentioning messages stay. */
  function visible(message: APIMessage): APIMessage {
    if (messageContentIntent) return message;
    if (message.author.id === botUser.id || message.mentions.some((u) => u.id === botUser.id)) return message;
    const { poll: _poll, ...rest } = message;
    return { ...rest, content: '', embeds: [], attachments: [], components: [] };
  }

  // --- route handlers -------------------------------------------------------------------------------

  function readableChannel(channelId: string) {
    if (forbidden.has(channelId)) return { error: MISSING_ACCESS };
    const channel = channels.get(channelId);
    if (!channel) return { error: UNKNOWN_CHANNEL };
    return { channel };
  }

  function getMessages(channelId: string, query: URLSearchParams): { status: number; body: unknown } {
    const { error } = readableChannel(channelId);
    if (error) return error;
    const limitText = query.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return fieldError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 1 and 100.');
    }
    const cursors = (['before', 'after', 'around'] as const).filter((k) => query.has(k));
    if (cursors.length > 1) {
      return invalidForm({
        _errors: [
          {
            code: 'PARAMS_MUTUALLY_EXCLUSIVE',
            message: 'The before, after and around parameters are mutually exclusive.',
          },
        ],
      });
    }
    const cursor = cursors[0];
    const cursorValue = cursor ? query.get(cursor)! : undefined;
    if (cursor && !isSnowflake(cursorValue!)) {
      return fieldError(cursor, 'NUMBER_TYPE_COERCE', `Value "${cursorValue}" is not snowflake.`);
    }
    const all = messagesByChannel.get(channelId) ?? [];
    let page: APIMessage[];
    if (cursor === 'after') {
      // Discord only says results are "newest to oldest" (FACTS B5, open item 9). We return the `limit`
      // messages immediately after the cursor (the oldest ones after it), still ordered newest first, which is
      // what forward paging needs and what Discord is observed to do.
      const pivot = BigInt(cursorValue!);
      page = all.filter((m) => BigInt(m.id) > pivot).slice(0, limit);
    } else if (cursor === 'before') {
      const pivot = BigInt(cursorValue!);
      const older = all.filter((m) => BigInt(m.id) < pivot);
      page = older.slice(Math.max(0, older.length - limit));
    } else if (cursor === 'around') {
      const pivot = BigInt(cursorValue!);
      const index = all.findIndex((m) => BigInt(m.id) >= pivot);
      const centre = index === -1 ? all.length : index;
      const start = Math.max(0, centre - Math.floor(limit / 2));
      page = all.slice(start, start + limit);
    } else {
      page = all.slice(Math.max(0, all.length - limit));
    }
    return { status: 200, body: page.map(visible).reverse() };
  }

  function createMessage(
    channelId: string,
    body: unknown,
    author: StandInUser,
    extra: Partial<APIMessage> = {},
  ): { status: number; body: unknown; message?: APIMessage } {
    const violations = findMessageViolations(body);
    const empty = violations.find((v) => v.code === 'EMPTY_MESSAGE');
    const rest = violations.filter((v) => v.code !== 'EMPTY_MESSAGE');
    if (rest.length > 0) return invalidForm(toDiscordErrorTree(rest));
    if (empty) return EMPTY_MESSAGE;
    const input = body as {
      content?: string | null;
      embeds?: APIEmbed[] | null;
      nonce?: string | number;
      enforce_nonce?: boolean;
      poll?: APIMessage['poll'];
      flags?: number;
    };
    const nonceKey = input.nonce !== undefined ? `${author.id}:${String(input.nonce)}` : undefined;
    const time = now();
    if (nonceKey && input.enforce_nonce) {
      const seen = nonces.get(nonceKey);
      if (seen && time.getTime() - seen.at < NONCE_MEMORY_MS) {
        const existing = (messagesByChannel.get(seen.channelId) ?? []).find((m) => m.id === seen.messageId);
        if (existing) return { status: 200, body: existing, message: existing };
      }
    }
    const message = store(
      buildMessage(channelId, author, time, {
        content: input.content ?? '',
        embeds: input.embeds ?? [],
        ...mentionFields(body, extra.webhook_id ? WEBHOOK_DEFAULT_PARSE : MESSAGE_DEFAULT_PARSE),
        ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
        ...(input.poll ? { poll: input.poll } : {}),
        ...(input.flags !== undefined ? { flags: input.flags } : {}),
        ...extra,
      }),
    );
    if (nonceKey) nonces.set(nonceKey, { messageId: message.id, channelId, at: time.getTime() });
    return { status: 200, body: message, message };
  }

  /** Create DM: one channel per recipient, returned again on later calls, as Discord does. */
  function openDirectMessage(body: unknown) {
    const recipient = (body as { recipient_id?: unknown } | undefined)?.recipient_id;
    if (typeof recipient !== 'string' || !/^\d{17,20}$/.test(recipient)) {
      return fieldError('recipient_id', 'NUMBER_TYPE_COERCE', 'Value is not snowflake.');
    }
    const id = dmChannels.get(recipient) ?? nextId(now());
    if (!channels.has(id)) {
      dmChannels.set(recipient, id);
      channels.set(id, {
        id,
        guildId: '',
        name: `dm-${recipient}`,
        type: ChannelType.DM,
        permissionOverwrites: [],
        messageCount: 0,
      });
    }
    return { status: 200, body: { id, type: ChannelType.DM, recipients: [{ id: recipient }] } };
  }

  function postChannelMessage(channelId: string, body: unknown) {
    const { error, channel } = readableChannel(channelId);
    if (error) return error;
    const result = createMessage(channel.id, body, botUser);
    if (result.message && result.status === 200) {
      const list = posted.get(channelId) ?? [];
      if (!list.some((m) => m.id === result.message!.id)) list.push(result.message);
      posted.set(channelId, list);
    }
    return result;
  }

  function record(token: string, entry: InteractionResponseRecord) {
    const list = interactions.get(token) ?? [];
    list.push(entry);
    interactions.set(token, list);
  }

  function webhookCall(appId: string, token: string, method: string, rest: string, body: unknown) {
    if (appId !== applicationId || expired.has(token)) return UNKNOWN_WEBHOOK;
    const channelId = interactionChannels.get(token) ?? '0';
    const extra = { webhook_id: applicationId, application_id: applicationId };
    if (rest === '/messages/@original' && method === 'PATCH') {
      const violations = findMessageViolations(body, { requireContent: false });
      if (violations.length > 0) return invalidForm(toDiscordErrorTree(violations));
      const update = body as { content?: string | null; embeds?: APIEmbed[] | null };
      const time = now();
      let id = originalIds.get(token);
      let message: APIMessage;
      const existing = id ? (messagesByChannel.get(channelId) ?? []).find((m) => m.id === id) : undefined;
      if (existing) {
        if (update.content !== undefined) existing.content = update.content ?? '';
        if (update.embeds !== undefined) existing.embeds = update.embeds ?? [];
        Object.assign(
          existing,
          mentionFields({ ...update, content: existing.content }, WEBHOOK_DEFAULT_PARSE),
        );
        existing.edited_timestamp = time.toISOString();
        revision++;
        message = existing;
      } else {
        message = buildMessage(channelId, botUser, time, {
          content: update.content ?? '',
          embeds: update.embeds ?? [],
          ...mentionFields(update, WEBHOOK_DEFAULT_PARSE),
          type: MessageType.ChatInputCommand,
          ...extra,
        });
        if (interactionChannels.has(token)) store(message);
        id = message.id;
        originalIds.set(token, id);
      }
      record(token, { kind: 'edit_original', body, messageId: message.id, time });
      return { status: 200, body: message };
    }
    if (rest === '' && method === 'POST') {
      let result: { status: number; body: unknown; message?: APIMessage };
      if (interactionChannels.has(token)) {
        result = createMessage(channelId, body, botUser, extra);
      } else {
        const violations = findMessageViolations(body);
        if (violations.length > 0) {
          return violations.some((v) => v.code !== 'EMPTY_MESSAGE')
            ? invalidForm(toDiscordErrorTree(violations.filter((v) => v.code !== 'EMPTY_MESSAGE')))
            : EMPTY_MESSAGE;
        }
        const input = body as { content?: string | null; embeds?: APIEmbed[] | null };
        const message = buildMessage(channelId, botUser, now(), {
          content: input.content ?? '',
          embeds: input.embeds ?? [],
          ...mentionFields(body, WEBHOOK_DEFAULT_PARSE),
          ...extra,
        });
        result = { status: 200, body: message, message };
      }
      if (result.message) {
        record(token, { kind: 'follow_up', body, messageId: result.message.id, time: now() });
      }
      return result;
    }
    return METHOD_NOT_ALLOWED;
  }

  function activeThreads(guildId: string) {
    if (!guilds.has(guildId)) return UNKNOWN_GUILD;
    const threads = [...channels.values()].filter(
      (c) => c.guildId === guildId && THREAD_TYPES.has(c.type) && !c.threadMetadata?.archived,
    );
    return { status: 200, body: { threads: threads.map(channelJson), members: [] } };
  }

  function archivedPublicThreads(channelId: string, query: URLSearchParams) {
    const { error } = readableChannel(channelId);
    if (error) return error;
    const limitText = query.get('limit');
    const limit = limitText === null ? 50 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 2 || limit > 100) {
      return fieldError('limit', 'NUMBER_TYPE_MAX', 'int value should be between 2 and 100.');
    }
    const beforeText = query.get('before');
    const before = beforeText === null ? Number.POSITIVE_INFINITY : Date.parse(beforeText);
    if (Number.isNaN(before)) {
      return fieldError('before', 'DATE_TYPE_PARSE', `Could not parse ${beforeText}. Should be ISO8601.`);
    }
    const archived = [...channels.values()]
      .filter(
        (c) =>
          c.parentId === channelId &&
          PUBLIC_THREAD_TYPES.has(c.type) &&
          c.threadMetadata?.archived === true &&
          Date.parse(c.threadMetadata.archive_timestamp) < before,
      )
      .sort(
        (a, b) =>
          Date.parse(b.threadMetadata!.archive_timestamp) - Date.parse(a.threadMetadata!.archive_timestamp),
      );
    return {
      status: 200,
      body: {
        threads: archived.slice(0, limit).map(channelJson),
        members: [],
        has_more: archived.length > limit,
      },
    };
  }

  // --- HTTP plumbing ----------------------------------------------------------------------------------

  function takeFault(method: string, path: string): InjectedResponse | undefined {
    const line = `${method} ${path}`;
    for (const fault of faults) {
      const matches =
        typeof fault.route === 'string'
          ? fault.route === path || fault.route === line
          : fault.route.test(line);
      if (matches && fault.responses.length > 0) return fault.responses.shift();
    }
    return undefined;
  }

  /** Discord's bucket is per route and major parameter (channel, guild, webhook). */
  function bucketKey(method: string, path: string): string {
    let major = true;
    const route = path.replace(/\/\d+(?=\/|$)/g, (segment) => {
      if (!major) return '/:id';
      major = false;
      return segment;
    });
    return `${method} ${route}`;
  }

  function rateLimitHeaders(
    method: string,
    path: string,
  ): { headers: Record<string, string>; limited: number } {
    const key = bucketKey(method, path);
    const nowMs = Date.now();
    let bucket = buckets.get(key);
    if (!bucket || nowMs - bucket.windowStart >= rateLimit.windowMs) {
      bucket = { windowStart: nowMs, count: 0 };
      buckets.set(key, bucket);
    }
    bucket.count++;
    const resetAt = bucket.windowStart + rateLimit.windowMs;
    const resetAfter = Math.max(0, resetAt - nowMs) / 1000;
    return {
      headers: {
        'X-RateLimit-Limit': String(rateLimit.limit),
        'X-RateLimit-Remaining': String(Math.max(0, rateLimit.limit - bucket.count)),
        'X-RateLimit-Reset': (resetAt / 1000).toFixed(3),
        'X-RateLimit-Reset-After': resetAfter.toFixed(3),
        'X-RateLimit-Bucket': Buffer.from(key).toString('base64url').slice(0, 32),
      },
      limited: bucket.count > rateLimit.limit ? resetAfter : 0,
    };
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      ...(text ? { 'Content-Type': 'application/json' } : {}),
      'Content-Length': String(Buffer.byteLength(text)),
    });
    res.end(text);
  }

  function tooManyRequests(retryAfter: number, global: boolean) {
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
      headers: {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Scope': global ? 'global' : 'user',
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
    };
  }

  async function readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return { ok: false };
      chunks.push(chunk as Buffer);
    }
    if (size === 0) return { ok: true, value: undefined };
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    if (!isJson) return { ok: false };
    try {
      return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
    } catch {
      // A malformed body is the client's error; Discord answers it with 50035 like any bad form.
      return { ok: false };
    }
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bot ') || header.length <= 4) return false;
    return options.botToken === undefined || header === `Bot ${options.botToken}`;
  }

  /** `GET /applications/@me`: what the Developer Portal holds for the application. */
  function applicationJson() {
    return {
      id: applicationId,
      name: botUser.username,
      verify_key: publicKey,
      bot: apiUser(botUser),
      interactions_endpoint_url: interactionsEndpointUrl,
      flags: messageContentIntent ? ApplicationFlags.GatewayMessageContent : 0,
    };
  }

  /** Global or guild commands: `GET` lists them, `PUT` replaces them all (Discord's bulk overwrite). */
  function applicationCommands(
    appId: string,
    guildId: string | undefined,
    method: string,
    body: unknown,
  ): { status: number; body: unknown } {
    if (appId !== applicationId) return UNKNOWN_APPLICATION;
    if (guildId && !guilds.has(guildId)) return UNKNOWN_GUILD;
    const key = guildId ?? 'global';
    if (method === 'GET') return { status: 200, body: commandSets.get(key) ?? [] };
    if (method !== 'PUT') return METHOD_NOT_ALLOWED;
    if (!Array.isArray(body)) return fieldError('_body', 'LIST_TYPE_CONVERT', 'Must be a list.');
    return { status: 200, body: storeCommands(body, guildId) };
  }

  /** A bulk overwrite: each command as Discord keeps it, with its id, version and defaults. */
  function storeCommands(commands: readonly object[], guildId: string | undefined): unknown[] {
    const stored = commands.map((command) => ({
      type: 1,
      default_member_permissions: null,
      ...command,
      id: nextId(now()),
      application_id: applicationId,
      version: nextId(now()),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    commandSets.set(guildId ?? 'global', stored);
    return stored;
  }

  async function route(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<{ status: number; body: unknown }> {
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
    if (!webhook && !authorized(req)) return UNAUTHORIZED;
    const parsed = method === 'GET' ? { ok: true as const, value: undefined } : await readBody(req);
    if (!parsed.ok) {
      return fieldError('_body', 'CONTENT_TYPE_INVALID', 'Expected a JSON body of at most 8 MB.');
    }
    const body = parsed.value;
    if (webhook) return webhookCall(webhook[1]!, webhook[2]!, method, webhook[3] ?? '', body);

    let m = /^\/channels\/(\d+)$/.exec(path);
    if (m) {
      if (method !== 'GET') return METHOD_NOT_ALLOWED;
      const { error, channel } = readableChannel(m[1]!);
      return error ?? { status: 200, body: channelJson(channel) };
    }
    m = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (m) {
      if (method === 'GET') return getMessages(m[1]!, query);
      if (method === 'POST') return postChannelMessage(m[1]!, body);
      return METHOD_NOT_ALLOWED;
    }
    m = /^\/channels\/(\d+)\/threads\/archived\/public$/.exec(path);
    if (m) return method === 'GET' ? archivedPublicThreads(m[1]!, query) : METHOD_NOT_ALLOWED;
    m = /^\/guilds\/(\d+)\/threads\/active$/.exec(path);
    if (m) return method === 'GET' ? activeThreads(m[1]!) : METHOD_NOT_ALLOWED;
    m = /^\/guilds\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      const guild = guilds.get(m[1]!);
      return guild ? { status: 200, body: guildJson(guild) } : UNKNOWN_GUILD;
    }
    m = /^\/guilds\/(\d+)\/roles$/.exec(path);
    if (m && method === 'GET') {
      const guild = guilds.get(m[1]!);
      return guild ? { status: 200, body: [...guild.roles.values()] } : UNKNOWN_GUILD;
    }
    m = /^\/guilds\/(\d+)\/channels$/.exec(path);
    if (m && method === 'GET') {
      if (!guilds.has(m[1]!)) return UNKNOWN_GUILD;
      const list = [...channels.values()].filter((c) => c.guildId === m![1] && !THREAD_TYPES.has(c.type));
      return { status: 200, body: list.map(channelJson) };
    }
    m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path);
    if (m && method === 'GET') {
      if (!guilds.has(m[1]!)) return UNKNOWN_GUILD;
      if (m[2] !== botUser.id) return UNKNOWN_MEMBER;
      return {
        status: 200,
        body: {
          user: apiUser(botUser),
          roles: botRoles.get(m[1]!) ?? [],
          communication_disabled_until: null,
        },
      };
    }
    if (path === '/applications/@me' && method === 'GET') return { status: 200, body: applicationJson() };
    m = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (m) return applicationCommands(m[1]!, m[2], method, body);
    if (path === '/users/@me' && method === 'GET') return { status: 200, body: apiUser(botUser) };
    if (path === '/users/@me/channels' && method === 'POST') return openDirectMessage(body);
    return NOT_FOUND;
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const method = req.method ?? 'GET';
    // The log and fault matching keep the path as sent, which is what discord-api-types' `Routes` produce
    // (`@original` becomes `%40original`); routing reads the decoded path.
    const rawPath = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    const path = safeDecode(rawPath);
    const entry: StandInRequest = {
      method,
      path: rawPath,
      query: Object.fromEntries(url.searchParams),
      time: new Date(),
      status: 0,
    };
    requests.push(entry);
    const respond = (status: number, body: unknown, headers: Record<string, string>) => {
      entry.status = status;
      send(res, status, body, headers);
    };
    const limits = rateLimitHeaders(method, path);
    const fault = takeFault(method, rawPath);
    if (fault) {
      req.resume();
      if (fault.status === 'no_response') {
        entry.status = 0;
        return;
      }
      if (fault.status === 429) {
        const r = tooManyRequests(fault.retryAfter, fault.global ?? false);
        const headers = fault.global
          ? r.headers
          : {
              ...limits.headers,
              'X-RateLimit-Remaining': '0',
              'X-RateLimit-Reset-After': fault.retryAfter.toFixed(3),
              ...r.headers,
            };
        respond(r.status, r.body, headers);
      } else if ('code' in fault) {
        respond(fault.status, { message: fault.message, code: fault.code }, limits.headers);
      } else {
        respond(
          fault.status,
          { message: `${fault.status}: Server Error`, code: RESTJSONErrorCodes.GeneralError },
          limits.headers,
        );
      }
      return;
    }
    if (limits.limited > 0) {
      req.resume();
      const r = tooManyRequests(limits.limited, false);
      respond(r.status, r.body, { ...limits.headers, ...r.headers });
      return;
    }
    const attachment = /^\/attachments\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if (attachment && method === 'GET') {
      req.resume();
      const file = attachments.get(attachment[1] as string);
      if (!file || encodeURIComponent(file.filename) !== attachment[2]) {
        respond(NOT_FOUND.status, NOT_FOUND.body, {});
        return;
      }
      entry.status = 200;
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': String(file.content.byteLength),
      });
      res.end(file.content);
      return;
    }
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      req.resume();
      respond(NOT_FOUND.status, NOT_FOUND.body, limits.headers);
      return;
    }
    route(req, method, path, url.searchParams).then(
      (result) => respond(result.status, result.body, limits.headers),
      (error: unknown) => {
        respond(500, { message: '500: Internal Server Error', code: 0 }, limits.headers);
        // The stand-in's own bug must be visible in the test output, not only as a 500.
        console.error('Discord stand-in failed on', method, path, error);
      },
    );
  });

  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const standIn: DiscordStandIn = {
    apiUrl: `http://${host}:${port}/api`,
    attachmentsOrigin: `http://${host}:${port}`,
    port,
    botUser,
    applicationId,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
    addGuild(guild) {
      ensureGuild(guild);
    },
    setRole(guildId, role) {
      const guild = guilds.get(guildId);
      if (!guild) throw new Error(`Unknown guild ${guildId}: addGuild first`);
      guild.roles.set(role.id, roleJson(guildId, role));
    },
    setPermissionOverwrites(channelId, overwrites) {
      const channel = channels.get(channelId);
      if (!channel) throw new Error(`Unknown channel ${channelId}: addChannel first`);
      channel.permissionOverwrites = overwrites.map((o) => ({ ...o }));
    },
    addChannel(input) {
      if (!guilds.has(input.guildId)) ensureGuild({ id: input.guildId, name: input.guildId });
      const type = input.type ?? (input.parentId ? ChannelType.PublicThread : ChannelType.GuildText);
      const id = input.id ?? nextId(now());
      const isThread = THREAD_TYPES.has(type);
      if (isThread && !input.parentId) throw new Error(`Thread ${input.name} needs a parentId`);
      const created = timeFromSnowflake(id);
      const channel = {
        id,
        guildId: input.guildId,
        name: input.name,
        type,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        permissionOverwrites: isThread ? [] : (input.permissionOverwrites ?? []).map((o) => ({ ...o })),
        ...(isThread
          ? {
              threadMetadata: {
                archived: false,
                auto_archive_duration: ThreadAutoArchiveDuration.OneDay,
                archive_timestamp: created.toISOString(),
                locked: false,
                create_timestamp: created.toISOString(),
                ...input.threadMetadata,
              },
            }
          : {}),
        messageCount: 0,
      };
      channels.set(id, channel);
      return channel;
    },
    addMessage(input) {
      const channel = channels.get(input.channelId);
      if (!channel) throw new Error(`Unknown channel ${input.channelId}: addChannel first`);
      const time = input.timestamp === undefined ? now() : new Date(input.timestamp);
      rememberUser(input.author);
      for (const user of input.mentions ?? []) rememberUser(user);
      const attachments: APIAttachment[] = (input.attachments ?? []).map((a, i) => {
        const url = a.url ?? `https://cdn.discordapp.com/attachments/${channel.id}/${i}/${a.filename}`;
        return { id: nextId(time), filename: a.filename, size: a.size ?? 0, url, proxy_url: url };
      });
      const reactions: APIReaction[] = (input.reactions ?? []).map((r) => ({
        emoji: { id: null, name: r.emoji },
        count: r.count,
        count_details: { burst: 0, normal: r.count },
        me: false,
        me_burst: false,
        burst_colors: [],
      }));
      return store(
        buildMessage(channel.id, input.author, time, {
          content: input.content,
          type: input.type ?? (input.replyTo ? MessageType.Reply : MessageType.Default),
          ...(input.replyTo
            ? {
                message_reference: {
                  type: MessageReferenceType.Default,
                  message_id: input.replyTo,
                  channel_id: channel.id,
                  guild_id: channel.guildId,
                },
              }
            : {}),
          attachments,
          embeds: input.embeds ?? [],
          mentions: (input.mentions ?? []).map(apiUser),
          ...(reactions.length > 0 ? { reactions } : {}),
          ...(input.poll ? { poll: input.poll } : {}),
          ...(input.stickerIds
            ? {
                sticker_items: input.stickerIds.map((id) => ({
                  id,
                  name: 'sticker',
                  format_type: StickerFormatType.PNG,
                })),
              }
            : {}),
        }),
      );
    },
    findChannelByName(guildId, name) {
      return [...channels.values()].find((c) => c.guildId === guildId && c.name === name);
    },
    messages: (channelId) => [...(messagesByChannel.get(channelId) ?? [])],
    postedMessages: (channelId) => [...(posted.get(channelId) ?? [])],
    interactionResponses: (token) => [...(interactions.get(token) ?? [])],
    registerInteraction({ token, channelId, original }) {
      interactionChannels.set(token, channelId);
      if (original && channels.has(channelId)) {
        const message = store(
          buildMessage(channelId, botUser, now(), {
            content: original.content ?? '',
            embeds: original.embeds ?? [],
            type: MessageType.ChatInputCommand,
            webhook_id: applicationId,
            application_id: applicationId,
          }),
        );
        originalIds.set(token, message.id);
      }
    },
    addAttachment({ filename, content, contentType }) {
      const id = nextId(now());
      attachments.set(id, { filename, content, contentType: contentType ?? 'application/octet-stream' });
      const url = `${standIn.attachmentsOrigin}/attachments/${id}/${encodeURIComponent(filename)}`;
      return {
        id,
        filename,
        size: content.byteLength,
        url,
        proxy_url: url,
        ...(contentType ? { content_type: contentType } : {}),
      };
    },
    expireInteraction(token) {
      expired.add(token);
    },
    forbid(channelId) {
      forbidden.add(channelId);
    },
    failNext(routePattern, responses) {
      faults.push({ route: routePattern, responses: [...responses] });
    },
    clearFaults() {
      faults.length = 0;
    },
    setMessageContentIntent(enabled) {
      messageContentIntent = enabled;
    },
    setInteractionsEndpointUrl(url) {
      interactionsEndpointUrl = url;
    },
    setBotRoles(guildId, roleIds) {
      botRoles.set(guildId, [...roleIds]);
    },
    registeredCommands: (guildId) => [...(commandSets.get(guildId ?? 'global') ?? [])],
    setCommands(commands, guildId) {
      storeCommands(commands, guildId);
    },
    clearRequests() {
      requests.length = 0;
    },
    get revision() {
      return revision;
    },
    snapshotMessages() {
      return Object.fromEntries([...messagesByChannel].map(([id, list]) => [id, [...list]]));
    },
    restoreMessages(saved) {
      let restored = 0;
      for (const [channelId, list] of Object.entries(saved)) {
        if (!channels.has(channelId)) continue;
        for (const message of list) {
          if (usedIds.has(message.id) || message.channel_id !== channelId) continue;
          store(message);
          restored++;
          // The bot's own channel posts (not interaction replies, which carry webhook_id) as it posted them.
          if (message.author.id === botUser.id && !message.webhook_id) {
            const posts = posted.get(channelId) ?? [];
            posts.push(message);
            posted.set(channelId, posts);
          }
        }
      }
      return restored;
    },
  };
  return standIn;
}
