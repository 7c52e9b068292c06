import {
  type APIOverwrite,
  ChannelType,
  OverwriteType,
  PermissionFlagsBits as P,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { alice, CHANNEL_ID, GUILD_ID } from './fixtures.ts';

const HIDDEN = '900000000000000020';
const LET_IN = '900000000000000021';
const HIDDEN_THREAD = '900000000000000022';
const BOT_ROLE = '900000000000000030';

/** Hidden from @everyone: what a private channel looks like. */
const PRIVATE: APIOverwrite = {
  id: GUILD_ID,
  type: OverwriteType.Role,
  allow: '0',
  deny: String(P.ViewChannel),
};

// Discord's Channel docs (Obfuscated Channels): "Over the HTTP API, channels that a client cannot view will be
// omitted from the response entirely." The stand-in applies that to the bot, in the sandbox and in every test.
describe('Discord stand-in: channels the bot cannot view', () => {
  let standIn: DiscordStandIn;
  const get = async (path: string) => {
    const res = await fetch(`${standIn.apiUrl}/v10${path}`, { headers: { Authorization: 'Bot test-token' } });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const listed = async () =>
    ((await get(`/guilds/${GUILD_ID}/channels`)).body as { id: string }[]).map((c) => c.id).sort();

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    standIn.addGuild({ id: GUILD_ID, name: 'Test guild' });
    standIn.addChannel({ id: CHANNEL_ID, guildId: GUILD_ID, name: 'general' });
    standIn.addChannel({ id: HIDDEN, guildId: GUILD_ID, name: 'admins', permissionOverwrites: [PRIVATE] });
    standIn.addChannel({
      id: LET_IN,
      guildId: GUILD_ID,
      name: 'mods',
      permissionOverwrites: [
        PRIVATE,
        { id: standIn.botUser.id, type: OverwriteType.Member, allow: String(P.ViewChannel), deny: '0' },
      ],
    });
    standIn.addChannel({
      id: HIDDEN_THREAD,
      guildId: GUILD_ID,
      name: 'rota',
      type: ChannelType.PublicThread,
      parentId: HIDDEN,
    });
    standIn.addMessage({
      channelId: HIDDEN,
      author: alice,
      content: 'the vault code',
      timestamp: new Date(),
    });
  });
  afterEach(async () => {
    await standIn.close();
  });

  it('lists only the channels the bot can view, and none of the threads under a hidden one', async () => {
    expect(await listed()).toEqual([CHANNEL_ID, LET_IN].sort());
    const active = (await get(`/guilds/${GUILD_ID}/threads/active`)).body as { threads: { id: string }[] };
    expect(active.threads.map((t) => t.id)).not.toContain(HIDDEN_THREAD);
  });

  it('answers Missing Access for a hidden channel, its messages and its thread', async () => {
    for (const path of [
      `/channels/${HIDDEN}`,
      `/channels/${HIDDEN}/messages`,
      `/channels/${HIDDEN_THREAD}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(res.body, path).toMatchObject({ code: RESTJSONErrorCodes.MissingAccess });
    }
    expect((await get(`/channels/${LET_IN}`)).status).toBe(200);
  });

  it('shows a hidden channel once a role of the bot may view it, or the bot is an administrator', async () => {
    standIn.setRole(GUILD_ID, { id: BOT_ROLE, name: 'Bots', permissions: 0n });
    standIn.setBotRoles(GUILD_ID, [BOT_ROLE]);
    standIn.setPermissionOverwrites(HIDDEN, [
      PRIVATE,
      { id: BOT_ROLE, type: OverwriteType.Role, allow: String(P.ViewChannel), deny: '0' },
    ]);
    expect(await listed()).toContain(HIDDEN);

    standIn.setPermissionOverwrites(HIDDEN, [PRIVATE]);
    expect(await listed()).not.toContain(HIDDEN);
    standIn.setRole(GUILD_ID, { id: BOT_ROLE, name: 'Bots', permissions: P.Administrator });
    expect(await listed()).toContain(HIDDEN);
    expect((await get(`/channels/${HIDDEN}/messages`)).status).toBe(200);
  });
});
