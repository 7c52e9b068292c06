import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProjectRoot, projectEnvironment } from '../../lib/local/project-root.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin', 'summary-bot.mjs');
const GROUPS = ['expr', 'tasks', 'reconcile', 'summarize', 'register-commands', 'discord', 'clock', 'doctor'];
/** Every command of every group, as typed before `--help`. */
const SUBCOMMANDS = [
  ...['list', 'show', 'export', 'import', 'pause', 'resume', 'cancel', 'stats'].map((c) => `tasks ${c}`),
  'expr validate',
  'expr next',
  'clock advance',
  'clock now',
  'discord complete',
  'discord messages',
  'discord click',
];

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

  it('answers --help after every command of a group too, with the usage and exit 0, touching no data', () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: join(scratch, 'help'),
    };
    for (const command of SUBCOMMANDS) {
      const [group] = command.split(' ');
      const help = cli([...command.split(' '), '--help'], { env });
      expect(help.code, `${command} --help: ${help.stderr}`).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`^usage: summary-bot ${group}`));
      expect(help.stderr, command).toBe('');
    }
    expect(existsSync(join(scratch, 'help'))).toBe(false);
  });

  it('takes a task id that starts with - after --, and says so when it is taken for an option', () => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: join(scratch, 'ids'),
    };
    // Ids made by earlier versions could start with '-'; new ones cannot (tests/unit/scheduling/task-id).
    const asOption = cli(['tasks', 'cancel', '-XRRAJ4E7BwT'], { env });
    expect(asOption.code).toBe(2);
    expect(asOption.stderr).toMatch(/Unknown option '-X'/);
    expect(asOption.stderr).toContain('tasks cancel -- -XRRAJ4E7BwT');
    const afterDashes = cli(['tasks', 'cancel', '--guild', '100000000000000001', '--', '-XRRAJ4E7BwT'], {
      env,
    });
    expect(afterDashes.code).toBe(1);
    expect(afterDashes.stderr).toMatch(/^error: .*-XRRAJ4E7BwT.*not found/im);
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

/** The CLI against a running sandbox, as a newcomer uses it: what Discord would show, the CLI shows. */
describe('summary-bot discord, against the running sandbox', () => {
  let dataDir: string;
  let bot: BotProcess;
  const env = () => ({
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATA_DIR: dataDir,
    TZ: 'Europe/Berlin',
    LANG: 'en_GB.UTF-8',
  });
  const run = (...args: string[]) => cli(args, { env: env() });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'summary-bot-cli-sandbox-'));
    bot = await startBotProcess(dataDir);
  });
  afterAll(async () => {
    await bot?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows replies as Discord would, refuses with exit 1, completes, exports and imports files', () => {
    const created = run(
      'discord',
      '/schedule create daily name:Daily digest channel:#general time:09:00 post_to:#digest',
    );
    expect(created.code, created.stderr).toBe(0);
    // Discord's <t:…> markers become local times, channel mentions #names.
    expect(created.stdout).not.toMatch(/<t:|<#|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    expect(created.stdout).toMatch(/#general/);
    expect(created.stdout).toMatch(/\b(in|ago)\b.*\b(hours?|minutes?|days?)\b|\b(hours?|minutes?|days?) ago/);

    const refused = run('discord', '/schedule pause task:no such task');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/not found/i);

    const choices = run('discord', 'complete', '/schedule status task:Dai');
    expect(choices.code, choices.stderr).toBe(0);
    expect(choices.stdout).toMatch(/^Daily digest.*→ [0-9A-Za-z]{12}$/m);

    const file = join(dataDir, 'export.json');
    const exported = run('discord', '/schedule export', '--save', file);
    expect(exported.code, exported.stderr).toBe(0);
    const backup = JSON.parse(readFileSync(file, 'utf8'));
    expect(backup.tasks).toHaveLength(1);
    const again = run('discord', '/schedule import', '--attach', file);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Imported 0 tasks\.\nSkipped 1 task that already exists here/);
    // The same task an hour later is a new one: imported through the attachment path.
    backup.tasks[0].schedule = { ...backup.tasks[0].schedule, time: '10:00' };
    writeFileSync(file, JSON.stringify(backup));
    const imported = run('discord', '/schedule import', '--attach', file);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Imported 1 task/);

    const listed = run('tasks', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((t) => t.name)).toEqual([
      'Daily digest',
      'Daily digest',
    ]);
  });

  it('waits for /schedule run and prints the edited reply; a public summary is in the channel history', () => {
    const [task] = JSON.parse(run('tasks', 'list', '--json').stdout) as { id: string }[];
    const ran = run('discord', `/schedule run task:${task?.id}`);
    expect(ran.code, ran.stderr).toBe(0);
    // On a loaded machine the bot defers the reply (after 1.5 s) and edits it in: the answer then follows
    // the "thinking" line, and the result is the reply's second edit.
    expect(ran.stdout).toMatch(/^(\(the bot is thinking…\)\n)?Started a run/);
    expect(ran.stdout).toMatch(/\(edited:\)\n[\s\S]*(Ran|ran|delivered|Skipped|skipped)/);

    const summary = run('discord', '/summarize channel:#dev hours:72 public:true');
    expect(summary.code, summary.stderr).toBe(0);
    const history = run('discord', 'messages', '#general');
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/\d+ messages? the bot posted in #general/);
    expect(history.stdout).toContain('Decisions');
  });
});
