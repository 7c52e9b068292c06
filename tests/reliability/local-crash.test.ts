import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliContext, openCliContext } from '../../lib/local/cli-context.ts';
import { callControl } from '../../lib/local/control-client.ts';
import { SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { type BotProcess, startBotProcess } from '../e2e/support/bot-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordFigures } from './figures.ts';

/** Waits for `check` to hold, polling; only a hang fails it (the limit is generous, not a timing claim). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `npm start` as a real process, killed with SIGKILL in the middle of a run, then started again on the
 * same data (issue #11: the run stayed `running` for good, its destination never retried).
 */
describe('npm start killed with SIGKILL, then started again', () => {
  let dataDir: string | undefined;
  let bot: BotProcess | undefined;
  let webhook: WebhookReceiver | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    await webhook?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    bot = undefined;
    webhook = undefined;
    dataDir = undefined;
  });

  async function withCli<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
    const ctx = await openCliContext({ DATA_DIR: dataDir as string });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  it('resumes a run killed mid-delivery: it ends once, and nothing is posted twice', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-crash-run-'));
    // The webhook holds its first request open: the run is killed while it waits on it.
    const held: ServerResponse[] = [];
    webhook = await startWebhookReceiver((_request, response, index) => {
      if (index === 0) held.push(response);
      else response.writeHead(204).end();
    });
    bot = await startBotProcess(dataDir);
    const created = await bot.command(
      `/schedule create daily name:crash-run channel:#general time:09:00 timezone:UTC post_to:#digest webhook:${webhook.origin}/hook`,
    );
    expect(created.json.data.content).toMatch(/^Created/);
    const taskId = /`([A-Za-z0-9_-]{12})`/.exec(created.json.data.content)?.[1] as string;
    // Not awaited: the advance waits for the run, which waits on the held webhook.
    void callControl(bot.bot, 'POST', 'clock/advance', { by: '1d' }).catch(() => undefined);
    await until(async () => webhook?.requests.length === 1, 'the run reached the webhook');
    await until(async () => (await bot?.posted('#digest'))?.length === 1, 'the run posted to #digest');
    // Killed once the run record says the Discord post is delivered (a kill between a post and its record
    // is the at-least-once window Discord's nonce covers; the stand-in's history does not survive a kill).
    await until(
      async () =>
        (await withCli((ctx) => ctx.store.listRuns(taskId)))[0]?.destinations?.some(
          (d) => d.type === 'discord_channel' && d.status === 'delivered',
        ) === true,
      'the run recorded its Discord delivery',
    );
    const postedBefore = (await bot.posted('#digest')).map((p) => p.id);
    await bot.stop('SIGKILL');
    for (const response of held) response.destroy();
    const killedRuns = await withCli((ctx) => ctx.store.listRuns(taskId));
    expect(killedRuns.map((r) => r.status)).toEqual(['running']);

    bot = await startBotProcess(dataDir);
    expect(bot.output()).toMatch(
      /Unfinished runs from before: \d+ resumed, 0 dead-lettered, \d+ resumed when their lease runs out/,
    );
    // The lease of the killed attempt (2 minutes of the sandbox's clock) runs out as the clock moves.
    await bot.advance('10m');
    await until(
      async () => (await withCli((ctx) => ctx.store.listRuns(taskId))).every((r) => r.status !== 'running'),
      'the resumed run finished',
    );
    const runs = await withCli((ctx) => ctx.store.listRuns(taskId));
    expect(runs).toHaveLength(1);
    expect(runs[0]?.status).toBe('succeeded');
    // The Discord post of the killed attempt was recorded: the resumed one delivered only the webhook.
    // The killed attempt's Discord post was recorded: the resumed attempt delivered only the webhook. (The
    // sandbox's Discord saves its history every 2 s, so the kill may lose that post from the stand-in: what
    // counts is that the restarted bot posted nothing new to #digest.)
    const posts = [...new Set([...postedBefore, ...(await bot.posted('#digest')).map((p) => p.id)])];
    expect(posts).toHaveLength(1);
    expect(webhook.requests.length).toBe(2);
    const task = await withCli((ctx) => ctx.store.getTask(SAMPLE_GUILD.id, taskId));
    expect(task?.metadata.runCount).toBe(1);
    recordFigures('local-crash.mid-run', {
      kills: 1,
      runs: runs.length,
      succeeded: runs.filter((r) => r.status === 'succeeded').length,
      discordPosts: posts.length,
      webhookRequests: webhook.requests.length,
    });
  });
});
