/**
 * A real executor on real protocols: the embedded DynamoDB store, the Discord stand-in on loopback (through
 * @discordjs/rest), a loopback webhook receiver, local files and .eml e-mail, the extractive summarizer.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createDeliverers } from '../../lib/delivery/index.ts';
import { WebhookDeliverer, type WebhookDelivererOptions } from '../../lib/delivery/webhook.ts';
import { createDiscordRest, DiscordRestClient } from '../../lib/discord/rest.ts';
import { DiscordRunSources } from '../../lib/discord/run-sources.ts';
import type { ScheduledRunInput } from '../../lib/execution/executor-input.ts';
import type { TaskDisabler } from '../../lib/execution/failures.ts';
import { type ExecutorDeps, TaskExecutor } from '../../lib/execution/task-executor.ts';
import { EmlEmailSender } from '../../lib/local/eml-email-sender.ts';
import { LocalFileStore } from '../../lib/local/local-file-store.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { type Logger, MemoryLogger } from '../../lib/observability/logger.ts';
import { CountingRunMetrics, type RunMetrics } from '../../lib/observability/metrics.ts';
import type { TaskStore } from '../../lib/scheduling/ports.ts';
import type { Clock } from '../../lib/shared/clock.ts';
import { ExtractiveSummarizer } from '../../lib/summarization/extractive.ts';
import type { Summarizer } from '../../lib/summarization/summarizer.ts';
import { type ScheduleSpec, validateScheduleSpec } from '../../lib/tasks/schedule-spec.ts';
import { SummaryOptions } from '../../lib/tasks/summary-options.ts';
import type { SummaryTask, Task } from '../../lib/tasks/task.ts';
import { TestClock } from './clock.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

export const GUILD = '100000000000000001';
export const GENERAL = '200000000000000001';
export const RANDOM = '200000000000000002';
export const DIGEST = '200000000000000003';
export const ADMIN = '300000000000000001';

/** A webhook receiver on loopback (over `webhook-receiver.ts`): records the bodies it accepts; can be told to fail. */
export interface RecordingReceiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
  /** Every request it answered, failed ones included. */
  readonly attempts: number;
  /** Status codes for the next requests (then 200). */
  failNext(...statuses: number[]): void;
  close(): Promise<void>;
}

