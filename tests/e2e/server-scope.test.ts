import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRunningBot, type RunningBot, sendInteraction } from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import type { DiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, SAMPLE_MEMBERS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';

/**
 * Whole-server and category digests in the sandbox, end to end: signed interactions to the running local
 * runtime, a run, and what the stand-in received. The sample server's Staff category holds #mods, which only
 * Moderators see: the audience rule keeps it out of a digest posted to the public #digest.
 */
let dataDir: string;
let runtime: LocalRuntime;
let bot: RunningBot;
let discord: DiscordStandIn;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-scope-'));
  runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
  bot = await findRunningBot(dataDir);
  discord = runtime.standIn as DiscordStandIn;
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function send(line: string): Promise<string> {
  const info = sampleServerInfo();
  const payload = commandInteraction(line, {
    applicationId: runtime.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    members: info.members,
    user: info.user,
    role: 'admin',
    channelId: SAMPLE_CHANNELS.general,
  });
  const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
  return JSON.stringify(answer.json);
}

const SECRET = 'The ban appeal of user 4242 stays open until the review on Monday.';

describe('scope:server in the sandbox', () => {
  it('digests every channel the digest’s readers can read, and names the private one it left out', async () => {
    const minutesAgo = (n: number) => new Date(runtime.clock.now().getTime() - n * 60_000);
    discord.addMessage({
      channelId: SAMPLE_CHANNELS.mods,
      author: SAMPLE_MEMBERS.dmitri,
      content: SECRET,
      timestamp: minutesAgo(3),
    });
    expect(
      await send('/schedule create daily name:Town digest time:09:00 channel:#general post_to:#digest'),
    ).toContain('Created');
    expect(await send('/schedule settings task:Town digest scope:server')).toContain('Updated');

    const before = discord.postedMessages(SAMPLE_CHANNELS.digest).length;
    await send('/schedule run task:Town digest');
    await expect
      .poll(() => discord.postedMessages(SAMPLE_CHANNELS.digest).length, { timeout: 60_000 })
      .toBeGreaterThan(before);
    const digest = JSON.stringify(discord.postedMessages(SAMPLE_CHANNELS.digest).slice(before));
    const sections = discord
      .postedMessages(SAMPLE_CHANNELS.digest)
      .slice(before)
      .flatMap((m) => m.embeds.flatMap((e) => (e.fields ?? []).map((f) => f.name)));
    // One section per channel with something new, the thread under its channel; #mods is none of them.
    expect(sections).toEqual(
      expect.arrayContaining(['#dev', '#general', '#random', '#release-checklist in #dev']),
    );
    expect(sections).not.toContain('#mods');
    expect(digest).not.toContain('ban appeal');
    expect(digest).toMatch(/Left out: #mods is private to Moderators/);
  });
});
