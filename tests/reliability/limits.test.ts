/**
 * Limits per server and per member (issue #11, item 6), performed against the `npm start` composition in
 * the sandbox with signed interactions: the attack of the issue (a server importing 100 tasks that run every
 * minute), creates past the task limit, schedules closer than the shortest interval (`every`, and cron by
 * its next runs), edits that would make one, and `/summarize` floods by one member and by a whole server.
 * Every refusal names the limit and the setting that changes it, and changes nothing.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run as runTasks } from '../../bin/commands/tasks.ts';
import { ConfigError } from '../../lib/errors.ts';
import { advanceClock } from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction, type InteractionSetting } from '../../lib/local/slash-command-line.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';
import { sendSettled } from '../support/settled-reply.ts';
import { recordFigures } from './figures.ts';

const TASK_LIMIT = 6;

describe('limits per server and per member (sandbox, signed interactions)', () => {
  const sandbox = useSandboxRuntime('summary-bot-limits-', {
    env: () => ({ MAX_TASKS_PER_SERVER: String(TASK_LIMIT), SUMMARIZE_PER_SERVER_PER_MINUTE: '5' }),
  });
  const info = sampleServerInfo();
  const channel = (name: string) => info.channels.find((c) => c.name === name)?.id as string;
  const setting = (over: Partial<InteractionSetting> = {}): InteractionSetting => ({
    applicationId: sandbox.runtime.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    user: info.user,
    role: 'admin',
    channelId: channel('general'),
    ...over,
  });
  const send = async (line: string, over: Partial<InteractionSetting> = {}) => {
    const answer = await sendSettled(
      sandbox.bot,
      sandbox.runtime.keys as NonNullable<LocalRuntime['keys']>,
      commandInteraction(line, setting(over)),
    );
    expect(answer.status).toBe(200);
    return String(answer.json.data?.content ?? '');
  };
  const taskCount = async () => (await sandbox.runtime.scheduler.listTaskSummaries(info.guild.id)).length;
  const importFile = async (entries: unknown[]) => {
    const attachment = sandbox.runtime.standIn?.addAttachment({
      filename: 'tasks.json',
      content: new TextEncoder().encode(
        JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks: entries }),
      ),
      contentType: 'application/json',
    });
    if (!attachment) throw new Error('the sandbox has no stand-in');
    return send('/schedule import file:tasks.json', { attachments: [attachment] });
  };
  const entry = (schedule: unknown, name = 'Imported') => ({
    kind: 'summary',
    name,
    channelIds: [channel('general')],
    schedule,
    timeZone: 'UTC',
    destinations: [{ type: 'discord_channel', channelId: channel('digest'), format: 'embed' }],
  });

  it('refuses /schedule import of tasks running every minute, and of more tasks than the server may have', async () => {
    const before = await taskCount();
    // 20: a Discord import holds at most 25 tasks; the CLI test below imports 100.
    const everyMinute = await importFile(
      Array.from({ length: 20 }, (_, i) => entry({ type: 'every', value: 1, unit: 'minutes' }, `Flood ${i}`)),
    );
    expect(everyMinute).toMatch(/tasks\[0\]\.schedule/);
    expect(everyMinute).toMatch(/at least 15 minutes apart; this schedule runs 1 minute apart/);
    expect(everyMinute).toContain('MIN_SCHEDULE_INTERVAL_MINUTES');
    const tooMany = await importFile(
      Array.from({ length: 20 }, (_, i) => entry({ type: 'daily', time: '09:00' }, `Daily ${i}`)),
    );
    expect(tooMany).toMatch(/Importing 20 tasks would give this server \d+, and at most 6 are allowed/);
    expect(tooMany).toContain('MAX_TASKS_PER_SERVER');
    expect(await taskCount()).toBe(before);
    recordFigures('limits', { discordImportEntries: 40, discordImportedTasks: (await taskCount()) - before });
  });

  it("refuses `summary-bot tasks import` of 100 tasks running every minute (the issue's attack), and of 100 tasks past the CLI's own limit", async () => {
    const before = await taskCount();
    const file = join(sandbox.runtime.dataDir, 'flood.json');
    const write = (entries: unknown[]) =>
      writeFile(file, JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks: entries }));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.stubEnv('DATA_DIR', sandbox.runtime.dataDir);
    try {
      await write(
        Array.from({ length: 100 }, (_, i) =>
          entry({ type: 'every', value: 1, unit: 'minutes' }, `Flood ${i}`),
        ),
      );
      expect(await runTasks(['import', file, '--guild', info.guild.id])).toBe(2);
      await write(
        Array.from({ length: 100 }, (_, i) => entry({ type: 'daily', time: '09:00' }, `Daily ${i}`)),
      );
      expect(await runTasks(['import', file, '--guild', info.guild.id])).toBe(2);
      const said = stderr.mock.calls.map((c) => String(c[0])).join('');
      expect(said).toMatch(
        /tasks\[0\]\.schedule: expected runs at least 15 minutes apart; this schedule runs 1 minute apart/,
      );
      // The CLI reads the limits from its own environment: the default 50 here.
      expect(said).toMatch(/Importing 100 tasks would give this server \d+, and at most 50 are allowed/);
    } finally {
      vi.unstubAllEnvs();
      stderr.mockRestore();
      stdout.mockRestore();
    }
    expect(await taskCount()).toBe(before);
    recordFigures('limits', { cliImportEntries: 200, cliImportedTasks: (await taskCount()) - before });
  });

  it('refuses every and cron schedules closer than 15 minutes, cron by its actual next runs', async () => {
    const before = await taskCount();
    const refused = [
      '/schedule create every value:5 unit:minutes channel:#general post_to:#digest',
      '/schedule create every value:14 unit:minutes channel:#general post_to:#digest',
      // Every ten minutes, written as a step.
      '/schedule create cron expression:cron(0/10 * * * ? *) channel:#general post_to:#digest',
      // Twice an hour but only 5 minutes apart: an average of 30 minutes would pass a naive check.
      '/schedule create cron expression:cron(0,5 * * * ? *) channel:#general post_to:#digest',
      // Daily at 09:00 and 09:07 on weekdays only.
      '/schedule create cron expression:cron(0,7 9 ? * MON-FRI *) channel:#general post_to:#digest',
    ];
    for (const line of refused) {
      const reply = await send(line);
      expect(reply, line).toMatch(/at least 15 minutes apart; this schedule runs \d+ minutes apart/);
      expect(reply).toContain('MIN_SCHEDULE_INTERVAL_MINUTES');
    }
    expect(await taskCount()).toBe(before);
    expect(
      await send('/schedule create every value:15 unit:minutes channel:#general post_to:#digest'),
    ).toMatch(/^Created/);
    expect(
      await send('/schedule create cron expression:cron(0,30 * * * ? *) channel:#general post_to:#digest'),
    ).toMatch(/^Created/);
    recordFigures('limits', { shortSchedulesRefused: refused.length, acceptedAtTheLimit: 2 });
  });

  it('refuses an edit that would run a task every 5 minutes, and keeps the task as it was', async () => {
    const [task] = (await sandbox.runtime.scheduler.listTasks(info.guild.id)).filter(
      (t) => t.schedule.type === 'every',
    );
    if (!task) throw new Error('the previous test made an every task');
    const reply = await send(`/schedule edit task:${task.id} every:5 unit:minutes`);
    expect(reply).toMatch(/at least 15 minutes apart/);
    expect((await sandbox.runtime.scheduler.getTask(info.guild.id, task.id)).schedule).toEqual(task.schedule);
  });

  it('refuses the create that would pass the task limit, saying how many and which setting', async () => {
    let created = 0;
    while ((await taskCount()) < TASK_LIMIT) {
      expect(
        // Each at its own minute: an identical task would be held as a duplicate instead (#16).
        await send(
          `/schedule create daily time:08:${String(created).padStart(2, '0')} channel:#general post_to:#digest name:Fill ${created}`,
        ),
      ).toMatch(/^Created/);
      created++;
    }
    const reply = await send(
      '/schedule create daily time:09:30 channel:#general post_to:#digest name:One more',
    );
    expect(reply).toBe(
      `This server already has ${TASK_LIMIT} tasks, and at most ${TASK_LIMIT} are allowed. Cancel a task it no longer needs, or whoever runs the bot can raise it with MAX_TASKS_PER_SERVER (CDK context maxTasksPerServer).`,
    );
    expect(await taskCount()).toBe(TASK_LIMIT);
    recordFigures('limits', { tasksAtLimit: TASK_LIMIT, refusedPastLimit: 1 });
  });

  it('lets a member /summarize 3 times a minute and a server 5 times, then says when to try again', async () => {
    const member = (n: number) => ({
      user: {
        id: `11900000000000003${String(n).padStart(2, '0')}`,
        username: `member${n}`,
        global_name: null,
      },
      role: 'member' as const,
    });
    const summarize = (n: number) => send('/summarize channel:#general hours:1', member(n));
    const first = [await summarize(1), await summarize(1), await summarize(1)];
    for (const reply of first) expect(reply).not.toMatch(/a minute/);
    const fourth = await summarize(1);
    expect(fourth).toMatch(/^You can ask for 3 summaries a minute; try again in \d+ seconds?\./);
    expect(fourth).toContain('SUMMARIZE_PER_MEMBER_PER_MINUTE');
    // Two more members reach the server's 5; the sixth request of the minute is the server's refusal.
    expect(await summarize(2)).not.toMatch(/a minute/);
    expect(await summarize(3)).not.toMatch(/a minute/);
    const server = await summarize(4);
    expect(server).toMatch(/^This server can ask for 5 summaries a minute, all members together/);
    expect(server).toContain('SUMMARIZE_PER_SERVER_PER_MINUTE');
    // A minute later the windows have moved on.
    await advanceClock(sandbox.bot, '61s');
    expect(await summarize(1)).not.toMatch(/a minute/);
    recordFigures('limits', { summarizeAllowed: 6, summarizeRefused: 2 });
  });
});

describe('limit settings are checked at start', () => {
  it.each([
    ['MAX_TASKS_PER_SERVER', '0'],
    ['MIN_SCHEDULE_INTERVAL_MINUTES', 'fifteen'],
    ['SUMMARIZE_PER_MEMBER_PER_MINUTE', '-3'],
    ['SUMMARIZE_PER_SERVER_PER_MINUTE', '2.5'],
  ])('refuses %s=%s, naming the variable', async (name, value) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-limits-config-'));
    try {
      const start = startLocalRuntime({
        env: { DATA_DIR: dataDir, PORT: '0', [name]: value },
        report: () => undefined,
      });
      await expect(start).rejects.toBeInstanceOf(ConfigError);
      await expect(
        startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0', [name]: value }, report: () => undefined }),
      ).rejects.toThrow(name);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
