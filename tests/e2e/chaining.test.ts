import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  advanceClock,
  findRunningBot,
  type RunningBot,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import {
  SAMPLE_CHANNELS,
  SAMPLE_GUILD,
  SAMPLE_MEMBERS,
  sampleServerInfo,
} from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';

/**
 * Chaining in the sandbox, through signed interactions and the sandbox clock: an hourly digest of #general
 * and a daily roll-up that summarizes its digests and runs right after it. Firing the hourly task runs the
 * roll-up once, after the first hourly run from its own time on, with each line linking to the hourly
 * digest it came from.
 */
let dataDir: string;
let runtime: LocalRuntime;
let bot: RunningBot;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-chain-'));
  runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
  bot = await findRunningBot(dataDir);
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
    user: info.user,
    role: 'admin',
    channelId: SAMPLE_CHANNELS.general,
    now: runtime.clock.now(),
  });
  const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
  if (answer.json.type !== InteractionResponseType.DeferredChannelMessageWithSource)
    return answer.json.data.content as string;
  // A loaded machine: the local runtime deferred the command after 1.5 s and edits the reply when done.
  const responses = () => runtime.standIn?.interactionResponses(payload.token) ?? [];
  await expect.poll(() => responses().length, { timeout: 30_000 }).toBeGreaterThan(0);
  return String((responses()[0]?.body as { content?: string } | undefined)?.content);
}

const idIn = (reply: string) => {
  const id = /`([A-Za-z0-9_-]{12})`/.exec(reply)?.[1];
  if (!id) throw new Error(`not created: ${reply}`);
  return id;
};

describe('chaining in the sandbox', () => {
  it('runs a roll-up of an hourly digest once, right after it, linking each line to its digest', async () => {
    const start = runtime.clock.now().getTime();
    // Messages in #general over the next six hours, so every hourly run has something to summarize.
    const members = Object.values(SAMPLE_MEMBERS);
    for (let i = 0, minutes = 10; minutes < 6 * 60; i++, minutes += 20) {
      runtime.standIn?.addMessage({
        channelId: SAMPLE_CHANNELS.general,
        author: members[i % members.length]!,
        content: `Status at minute ${minutes}: the backup job finished and the release checklist moved on.`,
        timestamp: new Date(start + minutes * 60_000),
      });
    }
    const hourly = idIn(
      await send('/schedule create every name:hourly value:1 unit:hours channel:#general post_to:#digest'),
    );
    // The roll-up's own time: three hours from now, on the hour, in UTC.
    const rollUpAt = new Date(Math.ceil((start + 3 * 3_600_000) / 3_600_000) * 3_600_000);
    const time = rollUpAt.toISOString().slice(11, 16);
    const rollUp = idIn(
      await send(
        `/schedule create daily name:roll-up time:${time} timezone:UTC channel:#general post_to:#random`,
      ),
    );

    const set = await send(`/schedule settings task:${rollUp} digest_of:${hourly} after:hourly`);
    expect(set).toContain('• Summarizes the digests **hourly** posted since its last run');
    expect(set).toContain('• Runs right after **hourly**’s successful runs, once per its own schedule');
    const cycle = await send(`/schedule settings task:${hourly} after:${rollUp}`);
    expect(cycle).toContain('would close the chain hourly → roll-up → hourly');

    await advanceClock(bot, '6h', undefined, 50);
    await expect
      .poll(async () => (await runtime.store.listRuns(rollUp, { limit: 10 })).length, { timeout: 30_000 })
      .toBe(1);
    const [run] = await runtime.store.listRuns(rollUp, { limit: 10 });
    expect(run?.trigger).toBe('after');
    expect(run?.status).toBe('succeeded');
    // After the first hourly run from its own time on: keyed by that run.
    expect(run?.upstream?.taskId).toBe(hourly);
    expect(Date.parse(run?.upstream?.scheduledTime ?? '')).toBeGreaterThanOrEqual(rollUpAt.getTime());

    expect(await send(`/schedule status task:${rollUp}`)).toContain('(right after the task it follows)');
    const posted = JSON.stringify(runtime.standIn?.postedMessages(SAMPLE_CHANNELS.random) ?? []);
    const hourlyRuns = await runtime.store.listRuns(hourly, { limit: 20 });
    const inWindow = hourlyRuns.filter(
      (r) => r.status === 'succeeded' && Date.parse(r.scheduledTime) <= Date.parse(run?.scheduledTime ?? ''),
    );
    // Its first run covers the day before its own time: every hourly digest until the one it ran after.
    expect(inWindow.length).toBeGreaterThanOrEqual(3);
    const words = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
    expect(posted).toContain(`The day in ${words[inWindow.length]} lines: roll-up`);
    for (const source of inWindow) {
      const link = source.destinations?.find((d) => d.type === 'discord_channel')?.location;
      expect(link).toContain(`https://discord.com/channels/${SAMPLE_GUILD.id}/${SAMPLE_CHANNELS.digest}/`);
      expect(posted).toContain(link);
    }
  });
});
