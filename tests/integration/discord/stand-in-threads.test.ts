/**
 * The stand-in's thread routes as Discord documents them (channel.mdx: Start Thread without Message, Start
 * Thread in Forum or Media Channel; permissions.mdx: CREATE_PUBLIC_THREADS, SEND_MESSAGES, and
 * SEND_MESSAGES_IN_THREADS not inherited from SEND_MESSAGES), spoken over raw HTTP.
 */
import {
  ChannelType,
  OverwriteType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  Routes,
} from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { CHANNEL_ID, GUILD_ID } from './fixtures.ts';

const FORUM_ID = '200000000000000050';
const NEWS_ID = '200000000000000051';

describe('Discord stand-in: threads', () => {
  let standIn: DiscordStandIn;
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${standIn.apiUrl}/v10${path}`, {
      method: 'POST',
      headers: { Authorization: 'Bot test-token', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    standIn.addGuild({ id: GUILD_ID, name: 'Test guild' });
    standIn.addChannel({ id: CHANNEL_ID, guildId: GUILD_ID, name: 'general' });
    standIn.addChannel({ id: FORUM_ID, guildId: GUILD_ID, name: 'forum', type: ChannelType.GuildForum });
    standIn.addChannel({ id: NEWS_ID, guildId: GUILD_ID, name: 'news', type: ChannelType.GuildAnnouncement });
  });
  afterEach(() => standIn.close());

  it('starts a public thread of type 11 without a message, owned by the bot, listed as active', async () => {
    const created = await post(Routes.threads(CHANNEL_ID), {
      name: 'Digest',
      type: 11,
      auto_archive_duration: 1440,
    });
    expect(created).toMatchObject({
      status: 200,
      body: {
        type: ChannelType.PublicThread,
        parent_id: CHANNEL_ID,
        owner_id: standIn.botUser.id,
        name: 'Digest',
      },
    });
    const active = await fetch(`${standIn.apiUrl}/v10${Routes.guildActiveThreads(GUILD_ID)}`, {
      headers: { Authorization: 'Bot test-token' },
    });
    expect(((await active.json()) as { threads: { id: string }[] }).threads.map((t) => t.id)).toEqual([
      created.body.id,
    ]);
  });

  it('makes a private thread when type is left out, as Discord still defaults (Create Private Threads needed)', async () => {
    expect((await post(Routes.threads(CHANNEL_ID), { name: 'x' })).status).toBe(403);
    const P = PermissionFlagsBits;
    standIn.setRole(GUILD_ID, { id: GUILD_ID, permissions: P.ViewChannel | P.CreatePrivateThreads });
    expect((await post(Routes.threads(CHANNEL_ID), { name: 'x' })).body.type).toBe(ChannelType.PrivateThread);
  });

  it('starts announcement threads (type 10) in announcement channels', async () => {
    expect((await post(Routes.threads(NEWS_ID), { name: 'x', type: 10 })).body.type).toBe(
      ChannelType.AnnouncementThread,
    );
  });

  it('refuses names outside 1-100 characters and archive durations Discord does not offer', async () => {
    expect((await post(Routes.threads(CHANNEL_ID), { name: 'x'.repeat(101), type: 11 })).status).toBe(400);
    expect((await post(Routes.threads(CHANNEL_ID), { name: '', type: 11 })).status).toBe(400);
    const bad = await post(Routes.threads(CHANNEL_ID), { name: 'x', type: 11, auto_archive_duration: 30 });
    expect(bad).toMatchObject({
      status: 400,
      body: { code: RESTJSONErrorCodes.InvalidFormBodyOrContentType },
    });
  });

  it('creates a forum post with its first message, and needs that message', async () => {
    const missing = await post(Routes.threads(FORUM_ID), { name: 'Digest' });
    expect(missing.status).toBe(400);
    const created = await post(Routes.threads(FORUM_ID), { name: 'Digest', message: { content: 'hello' } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ type: ChannelType.PublicThread, parent_id: FORUM_ID });
    expect((created.body.message as { content: string }).content).toBe('hello');
    expect(standIn.messages(created.body.id as string).map((m) => m.content)).toEqual(['hello']);
  });

  it('refuses a plain message in a forum channel (40058)', async () => {
    expect(await post(Routes.channelMessages(FORUM_ID), { content: 'hi' })).toMatchObject({
      status: 400,
      body: { code: RESTJSONErrorCodes.CannotSendAMessageInAForumChannel },
    });
  });

  it('answers 403 Missing Permissions without Create Public Threads, or Send Messages in a forum', async () => {
    const deny = (flag: bigint) => [
      { id: GUILD_ID, type: OverwriteType.Role, allow: '0', deny: flag.toString() },
    ];
    standIn.setPermissionOverwrites(CHANNEL_ID, deny(PermissionFlagsBits.CreatePublicThreads));
    standIn.setPermissionOverwrites(FORUM_ID, deny(PermissionFlagsBits.SendMessages));
    for (const [channel, body] of [
      [CHANNEL_ID, { name: 'x', type: 11 }],
      [FORUM_ID, { name: 'x', message: { content: 'hi' } }],
    ] as const) {
      expect(await post(Routes.threads(channel), body)).toMatchObject({
        status: 403,
        body: { code: RESTJSONErrorCodes.MissingPermissions },
      });
    }
    expect(standIn.threadsOf(CHANNEL_ID)).toEqual([]);
    expect(standIn.threadsOf(FORUM_ID)).toEqual([]);
  });

  it('needs Send Messages in Threads, not Send Messages, to post in a thread', async () => {
    const thread = await post(Routes.threads(CHANNEL_ID), { name: 'x', type: 11 });
    standIn.setPermissionOverwrites(CHANNEL_ID, [
      {
        id: GUILD_ID,
        type: OverwriteType.Role,
        allow: '0',
        deny: PermissionFlagsBits.SendMessagesInThreads.toString(),
      },
    ]);
    expect((await post(Routes.channelMessages(thread.body.id as string), { content: 'hi' })).status).toBe(
      403,
    );
  });
});
