import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, openCliContext } from '../../lib/local/cli-context.ts';
import { callControl } from '../../lib/local/control-client.ts';
import { validateMessageBody } from '../../lib/local/sandbox/message-limits.ts';
import { SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import type { Task } from '../../lib/tasks/task.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

/**
 * `npm start` without credentials, as a real process: signed interactions over real HTTP create tasks of
 * every schedule kind, the sandbox clock makes them fire, and stopping and starting it again loses nothing.
 * The steps share one data folder and run in order.
 */
describe('npm start (sandbox), end to end', () => {
  let dataDir: string;
  let webhook: WebhookReceiver;
  let bot: BotProcess;
  const tasks: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-e2e-'));
    webhook = await startWebhookReceiver();
    bot = await startBotProcess(dataDir);
  });

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await webhook?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** HH:MM and YYYY-MM-DD in UTC, `minutes` after the sandbox's time at start. */
  const at = (minutes: number) => {
    const d = new Date(Date.parse(bot.info.now) + minutes * 60_000);
    return { date: d.toISOString().slice(0, 10), time: d.toISOString().slice(11, 16), day: d.getUTCDate() };
  };

  async function withStore<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
    const ctx = await openCliContext({ DATA_DIR: dataDir });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  /** Every message of a channel, members' and the bot's, as the sandbox's Discord keeps them. */
  const history = async (of: BotProcess, channel: string) =>
    (
      await callControl<{ all: { id: string }[] }>(
        of.bot,
        'GET',
        `channels/${channel.replace(/^#/, '')}/messages`,
      )
    ).all;

  const runsOf = (taskId: string) => withStore((ctx) => ctx.store.listRuns(taskId, { limit: 50 }));

  it('answers /summarize with a deferred reply that the executor edits with the summary', async () => {
    const answer = await bot.command('/summarize channel:#general hours:48', { settle: false });
    expect(answer.status).toBe(200);
    expect(answer.json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(answer.json.data.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);

    const edit = await bot.edited(answer.token);
    const body = edit.body as {
      embeds: { title: string; fields: { name: string }[] }[];
      allowed_mentions: unknown;
    };
    expect(validateMessageBody(edit.body, { requireContent: false })).toEqual([]);
    expect(body.embeds[0]?.fields.map((f) => f.name)).toContain('Action items');
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('refuses /schedule create to a member without Manage Server', async () => {
    const answer = await bot.command(`/schedule create daily channel:#general time:${at(60).time}`, {
      as: 'member',
    });
    expect(answer.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(answer.json.data.content).toMatch(/Manage Server/);
  });

  it('creates a task of every schedule kind through signed interactions', async () => {
    const digest = 'post_to:#digest timezone:UTC';
    const lines = {
      once: `/schedule create once name:once-task date:${at(120).date} time:${at(120).time} ${digest}`,
      daily: `/schedule create daily name:daily-task channel:#general time:${at(60).time} ${digest} webhook:${webhook.origin}/hook email:team@example.com file:summaries/daily`,
      weekly: `/schedule create weekly name:weekly-task channel:#dev channel2:#general days:mon-sun time:${at(240).time} ${digest} length:comprehensive`,
      monthly: `/schedule create monthly name:monthly-task channel:#general day:${at(180).day} time:${at(180).time} ${digest}`,
      every: `/schedule create every name:every-task channel:#random value:6 unit:hours ${digest}`,
      cron: `/schedule create cron name:cron-task channel:#general expression:0 12 * * ? * ${digest}`,
    };
    for (const [kind, line] of Object.entries(lines)) {
      const answer = await bot.command(line);
      expect(answer.status, kind).toBe(200);
      expect(answer.json.data.content, `${kind}: ${answer.json.data.content}`).toMatch(/^Created/);
      tasks[kind] = /`([A-Za-z0-9_-]{12})`/.exec(answer.json.data.content)?.[1] as string;
      expect(tasks[kind], kind).toBeDefined();
    }
    // The Discord format is one of the settings create leaves to /schedule settings.
    const styled = await bot.command(`/schedule settings task:${tasks.weekly} format:markdown`);
    expect(styled.json.data.content).toContain('• Posts in Discord as markdown');
    const stored = await withStore((ctx) => ctx.store.listTasks(SAMPLE_GUILD.id));
    expect(stored.map((t: Task) => t.state)).toEqual(Array(6).fill('active'));
  });

  it('fires every schedule due in the day the clock moves, once each, and delivers everywhere', async () => {
    const result = await bot.advance('1d');
    // once, daily, weekly, monthly and cron once each; every 6 hours four times. Runs per task first, so a
    // failure names the schedule (and its runs' triggers) rather than only the total.
    const runs: Record<string, string[]> = {};
    for (const kind of Object.keys(tasks)) {
      runs[kind] = (await runsOf(tasks[kind] as string)).map((r) => `${r.trigger} ${r.scheduledTime}`);
    }
    expect(
      Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.length])),
      JSON.stringify(runs),
    ).toEqual({
      once: 1,
      daily: 1,
      weekly: 1,
      monthly: 1,
      every: 4,
      cron: 1,
    });
    expect(result.fired).toBe(9);

    const posts = await bot.posted('#digest');
    expect(posts.length).toBeGreaterThanOrEqual(5);
    for (const post of posts) {
      expect(validateMessageBody({ content: post.content, embeds: post.embeds })).toEqual([]);
      expect(post.mention_everyone).toBe(false);
      expect(post.mentions).toEqual([]);
      expect(post.mention_roles).toEqual([]);
      expect(post.author.bot).toBe(true);
    }
    // The comprehensive markdown summary of two channels is long: it arrives split, each part within limits.
    const markdown = posts.filter((p) => p.embeds.length === 0);
    expect(markdown.length).toBeGreaterThanOrEqual(1);

    const [hook] = webhook.requests;
    expect(hook?.method).toBe('POST');
    expect(hook?.url).toBe('/hook');
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({ task: { id: tasks.daily } });

    const outbox = await readdir(join(dataDir, 'outbox'));
    expect(outbox.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const eml = await readFile(
      join(dataDir, 'outbox', outbox.find((f) => f.endsWith('.eml')) as string),
      'utf8',
    );
    expect(eml).toMatch(/^To: team@example\.com/m);
    const files = await readdir(join(dataDir, 'files', 'summaries', 'daily'), { recursive: true });
    expect(files.length).toBeGreaterThanOrEqual(1);
  });

  it('pauses a task from the button on its reply', async () => {
    const status = await bot.command(`/schedule status task:${tasks.cron}`);
    const messageId = (
      await import('../../lib/local/control-client.ts').then((m) =>
        m.callControl<{ message: { id: string } }>(bot.bot, 'GET', `interactions/${status.token}`),
      )
    ).message.id;
    const answer = await bot.click(messageId, `task:pause:${tasks.cron}`);
    expect(answer.status).toBe(200);
    const task = await withStore((ctx) => ctx.store.getTask(SAMPLE_GUILD.id, tasks.cron as string));
    expect(task?.state).toBe('paused');
  });

  it('stops cleanly on SIGTERM and keeps tasks, runs, schedules and channel history for the next start', async () => {
    const digestBefore = await bot.posted('#digest');
    const generalBefore = await history(bot, '#general');
    expect(await bot.stop('SIGTERM')).toBe(0);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);

    bot = await startBotProcess(dataDir);
    expect(bot.output()).toMatch(
      /Restored 6 tasks \(4 active\) and \d+ messages of the sandbox channels' history/,
    );
    expect(bot.output()).toMatch(/Caught up: 0 runs due while stopped fired late, 0 runs recorded as missed/);
    // What the bot posted is still there, and the sample conversation was not posted a second time.
    expect((await bot.posted('#digest')).map((m) => m.id)).toEqual(digestBefore.map((m) => m.id));
    expect((await history(bot, '#general')).map((m) => m.id)).toEqual(generalBefore.map((m) => m.id));

    const stored = await withStore((ctx) => ctx.store.listTasks(SAMPLE_GUILD.id));
    // The one-time task ran and its schedule is gone; the other five come back.
    expect(stored.map((t: Task) => t.name).sort()).toEqual(
      ['cron-task', 'daily-task', 'every-task', 'monthly-task', 'once-task', 'weekly-task'].sort(),
    );

    const result = await bot.advance('1d');
    // daily, weekly and every (4) fire; monthly waits a month; cron is paused; the one-time task is done.
    expect(result.fired).toBe(6);
    expect((await runsOf(tasks.daily as string)).length).toBe(2);
    expect((await runsOf(tasks.once as string)).length).toBe(1);
    expect((await runsOf(tasks.cron as string)).length).toBe(1);
  });

  it('records runs due while it was down as missed, and runs one within the grace period once', async () => {
    expect(await bot.stop('SIGINT')).toBe(0);
    // Two days "off": both daily runs are far beyond the 5-minute grace period.
    bot = await startBotProcess(dataDir, { args: ['--advance', '2d'] });
    expect(bot.output()).toMatch(/recorded as missed/);
    const daily = await runsOf(tasks.daily as string);
    // One record for the outage, however many runs it cost.
    const missed = daily.filter((r) => r.status === 'missed');
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ trigger: 'missed', missedCount: 2 });
    expect(missed[0]?.error).toMatch(/^2 runs missed between \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC and /);

    // A day "off" with a two-day grace period: the run due meanwhile fires on start, once.
    expect(await bot.stop('SIGTERM')).toBe(0);
    bot = await startBotProcess(dataDir, {
      args: ['--advance', '1d'],
      env: { MISSED_RUN_GRACE_SECONDS: '172800' },
    });
    await expect
      .poll(async () => (await runsOf(tasks.daily as string)).filter((r) => r.status !== 'running').length, {
        timeout: 90_000,
      })
      .toBe(4);
    // Two runs before, one record for the two missed, and the late one.
    const daily4 = await runsOf(tasks.daily as string);
    expect(daily4).toHaveLength(4);
    const late = daily4[0];
    expect(late?.trigger).toBe('schedule');
    expect(['succeeded', 'skipped', 'partial']).toContain(late?.status);
  });
});
