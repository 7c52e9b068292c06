import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUICK_START_DIGEST } from '../../lib/local/sandbox/sample-conversation.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';
import { quickStartCommands } from '../support/quick-start.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs the CLI as `npx summary-bot` does (bin/summary-bot.mjs runs its bundle). */
function cli(
  args: string[],
  dataDir: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['bin/summary-bot.mjs', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe("the README's quick start", () => {
  let dataDir: string;
  let bot: BotProcess;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-quick-start-'));
    // Started as `npm start` starts it (through tsx), as the README says; other tests use the bundle.
    bot = await startBotProcess(dataDir, { npmStart: true });
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is what npm start suggests, and its three commands end with a delivered summary', async () => {
    const commands = await quickStartCommands();
    expect(commands).toHaveLength(3);
    // The sample day is placed for this schedule's first run (sampleAnchor): the README must keep to it.
    expect(commands[0]?.[1]).toContain(
      `time:${QUICK_START_DIGEST.time} timezone:${QUICK_START_DIGEST.timeZone}`,
    );
    for (const args of commands) {
      expect(bot.output()).toContain(
        `npx summary-bot ${args.map((a) => (a.includes(' ') || a.includes('#') ? `'${a}'` : a)).join(' ')}`,
      );
    }
    const results = [];
    for (const args of commands) results.push(await cli(args, dataDir));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    // On a loaded machine the create is still working after the 3 s Discord allows, so the CLI prints
    // "(the bot is thinking…)" first and then the edit it waited for: the reply the member ends up reading.
    expect(results[0]?.stdout.replace(/^\(the bot is thinking…\)\n/, '')).toMatch(/^Created/);
    expect(results[1]?.stdout).toMatch(/[12] scheduled runs? fired/);
    const digest = results[2]?.stdout ?? '';
    expect(digest).toMatch(/^[12] messages? the bot posted in #digest/);
    // The sample day is placed in the first run's window whatever the hour (sampleAnchor; other hours on a
    // fixed clock in quick-start-hours.test.ts), so its decision is in the digest.
    expect(digest).toMatch(/Decisions/);
    expect(digest).toMatch(/keep it in 2\.4 and remove it in 2\.5/i);
    expect(digest).toMatch(/Made by the built-in extractive summarizer · Daily summary at 09:00/);
  });
});
