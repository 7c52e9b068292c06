import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import {
  type APIAttachment,
  type APIReaction,
  ChannelType,
  MessageReferenceType,
  MessageType,
  StickerFormatType,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { timeFromSnowflake } from '../../shared/snowflake.ts';
import { createStandInServer } from './stand-in/http-shell.ts';
import { apiUser, roleJson, StandInState, THREAD_TYPES } from './stand-in/state.ts';
import type { DiscordStandIn, DiscordStandInOptions } from './stand-in/types.ts';

/**
 * A loopback HTTP server that speaks the part of Discord's REST API (v10) the bot uses, with Discord's paging,
 * limits, error shapes and rate-limit headers. The tests of every part and the local sandbox (`npm start`
 * without credentials) point `@discordjs/rest` at `apiUrl`. State lives in memory.
 *
 * Three rooms: `stand-in/state.ts` holds what it remembers and Discord's rules for storing messages,
 * `stand-in/routes.ts` is the API as one route table, `stand-in/http-shell.ts` the server (request log,
 * injected faults, rate limits, attachments). This file starts it and gives tests their handle on the state.
 */

export { resolveMentions } from './stand-in/mentions.ts';
export type * from './stand-in/types.ts';

/** Starts the stand-in on loopback (an ephemeral port unless `port` is given). */
export async function startDiscordStandIn(options: DiscordStandInOptions = {}): Promise<DiscordStandIn> {
  const host = options.host ?? '127.0.0.1';
  const state = new StandInState(options);
  const server = createStandInServer(state, {
    host,
    ...(options.botToken !== undefined ? { botToken: options.botToken } : {}),
    rateLimit: options.rateLimit ?? { limit: 50, windowMs: 1000 },
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });
  // @discordjs/rest keeps its sockets open between requests and Node closes one idle for 5 s by default: a
  // post written on a socket as the stand-in closes it fails with SocketError ("other side closed"), which
  // a long summary on a loaded machine (50,000 messages) turned into a failed Discord destination. Discord
  // itself keeps idle connections far longer; so does the embedded DynamoDB server, for the same reason.
  server.keepAliveTimeout = 10 * 60_000;
  server.listen(options.port ?? 0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const standIn: DiscordStandIn = {
    apiUrl: `http://${host}:${port}/api`,
    attachmentsOrigin: `http://${host}:${port}`,
    port,
    botUser: state.botUser,
    applicationId: state.applicationId,
    requests: state.requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
    addGuild(guild) {
      state.ensureGuild(guild);
    },
    setRole(guildId, role) {
      const guild = state.guilds.get(guildId);
      if (!guild) throw new Error(`Unknown guild ${guildId}: addGuild first`);
      guild.roles.set(role.id, roleJson(guildId, role));
    },
    setPermissionOverwrites(channelId, overwrites) {
      const channel = state.channels.get(channelId);
      if (!channel) throw new Error(`Unknown channel ${channelId}: addChannel first`);
      channel.permissionOverwrites = overwrites.map((o) => ({ ...o }));
    },
    addChannel(input) {
      if (!state.guilds.has(input.guildId)) state.ensureGuild({ id: input.guildId, name: input.guildId });
      const type = input.type ?? (input.parentId ? ChannelType.PublicThread : ChannelType.GuildText);
      const id = input.id ?? state.nextId(state.now());
      const isThread = THREAD_TYPES.has(type);
      if (isThread && !input.parentId) throw new Error(`Thread ${input.name} needs a parentId`);
      const created = timeFromSnowflake(id);
      const channel = {
        id,
        guildId: input.guildId,
        name: input.name,
        type,
        ...(input.parentId ? { parentId: input.parentId } : {}),
        ...(input.flags !== undefined ? { flags: input.flags } : {}),
        ...(input.availableTags ? { availableTags: input.availableTags.map((t) => ({ ...t })) } : {}),
        ...(input.ownerId ? { ownerId: input.ownerId } : {}),
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
      state.channels.set(id, channel);
      return channel;
    },
    addMessage(input) {
      const channel = state.channels.get(input.channelId);
      if (!channel) throw new Error(`Unknown channel ${input.channelId}: addChannel first`);
      const time = input.timestamp === undefined ? state.now() : new Date(input.timestamp);
      state.rememberUser(input.author);
      for (const user of input.mentions ?? []) state.rememberUser(user);
      const attachments: APIAttachment[] = (input.attachments ?? []).map((a, i) => {
        const url = a.url ?? `https://cdn.discordapp.com/attachments/${channel.id}/${i}/${a.filename}`;
        return { id: state.nextId(time), filename: a.filename, size: a.size ?? 0, url, proxy_url: url };
      });
      const reactions: APIReaction[] = (input.reactions ?? []).map((r) => ({
        emoji: { id: null, name: r.emoji },
        count: r.count,
        count_details: { burst: 0, normal: r.count },
        me: false,
        me_burst: false,
        burst_colors: [],
      }));
      return state.store(
        state.buildMessage(channel.id, input.author, time, {
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
      return [...state.channels.values()].find((c) => c.guildId === guildId && c.name === name);
    },
    threadsOf: (parentId) =>
      [...state.channels.values()]
        .filter((c) => c.parentId === parentId && THREAD_TYPES.has(c.type))
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)),
    messages: (channelId) => [...(state.messagesByChannel.get(channelId) ?? [])],
    postedMessages: (channelId) => [...(state.posted.get(channelId) ?? [])],
    interactionResponses: (token) => [...(state.interactions.get(token) ?? [])],
    registerInteraction({ token, channelId, original }) {
      state.interactionChannels.set(token, channelId);
      if (original && state.channels.has(channelId)) {
        const message = state.store(
          state.buildMessage(channelId, state.botUser, state.now(), {
            content: original.content ?? '',
            embeds: original.embeds ?? [],
            type: MessageType.ChatInputCommand,
            webhook_id: state.applicationId,
            application_id: state.applicationId,
          }),
        );
        state.originalIds.set(token, message.id);
      }
    },
    addAttachment({ filename, content, contentType }) {
      const id = state.nextId(state.now());
      state.attachments.set(id, {
        filename,
        content,
        contentType: contentType ?? 'application/octet-stream',
      });
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
      state.expired.add(token);
    },
    forbid(channelId) {
      state.forbidden.add(channelId);
    },
    failNext(routePattern, responses) {
      state.faults.push({ route: routePattern, responses: [...responses] });
    },
    clearFaults() {
      state.faults.length = 0;
    },
    setMessageContentIntent(enabled) {
      state.messageContentIntent = enabled;
    },
    setInteractionsEndpointUrl(url) {
      state.interactionsEndpointUrl = url;
    },
    setBotRoles(guildId, roleIds) {
      state.botRoles.set(guildId, [...roleIds]);
    },
    setMember(guildId, user, roleIds = []) {
      state.rememberUser(user);
      const members = state.members.get(guildId) ?? new Map<string, string[]>();
      members.set(user.id, [...roleIds]);
      state.members.set(guildId, members);
    },
    removeMember(guildId, userId) {
      state.members.get(guildId)?.delete(userId);
    },
    setDmsClosed(userId, closed) {
      if (closed) state.closedDms.add(userId);
      else state.closedDms.delete(userId);
    },
    directMessages(userId) {
      const channelId = state.dmChannels.get(userId);
      return channelId ? [...(state.posted.get(channelId) ?? [])] : [];
    },
    registeredCommands: (guildId) => [...(state.commandSets.get(guildId ?? 'global') ?? [])],
    setCommands(commands, guildId) {
      state.storeCommands(commands, guildId);
    },
    clearRequests() {
      state.requests.length = 0;
    },
    get revision() {
      return state.revision;
    },
    snapshotThreads() {
      return [...state.channels.values()]
        .filter((c) => THREAD_TYPES.has(c.type) && c.ownerId === state.botUser.id)
        .map(({ lastMessageId: _last, messageCount: _count, ...channel }) => ({ ...channel }));
    },
    snapshotDirectMessageChannels() {
      return [...state.dmChannels].map(([recipientId, id]) => ({ id, recipientId }));
    },
    restoreDirectMessageChannel(channel) {
      state.openDirectMessage(channel.recipientId, channel.id);
    },
    snapshotMessages() {
      return Object.fromEntries([...state.messagesByChannel].map(([id, list]) => [id, [...list]]));
    },
    restoreMessages(saved) {
      let restored = 0;
      for (const [channelId, list] of Object.entries(saved)) {
        if (!state.channels.has(channelId)) continue;
        for (const message of list) {
          if (state.usedIds.has(message.id) || message.channel_id !== channelId) continue;
          state.store(message);
          restored++;
          // The bot's own channel posts (not interaction replies, which carry webhook_id) as it posted them.
          if (message.author.id === state.botUser.id && !message.webhook_id) {
            const posts = state.posted.get(channelId) ?? [];
            posts.push(message);
            state.posted.set(channelId, posts);
          }
        }
      }
      return restored;
    },
  };
  return standIn;
}
