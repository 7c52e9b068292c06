/**
 * 1,000 tasks due in the same minute: the embedded scheduler fires them all on a ManualClock, the local
 * invoker runs the real executor (embedded store, Discord stand-in on loopback, local files), and each task
 * runs exactly once: one run record each, one set of files or posts each. A second delivery of every event
 * (EventBridge delivers at least once) adds nothing.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordRestClient } from '../../lib/discord/rest.ts';
import type { ScheduledRunInput } from '../../lib/execution/executor-input.ts';
import { ManualClock } from '../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../lib/local/embedded-scheduler.ts';
import { createLocalInvoker } from '../../lib/local/local-invoker.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { MemoryLogger } from '../../lib/observability/logger.ts';
import { CountingRunMetrics } from '../../lib/observability/metrics.ts';
import { TaskScheduler } from '../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import { DIGEST, executorOver, GUILD, seedConversation } from '../support/executor-harness.ts';
import { recordFigures } from './figures.ts';

const TASKS = 1_000;
/** This many post to Discord; the rest write files (a real server would not get 1,000 digests in one channel). */
const POSTING = 100;
const START = new Date('2026-11-27T07:00:00.000Z');
const DUE = '2026-11-27T08:00:00.000Z'; // 09:00 in Berlin
/**
 * Source channels: @discordjs/rest sends one request at a time per route bucket (per channel), as Discord's
 * limits require, so 1,000 reads of one channel would measure that queue, not the scheduler.
 */
const SOURCES = Array.from({ length: 25 }, (_, i) => String(210_000_000_000_000_000n + BigInt(i)));

