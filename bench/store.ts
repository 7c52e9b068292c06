/**
 * The task store on the embedded DynamoDB server: time to create 1,000 tasks and to list a guild of
 * 1,000 tasks (median of several runs), with another 1,000-task guild beside it to show the listing is
 * a query of one partition. Run: `node --import tsx bench/store.ts`.
 */
import { pathToFileURL } from 'node:url';
import { createDocumentClient, DynamoTaskStore } from '../lib/aws/dynamo-task-store.ts';
import { ensureTable } from '../lib/aws/task-table.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { SummaryTask } from '../lib/tasks/task.ts';

const TASKS = 1_000;
const LIST_RUNS = 7;
const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';

function task(guildId: string, i: number): SummaryTask {
  return SummaryTask.parse({
    id: `bench${String(i).padStart(5, '0')}`,
    guildId,
    name: `Digest ${i}`,
    kind: 'summary',
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'Europe/Berlin',
    state: i % 10 === 0 ? 'paused' : 'active',
    createdBy: '300000000000000001',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    channelIds: [`2000000000000${String(i % 50).padStart(5, '0')}`],
    destinations: [{ type: 'discord_channel', channelId: '200000000000000001', format: 'embed' }],
    options: {},
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

async function inBatches<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += concurrency)
    await Promise.all(items.slice(i, i + concurrency).map(fn));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs the benchmark and returns the figures in milliseconds. */
export async function benchStore(): Promise<Record<string, number>> {
  const dynamo = await startEmbeddedDynamo();
  try {
    const store = new DynamoTaskStore({
      client: createDocumentClient(dynamo.client),
      tableName: 'bench-tasks',
    });
    await ensureTable(dynamo.client, 'bench-tasks');
    const indices = Array.from({ length: TASKS }, (_, i) => i);

    const createSequential = await timed(async () => {
      for (const i of indices) await store.createTask(task(GUILD, i));
    });
    const createConcurrent = await timed(() =>
      inBatches(indices, 10, (i) => store.createTask(task(OTHER_GUILD, i))),
    );

    const listTimes: number[] = [];
    for (let run = 0; run < LIST_RUNS; run++) {
      listTimes.push(
        await timed(async () => {
          const listed = await store.listTasks(GUILD);
          if (listed.length !== TASKS) throw new Error(`listed ${listed.length} tasks, expected ${TASKS}`);
        }),
      );
    }
    const filteredTimes: number[] = [];
    for (let run = 0; run < LIST_RUNS; run++) {
      filteredTimes.push(await timed(() => store.listTasks(GUILD, { channelId: '200000000000000001' })));
    }
    const getTimes: number[] = [];
    for (let run = 0; run < 200; run++) getTimes.push(await timed(() => store.getTask(GUILD, 'bench00500')));

    return {
      createSequentialMs: createSequential,
      createConcurrent10Ms: createConcurrent,
      listGuildMedianMs: median(listTimes),
      listGuildFilteredByChannelMedianMs: median(filteredTimes),
      getTaskMedianMs: median(getTimes),
    };
  } finally {
    await dynamo.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const figures = await benchStore();
  console.log(`task store on embedded DynamoDB (dynalite), ${TASKS} tasks per guild, 2 guilds`);
  console.log(`  create ${TASKS} tasks, one at a time   ${figures.createSequentialMs?.toFixed(0)} ms`);
  console.log(`  create ${TASKS} tasks, 10 in parallel  ${figures.createConcurrent10Ms?.toFixed(0)} ms`);
  console.log(
    `  list a guild of ${TASKS} (median of ${LIST_RUNS})  ${figures.listGuildMedianMs?.toFixed(1)} ms`,
  );
  console.log(
    `  list it filtered by channel (median)   ${figures.listGuildFilteredByChannelMedianMs?.toFixed(1)} ms`,
  );
  console.log(`  get one task (median of 200)          ${figures.getTaskMedianMs?.toFixed(2)} ms`);
}
