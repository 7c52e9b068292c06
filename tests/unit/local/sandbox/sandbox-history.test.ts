import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, seedSampleServer } from '../../../../lib/local/sandbox/sample-server.ts';
import { loadHistory, startHistorySaver } from '../../../../lib/local/sandbox/sandbox-history.ts';

describe('the sandbox history', () => {
  const open: DiscordStandIn[] = [];
  let dir: string | undefined;
  afterEach(async () => {
    for (const standIn of open.splice(0)) await standIn.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('brings back the digest threads the bot started, with their messages, after a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sandbox-history-'));
    const path = join(dir, 'sandbox-discord.json');
    const clock = new ManualClock(new Date('2026-12-01T09:00:00Z'));
    const first = await startDiscordStandIn({ now: () => clock.now() });
    open.push(first);
    const seeded = seedSampleServer(first, clock);
    const thread = first.addChannel({
      guildId: '1190000000000000001',
      name: 'Daily digest · Mon 30 Nov 09:00–Tue 1 Dec 09:00',
      type: ChannelType.PublicThread,
      parentId: SAMPLE_CHANNELS.digests,
      ownerId: first.botUser.id,
    });
    first.addMessage({ channelId: thread.id, author: first.botUser, content: 'the digest' });
    const saver = startHistorySaver({
      path,
      standIn: first,
      seededAt: () => seeded.anchor,
      onError: (e) => {
        throw e;
      },
    });
    await saver.stop();
    seeded.cancel();

    const history = await loadHistory(path);
    const second = await startDiscordStandIn({ now: () => clock.now() });
    open.push(second);
    const again = seedSampleServer(second, clock, {
      anchor: history!.seededAt,
      history: history!.channels,
      threads: history!.threads,
    });
    again.cancel();
    const [restored] = second.threadsOf(SAMPLE_CHANNELS.digests);
    expect(restored).toMatchObject({ id: thread.id, name: thread.name, ownerId: first.botUser.id });
    expect(second.messages(thread.id).map((m) => m.content)).toEqual(['the digest']);
  });
});
