import { beforeEach, describe, expect, it } from 'vitest';
import type { ExecutorInput } from '../../../lib/execution/executor-input.ts';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  DIGEST,
  GENERAL,
  GUILD,
  RANDOM,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';

const DAILY = 'daily000001';
const DEV = 'dailydev001';
const WEEKLY = 'weekly00001';
// 09:00 in Berlin, Monday 23 to Friday 27 November 2026.
const DAYS = ['23', '24', '25', '26', '27'].map((d) => `2026-11-${d}T08:00:00.000Z`);
const scheduled = (taskId: string, scheduledTime: string) =>
  scheduledRun(scheduledTime, { taskId, executionId: `exec-${taskId}-${scheduledTime}` });

describe('Chaining: a weekly digest of a daily one, run after it', () => {
  const db = useEmbeddedStore();
  const started: ExecutorInput[] = [];
  beforeEach(() => {
    started.length = 0;
  });
  const h = useHarness(() => db.store, new Date(DAYS[0]!), {
    followers: { invoke: async (input) => void started.push(input) },
  });

  /** Runs the daily of each day (its conversation seeded first), then whatever it started. */
  async function runWeek(days: readonly string[]) {
    const outcomes: string[] = [];
    for (const day of days) {
      h.clock.current = new Date(Date.parse(day) + 20_000);
      seedConversation(h.standIn, GENERAL, new Date(day));
      await h.executor.execute(scheduled(DAILY, day));
      while (started.length > 0) {
        const outcome = await h.executor.execute(started.shift()!);
        outcomes.push(outcome.status);
      }
    }
    return outcomes;
  }

  it('runs once, after Friday’s daily, with one line per daily linking to the digest it came from', async () => {
    await db.store.createTask(summaryTask({ id: DAILY, name: 'Daily digest' }));
    await db.store.createTask(
      summaryTask({
        id: WEEKLY,
        name: 'Weekly roll-up',
        schedule: { type: 'weekly', days: ['FRI'], time: '09:00' },
        destinations: [{ type: 'discord_channel', channelId: RANDOM, format: 'markdown' }],
        options: SummaryOptions.parse({ length: 'brief' }),
        digestOf: [{ taskId: DAILY, name: 'Daily digest' }],
        after: { taskId: DAILY, name: 'Daily digest' },
        createdAt: '2026-11-22T00:00:00.000Z',
      }),
    );
    const outcomes = await runWeek(DAYS);
    // Started after each daily; only Friday's is due for a weekly task.
    expect(outcomes).toEqual(['ignored', 'ignored', 'ignored', 'ignored', 'succeeded']);

    const weekly = await db.store.getRun(WEEKLY, DAYS[4]!);
    expect(weekly?.trigger).toBe('after');
    expect(weekly?.upstream).toEqual({ taskId: DAILY, scheduledTime: DAYS[4] });
    expect(weekly?.window?.from).toBe('2026-11-20T08:00:00.000Z'); // its first run: the week before
    const posted = JSON.stringify(h.standIn.postedMessages(RANDOM));
    expect(posted).toContain('The week in five lines: Weekly roll-up');
    // Every line links to the daily digest of its day, as posted.
    for (const day of DAYS) {
      const link = (await db.store.getRun(DAILY, day))?.destinations?.[0]?.location;
      expect(link).toMatch(new RegExp(`^https://discord.com/channels/${GUILD}/${DIGEST}/\\d+$`));
      expect(posted).toContain(link);
    }
    expect(posted).toContain('Fri 27 Nov');

    // The same upstream run started twice (a Lambda retry of the daily) is one weekly run.
    const again = await h.executor.execute({
      type: 'after',
      taskId: WEEKLY,
      guildId: GUILD,
      upstream: { taskId: DAILY, scheduledTime: DAYS[4]! },
      attempt: 1,
    });
    expect(again.status).not.toBe('succeeded');
    expect(h.standIn.postedMessages(RANDOM).length).toBe(JSON.parse(posted).length);
  });

  it('gives way to the task it follows at its own times, and runs at them again once that task is deleted', async () => {
    await db.store.createTask(summaryTask({ id: DAILY }));
    await db.store.createTask(
      summaryTask({ id: WEEKLY, name: 'Follower', after: { taskId: DAILY, name: 'Daily digest' } }),
    );
    seedConversation(h.standIn, GENERAL, new Date(DAYS[0]!));
    const own = await h.executor.execute(scheduled(WEEKLY, DAYS[0]!));
    expect(own).toEqual({ status: 'ignored', reason: 'it runs after Daily digest instead' });
    await db.store.deleteTask(GUILD, DAILY);
    const alone = await h.executor.execute(scheduled(WEEKLY, DAYS[0]!));
    expect(alone.status).toBe('succeeded');
  });

  it('reads several sources and names one deleted since in the footer instead of failing', async () => {
    await db.store.createTask(summaryTask({ id: DAILY, name: 'Daily general' }));
    await db.store.createTask(summaryTask({ id: DEV, name: 'Daily random', channelIds: [RANDOM] }));
    await db.store.createTask(
      summaryTask({
        id: WEEKLY,
        name: 'Weekly roll-up',
        channelIds: [GENERAL, RANDOM],
        schedule: { type: 'weekly', days: ['FRI'], time: '10:00' },
        digestOf: [
          { taskId: DAILY, name: 'Daily general' },
          { taskId: DEV, name: 'Daily random' },
        ],
        createdAt: '2026-11-22T00:00:00.000Z',
      }),
    );
    for (const day of DAYS.slice(3)) {
      h.clock.current = new Date(Date.parse(day) + 20_000);
      seedConversation(h.standIn, GENERAL, new Date(day));
      seedConversation(h.standIn, RANDOM, new Date(day));
      expect((await h.executor.execute(scheduled(DAILY, day))).status).toBe('succeeded');
      expect((await h.executor.execute(scheduled(DEV, day))).status).toBe('succeeded');
    }
    await db.store.deleteTask(GUILD, DEV);
    const friday10 = '2026-11-27T09:00:00.000Z';
    h.clock.current = new Date(Date.parse(friday10) + 20_000);
    const outcome = await h.executor.execute(scheduled(WEEKLY, friday10));
    expect(outcome.status).toBe('succeeded');
    const posted = JSON.stringify(h.standIn.postedMessages(DIGEST).at(-1));
    expect(posted).toContain('“Daily random” was deleted; its digests are no longer read.');
    expect(posted).toContain('Daily general, Thu 26 Nov');
    const run = await db.store.getRun(WEEKLY, friday10);
    expect(run?.sourcesGone).toEqual(['Daily random']);
    expect(run?.digest?.title).toContain('The week in two lines');
  });
});
