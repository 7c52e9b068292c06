import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoScheduleRepository } from '../../../lib/dynamo/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../../../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../../../lib/dynamo/task-table.ts';
import { LOCAL_TABLE_NAME } from '../../../lib/local/cli-context.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { startEmbeddedDynamo } from '../../../lib/local/embedded-dynamo.ts';
import { EmbeddedScheduleGateway } from '../../../lib/local/embedded-scheduler.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import { hiddenFromEveryone, shownTo, shownToBot } from '../../support/overwrites.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';
const ADMIN = '200000000000000001';
const CHANNEL = '300000000000000001';
/** A channel of another server the bot is in. */
const FOREIGN_CHANNEL = '300000000000000002';
const BOT_TOKEN = 'cli-test-bot-token-0123456789';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a user runs it: a separate process on the local data in a temporary DATA_DIR. */
// Each test starts several CLI processes (a few seconds each on a loaded 2-core machine, over 10 s at load 20).
describe('summary-bot tasks (CLI, local data)', { timeout: 180_000 }, () => {
  let dataDir: string;
  let discord: DiscordStandIn;
  let discordEnv: NodeJS.ProcessEnv = {};

  const cli = (...args: string[]): Promise<Result> => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...discordEnv };
    delete env.TASK_TABLE_NAME;
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['bin/summary-bot.mjs', ...args],
        { env, cwd: process.cwd(), timeout: 110_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-cli-'));
    discord = await startDiscordStandIn({ botToken: BOT_TOKEN });
    discord.addChannel({ id: CHANNEL, guildId: GUILD, name: 'general' });
    discord.addChannel({ id: FOREIGN_CHANNEL, guildId: '100000000000000002', name: 'elsewhere' });
    discordEnv = { DISCORD_BOT_TOKEN: BOT_TOKEN, DISCORD_API_URL: discord.apiUrl };
  });
  afterAll(async () => {
    await discord.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates tasks by import, then lists, shows, pauses and counts them', async () => {
    const file = join(dataDir, 'tasks.json');
    await writeFile(
      file,
      JSON.stringify({
        format: 'summary-bot-tasks',
        version: 1,
        tasks: [
          {
            kind: 'summary',
            name: 'Daily digest',
            channelIds: [CHANNEL],
            schedule: { type: 'daily', time: '09:00' },
            timeZone: 'Europe/Berlin',
            destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
          },
          { kind: 'cleanup', name: 'Cleanup', schedule: { type: 'daily', time: '03:00' }, retentionDays: 30 },
        ],
      }),
    );
    const imported = await cli('tasks', 'import', file, '--guild', GUILD, '--as', ADMIN);
    expect(imported.stderr).not.toMatch(/error/);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported 2 tasks');

    const listed = await cli('tasks', 'list', '--guild', GUILD, '--json');
    expect(listed.code).toBe(0);
    const tasks = JSON.parse(listed.stdout) as { id: string; name: string; state: string }[];
    expect(tasks.map((t) => [t.name, t.state])).toEqual([
      ['Cleanup', 'active'],
      ['Daily digest', 'active'],
    ]);
    const digest = tasks.find((t) => t.name === 'Daily digest');
    if (!digest) throw new Error('expected the digest task');

    const shown = await cli('tasks', 'show', digest.id, '--guild', GUILD);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/schedule\s+every day at 09:00 \(Europe\/Berlin\)/);

    const paused = await cli('tasks', 'pause', digest.id, '--guild', GUILD);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toContain('is paused');

    const stats = await cli('tasks', 'stats', '--guild', GUILD, '--json');
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ total: 2, byState: { active: 1, paused: 1 } });

    const table = await cli('tasks', 'list', '--guild', GUILD, '--state', 'paused');
    expect(table.stdout).toMatch(/^ID\s+NAME\s+KIND\s+STATE/);
    expect(table.stdout).toContain('Daily digest');
    expect(table.stdout).not.toContain('Cleanup');
  });

  it('needs no --guild while one server has tasks, and takes -- before a task id', async () => {
    const listed = await cli('tasks', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const [first] = JSON.parse(listed.stdout) as { id: string }[];
    expect(first?.id).toMatch(/^[0-9A-Za-z]{12}$/);
    const shown = await cli('tasks', 'show', '--json', '--', first?.id as string);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ task: { id: first?.id, guildId: GUILD } });
  });

  it('exits 2 and names the option or field for bad input', async () => {
    const other = join(dataDir, 'other.json');
    await writeFile(
      other,
      JSON.stringify({
        format: 'summary-bot-tasks',
        version: 1,
        tasks: [
          { kind: 'cleanup', name: 'Other', schedule: { type: 'daily', time: '04:00' }, retentionDays: 7 },
        ],
      }),
    );
    expect((await cli('tasks', 'import', other, '--guild', OTHER_GUILD)).code).toBe(0);
    const noGuild = await cli('tasks', 'list');
    expect(noGuild.code).toBe(2);
    expect(noGuild.stderr).toContain(
      `--guild: expected one of the 2 servers with tasks: ${GUILD}, ${OTHER_GUILD}`,
    );

    const bad = join(dataDir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks: [{ kind: 'summary', name: 'x' }] }),
    );
    const invalid = await cli('tasks', 'import', bad, '--guild', GUILD);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('tasks[0].channelIds');
  });

  it("works through a running bot's embedded DynamoDB named in runtime.json", async () => {
    const running = await startEmbeddedDynamo();
    try {
      await ensureTable(running.client, LOCAL_TABLE_NAME);
      const documentClient = createDocumentClient(running.client);
      const clock = new ManualClock(new Date());
      const scheduler = new TaskScheduler({
        store: new DynamoTaskStore({ client: documentClient, tableName: LOCAL_TABLE_NAME }),
        schedules: new EmbeddedScheduleGateway({
          repository: new DynamoScheduleRepository({ client: documentClient, tableName: LOCAL_TABLE_NAME }),
          clock,
          onFire: async () => undefined,
        }),
        clock,
      });
      const task = await scheduler.createTask({
        kind: 'cleanup',
        guildId: GUILD,
        name: 'Owned by the running bot',
        schedule: { type: 'daily', time: '03:00' },
        retentionDays: 7,
        createdBy: ADMIN,
      });
      const botDir = await mkdtemp(join(tmpdir(), 'summary-bot-running-'));
      // This test process plays the running bot: its pid is alive.
      await writeFile(
        join(botDir, 'runtime.json'),
        JSON.stringify({
          dynamoEndpoint: running.endpoint,
          dynamoAccessKeyId: running.accessKeyId,
          pid: process.pid,
        }),
      );
      const previous = dataDir;
      dataDir = botDir;
      try {
        const listed = await cli('tasks', 'list', '--guild', GUILD, '--json');
        expect(listed.code).toBe(0);
        expect(JSON.parse(listed.stdout)).toMatchObject([{ id: task.id, name: 'Owned by the running bot' }]);
        const reconciled = await cli('reconcile', '--json');
        expect(reconciled.code).toBe(0);
        expect(JSON.parse(reconciled.stdout)).toMatchObject({ recreated: [], deletedOrphans: [] });
      } finally {
        dataDir = previous;
        await rm(botDir, { recursive: true, force: true });
      }
    } finally {
      await running.close();
    }
  });

  it('refuses to import a channel of another server the bot is in, and writes nothing', async () => {
    const file = join(dataDir, 'foreign.json');
    const digest = (channelId: string) => ({
      kind: 'summary',
      name: 'Foreign digest',
      channelIds: [CHANNEL],
      schedule: { type: 'daily', time: '09:00' },
      destinations: [{ type: 'discord_channel', channelId, format: 'embed' }],
    });
    await writeFile(
      file,
      JSON.stringify({
        format: 'summary-bot-tasks',
        version: 1,
        tasks: [digest(CHANNEL), digest(FOREIGN_CHANNEL)],
      }),
    );
    const refused = await cli('tasks', 'import', file, '--guild', GUILD);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `tasks[1].destinations[0].channelId: expected a channel of this server; <#${FOREIGN_CHANNEL}> is not one`,
    );
    const listed = await cli('tasks', 'list', '--guild', GUILD, '--json');
    expect(JSON.parse(listed.stdout).map((t: { name: string }) => t.name)).not.toContain('Foreign digest');

    // Without any Discord access it cannot check, so it refuses and says what to set.
    const saved = discordEnv;
    discordEnv = {};
    try {
      const unchecked = await cli('tasks', 'import', file, '--guild', GUILD);
      expect(unchecked.code).toBe(2);
      expect(unchecked.stderr).toContain('set DISCORD_BOT_TOKEN');
    } finally {
      discordEnv = saved;
    }
  });

  it('restores a backup faithfully, skips tasks that exist, and replaces them with --replace', async () => {
    const exported = await cli('tasks', 'export', '--guild', GUILD);
    expect(exported.code, exported.stderr).toBe(0);
    const backup = join(dataDir, 'backup.json');
    await writeFile(backup, exported.stdout);
    const before = JSON.parse((await cli('tasks', 'list', '--guild', GUILD, '--json')).stdout) as {
      id: string;
      name: string;
      state: string;
    }[];

    const again = await cli('tasks', 'import', backup, '--guild', GUILD);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`Imported 0 tasks into guild ${GUILD}.`);
    expect(again.stdout).toContain(
      `Skipped ${before.length} tasks that already exist (same channels, destinations and schedule; --replace replaces them)`,
    );

    const replaced = await cli('tasks', 'import', backup, '--guild', GUILD, '--replace');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(replaced.stdout).toContain(`Imported ${before.length} tasks into guild ${GUILD}.`);
    expect(replaced.stdout).toContain(`Replaced ${before.length} tasks: `);
    const after = JSON.parse(
      (await cli('tasks', 'list', '--guild', GUILD, '--json')).stdout,
    ) as typeof before;
    // The same tasks in the same states (the paused digest stays paused), under new ids.
    expect(after.map((t) => [t.name, t.state])).toEqual(before.map((t) => [t.name, t.state]));
    expect(after.some((t) => before.some((b) => b.id === t.id))).toBe(false);
  });

  it('applies the audience rule at import as /schedule import does: left out and named, or refused naming tasks[i]', async () => {
    // A server of its own, with a channel only @Moderators (and the bot, let in) can see.
    const guild = '100000000000000003';
    const [general, mods] = ['300000000000000031', '300000000000000032'];
    discord.addChannel({ id: general, guildId: guild, name: 'town-square' });
    discord.setRole(guild, { id: '500000000000000031', name: 'Moderators', permissions: 0n });
    discord.addChannel({
      id: mods,
      guildId: guild,
      name: 'mods',
      permissionOverwrites: [hiddenFromEveryone(guild), shownTo('500000000000000031'), shownToBot(discord)],
    });
    const webhook = { type: 'webhook', url: 'https://hooks.example.com/digest' };
    const entry = (over: Record<string, unknown>) => ({
      kind: 'summary',
      name: 'Town digest',
      channelIds: [general, mods],
      schedule: { type: 'daily', time: '09:00' },
      destinations: [{ type: 'discord_channel', channelId: general, format: 'embed' }],
      ...over,
    });
    const fileOf = async (name: string, tasks: Record<string, unknown>[]) => {
      const path = join(dataDir, name);
      await writeFile(path, JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks }));
      return path;
    };
    const names = async () =>
      (JSON.parse((await cli('tasks', 'list', '--guild', guild, '--json')).stdout) as { name: string }[]).map(
        (t) => t.name,
      );

    // A private source to a webhook without the file's includePrivate: refused, naming the entry; nothing written.
    const leaking = await fileOf('leaking.json', [
      entry({}),
      entry({ name: 'Mods to webhook', channelIds: [mods], destinations: [webhook] }),
    ]);
    const refused = await cli('tasks', 'import', leaking, '--guild', guild);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'error: tasks[1].destinations[0]: expected channels everyone in the server can read for webhook, e-mail and file delivery; #mods is private to Moderators, so its messages are not sent outside Discord.',
    );
    expect(refused.stderr).toContain('set "includePrivate": true in its options');
    expect(await names()).toEqual([]);

    // A private source of a digest posted where everyone reads it: left out, and named.
    const mixed = await fileOf('mixed.json', [entry({})]);
    const imported = await cli('tasks', 'import', mixed, '--guild', guild);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 1 task into guild');
    expect(imported.stdout).toContain('Town digest: left out: #mods is private to Moderators');
    const shown = JSON.parse((await cli('tasks', 'list', '--guild', guild, '--json')).stdout);
    expect(shown).toMatchObject([{ name: 'Town digest', channelIds: [general] }]);

    // With includePrivate: true it is taken, with a warning that names what leaves Discord (--json: on stderr).
    const consented = await fileOf('consented.json', [
      entry({
        name: 'Mods to webhook',
        channelIds: [mods],
        destinations: [webhook],
        options: { includePrivate: true },
      }),
    ]);
    const taken = await cli('tasks', 'import', consented, '--guild', guild, '--json');
    expect(taken.code, taken.stderr).toBe(0);
    const [task] = JSON.parse(taken.stdout) as { id: string; channelIds: string[] }[];
    expect(task?.channelIds).toEqual([mods]);
    expect(taken.stderr).toContain(
      `⚠️ Mods to webhook takes include_private:true from the file: #mods is private to Moderators, and its messages go to the webhook on hooks.example.com too, where Discord does not check who reads them. \`/schedule edit task:${task?.id} include_private:false\` stops that.`,
    );
  });

  it('exits 1 for a task that is not there', async () => {
    const missing = await cli('tasks', 'show', 'nosuchtask00', '--guild', GUILD);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('not found');
  });
});
