/**
 * The audience rule's guild lookups over REST (DiscordRestClient.guildReads → RunGuildReads), against the
 * Discord stand-in over HTTP: each run sees the server as it is when it starts, and runs starting together
 * share the requests still in flight rather than queueing one each.
 */
import { Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { hiddenFromEveryone, shownToBot } from '../../support/overwrites.ts';
import { CHANNEL_ID, GUILD_ID, useRestHarness } from './fixtures.ts';

describe('DiscordRestClient.guildReads', () => {
  const h = useRestHarness();
  const gets = (route: string) => h.standIn.requests.filter((r) => r.method === 'GET' && r.path === route);

  it("gives a run started after an admin's change the channel as changed, at once", async () => {
    const before = await h.client.guildReads().channel(CHANNEL_ID);
    expect(before?.overwrites).toEqual([]);
    // The admin makes the channel private, keeping the bot in.
    h.standIn.setPermissionOverwrites(CHANNEL_ID, [hiddenFromEveryone(GUILD_ID), shownToBot(h.standIn)]);

    const after = await h.client.guildReads().channel(CHANNEL_ID);
    expect(after?.overwrites.map((o) => o.id)).toEqual([GUILD_ID, h.standIn.botUser.id]);
  });

  it('asks once per route within a run, and once for runs that start while that request is in flight', async () => {
    const run = h.client.guildReads();
    await run.guild(GUILD_ID);
    await run.guild(GUILD_ID);
    expect(gets(Routes.guild(GUILD_ID))).toHaveLength(1);

    const together = Array.from({ length: 20 }, () => h.client.guildReads().guild(GUILD_ID));
    await Promise.all(together);
    expect(gets(Routes.guild(GUILD_ID))).toHaveLength(2);
  });
});
