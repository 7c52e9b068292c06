import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  advanceClock,
  findRunningBot,
  type RunningBot,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { SAMPLE_CHANNELS, SAMPLE_ROLES, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction, type InteractionSetting } from '../../lib/local/slash-command-line.ts';

/**
 * The audience rule end to end in the sandbox (#18): signed interactions create the tasks, the embedded
 * scheduler fires them when the clock moves, and the real executor posts to the Discord stand-in. The
 * sample server's #mods (in the Staff category) is visible only to the Moderators role.
 */
describe('npm start (sandbox): private channels stay out of public digests', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let bot: RunningBot;
  const info = sampleServerInfo();
  const setting = (): InteractionSetting => ({
    applicationId: runtime.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    user: info.user,
    role: 'admin',
    channelId: SAMPLE_CHANNELS.general,
  });
  /** The reply's text; a deferred reply (a slow first command) is waited for until the bot edits it. */
  const send = async (line: string): Promise<string> => {
    const payload = commandInteraction(line, setting());
    const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
    if (answer.json.type !== InteractionResponseType.DeferredChannelMessageWithSource)
      return String(answer.json.data?.content ?? '');
    return vi.waitFor(
      () => {
        const edit = runtime.standIn?.interactionResponses(payload.token).at(-1);
        const content = (edit?.body as { content?: string } | undefined)?.content;
        if (content === undefined) throw new Error('not edited yet');
        return content;
      },
      { timeout: 30_000, interval: 100 },
    );
  };
  const digest = () => JSON.stringify(runtime.standIn?.postedMessages(SAMPLE_CHANNELS.digest) ?? []);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-audience-'));
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
    bot = await findRunningBot(dataDir);
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

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

    await advanceClock(bot, '1h');
    expect(runtime.standIn?.postedMessages(SAMPLE_CHANNELS.digest).length).toBeGreaterThan(0);
    // #mods was never even read for it.
    const modsReads = runtime.standIn?.requests.filter(
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
    // A moderator hides #random from @everyone after the task was created.
    runtime.standIn?.setPermissionOverwrites(SAMPLE_CHANNELS.random, [
      { id: info.guild.id, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) },
      { id: SAMPLE_ROLES.moderators, type: OverwriteType.Role, allow: String(P.ViewChannel), deny: '0' },
    ]);
    await advanceClock(bot, '1h');
    const task = (await runtime.store.listTasks(info.guild.id)).find((t) => t.name === 'watch');
    const [run] = await runtime.store.listRuns(task?.id as string);
    expect(run?.leftOut).toEqual([
      { channelId: SAMPLE_CHANNELS.random, reason: '#random is private to Moderators' },
    ]);
    const posted = JSON.stringify(runtime.standIn?.postedMessages(SAMPLE_CHANNELS.dev) ?? []);
    expect(posted).toContain('Left out: #random is private to Moderators.');
  });
});
