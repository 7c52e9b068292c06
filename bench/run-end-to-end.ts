/**
 * Figure 5, a run end to end: N messages (100 per page) in the Discord stand-in, read through the REST
 * adapter, summarized by the embedded summarizer and delivered to a Discord channel, a loopback webhook and
 * a local file, by the real TaskExecutor over the DynamoDB store. Only the executor is measured: it runs in
 * a child process of its own (bench/run-end-to-end-executor.ts, bundled by esbuild as CDK bundles the
 * Lambda and started with plain node, no tsx), holding what the executor Lambda holds. The rig (the stand-in
 * seeded with the messages, the webhook receiver, the embedded DynamoDB server) stays in this process and is
 * reached over loopback; its time serving pages is in the wall time but not in the executor's CPU time. A
 * fresh rig and child per measured run. The stand-in's per-route limits are set out of reach;
 * @discordjs/rest still keeps Discord's global 50 requests per second, and every wait it announces
 * (`rateLimited` events, global or per route) is summed and subtracted from the wall time.
 * Run standalone: `node --import tsx bench/run-end-to-end.ts [--messages 10000]`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createDocumentClient, DynamoTaskStore } from '../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../lib/dynamo/task-table.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { startDiscordStandIn } from '../lib/local/sandbox/discord-stand-in.ts';
import { SummaryOptions } from '../lib/tasks/summary-options.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  startRecordingReceiver,
  summaryTask,
} from '../tests/support/executor-harness.ts';
import { bundleFunction, LAMBDA_ENV } from './cold-start.ts';
import { syntheticMessages } from './dialogsum.ts';
import type { Figure } from './lib/report.ts';
import type { ExecutorMeasurement, RunConfig } from './run-end-to-end-executor.ts';

const execFileAsync = promisify(execFile);
const benchDir = dirname(fileURLToPath(import.meta.url));
const TABLE = 'bench-run';

/** One measured run: the executor process's own figures and what the rig saw. */
export interface RunMeasurement extends ExecutorMeasurement {
  messages: number;
  pages: number;
  /** 429 answers from the stand-in (their waits are among the rateLimited events). */
  limited: number;
}

const AUTHORS = Array.from({ length: 25 }, (_, i) => ({
  id: String(400_000_000_000_000_000n + BigInt(i)),
  username: `user${i}`,
  global_name: `User ${i}`,
}));

/**
 * One run of `count` messages: the rig here, the executor in a fresh `node` process running `bundle` (the
 * esbuild bundle of run-end-to-end-executor.ts), so the child's peak RSS is the executor's alone.
 */
