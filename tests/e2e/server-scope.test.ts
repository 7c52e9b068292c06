import { describe, expect, it } from 'vitest';
import { SAMPLE_CHANNELS, SAMPLE_MEMBERS } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * Whole-server and category digests in the sandbox, end to end: signed interactions to the running local
 * runtime, a run, and what the stand-in received. The sample server's Staff category holds #mods, which only
 * Moderators (and the bot) see: the audience rule keeps it out of a digest posted to the public #digest; and
 * #admins, which the bot was not let into: the stand-in hides it from the bot, as Discord does.
 */
const sandbox = useSandboxRuntime('summary-bot-scope-');
const send = async (line: string): Promise<string> =>
  JSON.stringify((await sandbox.command(line)).answer.json);

const SECRET = 'The ban appeal of user 4242 stays open until the review on Monday.';

describe('scope:server in the sandbox', () => {
  it('digests every channel the digest’s readers can read, and names the private one it left out', async () => {
    const minutesAgo = (n: number) => new Date(sandbox.runtime.clock.now().getTime() - n * 60_000);
    sandbox.discord.addMessage({
      channelId: SAMPLE_CHANNELS.mods,
      author: SAMPLE_MEMBERS.dmitri,
      content: SECRET,
      timestamp: minutesAgo(3),
    });
    expect(
      await send('/schedule create daily name:Town digest time:09:00 channel:#general post_to:#digest'),
    ).toContain('Created');
    const settings = await send('/schedule settings task:Town digest scope:server');
    expect(settings).toContain('Updated');
    // The preview names #mods (the bot was let in, the digest's readers were not); #admins, which the bot
    // was not let into, Discord does not even list: it is neither counted nor named.
    expect(settings).toMatch(/Left out: #mods is private to Moderators/);
    expect(settings).not.toContain('admins');

    const before = sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).length;
    await send('/schedule run task:Town digest');
    await expect
      .poll(() => sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).length, { timeout: 60_000 })
      .toBeGreaterThan(before);
    const digest = JSON.stringify(sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).slice(before));
    const sections = sandbox.discord
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
    expect(digest).not.toContain('admins');
    expect(digest).not.toContain('vault');
  });

  it('refuses a task reading a channel the bot was not let into', async () => {
    const reply = await send(
      '/schedule create daily name:Admins digest time:09:00 channel:#admins post_to:#mods',
    );
    expect(reply).not.toContain('Created');
    expect(reply).toContain(`<#${SAMPLE_CHANNELS.admins}> is not a channel the bot can see in this server`);
  });
});
