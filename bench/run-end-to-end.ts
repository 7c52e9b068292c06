/**
 * Figure 5, a run end to end: N messages (100 per page) in the Discord stand-in, read through the REST
 * adapter, summarized by the embedded summarizer and delivered to a Discord channel, a loopback webhook and
 * a local file, by the real TaskExecutor over the embedded store. Each size runs in its own child process
 * so its peak memory is its own. The stand-in's per-route limits are set out of reach; @discordjs/rest
 * still keeps Discord's global 50 requests per second, and every wait it announces (`rateLimited` events,
 * global or per route) is summed and subtracted from the wall time.
 * Run standalone: `node --import tsx bench/run-end-to-end.ts [--messages 10000]`.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createDocumentClient, DynamoTaskStore } from '../lib/aws/dynamo-task-store.ts';
import { ensureTable } from '../lib/aws/task-table.ts';
import { createDeliverers } from '../lib/delivery/index.ts';
import { WebhookDeliverer } from '../lib/delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../lib/discord/rest.ts';
import { TaskExecutor } from '../lib/execution/task-executor.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { EmlEmailSender } from '../lib/local/eml-email-sender.ts';
import { LocalFileStore } from '../lib/local/local-file-store.ts';
import { startDiscordStandIn } from '../lib/local/sandbox/discord-stand-in.ts';
import { MemoryLogger } from '../lib/observability/logger.ts';
import { CountingRunMetrics } from '../lib/observability/metrics.ts';
import { ExtractiveSummarizer } from '../lib/summarization/extractive.ts';
import { SummaryOptions } from '../lib/tasks/task.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  startWebhookReceiver,
  summaryTask,
} from '../tests/integration/execution/executor-harness.ts';
import { syntheticMessages } from './dialogsum.ts';
import type { Figure } from './lib/report.ts';

/** What one child process reports. */
export interface RunMeasurement {
  messages: number;
  pages: number;
  wallMs: number;
  rateLimitWaitMs: number;
  /** 429 answers from the stand-in (their waits are among the rateLimited events). */
  limited: number;
  cpuMs: number;
  peakRssMb: number;
  baselineRssMb: number;
  outcome: string;
}

const AUTHORS = Array.from({ length: 25 }, (_, i) => ({
  id: String(400_000_000_000_000_000n + BigInt(i)),
  username: `user${i}`,
  global_name: `User ${i}`,
}));

/** One run of `count` messages in this process; call in a fresh process for a clean peak RSS. */
export async function measureRun(count: number): Promise<RunMeasurement> {
  const scheduledTime = new Date('2026-11-27T09:00:00.000Z');
  const standIn = await startDiscordStandIn({
    now: () => scheduledTime,
    rateLimit: { limit: 1_000_000_000, windowMs: 1_000 },
  });
  const webhook = await startWebhookReceiver();
  const dynamo = await startEmbeddedDynamo();
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
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
    await ensureTable(dynamo.client, 'bench-run');
    const store = new DynamoTaskStore({
      client: createDocumentClient(dynamo.client),
      tableName: 'bench-run',
    });
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
    const rest = createDiscordRest({ token: 'bench-bot-token', api: standIn.apiUrl });
    let rateLimitWaitMs = 0;
    rest.on('rateLimited', (info) => {
      rateLimitWaitMs += Math.max(0, info.timeToReset);
    });
    const discord = new DiscordRestClient({ rest });
    const executor = new TaskExecutor({
      store,
      messages: discord,
      summarizer: new ExtractiveSummarizer(),
      deliverers: createDeliverers({
        poster: discord,
        webhook: new WebhookDeliverer({ allowLoopback: true, retries: 1, timeoutMs: 10_000 }),
        emailSender: new EmlEmailSender({ dir: join(dataDir, 'outbox') }),
        fileStore: new LocalFileStore({ root: join(dataDir, 'files') }),
      }),
      poster: discord,
      tasks: { disableTask: async () => task },
      clock: { now: () => scheduledTime },
      logger: new MemoryLogger(),
      metrics: new CountingRunMetrics(),
      settings: {},
    });
    standIn.clearRequests();
    global.gc?.();
    const baselineRssMb = process.memoryUsage().rss / 1_048_576;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const outcome = await executor.execute({
      type: 'scheduled',
      taskId: task.id,
      guildId: GUILD,
      scheduledTime: scheduledTime.toISOString(),
      executionId: 'bench-1',
      attempt: 1,
    });
    const wallMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const limited = standIn.requests.filter((r) => r.status === 429).length;
    const pages = standIn.requests.filter(
      (r) => r.method === 'GET' && r.path === `/channels/${GENERAL}/messages` && r.status === 200,
    ).length;
    if (webhook.received.length !== 1 || standIn.postedMessages(DIGEST).length === 0) {
      throw new Error(`the run did not deliver everywhere: ${JSON.stringify(outcome).slice(0, 500)}`);
    }
    return {
      messages: count,
      pages,
      rateLimitWaitMs,
      wallMs: wallMs - rateLimitWaitMs,
      limited,
      cpuMs: (used.user + used.system) / 1000,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1_048_576,
      baselineRssMb,
      outcome: JSON.stringify(outcome).slice(0, 200),
    };
  } finally {
    await standIn.close();
    await webhook.close();
    await dynamo.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const self = fileURLToPath(import.meta.url);

/** Runs one size in a fresh Node process and returns its measurement. */
export function measureRunInChild(count: number): RunMeasurement {
  const child = spawnSync(
    process.execPath,
    ['--no-warnings', '--expose-gc', '--import', 'tsx', self, '--child', '--messages', String(count)],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, cwd: resolve(self, '../..') },
  );
  const line = child.stdout.trim().split('\n').pop() ?? '';
  if (child.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `end-to-end run of ${count} messages failed (exit ${child.status}): ${child.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as RunMeasurement;
}

/** Figure 5: 10,000 messages against the budget, and the growth from 1,000 to 50,000. */
export function benchEndToEnd(options: { sizes?: number[]; repeats?: number } = {}): {
  figures: Figure[];
  notes: string[];
} {
  const sizes = options.sizes ?? [1_000, 10_000, 50_000];
  const repeats = options.repeats ?? 3;
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const size of sizes) {
    const runs = Array.from({ length: size === 10_000 ? repeats : 1 }, () => measureRunInChild(size));
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
        label: `run of ${n} messages: CPU time`,
        value: m.cpuMs / 1000,
        unit: 's',
      },
      {
        id: `5.run.${size}.rss`,
        group: 5,
        label: `run of ${n} messages: peak RSS of the process`,
        value: m.peakRssMb,
        unit: 'MB',
        ...(budgeted ? { budget: { limit: 200, direction: 'max' as const } } : {}),
      },
    );
    notes.push(
      `run ${n}: ${m.pages} pages, ${m.rateLimitWaitMs.toFixed(0)} ms of rate-limit waits subtracted (Discord's global 50/s in @discordjs/rest; ${m.limited} 429s), RSS before the run ${m.baselineRssMb.toFixed(0)} MB (node + tsx + embedded store + stand-in holding the messages)`,
    );
  }
  return { figures, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({
    options: { child: { type: 'boolean', default: false }, messages: { type: 'string', default: '10000' } },
  });
  if (values.child) {
    console.log(JSON.stringify(await measureRun(Number(values.messages))));
  } else {
    const { figures, notes } = benchEndToEnd({ sizes: [Number(values.messages)], repeats: 1 });
    for (const f of figures) console.log(`${f.label.padEnd(80)} ${f.value.toFixed(2)} ${f.unit}`);
    for (const n of notes) console.log(n);
  }
}
