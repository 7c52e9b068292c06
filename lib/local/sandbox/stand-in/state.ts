import {
  type APIEmbed,
  type APIMessage,
  type APIRole,
  type APIUser,
  ApplicationFlags,
  ChannelType,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { computeChannelPermissions } from '../../../discord/permissions.ts';
import { snowflakeFromTime } from '../../../shared/snowflake.ts';
import { findMessageViolations, toDiscordErrorTree } from '../message-limits.ts';
import { EMPTY_MESSAGE, invalidForm, MISSING_ACCESS, UNKNOWN_CHANNEL } from './api-errors.ts';
import {
  type AllowedMentionsInput,
  MESSAGE_DEFAULT_PARSE,
  type MentionKind,
  resolveMentions,
  WEBHOOK_DEFAULT_PARSE,
} from './mentions.ts';
import type {
  DiscordStandInOptions,
  InjectedResponse,
  InteractionResponseRecord,
  StandInChannel,
  StandInGuild,
  StandInRequest,
  StandInRole,
  StandInUser,
} from './types.ts';

/** A fixed, well-formed public key for tests that do not sign with their own. */
const DEFAULT_PUBLIC_KEY = '5b'.repeat(32);
/** A guild made without an owner is owned by this user, who is nobody else in the tests. */
const DEFAULT_OWNER_ID = '1100000000000000999';
/** What @everyone may do in a new stand-in guild unless a test says otherwise (Discord's new servers allow threads). */
const DEFAULT_EVERYONE = [
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.AddReactions,
].reduce((all, flag) => all | flag, 0n);
/** How long Discord remembers an enforced nonce ("the past few minutes"). */
const NONCE_MEMORY_MS = 5 * 60_000;

/** Channel types that are threads (they inherit their parent's overwrites). */
export const THREAD_TYPES = new Set<ChannelType>([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** A channel as the stand-in keeps it: what was added, plus its newest message and message count. */
export type StoredChannel = StandInChannel & { lastMessageId?: string; messageCount: number };
/** A guild as the stand-in keeps it, with its roles by id. */
export interface StoredGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, APIRole>;
}
/** An answer of a route: status and JSON body. */
export interface Answer {
  status: number;
  body: unknown;
}

/** A role object as Discord returns it (permissions as a decimal string). */
export function roleJson(guildId: string, role: StandInRole): APIRole {
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

/** A user object as Discord returns it. */
export function apiUser(user: StandInUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.global_name ?? null,
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

/**
 * Everything the stand-in remembers (guilds, channels, messages, interactions, commands, injected faults),
 * in memory, and the rules Discord applies when it stores a message. The routes and the test-facing
 * methods both work on it; neither knows HTTP.
 */
export class StandInState {
  readonly now: () => Date;
  readonly botUser: StandInUser;
  readonly applicationId: string;
  readonly publicKey: string;
  messageContentIntent: boolean;
  interactionsEndpointUrl: string | null;
  /** `global` or a guild id → the commands of the last bulk overwrite there. */
  readonly commandSets = new Map<string, unknown[]>();
  /** `<guildId>` → the bot's role ids there. */
  readonly botRoles = new Map<string, string[]>();
  readonly guilds = new Map<string, StoredGuild>();
  readonly channels = new Map<string, StoredChannel>();
  readonly messagesByChannel = new Map<string, APIMessage[]>();
  /** Recipient user id → DM channel id. */
  readonly dmChannels = new Map<string, string>();
  /** Guild id → member user id → role ids: the members `GET /guilds/{id}/members/{user}` knows. */
  readonly members = new Map<string, Map<string, string[]>>();
  /** Users who accept no DMs from the bot: a post in their DM channel gets 403, code 50007. */
  readonly closedDms = new Set<string>();
  /** What the bot posted through `POST /channels/{id}/messages`, by channel. */
  readonly posted = new Map<string, APIMessage[]>();
  /** Interaction token → its edits and follow-ups. */
  readonly interactions = new Map<string, InteractionResponseRecord[]>();
  /** Interaction token → the channel its replies show in. */
  readonly interactionChannels = new Map<string, string>();
  /** Interaction token → the id of its `@original` message. */
  readonly originalIds = new Map<string, string>();
  readonly expired = new Set<string>();
  readonly forbidden = new Set<string>();
  readonly nonces = new Map<string, { messageId: string; channelId: string; at: number }>();
  readonly faults: { route: string | RegExp; responses: InjectedResponse[] }[] = [];
  readonly usedIds = new Set<string>();
  readonly requests: StandInRequest[] = [];
  readonly attachments = new Map<string, { filename: string; content: Uint8Array; contentType: string }>();
  readonly knownUsers = new Map<string, StandInUser>();
  /** Grows with every message stored or edited. */
  revision = 0;

  constructor(options: DiscordStandInOptions) {
    this.now = options.now ?? (() => new Date());
    this.botUser = {
      id: options.botUserId ?? '1100000000000000001',
      username: 'summary-bot',
      global_name: 'Summary Bot',
      bot: true,
    };
    this.applicationId = options.applicationId ?? this.botUser.id;
    this.publicKey = options.publicKey ?? DEFAULT_PUBLIC_KEY;
    this.messageContentIntent = options.messageContentIntent ?? true;
    this.interactionsEndpointUrl = options.interactionsEndpointUrl ?? null;
    this.knownUsers.set(this.botUser.id, this.botUser);
  }

  /**
   * The bot's DM channel with `recipient`: the one it has, else one with `id` (a restart putting a saved one
   * back) or a new id. Returns its id.
   */
  openDirectMessage(recipient: string, id?: string): string {
    const known = this.dmChannels.get(recipient);
    if (known && this.channels.has(known)) return known;
    const channelId = id ?? this.nextId(this.now());
    this.dmChannels.set(recipient, channelId);
    this.channels.set(channelId, {
      id: channelId,
      guildId: '',
      name: `dm-${recipient}`,
      type: ChannelType.DM,
      recipientId: recipient,
      permissionOverwrites: [],
      messageCount: 0,
    });
    return channelId;
  }

  /** Adds the guild, or renames it keeping its roles and owner. */
  ensureGuild(guild: StandInGuild): void {
    const existing = this.guilds.get(guild.id);
    const roles =
      existing?.roles ??
      new Map([[guild.id, roleJson(guild.id, { id: guild.id, permissions: DEFAULT_EVERYONE })]]);
    this.guilds.set(guild.id, {
      id: guild.id,
      name: guild.name,
      ownerId: guild.ownerId ?? existing?.ownerId ?? DEFAULT_OWNER_ID,
      roles,
    });
  }

  rememberUser(user: StandInUser): void {
    if (!this.knownUsers.has(user.id)) this.knownUsers.set(user.id, user);
  }

  /** The `mention_everyone`, `mentions` and `mention_roles` Discord would return for a message the bot sends. */
  mentionFields(
    body: unknown,
    defaultParse: readonly MentionKind[],
  ): Pick<APIMessage, 'mention_everyone' | 'mentions' | 'mention_roles'> {
    const input = body as { content?: string | null; allowed_mentions?: AllowedMentionsInput };
    const resolved = resolveMentions(input.content ?? '', input.allowed_mentions, defaultParse);
    return {
      mention_everyone: resolved.everyone,
      mentions: resolved.userIds.map((id) =>
        apiUser(this.knownUsers.get(id) ?? { id, username: `user-${id}` }),
      ),
      mention_roles: resolved.roleIds,
    };
  }

  /** A fresh snowflake of the millisecond `at`, never one already used. */
  nextId(at: Date): string {
    const base = BigInt(snowflakeFromTime(at));
    for (let increment = 0n; increment < 4096n; increment++) {
      const id = (base | increment).toString();
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id);
        return id;
      }
    }
    throw new RangeError(`More than 4096 ids in the millisecond ${at.toISOString()}`);
  }

  /** Keeps a message in its channel's history, in id order, and updates the channel's counters. */
  store(message: APIMessage): APIMessage {
    this.revision++;
    this.usedIds.add(message.id);
    const list = this.messagesByChannel.get(message.channel_id) ?? [];
    const id = BigInt(message.id);
    let at = list.length;
    while (at > 0 && BigInt(list[at - 1]!.id) > id) at--;
    list.splice(at, 0, message);
    this.messagesByChannel.set(message.channel_id, list);
    const channel = this.channels.get(message.channel_id);
    if (channel) {
      channel.messageCount++;
      const newest = list[list.length - 1]!;
      channel.lastMessageId = newest.id;
    }
    return message;
  }

  /** A message with Discord's defaults and a fresh id of `time`. */
  buildMessage(channelId: string, author: StandInUser, time: Date, fields: Partial<APIMessage>): APIMessage {
    return {
      id: this.nextId(time),
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
  visible(message: APIMessage): APIMessage {
    if (this.messageContentIntent) return message;
    if (message.author.id === this.botUser.id || message.mentions.some((u) => u.id === this.botUser.id))
      return message;
    const { poll: _poll, ...rest } = message;
    return { ...rest, content: '', embeds: [], attachments: [], components: [] };
  }

  /**
   * The channel the bot may read, or the error Discord answers instead: Missing Access (403, 50001) for a
   * server channel the bot cannot view (`botCanView`), as for one a test forbade.
   */
  readableChannel(
    channelId: string,
  ): { error: Answer; channel?: undefined } | { error?: undefined; channel: StoredChannel } {
    if (this.forbidden.has(channelId)) return { error: MISSING_ACCESS };
    const channel = this.channels.get(channelId);
    if (!channel) return { error: UNKNOWN_CHANNEL };
    if (!this.botCanView(channel)) return { error: MISSING_ACCESS };
    return { channel };
  }

  /** The bot's permissions in a server channel (a thread's come from its parent), as Discord computes them. */
  botPermissionsIn(channel: StoredChannel): bigint {
    const source =
      THREAD_TYPES.has(channel.type) && channel.parentId ? this.channels.get(channel.parentId) : channel;
    const guild = this.guilds.get(channel.guildId);
    if (!source || !guild) return 0n;
    return computeChannelPermissions({
      guild: { id: guild.id, ownerId: guild.ownerId, roles: [...guild.roles.values()] },
      member: { userId: this.botUser.id, roles: this.botRoles.get(guild.id) ?? [] },
      overwrites: source.permissionOverwrites,
      now: this.now(),
    });
  }

  /**
   * Whether Discord shows the bot this channel at all: "Over the HTTP API, channels that a client cannot view
   * will be omitted from the response entirely" (Discord's Channel docs, Obfuscated Channels). View Channel,
   * or Administrator; a DM is always its own. A test whose bot reads a private channel lets it in there, as
   * an admin would (a member overwrite or a role of the bot), so the product's access rules meet Discord's.
   */
  botCanView(channel: StoredChannel): boolean {
    if (!channel.guildId) return true;
    const permissions = this.botPermissionsIn(channel);
    if ((permissions & PermissionFlagsBits.Administrator) !== 0n) return true;
    return (permissions & PermissionFlagsBits.ViewChannel) !== 0n;
  }

  /**
   * Creates a message as Discord does for `author`: the body checked against Discord's limits, an enforced
   * nonce seen in the past few minutes answered with the message it made then.
   */
  createMessage(
    channelId: string,
    body: unknown,
    author: StandInUser,
    extra: Partial<APIMessage> = {},
  ): Answer & { message?: APIMessage } {
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
    const time = this.now();
    if (nonceKey && input.enforce_nonce) {
      const seen = this.nonces.get(nonceKey);
      if (seen && time.getTime() - seen.at < NONCE_MEMORY_MS) {
        const existing = (this.messagesByChannel.get(seen.channelId) ?? []).find(
          (m) => m.id === seen.messageId,
        );
        if (existing) return { status: 200, body: existing, message: existing };
      }
    }
    const message = this.store(
      this.buildMessage(channelId, author, time, {
        content: input.content ?? '',
        embeds: input.embeds ?? [],
        ...this.mentionFields(body, extra.webhook_id ? WEBHOOK_DEFAULT_PARSE : MESSAGE_DEFAULT_PARSE),
        ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
        ...(input.poll ? { poll: input.poll } : {}),
        ...(input.flags !== undefined ? { flags: input.flags } : {}),
        ...extra,
      }),
    );
    if (nonceKey) this.nonces.set(nonceKey, { messageId: message.id, channelId, at: time.getTime() });
    return { status: 200, body: message, message };
  }

  /** Adds a post of the bot's to what it posted in the channel (once per message). */
  recordPost(channelId: string, message: APIMessage): void {
    const list = this.posted.get(channelId) ?? [];
    if (!list.some((m) => m.id === message.id)) list.push(message);
    this.posted.set(channelId, list);
  }

  /** Adds an edit or follow-up to what the interaction received. */
  recordInteraction(token: string, entry: InteractionResponseRecord): void {
    const list = this.interactions.get(token) ?? [];
    list.push(entry);
    this.interactions.set(token, list);
  }

  /** A bulk overwrite: each command as Discord keeps it, with its id, version and defaults. */
  storeCommands(commands: readonly object[], guildId: string | undefined): unknown[] {
    const stored = commands.map((command) => ({
      type: 1,
      default_member_permissions: null,
      ...command,
      id: this.nextId(this.now()),
      application_id: this.applicationId,
      version: this.nextId(this.now()),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    this.commandSets.set(guildId ?? 'global', stored);
    return stored;
  }

  /** `GET /applications/@me`: what the Developer Portal holds for the application. */
  applicationJson() {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      verify_key: this.publicKey,
      bot: apiUser(this.botUser),
      interactions_endpoint_url: this.interactionsEndpointUrl,
      flags: this.messageContentIntent ? ApplicationFlags.GatewayMessageContent : 0,
    };
  }
}

/** A channel object as Discord returns it. */
export function channelJson(channel: StoredChannel) {
  return {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    last_message_id: channel.lastMessageId ?? null,
    ...(channel.parentId ? { parent_id: channel.parentId } : {}),
    ...(channel.ownerId ? { owner_id: channel.ownerId } : {}),
    ...(channel.flags !== undefined ? { flags: channel.flags } : {}),
    ...(channel.availableTags
      ? {
          available_tags: channel.availableTags.map((t) => ({
            ...t,
            moderated: false,
            emoji_id: null,
            emoji_name: null,
          })),
        }
      : {}),
    ...(channel.appliedTags ? { applied_tags: channel.appliedTags } : {}),
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

/** A guild object as Discord returns it. */
export function guildJson(guild: StoredGuild) {
  return { id: guild.id, name: guild.name, owner_id: guild.ownerId, roles: [...guild.roles.values()] };
}
