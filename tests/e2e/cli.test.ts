import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProjectRoot, projectEnvironment } from '../../lib/local/project-root.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'summary-bot.mjs');
const GROUPS = ['expr', 'tasks', 'reconcile', 'summarize', 'register-commands', 'discord', 'clock'];

/** `npx summary-bot …` as a user runs it: the bundle through bin/summary-bot.mjs, in a folder of choice. */
function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the summary-bot command line', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'summary-bot-cli-entry-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints its version, and every command group answers --help with its usage and exit 0', () => {
    const version = cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^summary-bot \d+\.\d+\.\d+ \(Node\.js v2[2-9]\./);
    for (const group of GROUPS) {
      const help = cli([group, '--help']);
      expect(help.code, `${group}: ${help.stderr}`).toBe(0);
      expect(help.stdout, group).toMatch(new RegExp(`^usage: summary-bot ${group}`));
      expect(help.stderr, group).toBe('');
    }
  });

  it('finds the checkout from any folder inside it: the data folder is the root one', () => {
    // A relative DATA_DIR is taken from the root, wherever the command is typed.
    const dataDir = relative(ROOT, join(scratch, 'data'));
    const stats = cli(['tasks', 'stats', '--json'], {
      cwd: join(ROOT, 'lib', 'local'),
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir },
    });
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ total: 0 });
    expect(existsSync(join(scratch, 'data', 'db'))).toBe(true);
    expect(existsSync(join(ROOT, 'lib', 'local', dataDir))).toBe(false);
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const transcripts = join(scratch, 'many.jsonl');
    const line = (i: number) =>
      JSON.stringify({ id: i, transcript: `Ana: release ${i} ships Friday\nBen: ok` });
    writeFileSync(transcripts, `${Array.from({ length: 4000 }, (_, i) => line(i)).join('\n')}\n`);
    const piped = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${BIN}" summarize --jsonl "${transcripts}" | head -n 1`],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(piped.stdout).toMatch(/^\{"id":0,/);
    expect(piped.stderr).toBe('');
  });
});

describe('project root and environment', () => {
  it('is the nearest folder above whose package.json is this project, or none', () => {
    expect(findProjectRoot(join(ROOT, 'lib', 'local'))?.dir).toBe(ROOT);
    expect(findProjectRoot(tmpdir())).toBeUndefined();
  });

  it("reads the root's .env without overriding the environment, and anchors DATA_DIR at the root", () => {
    const root = mkdtempSync(join(tmpdir(), 'summary-bot-root-'));
    try {
      writeFileSync(join(root, '.env'), 'LOG_LEVEL=DEBUG\nDISCORD_APPLICATION_ID=123\n');
      const env = projectEnvironment(root, { LOG_LEVEL: 'WARN', DATA_DIR: 'here' });
      expect(env).toMatchObject({
        LOG_LEVEL: 'WARN',
        DISCORD_APPLICATION_ID: '123',
        DATA_DIR: join(root, 'here'),
      });
      expect(projectEnvironment(root, { DATA_DIR: '/abs' }).DATA_DIR).toBe('/abs');
      expect(projectEnvironment(root, {}).DATA_DIR).toBe(join(root, '.data'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
