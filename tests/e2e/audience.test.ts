import { OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { advanceClock } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS, SAMPLE_ROLES, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * The audience rule end to end in the sandbox (#18): signed interactions create the tasks, the embedded
 * scheduler fires them when the clock moves, and the real executor posts to the Discord stand-in. The
 * sample server's #mods (in the Staff category) is visible only to the Moderators role.
 */
describe('npm start (sandbox): private channels stay out of public digests', () => {
  const sandbox = useSandboxRuntime('summary-bot-audience-');
  const info = sampleServerInfo();
  const send = (line: string) => sandbox.reply(line);
  const digest = () => JSON.stringify(sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest));

  it('leaves #mods out of a digest for #digest, names it at create and never posts its messages', async () => {
    const reply = await send(
      '/schedule create every value:1 unit:hours channel:#general channel2:#mods post_to:#digest',
    );
    expect(reply).toMatch(/^Created/);
    expect(reply).toContain(
      `left out: <#${SAMPLE_CHANNELS.mods}> is private to <@&${SAMPLE_ROLES.moderators}>`,
    );
    const refused = await send('/schedule create every value:1 unit:hours channel:#mods post_to:#digest');
    expect(refused).not.toMatch(/^Created/);
    expect(refused).toContain(`<#${SAMPLE_CHANNELS.mods}> is private to <@&${SAMPLE_ROLES.moderators}>`);

    await advanceClock(sandbox.bot, '1h');
    expect(sandbox.discord.postedMessages(SAMPLE_CHANNELS.digest).length).toBeGreaterThan(0);
    // #mods was never even read for it.
    const modsReads = sandbox.discord.requests.filter(
      (r) => r.path === `/channels/${SAMPLE_CHANNELS.mods}/messages`,
    );
    expect(modsReads).toEqual([]);
    expect(digest()).not.toContain('photo_deals');
    expect(digest()).not.toContain('admin password');
  });

  it('leaves out a channel made private after create at its next run, and says so in the footer', async () => {
    const reply = await send(
      '/schedule create every value:1 unit:hours name:watch channel:#general channel2:#random post_to:#dev',
    );
    expect(reply).toMatch(/^Created/);
    expect(reply).not.toContain('left out');
    // A moderator hides #random from @everyone after the task was created, letting the bot in (else
    // Discord would hide #random from the bot too, and the bot could not read it at all).
    sandbox.discord.setPermissionOverwrites(SAMPLE_CHANNELS.random, [
      { id: info.guild.id, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) },
      { id: SAMPLE_ROLES.moderators, type: OverwriteType.Role, allow: String(P.ViewChannel), deny: '0' },
      { id: sandbox.discord.botUser.id, type: OverwriteType.Member, allow: String(P.ViewChannel), deny: '0' },
    ]);
    await advanceClock(sandbox.bot, '1h');
    const task = (await sandbox.runtime.store.listTasks(info.guild.id)).find((t) => t.name === 'watch');
    const [run] = await sandbox.runtime.store.listRuns(task?.id as string);
    expect(run?.leftOut).toEqual([
      { channelId: SAMPLE_CHANNELS.random, reason: '#random is private to Moderators' },
    ]);
    const posted = JSON.stringify(sandbox.discord.postedMessages(SAMPLE_CHANNELS.dev));
    expect(posted).toContain('Left out: #random is private to Moderators.');
  });
});
