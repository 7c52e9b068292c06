/**
 * Throughput of the scheduler service on the local runtime's parts: the embedded DynamoDB server (dynalite)
 * and the embedded schedule gateway, whose definitions live in the same table. Measures createTask
 * (sequential and 8 at a time), importTasks of 10,000 tasks (20 guilds x 500, the per-file maximum),
 * exportTasks of the same 10,000 and one reconcile pass over everything. Prints figures; asserts nothing.
 *
 * Run: node --import tsx bench/scheduler.ts [--creates 1000] [--disk]
 *   --disk keeps the data in LevelDB under a temporary folder (as `npm start` does) instead of memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoScheduleRepository } from '../lib/aws/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../lib/aws/dynamo-task-store.ts';
import { ensureTable } from '../lib/aws/task-table.ts';
import { ManualClock } from '../lib/local/clock.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { EmbeddedScheduleGateway } from '../lib/local/embedded-scheduler.ts';
import type { TaskExport } from '../lib/scheduling/task-scheduler.ts';
import { TaskScheduler } from '../lib/scheduling/task-scheduler.ts';

const { values } = parseArgs({
  options: { creates: { type: 'string', default: '1000' }, disk: { type: 'boolean', default: false } },
});
const CREATES = Number(values.creates);
const GUILDS = 20;
const PER_GUILD = 500;
const ADMIN = '200000000000000001';
const guildId = (n: number) => `1${String(n).padStart(17, '0')}`;

const SCHEDULES = [
  { type: 'daily', time: '09:00' },
  { type: 'weekly', days: ['MON', 'THU'], time: '17:30' },
  { type: 'monthly', day: 'last', time: '08:00' },
  { type: 'every', value: 6, unit: 'hours' },
  { type: 'cron', expression: 'cron(0/30 9-17 ? * MON-FRI *)' },
  { type: 'once', at: '2030-12-24T18:00' },
];

function input(guild: string, i: number) {
  return {
    kind: 'summary',
    guildId: guild,
    name: `Task ${String(i).padStart(5, '0')}`,
    channelIds: [`3${String(i).padStart(17, '0')}`],
    schedule: SCHEDULES[i % SCHEDULES.length],
    timeZone: ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'][i % 4],
    destinations: [
      { type: 'discord_channel', channelId: `3${String(i).padStart(17, '0')}`, format: 'embed' },
    ],
    createdBy: ADMIN,
  };
}

async function timed<T>(label: string, items: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(44)} ${String(items).padStart(6)} tasks  ${seconds.toFixed(2).padStart(7)} s  ${(items / seconds).toFixed(0).padStart(6)} tasks/s`,
  );
  return result;
}

async function main(): Promise<void> {
  const folder = values.disk ? await mkdtemp(join(tmpdir(), 'bench-scheduler-')) : undefined;
  const dynamo = await startEmbeddedDynamo(folder ? { path: folder } : {});
  try {
    const tableName = 'summary-bot-tasks';
    await ensureTable(dynamo.client, tableName);
    const client = createDocumentClient(dynamo.client);
    const clock = new ManualClock(new Date('2026-03-02T10:00:00Z'));
    const store = new DynamoTaskStore({ client, tableName, clock });
    const schedules = new EmbeddedScheduleGateway({
      repository: new DynamoScheduleRepository({ client, tableName }),
      clock,
      onFire: async () => undefined,
    });
    const scheduler = new TaskScheduler({ store, schedules, clock });
    console.log(
      `scheduler bench: dynalite ${folder ? `on disk (${folder})` : 'in memory'}, embedded gateway, Node ${process.version}`,
    );

    await timed('createTask, one at a time', CREATES, async () => {
      for (let i = 0; i < CREATES; i++) await scheduler.createTask(input(guildId(900), i));
    });
    await timed('createTask, 8 at a time', CREATES, async () => {
      let next = 0;
      const worker = async () => {
        while (next < CREATES) await scheduler.createTask(input(guildId(901), next++));
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    });

    const file: TaskExport = {
      format: 'summary-bot-tasks',
      version: 1,
      guildId: guildId(0),
      exportedAt: clock.now().toISOString(),
      tasks: Array.from({ length: PER_GUILD }, (_, i) => {
        const { guildId: _g, createdBy: _c, ...portable } = input(guildId(0), i);
        return portable as TaskExport['tasks'][number];
      }),
    };
    await timed(`importTasks, ${GUILDS} files of ${PER_GUILD}`, GUILDS * PER_GUILD, async () => {
      for (let g = 1; g <= GUILDS; g++) await scheduler.importTasks(guildId(g), file, ADMIN);
    });
    const exports = await timed(
      `exportTasks, ${GUILDS} guilds of ${PER_GUILD}`,
      GUILDS * PER_GUILD,
      async () => {
        const all: TaskExport[] = [];
        for (let g = 1; g <= GUILDS; g++) all.push(await scheduler.exportTasks(guildId(g)));
        return all;
      },
    );
    console.log(`  export size: ${(JSON.stringify(exports).length / 1024 / 1024).toFixed(1)} MiB`);
    const total = 2 * CREATES + GUILDS * PER_GUILD;
    const report = await timed('reconcile (no drift) over every task', total, () => scheduler.reconcile());
    const repairs = report.recreated.length + report.deletedOrphans.length + report.stateFixed.length;
    console.log(`  repairs: ${repairs}, errors: ${report.errors.length}`);
    await timed('stats (all guilds, runs of first 1,000)', total, () => scheduler.stats());
  } finally {
    await dynamo.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  }
}

await main();
