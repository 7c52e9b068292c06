import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotInfo, callControl } from '../../lib/local/control-client.ts';
import { SAMPLE_CHANNELS } from '../../lib/local/sandbox/sample-server.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'summary-bot.mjs');
const DAY_MS = 86_400_000;

/** `npx summary-bot …` as a separate process on the sandbox's data (async: the bot runs in this test). */
function cli(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A task file of the export format, reading #general and posting to #digest. */
const taskFile = (tasks: { name: string; schedule: unknown }[]) =>
  JSON.stringify({
    format: 'summary-bot-tasks',
    version: 1,
    tasks: tasks.map(({ name, schedule }) => ({
      kind: 'summary',
      name,
      channelIds: [SAMPLE_CHANNELS.general],
      schedule,
      timeZone: 'UTC',
      destinations: [{ type: 'discord_channel', channelId: SAMPLE_CHANNELS.digest, format: 'embed' }],
    })),
  });

/** `YYYY-MM-DDTHH:MM` in UTC, as a once schedule takes it. */
const localUtc = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * The sandbox's clock runs ahead of the machine's once advanced: every `tasks …` command works in the
 * sandbox's time, as the running bot does (issue 17: an import produced fake missed runs).
 */
describe('summary-bot tasks in the sandbox, with its clock advanced', () => {
  let dataDir: string;
  let bot: BotProcess;
  const run = (...args: string[]) => cli(dataDir, ...args);
  const sandboxNow = async () => Date.parse((await callControl<BotInfo>(bot.bot, 'GET', 'info')).now);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-sandbox-clock-'));
    bot = await startBotProcess(dataDir);
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates, lists and runs imported tasks in sandbox time, with no missed runs from the real clock', async () => {
    const advanced = await run('clock', 'advance', '3d');
    expect(advanced.code, advanced.stderr).toBe(0);
    expect(advanced.stdout).toMatch(/^Sandbox time moved from \S+ to \S+; \d+ scheduled runs? fired\.$/m);
    const ahead = await sandboxNow();
    expect(ahead - Date.now()).toBeGreaterThan(3 * DAY_MS - 60_000);

    const armedBefore = (await callControl<BotInfo>(bot.bot, 'GET', 'info')).scheduler.armed;
    const file = join(dataDir, 'tasks.json');
    // Daily at the hour the machine's clock is at now: three runs lie between it and the sandbox's time.
    const hour = new Date().toISOString().slice(11, 13);
    await writeFile(
      file,
      taskFile([
        { name: 'Daily digest', schedule: { type: 'daily', time: `${hour}:30` } },
        { name: 'Hourly digest', schedule: { type: 'every', value: 1, unit: 'hours' } },
      ]),
    );
    const imported = await run('tasks', 'import', file, '--json');
    expect(imported.code, imported.stderr).toBe(0);
    const created = JSON.parse(imported.stdout) as { id: string; name: string; createdAt: string }[];
    expect(created.map((t) => t.name)).toEqual(['Daily digest', 'Hourly digest']);
    for (const task of created) expect(Date.parse(task.createdAt)).toBeGreaterThanOrEqual(ahead - 1_000);
    const daily = created[0]?.id as string;

    const listed = await run('tasks', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    for (const task of JSON.parse(listed.stdout) as { metadata: { nextRunAt: string } }[]) {
      expect(Date.parse(task.metadata.nextRunAt)).toBeGreaterThan(ahead);
      expect(Date.parse(task.metadata.nextRunAt)).toBeLessThanOrEqual(ahead + DAY_MS);
    }
    const shown = await run('tasks', 'show', daily, '--json');
    expect(shown.code, shown.stderr).toBe(0);
    for (const next of (JSON.parse(shown.stdout) as { nextRuns: string[] }).nextRuns)
      expect(Date.parse(next)).toBeGreaterThan(ahead);

    // The running bot has taken the new schedules up (and caught up on anything they owed) ...
    await expect
      .poll(async () => (await callControl<BotInfo>(bot.bot, 'GET', 'info')).scheduler.armed, {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(armedBefore + 2);
    // ... and an hour later has run the hourly one, and recorded nothing missed for either.
    const hourLater = await run('clock', 'advance', '1h');
    expect(hourLater.code, hourLater.stderr).toBe(0);
    const stats = await run('tasks', 'stats', '--json');
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).last24h).toMatchObject({ missed: 0 });
    expect(JSON.parse(stats.stdout).last24h.runs).toBeGreaterThanOrEqual(1);
    const dailyRuns = JSON.parse((await run('tasks', 'show', daily, '--json')).stdout) as {
      recentRuns: { status: string }[];
    };
    expect(dailyRuns.recentRuns.filter((r) => r.status === 'missed')).toEqual([]);
  });

  it('refuses a one-time task due in the past of the sandbox, though in the future of the machine', async () => {
    const file = join(dataDir, 'once.json');
    await writeFile(
      file,
      taskFile([{ name: 'Tomorrow, really', schedule: { type: 'once', at: localUtc(Date.now() + DAY_MS) } }]),
    );
    const refused = await run('tasks', 'import', file);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schedule\.at: expected a schedule with a run in the future/);

    await writeFile(
      file,
      taskFile([
        { name: 'Sandbox tomorrow', schedule: { type: 'once', at: localUtc((await sandboxNow()) + DAY_MS) } },
      ]),
    );
    const accepted = await run('tasks', 'import', file);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^Imported 1 task /);
  });
});
