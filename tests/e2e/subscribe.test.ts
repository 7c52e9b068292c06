import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callControl,
  findRunningBot,
  type RunningBot,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import type { DiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import {
  SAMPLE_CHANNELS,
  SAMPLE_MEMBERS,
  SANDBOX_USER,
  sampleServerInfo,
} from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';

/**
 * `/subscribe` in the sandbox, end to end: signed interactions to the running local runtime, a run of the
 * task, and the digest the stand-in received in the member's DM channel, without the private #mods.
 */
let dataDir: string;
let runtime: LocalRuntime;
let bot: RunningBot;
let discord: DiscordStandIn;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-subscribe-'));
  runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
  bot = await findRunningBot(dataDir);
  discord = runtime.standIn as DiscordStandIn;
});

afterAll(async () => {
  await runtime?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function send(line: string, role: 'admin' | 'member') {
  const info = sampleServerInfo();
  const payload = commandInteraction(line, {
    applicationId: runtime.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    members: info.members,
    user: info.user,
    role,
    channelId: SAMPLE_CHANNELS.general,
  });
  const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
  return { payload, answer };
}

describe('/subscribe in the sandbox', () => {
  it("DMs a run's digest to a member, without the channel the member cannot read", async () => {
    const minutesAgo = (n: number) => new Date(runtime.clock.now().getTime() - n * 60_000);
    discord.addMessage({
      channelId: SAMPLE_CHANNELS.mods,
      author: SAMPLE_MEMBERS.dmitri,
      content: 'The ban appeal of user 4242 stays open until the review on Monday.',
      timestamp: minutesAgo(3),
    });
    const created = await send(
      '/schedule create daily name:Staff digest time:09:00 channel:#general channel2:#mods post_to:#mods',
      'admin',
    );
    expect(JSON.stringify(created.answer.json)).toContain('Created');

    const subscribed = await send('/subscribe task:Staff digest', 'member');
    const reply: string = subscribed.answer.json.data.content;
    expect(reply).toMatch(/^Subscribed to \*\*Staff digest\*\*/);
    expect(reply).toContain(`⚠️ Left out of your digest: <#${SAMPLE_CHANNELS.mods}>`);

    await send('/schedule run task:Staff digest', 'admin');
    await expect
      .poll(() => discord.directMessages(SANDBOX_USER.id).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const dm = JSON.stringify(discord.directMessages(SANDBOX_USER.id));
    expect(dm).not.toContain('ban appeal');
    expect(dm).not.toContain(`/${SAMPLE_CHANNELS.mods}/`);
    expect(dm).toContain('1 channel of this digest is left out: you cannot read it.');
    // What `summary-bot discord messages @you` prints comes from the control API.
    const shown = await callControl<{ label: string; messages: unknown[] }>(
      bot,
      'GET',
      'channels/%40you/messages',
    );
    expect(shown.label).toBe('the direct messages to @you');
    expect(shown.messages.length).toBe(discord.directMessages(SANDBOX_USER.id).length);

    const status = await send('/schedule status task:Staff digest', 'admin');
    expect(status.answer.json.data.content).toContain('By DM: 1 subscriber');
    await expect
      .poll(
        async () => (await send('/schedule status task:Staff digest', 'admin')).answer.json.data.content,
        {
          timeout: 30_000,
        },
      )
      .toContain('DMs to subscribers: 1 sent');
  });
});
