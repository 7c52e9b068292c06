import { describe, expect, it } from 'vitest';
import { advanceClock } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS, SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';

/**
 * `/schedule pause task until:<date>` in the sandbox, end to end: the embedded scheduler fires nothing
 * before the date, and the first run from then on resumes the task by itself.
 */
const sandbox = useSandboxRuntime('summary-bot-pause-');
const send = (line: string) => sandbox.reply(line);

const taskOf = async (id: string) => sandbox.runtime.scheduler.getTask(SAMPLE_GUILD.id, id);
const runsOf = async (id: string) => (await sandbox.runtime.store.listRuns(id, { limit: 50 })).length;

describe('/schedule pause until: in the sandbox', () => {
  it('runs nothing before the date, then resumes by itself and says when the next run is', async () => {
    const created = await send(
      '/schedule create every name:hourly value:1 unit:hours channel:#general post_to:#digest',
    );
    const id = /`([A-Za-z0-9_-]{12})`/.exec(created)?.[1] as string;
    if (!id) throw new Error(`not created: ${created}`);

    // Whole seconds: the reply's Discord timestamps are in seconds.
    const until = `${new Date(sandbox.runtime.clock.now().getTime() + 2 * 86_400_000).toISOString().slice(0, 19)}Z`;
    const resumeAt = new Date(until);
    const paused = await send(`/schedule pause task:${id} until:${until}`);
    const unix = Math.floor(resumeAt.getTime() / 1000);
    expect(paused).toContain(`Paused **hourly** until <t:${unix}:F>`);
    expect(paused).toMatch(/it resumes by itself then\. Next run: <t:(\d+):F>/);
    const nextRun = Number(/Next run: <t:(\d+):F>/.exec(paused)?.[1]) * 1000;
    expect(nextRun).toBeGreaterThanOrEqual(resumeAt.getTime());
    expect(nextRun - resumeAt.getTime()).toBeLessThanOrEqual(3_600_000);
    expect((await taskOf(id)).state).toBe('paused');
    expect(await send(`/schedule status task:${id}`)).toContain(`paused until <t:${unix}:f>`);
    const listed = (await send('/schedule list')).split('\n').find((line) => line.includes(id));
    expect(listed).toBe(
      `• **hourly** \`${id}\` of <#${SAMPLE_CHANNELS.general}>: every hour UTC (paused until <t:${unix}:f>)`,
    );

    // A day later: still paused, no run (not even a missed one).
    await advanceClock(sandbox.bot, '1d', undefined, 50);
    expect(await runsOf(id)).toBe(0);
    expect((await taskOf(id)).state).toBe('paused');

    // Past the date: the first run resumed it and the hourly runs go on.
    await advanceClock(sandbox.bot, '1d3h', undefined, 50);
    const task = await taskOf(id);
    expect(task.state).toBe('active');
    expect(task.pausedUntil).toBeUndefined();
    const relisted = (await send('/schedule list')).split('\n').find((line) => line.includes(id));
    expect(relisted).toMatch(/, next <t:\d+:R>$/);
    const runs = await sandbox.runtime.store.listRuns(id, { limit: 50 });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.every((r) => Date.parse(r.scheduledTime) >= resumeAt.getTime())).toBe(true);
  });

  it('refuses a date in the past, a one-time task, and a date it cannot read, changing nothing', async () => {
    const created = await send(
      '/schedule create daily name:daily time:09:00 channel:#general post_to:#digest',
    );
    const id = /`([A-Za-z0-9_-]{12})`/.exec(created)?.[1] as string;
    expect(await send(`/schedule pause task:${id} until:2020-01-01`)).toMatch(/\*\*until\*\*.*in the past/);
    expect(await send(`/schedule pause task:${id} until:someday`)).toMatch(
      /\*\*until\*\*.*not a date I understand/,
    );
    expect((await taskOf(id)).state).toBe('active');
    const tomorrow = new Date(sandbox.runtime.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const once = await send(
      `/schedule create once name:once date:${tomorrow} time:10:00 channel:#general post_to:#digest`,
    );
    const onceId = /`([A-Za-z0-9_-]{12})`/.exec(once)?.[1] as string;
    expect(await send(`/schedule pause task:${onceId} until:3d`)).toMatch(/\*\*until\*\*.*one-time task/);
  });
});
