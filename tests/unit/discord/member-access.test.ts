import { ChannelType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { ChannelLike, GuildReads } from '../../../lib/discord/guild-reads.ts';
import { memberSources } from '../../../lib/discord/member-access.ts';
import { DiscordAccessError } from '../../../lib/errors.ts';
import { hiddenFromEveryone, shownTo } from '../../support/overwrites.ts';

const GUILD = '100000000000000001';
const MODS = '500000000000000001';
const OWNER = '400000000000000001';
const READ = String(P.ViewChannel | P.ReadMessageHistory);
const hidden = hiddenFromEveryone(GUILD);
const mods = shownTo(MODS);

const channels: Record<string, ChannelLike> = {
  '200000000000000001': {
    id: '200000000000000001',
    guildId: GUILD,
    type: ChannelType.GuildText,
    name: 'general',
    overwrites: [],
  },
  '200000000000000002': {
    id: '200000000000000002',
    guildId: GUILD,
    type: ChannelType.GuildText,
    name: 'mods',
    overwrites: [hidden, mods],
  },
  // A public thread of #mods: its audience is its parent's.
  '200000000000000003': {
    id: '200000000000000003',
    guildId: GUILD,
    type: ChannelType.PublicThread,
    name: 'appeals',
    parentId: '200000000000000002',
    overwrites: [],
  },
  '200000000000000004': {
    id: '200000000000000004',
    guildId: GUILD,
    type: ChannelType.PrivateThread,
    name: 'secret',
    parentId: '200000000000000001',
    overwrites: [],
  },
  '200000000000000005': {
    id: '200000000000000005',
    guildId: '100000000000000002',
    type: ChannelType.GuildText,
    name: 'elsewhere',
    overwrites: [],
  },
};
const reads: GuildReads = {
  guild: async () => ({
    id: GUILD,
    ownerId: OWNER,
    roles: [
      { id: GUILD, permissions: READ },
      { id: MODS, permissions: '0' },
    ],
  }),
  channel: async (id) => {
    if (id === '200000000000000006') throw new DiscordAccessError(id, 'forbidden', 'hidden from the bot');
    return channels[id];
  },
};
const all = [...Object.keys(channels), '200000000000000006'];
const sources = (userId: string, roles: string[]) =>
  memberSources({ guildId: GUILD, member: { userId, roles }, channelIds: all, reads, now: new Date() });

describe("memberSources: which of a task's channels one member can read", () => {
  it('gives a member without the role the public channel only; a thread counts as its parent', async () => {
    const view = await sources('400000000000000002', []);
    expect(view.readable).toEqual(['200000000000000001']);
    expect(view.hidden.map((h) => h.name ?? h.channelId)).toEqual([
      'mods',
      'appeals',
      'secret',
      '200000000000000005',
      '200000000000000006',
    ]);
  });

  it("gives the role's member the private channel and its thread, never a private thread or another server's channel", async () => {
    const view = await sources('400000000000000002', [MODS]);
    expect(view.readable).toEqual(['200000000000000001', '200000000000000002', '200000000000000003']);
  });

  it('gives the owner every channel of the server but still no private thread', async () => {
    const view = await sources(OWNER, []);
    expect(view.readable).toEqual(['200000000000000001', '200000000000000002', '200000000000000003']);
  });
});
