import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliContext, openCliContext } from '../../lib/local/cli-context.ts';
import { callControl } from '../../lib/local/control-client.ts';
import { SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';
import { recordFigures } from './figures.ts';

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (at: string) => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(at, entry.name));
      else found.push(relative(dir, join(at, entry.name)));
    }
  };
  if (existsSync(dir)) await walk(dir);
  return found.sort();
}

/** The scheduled time in a summary file's name (`…/2026-11-27T09-00-00.000Z.md`). */
function timeOf(file: string): number {
  const time = /(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}\.\d{3}Z)\.(md|json)$/.exec(file);
  return Date.parse(`${time?.[1]}:${time?.[2]}:${time?.[3]}`);
}

/**
 * `npm start` as a real process: a daily summary writes files for days, a cleanup task with a one-day
 * retention runs, and the summary files of runs older than that are gone from `.data/files` (issue #11:
 * cleanup reported "0 file(s)" while they all stayed). Files of another server and files the bot did not
 * write stay.
 */
describe('cleanup tasks of npm start remove old summary files', () => {
  let dataDir: string;
  let bot: BotProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-cleanup-'));
    bot = await startBotProcess(dataDir);
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  async function withCli<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
    const ctx = await openCliContext({ DATA_DIR: dataDir });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  }

  it('removes its own server’s files of runs before the retention, and nothing else', async () => {
    const created = await bot.command(
      '/schedule create daily name:daily-files channel:#general time:09:00 timezone:UTC post_to:#digest file:summaries/daily',
    );
    expect(created.json.data.content).toMatch(/^Created/);
    await bot.advance('2d');
    const files = join(dataDir, 'files');
    const written = await filesUnder(files);
    expect(written.filter((f) => f.endsWith('.md')).length).toBeGreaterThanOrEqual(2);

    // Another server's old summary, and a file the bot never wrote: neither is this cleanup's to remove.
    const foreign = join(
      'summaries',
      'daily',
      '100000000000000999',
      '300000000000000999',
      '2000-01-01T09-00-00.000Z.md',
    );
    await mkdir(join(files, foreign, '..'), { recursive: true });
    await writeFile(join(files, foreign), 'another server');
    await writeFile(join(files, 'notes.txt'), 'mine');

    const armed = async () =>
      (await callControl<{ scheduler: { armed: number } }>(bot.bot, 'GET', 'info')).scheduler.armed;
    const armedBefore = await armed();
    const cleanup = await withCli((ctx) =>
      ctx.scheduler.createTask({
        kind: 'cleanup',
        guildId: SAMPLE_GUILD.id,
        name: 'Nightly cleanup',
        schedule: { type: 'daily', time: '10:00' },
        timeZone: 'UTC',
        retentionDays: 1,
        createdBy: '200000000000000001',
      }),
    );
    // The running bot picks the CLI's task up on its next sync (every 3 s): wait for it to be armed.
    const deadline = Date.now() + 60_000;
    while ((await armed()) <= armedBefore) {
      if (Date.now() > deadline) throw new Error('the cleanup task was never armed');
      await new Promise((r) => setTimeout(r, 100));
    }
    await bot.advance('1d');

    const runs = await withCli((ctx) => ctx.store.listRuns(cleanup.id));
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run?.status).toBe('succeeded');
    const removed = Number(/and (\d+) files? older/.exec(run?.report ?? '')?.[1]);
    expect(removed, run?.report).toBeGreaterThan(0);

    const cutoff = Date.parse(run?.window?.from ?? '');
    const old = written.filter((file) => timeOf(file) < cutoff);
    expect(old.length).toBeGreaterThan(0);
    expect(removed).toBe(old.length);
    const left = await filesUnder(files);
    for (const file of old) expect(left).not.toContain(file);
    expect(left).toContain(foreign);
    expect(left).toContain('notes.txt');
    const ours = left.filter((f) => f.startsWith(join('summaries', 'daily', SAMPLE_GUILD.id)));
    expect(ours.length).toBeGreaterThan(0);
    for (const file of ours) expect(timeOf(file), file).toBeGreaterThanOrEqual(cutoff);
    recordFigures('local-cleanup.files', {
      summaryFilesBefore: written.length,
      removed,
      ownLeft: ours.length,
      othersKept: 2,
    });
  });
});
