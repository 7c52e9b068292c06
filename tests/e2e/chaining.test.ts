import { describe, expect, it } from 'vitest';
import { advanceClock } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS, SAMPLE_GUILD, SAMPLE_MEMBERS } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * Chaining in the sandbox, through signed interactions and the sandbox clock: an hourly digest of #general
 * and a daily roll-up that summarizes its digests and runs right after it. Firing the hourly task runs the
 * roll-up once, after the first hourly run from its own time on, with each line linking to the hourly
 * digest it came from.
 */
const sandbox = useSandboxRuntime('summary-bot-chain-');
const send = (line: string) => sandbox.reply(line);

const idIn = (reply: string) => {
  const id = /`([A-Za-z0-9_-]{12})`/.exec(reply)?.[1];
  if (!id) throw new Error(`not created: ${reply}`);
  return id;
};

describe('chaining in the sandbox', () => {
  it('runs a roll-up of an hourly digest once, right after it, linking each line to its digest', async () => {
    const start = sandbox.runtime.clock.now().getTime();
    // Messages in #general over the next six hours, so every hourly run has something to summarize.
    const members = Object.values(SAMPLE_MEMBERS);
    for (let i = 0, minutes = 10; minutes < 6 * 60; i++, minutes += 20) {
      sandbox.discord.addMessage({
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

    await advanceClock(sandbox.bot, '6h', undefined, 50);
    await expect
      .poll(async () => (await sandbox.runtime.store.listRuns(rollUp, { limit: 10 })).length, {
        timeout: 30_000,
      })
      .toBe(1);
    const [run] = await sandbox.runtime.store.listRuns(rollUp, { limit: 10 });
    expect(run?.trigger).toBe('after');
    expect(run?.status).toBe('succeeded');
    // After the first hourly run from its own time on: keyed by that run.
    expect(run?.upstream?.taskId).toBe(hourly);
    expect(Date.parse(run?.upstream?.scheduledTime ?? '')).toBeGreaterThanOrEqual(rollUpAt.getTime());

    expect(await send(`/schedule status task:${rollUp}`)).toContain('(right after the task it follows)');
    const posted = JSON.stringify(sandbox.discord.postedMessages(SAMPLE_CHANNELS.random));
    const hourlyRuns = await sandbox.runtime.store.listRuns(hourly, { limit: 20 });
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
