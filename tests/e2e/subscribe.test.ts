import { describe, expect, it } from 'vitest';
import { callControl } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS, SAMPLE_MEMBERS, SANDBOX_USER } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * `/subscribe` in the sandbox, end to end: signed interactions to the running local runtime, a run of the
 * task, and the digest the stand-in received in the member's DM channel, without the private #mods; then a
 * restart, after which the DMs are still there (kept in the data folder like the channels).
 */
const sandbox = useSandboxRuntime('summary-bot-subscribe-');
const send = (line: string, role: 'admin' | 'member') => sandbox.command(line, role);

describe('/subscribe in the sandbox', () => {
  it("DMs a run's digest to a member, without the channel the member cannot read", async () => {
    const minutesAgo = (n: number) => new Date(sandbox.runtime.clock.now().getTime() - n * 60_000);
    sandbox.discord.addMessage({
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
      .poll(() => sandbox.discord.directMessages(SANDBOX_USER.id).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    const dm = JSON.stringify(sandbox.discord.directMessages(SANDBOX_USER.id));
    expect(dm).not.toContain('ban appeal');
    expect(dm).not.toContain(`/${SAMPLE_CHANNELS.mods}/`);
    expect(dm).toContain('1 channel of this digest is left out: you cannot read it.');
    // What `summary-bot discord messages @you` prints comes from the control API.
    const shown = await callControl<{ label: string; messages: unknown[] }>(
      sandbox.bot,
      'GET',
      'channels/%40you/messages',
    );
    expect(shown.label).toBe('the direct messages to @you');
    expect(shown.messages.length).toBe(sandbox.discord.directMessages(SANDBOX_USER.id).length);

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

  it("keeps a subscriber's DMs across a restart, and the next digest goes to the same DM channel", async () => {
    const before = sandbox.discord.directMessages(SANDBOX_USER.id);
    expect(before.length).toBeGreaterThan(0);
    await sandbox.restart();
    expect(
      sandbox.discord.directMessages(SANDBOX_USER.id).map((m) => [m.id, m.channel_id, m.content]),
    ).toEqual(before.map((m) => [m.id, m.channel_id, m.content]));
    const shown = await callControl<{ messages: unknown[] }>(sandbox.bot, 'GET', 'channels/%40you/messages');
    expect(shown.messages.length).toBe(before.length);

    // Something new since the first run, so the next one has a digest to send.
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.general,
      author: SAMPLE_MEMBERS.ben,
      content: 'The release notes are up on the forum now.',
      timestamp: sandbox.runtime.clock.now(),
    });
    await send('/schedule run task:Staff digest', 'admin');
    await expect
      .poll(() => sandbox.discord.directMessages(SANDBOX_USER.id).length, { timeout: 30_000 })
      .toBeGreaterThan(before.length);
    const channels = new Set(sandbox.discord.directMessages(SANDBOX_USER.id).map((m) => m.channel_id));
    expect([...channels]).toEqual([before[0]?.channel_id]);
  });
});