/** Starts a receiver that records what it accepts and answers 200 unless told to fail. */
export async function startRecordingReceiver(): Promise<RecordingReceiver> {
  const received: RecordingReceiver['received'] = [];
  const failures: number[] = [];
  let attempts = 0;
  const receiver = await startWebhookReceiver((request, response) => {
    attempts += 1;
    const status = failures.shift() ?? 200;
    if (status === 200) received.push({ headers: request.headers, body: request.body });
    response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  return {
    url: `${receiver.origin}/hook`,
    received,
    get attempts() {
      return attempts;
    },
    failNext: (...statuses) => failures.push(...statuses),
    close: () => receiver.close(),
  };
}

/**
 * A real executor over `discord` (reads, posts and channel lookups), webhooks to loopback, `.eml` e-mail and
 * local files under `dataDir`, and the extractive summarizer unless another is given. `store` is read at
 * each use, so a test's fresh table is the one written.
 */
export function executorOver(options: {
  store: () => TaskStore;
  discord: DiscordRestClient;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  metrics: RunMetrics;
  tasks: TaskDisabler;
  summarizer?: Summarizer;
  webhook?: WebhookDelivererOptions;
  settings?: ExecutorDeps['settings'];
  followers?: ExecutorDeps['followers'];
}): TaskExecutor {
  const { store, discord, dataDir } = options;
  return new TaskExecutor({
    get store() {
      return store();
    },
    discord,
    sources: new DiscordRunSources(() => discord.guildReads()),
    summarizer: options.summarizer ?? new ExtractiveSummarizer(),
    deliverers: createDeliverers({
      poster: discord,
      threads: discord.threads,
      webhook: new WebhookDeliverer({ allowLoopback: true, ...options.webhook }),
      emailSender: new EmlEmailSender({ dir: join(dataDir, 'outbox') }),
      fileStore: new LocalFileStore({ root: join(dataDir, 'files') }),
    }),
    tasks: options.tasks,
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    ...(options.settings ? { settings: options.settings } : {}),
    ...(options.followers ? { followers: options.followers } : {}),
  });
}

export interface Harness {
  standIn: DiscordStandIn;
  webhook: RecordingReceiver;
  executor: TaskExecutor;
  clock: TestClock;
  logger: MemoryLogger;
  metrics: CountingRunMetrics;
  dataDir: string;
  disabled: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  summarizer?: (clock: TestClock) => Summarizer | Promise<Summarizer>;
  /** Where the executor starts followers (`after`); none are started without it. */
  followers?: ExecutorDeps['followers'];
}

/**
 * Starts the stand-in (with a guild and channels), a webhook receiver and an executor over `store`, with
 * the extractive summarizer unless `options.summarizer` builds another (on the harness's clock).
 */
export async function startHarness(
  store: () => TaskStore,
  now: Date,
  options: HarnessOptions = {},
): Promise<Harness> {
  const standIn = await startDiscordStandIn({ now: () => clock.now() });
  const clock = new TestClock(now);
  standIn.addGuild({ id: GUILD, name: 'Test server' });
  for (const [id, name] of [
    [GENERAL, 'general'],
    [RANDOM, 'random'],
    [DIGEST, 'digest'],
  ] as const) {
    standIn.addChannel({ id, guildId: GUILD, name });
  }
  const webhook = await startRecordingReceiver();
  const dataDir = await mkdtemp(join(tmpdir(), 'executor-'));
  const discord = new DiscordRestClient({
    rest: createDiscordRest({ token: 'test-bot-token', api: standIn.apiUrl }),
  });
  const logger = new MemoryLogger();
  const metrics = new CountingRunMetrics();
  const disabled: string[] = [];
  const executor = executorOver({
    store,
    discord,
    dataDir,
    clock,
    logger,
    metrics,
    tasks: {
      disableTask: async (guildId, taskId) => {
        disabled.push(taskId);
        const task = (await store().getTask(guildId, taskId))!;
        return store().updateTask({ ...task, state: 'disabled' }, task.version);
      },
    },
    ...(options.summarizer ? { summarizer: await options.summarizer(clock) } : {}),
    webhook: { retries: 1, timeoutMs: 2_000 },
    settings: { maxRetryTimeMs: 2_000 },
    ...(options.followers ? { followers: options.followers } : {}),
  });
  return {
    standIn,
    webhook,
    executor,
    clock,
    logger,
    metrics,
    dataDir,
    disabled,
    close: async () => {
      await standIn.close();
      await webhook.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `startHarness` before each test of the enclosing `describe` (or file), closed after it: the returned
 * harness reads through to the current test's one, so a test writes `h.standIn` as with its own. A
 * `beforeEach` registered after this call sees the started harness.
 */
export function useHarness(
  store: () => TaskStore,
  now: Date,
  options: HarnessOptions = {},
): Harness & {
  /** Closes this test's harness and starts a fresh one with other options (another summarizer). */
  restart(options: HarnessOptions): Promise<void>;
} {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness(store, now, options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const h = () => {
    if (!current) throw new Error('the executor harness is used outside a test');
    return current;
  };
  return {
    get standIn() {
      return h().standIn;
    },
    get webhook() {
      return h().webhook;
    },
    get executor() {
      return h().executor;
    },
    get clock() {
      return h().clock;
    },
    get logger() {
      return h().logger;
    },
    get metrics() {
      return h().metrics;
    },
    get dataDir() {
      return h().dataDir;
    },
    get disabled() {
      return h().disabled;
    },
    close: () => h().close(),
    async restart(other) {
      await h().close();
      current = undefined;
      current = await startHarness(store, now, other);
    },
  };
}

/** The input EventBridge Scheduler sends for a run of `task0000001` in GUILD at `scheduledTime`; override any. */
export function scheduledRun(
  scheduledTime: string,
  overrides: Partial<Omit<ScheduledRunInput, 'type'>> = {},
): ScheduledRunInput {
  return {
    type: 'scheduled',
    taskId: 'task0000001',
    guildId: GUILD,
    scheduledTime,
    executionId: 'exec-1',
    attempt: 1,
    ...overrides,
  };
}

const PEOPLE = [
  { id: '400000000000000001', username: 'ana', global_name: 'Ana' },
  { id: '400000000000000002', username: 'ben', global_name: 'Ben' },
  { id: '400000000000000003', username: 'chloe', global_name: 'Chloé' },
];

const LINES = [
  'The release build failed again on the ARM runners, the linker runs out of memory.',
  'I think we should move the ARM builds to the bigger instance type before Friday.',
  'Agreed, we decided to switch ARM builds to the large runners starting today.',
  'I will update the CI config and open a PR this afternoon.',
  'Can someone check whether the nightly job needs the same change?',
  'Docs for the new flag are here https://example.com/docs/flags please review.',
  'Should we also bump the cache size, or is that unrelated?',
  'Cache size is unrelated, the failure is only in the link step.',
  'Release notes draft is ready, I will send it to the team tomorrow.',
  'Thanks everyone, the plan for Friday looks good to me.',
];

/** Adds `count` realistic messages to a channel, one every 5 minutes ending at `end`. */
export function seedConversation(standIn: DiscordStandIn, channelId: string, end: Date, count = 10): void {
  for (let i = 0; i < count; i++) {
    const person = PEOPLE[i % PEOPLE.length]!;
    standIn.addMessage({
      channelId,
      author: person,
      content: LINES[i % LINES.length]!,
      timestamp: new Date(end.getTime() - (count - i) * 5 * 60_000),
    });
  }
}

/** A valid summary task; override anything. */
export function summaryTask(
  overrides: Omit<Partial<SummaryTask>, 'schedule'> & { schedule?: ScheduleSpec } = {},
): Task {
  const now = '2026-11-20T00:00:00.000Z';
  return {
    id: 'task0000001',
    guildId: GUILD,
    name: 'Daily digest',
    kind: 'summary',
    channelIds: [GENERAL],
    timeZone: 'Europe/Berlin',
    destinations: [{ type: 'discord_channel', channelId: DIGEST, format: 'embed' }],
    options: SummaryOptions.parse({}),
    state: 'active',
    createdBy: ADMIN,
    createdAt: now,
    updatedAt: now,
    version: 1,
    metadata: { runCount: 0, successCount: 0, failureCount: 0, skipCount: 0, consecutiveFailures: 0 },
    cursors: {},
    ...overrides,
    schedule: validateScheduleSpec(overrides.schedule ?? { type: 'daily', time: '09:00' }),
  };
}
