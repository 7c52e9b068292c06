import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { callControl } from '../../lib/local/control-client.ts';
import { readStateFile } from '../../lib/local/state-files.ts';
import { type BotProcess, startBotExpectingFailure, startBotProcess } from '../support/bot-process.ts';
import { until } from '../support/until.ts';
import { recordFigures } from './figures.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Corrupt and half-written data under `.data/`, put there on disk as a crash or bit rot would, then
 * `npm start` as a real process: it must stop with one line naming the file, what is wrong and what to do,
 * or say loudly that tasks are missing, never start as if the data were empty.
 */
describe('npm start on damaged data', () => {
  const dirs: string[] = [];
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.stop('SIGKILL');
    bot = undefined;
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'summary-bot-damaged-'));
    dirs.push(dir);
    return dir;
  };
  /** A sandbox data folder as a first start leaves it, stopped cleanly. */
  const startedOnce = async () => {
    const dir = await dataDir();
    bot = await startBotProcess(dir);
    // Each at its own hour: identical tasks would be held as duplicates (#16).
    for (const [hour, name] of ['one', 'two', 'three'].entries()) {
      const created = await bot.command(
        `/schedule create daily name:${name} channel:#general time:0${hour + 7}:00 timezone:UTC post_to:#digest`,
      );
      expect(created.json.data.content).toMatch(/^Created/);
    }
    expect(await bot.stop('SIGTERM')).toBe(0);
    bot = undefined;
    return dir;
  };

  it('stops with one line naming a damaged state file, what is wrong and what to do', async () => {
    const dir = await startedOnce();
    const cases: { file: string; content: string; wrong: RegExp }[] = [
      { file: 'sandbox.json', content: '{"applicationId": "12', wrong: /is not valid JSON/ },
      { file: 'sandbox.json', content: '', wrong: /is empty/ },
      { file: 'sandbox.json', content: '{"applicationId":"x","privateKey":"y"}', wrong: /applicationId/ },
      { file: 'sandbox-discord.json', content: '{"version":1,"seededAt":"2026-', wrong: /is not valid JSON/ },
      { file: 'task-count.json', content: '[]', wrong: /expected object/ },
    ];
    let oneLine = 0;
    for (const { file, content, wrong } of cases) {
      const path = join(dir, file);
      const good = await readFile(path, 'utf8');
      await writeFile(path, content);
      const failed = await startBotExpectingFailure(dir);
      await writeFile(path, good);
      const lines = failed.stderr.trim().split('\n');
      expect(failed.code, file).toBe(1);
      expect(lines, failed.stderr).toHaveLength(1);
      expect(lines[0]).toContain(path);
      expect(lines[0]).toMatch(wrong);
      expect(lines[0]).toMatch(/delete it/);
      expect(lines[0]).not.toMatch(/\n\s+at |SyntaxError/);
      oneLine += 1;
    }

    // Garbage in LevelDB's CURRENT is damage, not "in use by another process".
    await writeFile(join(dir, 'db', 'CURRENT'), 'garbage\u0000\u0001');
    const store = await startBotExpectingFailure(dir);
    const [line, ...rest] = store.stderr.trim().split('\n');
    expect(store.code).toBe(1);
    expect(rest, store.stderr).toEqual([]);
    expect(line).toContain(join(dir, 'db'));
    expect(line).toMatch(/is damaged \(Corruption: CURRENT file does not end with newline\); restore/);
    expect(line).not.toMatch(/in use/);
    recordFigures('local-corruption.files', { damagedFiles: cases.length + 1, oneLineRefusals: oneLine + 1 });
  });

  it('says loudly that a store opened with fewer tasks than it last held (a bit-flipped log)', async () => {
    const dir = await startedOnce();
    const counted = await readStateFile(join(dir, 'task-count.json'), z.object({ tasks: z.number() }), '');
    expect(counted?.tasks).toBe(3);
    const logs = (await readdir(join(dir, 'db'))).filter((name) => name.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(0);
    for (const name of logs) {
      const path = join(dir, 'db', name);
      const bytes = await readFile(path);
      for (let at = 16; at < bytes.length; at += 512) bytes[at] = (bytes[at] ?? 0) ^ 0xff;
      await writeFile(path, bytes);
    }

    bot = await startBotProcess(dir);
    const output = bot.output();
    const warning =
      /⚠ WARNING: the task store in \S+ opened with (\d+) tasks?, but 3 tasks were counted at \S+: its files may be damaged/.exec(
        output,
      );
    expect(warning, output).not.toBeNull();
    expect(Number(warning?.[1])).toBeLessThan(3);
    recordFigures('local-corruption.lost-tasks', { counted: 3, opened: Number(warning?.[1]), warned: 1 });
  });

  it('keeps a state file whole when its writer is killed mid-write, again and again', async () => {
    const dir = await dataDir();
    const path = join(dir, 'state.json');
    // A writer that never stops rewriting a large state file, each version whole and numbered.
    const writer = (run: number) => `
      import { writeStateFile } from './lib/local/state-files.ts';
      for (let version = 1; ; version++) {
        await writeStateFile(${JSON.stringify(path)}, { run: ${run}, version, filler: 'x'.repeat(200_000 + (version % 7) * 10_000) });
      }`;
    const State = z.object({ run: z.number(), version: z.number().int().positive(), filler: z.string() });
    const kills = 8;
    let whole = 0;
    for (let run = 1; run <= kills; run++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(run)], {
        cwd: ROOT,
        stdio: 'ignore',
      });
      const exited = new Promise((r) => child.once('exit', r));
      // Killed once this writer has rewritten the file a few times, so the kill lands among its writes.
      await until(async () => {
        const state = existsSync(path) ? await readStateFile(path, State, 'unexpected') : undefined;
        return state?.run === run && state.version >= 3;
      }, `writer ${run} wrote`);
      child.kill('SIGKILL');
      await exited;
      const state = await readStateFile(path, State, 'the write was not atomic');
      expect(state?.run).toBe(run);
      expect(state?.filler.length).toBe(200_000 + ((state?.version ?? 0) % 7) * 10_000);
      whole += 1;
    }
    const leftovers = (await readdir(dir)).filter((name) => name !== 'state.json');
    recordFigures('local-corruption.killed-writes', {
      kills,
      wholeAfterKill: whole,
      temporaryFilesLeft: leftovers.length,
    });
  });

  it('starts where a clock advance killed mid-way was going, never at a lost offset', async () => {
    const dir = await dataDir();
    bot = await startBotProcess(dir);
    const before = Date.parse(bot.info.now);
    await callControl(bot.bot, 'POST', 'clock/advance', { by: '30d' });
    // Killed as soon as the advance has saved where it is going (before the clock got there).
    const Offset = z.object({ clockOffsetMs: z.number() });
    await until(async () => {
      const saved = await readStateFile(join(dir, 'sandbox.json'), Offset, 'unexpected');
      return (saved?.clockOffsetMs ?? 0) >= 30 * 86_400_000;
    }, 'the advance saved its target');
    await bot.stop('SIGKILL');
    bot = await startBotProcess(dir);
    expect(Date.parse(bot.info.now)).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    recordFigures('local-corruption.clock-advance-killed', { kills: 1, restartedAtTarget: 1 });
  });
});