describe('1,000 tasks due in the same minute', () => {
  const db = useEmbeddedStore({ tablePerTest: false });
  let standIn: DiscordStandIn;
  let dataDir: string;
  beforeAll(async () => {
    standIn = await startDiscordStandIn({
      now: () => clock.now(),
      // Discord's buckets are per bot; this stand-in serves one test and must not be the bottleneck.
      rateLimit: { limit: 100_000, windowMs: 1_000 },
    });
    standIn.addGuild({ id: GUILD, name: 'Load server' });
    standIn.addChannel({ id: DIGEST, guildId: GUILD, name: 'digest' });
    for (const [i, id] of SOURCES.entries()) {
      standIn.addChannel({ id, guildId: GUILD, name: `source-${i}` });
      seedConversation(standIn, id, new Date(START.getTime() - 60_000));
    }
    dataDir = await mkdtemp(join(tmpdir(), 'same-minute-'));
  });
  afterAll(async () => {
    await standIn.close();
    // A run cut off by the test's timeout may still be writing its files.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  });
  const clock = new ManualClock(START);

  it('runs each exactly once, and a second delivery of every event changes nothing', async () => {
    // @discordjs/rest holds every bot to Discord's global 50 requests per second; lifted here so the test
    // measures scheduling and execution (the figures report the requests a real bot would spread out).
    const rest = new REST({ version: '10', api: standIn.apiUrl, globalRequestsPerSecond: 100_000 }).setToken(
      'load-bot-token',
    );
    const discord = new DiscordRestClient({ rest });
    const logger = new MemoryLogger();
    const metrics = new CountingRunMetrics();
    const executor = executorOver({
      store: () => db.store,
      discord,
      dataDir,
      tasks: { disableTask: async () => Promise.reject(new Error('no task may be disabled here')) },
      clock,
      logger,
      metrics,
    });
    const executed: string[] = [];
    const deadLetters: unknown[] = [];
    const invoker = createLocalInvoker({
      execute: async (input) => {
        executed.push(`${(input as ScheduledRunInput).taskId}`);
        await executor.execute(input);
      },
      onDeadLetter: async (input, error) => {
        deadLetters.push({ input, error });
      },
      clock,
    });
    const fired: ScheduledRunInput[] = [];
    const gateway = new EmbeddedScheduleGateway({
      repository: db.schedules,
      clock,
      onFire: (event) => {
        fired.push(event);
        // As Scheduler invokes Lambda asynchronously: hand over and return, so the runs overlap.
        return invoker.invoke(event);
      },
    });
    await gateway.start();
    const scheduler = new TaskScheduler({ store: db.store, schedules: gateway, clock });

    // Created as `tasks import` creates them (items in batch writes, then the schedules), in files of 500
    // (the import's limit): the same tasks and schedules as 1,000 creates, in a fraction of the time.
    const IMPORT_FILE = 500;
    for (let first = 0; first < TASKS; first += IMPORT_FILE) {
      const created = await scheduler.importTasks(
        GUILD,
        {
          format: 'summary-bot-tasks',
          version: 1,
          tasks: Array.from({ length: Math.min(IMPORT_FILE, TASKS - first) }, (_, j) => {
            const i = first + j;
            return {
              kind: 'summary',
              name: `digest ${i}`,
              channelIds: [SOURCES[i % SOURCES.length]],
              schedule: { type: 'daily', time: '09:00' },
              timeZone: 'Europe/Berlin',
              destinations:
                i < POSTING
                  ? [{ type: 'discord_channel', channelId: DIGEST, format: 'embed' }]
                  : [{ type: 'file', prefix: `t${i}` }],
            };
          }),
        },
        '300000000000000001',
      );
      expect(created.every((t) => t.state === 'active')).toBe(true);
    }
    const tasks = await db.store.listTasks(GUILD);
    expect(tasks).toHaveLength(TASKS);

    await clock.advance(61 * 60_000); // to 08:01 UTC: every task was due at 08:00
    await invoker.drain(540_000);

    const runs = await Promise.all(tasks.map((t) => db.store.getRun(t.id, DUE)));
    const succeeded = runs.filter((r) => r?.status === 'succeeded').length;
    const posted = standIn.postedMessages(DIGEST).length;
    let fileSets = 0;
    for (const t of tasks.filter((t) => t.destinations[0]?.type === 'file')) {
      const prefix = (t.destinations[0] as { prefix: string }).prefix;
      const channelId = t.kind === 'summary' ? t.channelIds[0]! : '';
      fileSets += (await readdir(join(dataDir, 'files', prefix, GUILD, channelId))).length / 2;
    }
    const discordRequests = standIn.requests.length;
    const executions = new Map<string, number>();
    for (const id of executed) executions.set(id, (executions.get(id) ?? 0) + 1);

    expect(fired).toHaveLength(TASKS);
    expect(new Set(fired.map((f) => f.taskId)).size).toBe(TASKS);
    expect(fired.every((f) => f.scheduledTime.startsWith('2026-11-27T08:00:00'))).toBe(true);
    expect(deadLetters).toEqual([]);
    expect(succeeded).toBe(TASKS);
    expect([...executions.values()].every((n) => n === 1)).toBe(true);
    expect(fileSets).toBe(TASKS - POSTING);
    const postsPerRun = posted / POSTING;
    expect(Number.isInteger(postsPerRun) && postsPerRun >= 1).toBe(true);

    // EventBridge delivers at least once: every event again changes nothing.
    await Promise.all(fired.map((event) => invoker.run(event)));
    const postedAfter = standIn.postedMessages(DIGEST).length;
    const runsAfter = await Promise.all(tasks.map((t) => db.store.getRun(t.id, DUE)));
    expect(postedAfter).toBe(posted);
    expect(runsAfter.filter((r) => r?.status === 'succeeded')).toHaveLength(TASKS);
    const tasksAfter = await db.store.listTasks(GUILD);
    expect(tasksAfter.every((t) => t.metadata.runCount === 1)).toBe(true);
    await gateway.stop();

    recordFigures('same-minute-1000', {
      tasks: TASKS,
      fired: fired.length,
      runsSucceeded: succeeded,
      executionsIncludingDuplicates: executed.length,
      duplicateDeliveries: fired.length,
      extraPostsFromDuplicates: postedAfter - posted,
      posts: posted,
      discordRequestsFirstDelivery: discordRequests,
      fileSets,
      deadLetters: deadLetters.length,
      tasksRunTwice: [...executions.values()].filter((n) => n > 1).length,
      lost: TASKS - succeeded,
    });
  }, 600_000);
});