export async function measureRun(count: number, bundle: string): Promise<RunMeasurement> {
  const scheduledTime = new Date('2026-11-27T09:00:00.000Z');
  const standIn = await startDiscordStandIn({
    now: () => scheduledTime,
    rateLimit: { limit: 1_000_000_000, windowMs: 1_000 },
  });
  const webhook = await startRecordingReceiver();
  const dynamo = await startEmbeddedDynamo();
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-run-'));
  try {
    standIn.addGuild({ id: GUILD, name: 'Bench server' });
    standIn.addChannel({ id: GENERAL, guildId: GUILD, name: 'general' });
    standIn.addChannel({ id: DIGEST, guildId: GUILD, name: 'digest' });
    // Spread over the 24 hours before the run, oldest first, as a busy channel would have them.
    const spacing = Math.floor((24 * 3_600_000 - 60_000) / count);
    const start = scheduledTime.getTime() - 24 * 3_600_000 + 30_000;
    for (const [i, m] of syntheticMessages(count).entries()) {
      standIn.addMessage({
        channelId: GENERAL,
        author: AUTHORS[i % AUTHORS.length] as (typeof AUTHORS)[number],
        content: m.content,
        timestamp: new Date(start + i * spacing),
      });
    }
    await ensureTable(dynamo.client, TABLE);
    const store = new DynamoTaskStore({ client: createDocumentClient(dynamo.client), tableName: TABLE });
    const task = summaryTask({
      destinations: [
        { type: 'discord_channel', channelId: DIGEST, format: 'embed' },
        { type: 'webhook', url: webhook.url },
        { type: 'file', prefix: 'summaries' },
      ],
      options: SummaryOptions.parse({ maxMessages: 50_000, lookback: { mode: 'fixed', hours: 24 } }),
      createdBy: ADMIN,
    });
    await store.createTask(task);
    standIn.clearRequests();

    const config: RunConfig = {
      apiUrl: standIn.apiUrl,
      dynamoEndpoint: dynamo.endpoint,
      dynamoAccessKeyId: dynamo.accessKeyId,
      tableName: TABLE,
      taskId: task.id,
      guildId: GUILD,
      scheduledTime: scheduledTime.toISOString(),
      dataDir,
    };
    // Asynchronous: this process's event loop serves the child's requests meanwhile.
    const child = await execFileAsync(
      process.execPath,
      ['--no-warnings', '--expose-gc', bundle, JSON.stringify(config)],
      {
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        timeout: 180_000,
        env: { PATH: process.env.PATH ?? '' },
      },
    ).catch((error: unknown) => {
      const stderr = (error as { stderr?: string }).stderr ?? '';
      throw new Error(`end-to-end run of ${count} messages failed: ${stderr.slice(-2000)}`, { cause: error });
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (!line.startsWith('{')) {
      throw new Error(
        `end-to-end run of ${count} messages printed no measurement: ${child.stderr.slice(-2000)}`,
      );
    }
    const measured = JSON.parse(line) as ExecutorMeasurement;
    const limited = standIn.requests.filter((r) => r.status === 429).length;
    const pages = standIn.requests.filter(
      (r) => r.method === 'GET' && r.path === `/channels/${GENERAL}/messages` && r.status === 200,
    ).length;
    if (webhook.received.length !== 1 || standIn.postedMessages(DIGEST).length === 0) {
      throw new Error(`the run did not deliver everywhere: ${measured.outcome}`);
    }
    return { ...measured, messages: count, pages, limited };
  } finally {
    await standIn.close();
    await webhook.close();
    await dynamo.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Peak RSS in MB of a node process that does nothing but start with `flags` (e.g. `--import tsx`, or
 * `--require bundle.cjs` to load a bundle), for scale.
 */
export function idleNodeRssMb(flags: string[] = []): number {
  const child = spawnSync(
    process.execPath,
    [...flags, '-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'],
    { encoding: 'utf8', cwd: resolve(benchDir, '..'), env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV } },
  );
  const kb = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(kb)) {
    throw new Error(
      `idle node ${flags.join(' ')} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`,
    );
  }
  return kb / 1024;
}

/** Figure 5: 10,000 messages against the budget, and the growth from 1,000 to 50,000. */
export async function benchEndToEnd(options: { sizes?: number[]; repeats?: number } = {}): Promise<{
  figures: Figure[];
  notes: string[];
}> {
  const sizes = options.sizes ?? [1_000, 10_000, 50_000];
  const repeats = options.repeats ?? 3;
  const figures: Figure[] = [];
  const notes: string[] = [];
  const outDir = await mkdtemp(join(tmpdir(), 'bench-executor-'));
  try {
    const bundle = await bundleFunction(join(benchDir, 'run-end-to-end-executor.ts'), outDir);
    for (const size of sizes) {
      const runs: RunMeasurement[] = [];
      for (let i = 0; i < (size === 10_000 ? repeats : 1); i++)
        runs.push(await measureRun(size, bundle.file));
      runs.sort((a, b) => a.wallMs - b.wallMs);
      const m = runs[Math.floor(runs.length / 2)] as RunMeasurement;
      const budgeted = size === 10_000;
      const n = size.toLocaleString('en-US');
      figures.push(
        {
          id: `5.run.${size}.wall`,
          group: 5,
          label: `run of ${n} messages (${m.pages} pages): wall, rate-limit waits excluded${runs.length > 1 ? ` (median of ${runs.length})` : ''}`,
          value: m.wallMs / 1000,
          unit: 's',
          ...(budgeted ? { budget: { limit: 2, direction: 'max' as const } } : {}),
        },
        {
          id: `5.run.${size}.cpu`,
          group: 5,
          label: `run of ${n} messages: CPU time of the executor process`,
          value: m.cpuMs / 1000,
          unit: 's',
        },
        {
          id: `5.run.${size}.rss`,
          group: 5,
          label: `run of ${n} messages: peak RSS of the executor process`,
          value: m.peakRssMb,
          unit: 'MB',
          // Issue 13: the 50,000-message run's peak RSS too stays within 200 MB.
          ...(budgeted || size === 50_000 ? { budget: { limit: 200, direction: 'max' as const } } : {}),
        },
        {
          id: `5.run.${size}.rss-before`,
          group: 5,
          label: `run of ${n} messages: RSS of the executor process right before the run`,
          value: m.baselineRssMb,
          unit: 'MB',
        },
      );
      notes.push(
        `run ${n}: ${m.pages} pages, ${m.rateLimitWaitMs.toFixed(0)} ms of rate-limit waits subtracted (Discord's global 50/s in @discordjs/rest; ${m.limited} 429s); peak RSS ${m.peakRssMb.toFixed(0)} MB = ${m.baselineRssMb.toFixed(0)} MB before the run (node + the executor bundle, clients built, after a GC) + ${(m.peakRssMb - m.baselineRssMb).toFixed(0)} MB for the run`,
      );
    }
    const lambda = await bundleFunction(join(benchDir, '..', 'functions', 'executor.ts'), outDir);
    notes.push(
      `run: the executor process is plain node running the esbuild bundle of bench/run-end-to-end-executor.ts (${(bundle.bytes / 1_000_000).toFixed(1)} MB, bundled as CDK bundles the Lambda; no tsx); the stand-in holding the messages, the webhook receiver and dynalite run in the bench process, over loopback. For scale, peak RSS of node doing nothing: ${idleNodeRssMb().toFixed(0)} MB bare, ${idleNodeRssMb(['--import', 'tsx']).toFixed(0)} MB with tsx, ${idleNodeRssMb(['--require', bundle.file]).toFixed(0)} MB having loaded this bundle, ${idleNodeRssMb(['--require', lambda.file]).toFixed(0)} MB having loaded the deployed executor bundle (${(lambda.bytes / 1_000_000).toFixed(1)} MB; it also holds the SES, S3 and Bedrock clients)`,
    );
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
  return { figures, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' } } });
  const { figures, notes } = await benchEndToEnd({ sizes: [Number(values.messages)], repeats: 1 });
  for (const f of figures) console.log(`${f.label.padEnd(80)} ${f.value.toFixed(2)} ${f.unit}`);
  for (const n of notes) console.log(n);
}
