import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import { collectStatus } from '../../../../lib/local/status/status-data.ts';
import { renderMain } from '../../../../lib/local/status/status-html.ts';
import { CountingRunMetrics } from '../../../../lib/observability/metrics.ts';
import { useEmbeddedStore } from '../../../support/embedded-dynamo.ts';
import {
  GUILD,
  MESSAGE,
  OTHER_GUILD,
  OUTBOX_ID,
  runRecord,
  type Seeded,
  START,
  seed,
} from '../../../support/status-fixtures.ts';

describe('collectStatus', () => {
  const db = useEmbeddedStore();
  let clock: ManualClock;
  let seeded: Seeded;

  beforeEach(async () => {
    clock = new ManualClock(START);
    seeded = await seed(db.store, clock);
  });
  afterEach(async () => {
    await seeded.cleanup();
  });

  const collect = (extra: Partial<Parameters<typeof collectStatus>[0]> = {}) =>
    collectStatus({
      store: db.store,
      scheduler: seeded.scheduler,
      clock,
      filesRoot: seeded.filesRoot,
      outboxRoot: seeded.outboxRoot,
      ...extra,
    });

  it('lists every task of every state, grouped by guild and ordered by state then name', async () => {
    const status = await collect();
    expect(status.guilds.map((g) => g.guildId)).toEqual([GUILD, OTHER_GUILD]);
    expect(status.guilds[0]?.tasks.map((t) => t.name)).toEqual(['Daily digest', 'Weekly review']);
    expect(status.guilds[1]?.tasks.map((t) => t.state)).toEqual(['active', 'paused']);
    expect(status.tasks).toEqual({ total: 4, shown: 4, truncated: false });
  });

  it('shows each schedule in words and the next three runs in the task’s own zone', async () => {
    const status = await collect();
    const berlin = status.guilds[0]?.tasks[0];
    expect(berlin?.schedule).toBe('every day at 09:00 (Europe/Berlin)');
    expect(berlin?.nextRuns.map((r) => r.iso)).toEqual([
      '2026-03-03T08:00:00.000Z',
      '2026-03-04T08:00:00.000Z',
      '2026-03-05T08:00:00.000Z',
    ]);
    expect(berlin?.nextRuns[0]?.local).toBe('Tue 3 Mar 2026, 09:00 CET');
    expect(berlin?.nextRuns[0]?.relative).toBe('in 22 h');
    const newYork = status.guilds[0]?.tasks[1];
    expect(newYork?.schedule).toBe('every Monday and Friday at 17:00 (America/New_York)');
    expect(newYork?.nextRuns[0]?.local).toBe('Mon 2 Mar 2026, 17:00 EST');
    expect(newYork?.nextRuns[0]?.relative).toBe('in 12 h');
  });

  it('says whom a chained task follows before its own schedule, which only bounds it', async () => {
    const [daily, weekly] = (await collect()).guilds[0]?.tasks ?? [];
    if (!daily || !weekly) throw new Error('seeded tasks missing');
    const follower = await seeded.scheduler.updateTask(GUILD, weekly.id, {
      after: { taskId: daily.id, name: 'Daily digest' },
    });
    const shown = (await collect()).guilds[0]?.tasks.find((t) => t.id === follower.id);
    expect(shown?.schedule).toBe(
      'Right after Daily digest, once per occurrence of: every Monday and Friday at 17:00 (America/New_York)',
    );
  });

  it('gives a paused task no next runs', async () => {
    const status = await collect();
    const paused = status.guilds[1]?.tasks.find((t) => t.id === seeded.paused.id);
    expect(paused?.nextRuns).toEqual([]);
  });

  it('turns delivery receipts into links: Discord jump link, local file, outbox e-mail', async () => {
    const status = await collect();
    const run = status.guilds[0]?.tasks[0]?.runs[0];
    expect(run?.status).toBe('partial');
    expect(run?.destinations.map((d) => [d.status, d.link])).toEqual([
      [
        'delivered',
        { kind: 'discord', href: `https://discord.com/channels/${GUILD}/300000000000000001/${MESSAGE}` },
      ],
      ['delivered', { kind: 'file', path: 'summaries/daily/2026-03-02.md' }],
      ['delivered', { kind: 'outbox', name: `2026-03-02T08-00-05.000Z-${OUTBOX_ID}.eml` }],
      ['failed', undefined],
    ]);
    expect(run?.destinations[3]?.label).toBe('webhook https://hooks.example.com');
    expect(run?.destinations[3]?.error).toBe('HTTP 502 from hooks.example.com');
    expect(run?.window?.from).toBe('Sun 1 Mar 2026, 09:00 CET');
  });

  it('says in words what a run read, the totals and a destination that keeps failing while the others deliver', async () => {
    const berlin = await db.store.getTask(GUILD, seeded.berlin.id);
    if (!berlin) throw new Error('not seeded');
    await db.store.updateTask(
      {
        ...berlin,
        metadata: {
          ...berlin.metadata,
          runCount: 1,
          consecutiveFailures: 0,
          destinationFailures: { 'webhook:https://hooks.example.com/secret-path/abc': 3 },
        },
      },
      berlin.version,
    );
    await db.store.putRun(
      runRecord(berlin, '2026-03-02T07:00:00.000Z', {
        window: { from: '2026-03-02T06:00:00.000Z', to: '2026-03-02T07:00:00.000Z' },
      }),
    );
    const html = renderMain(await collect());
    const text = (testId: string) =>
      [...html.matchAll(new RegExp(`data-testid="${testId}">([^<]*)<`, 'g'))].map((m) => m[1]);
    expect(text('run-window')).toEqual([
      'Read messages from Sun 1 Mar 2026, 09:00 CET to Mon 2 Mar 2026, 09:00 CET',
      'Read messages from Mon 2 Mar 2026, 07:00 CET to 08:00 CET',
    ]);
    expect(html).not.toContain('→ ');
    expect(text('task-destination').slice(0, 4)).toEqual([
      'Discord channel 300000000000000001 (embed)',
      'file in summaries/daily/',
      'e-mail to team@example.com',
      'webhook https://hooks.example.com: failed the last 3 runs',
    ]);
    expect(text('task-totals')[0]).toBe('1 run · 0 ok · 0 failed · 0 skipped');
  });

  it("shows a task's subscribers and how each run's DMs went, closed DMs counted", async () => {
    const berlin = await db.store.getTask(GUILD, seeded.berlin.id);
    if (berlin?.kind !== 'summary') throw new Error('not seeded');
    const since = '2026-03-01T00:00:00.000Z';
    const ids = ['500000000000000001', '500000000000000002', '500000000000000003'];
    await db.store.updateTask(
      { ...berlin, subscribers: ids.map((userId) => ({ userId, since })) },
      berlin.version,
    );
    await db.store.putRun(
      runRecord(berlin, '2026-03-02T07:00:00.000Z', {
        subscribers: [
          { userId: ids[0] as string, status: 'delivered' },
          { userId: ids[1] as string, status: 'delivered', leftOut: ['#mods'] },
          { userId: ids[2] as string, status: 'dm_closed' },
        ],
      }),
    );
    const html = renderMain(await collect());
    const text = (testId: string) =>
      [...html.matchAll(new RegExp(`data-testid="${testId}">([^<]*)<`, 'g'))].map((m) => m[1]);
    expect(text('task-subscribers')).toEqual(['3 subscribers']);
    expect(text('run-subscribers')).toEqual([
      'DMs to subscribers: 2 sent, 1 not sent: DMs closed (Discord 50007)',
    ]);
  });

  it('shows the tokens an LLM spent on a run and their estimated cost', async () => {
    const status = await collect();
    const [llmRun, skipped] = status.guilds[0]?.tasks[0]?.runs ?? [];
    expect(llmRun?.usage).toBe('3,780 tokens (3,600 in, 180 out), about $0.0045');
    expect(skipped?.usage).toBeUndefined();
  });

  it('links no file outside the files root and no e-mail without an outbox', async () => {
    await db.store.putRun({
      taskId: seeded.berlin.id,
      guildId: GUILD,
      scheduledTime: '2026-03-02T09:00:00.000Z',
      trigger: 'manual',
      attempt: 1,
      status: 'succeeded',
      startedAt: '2026-03-02T09:00:00.000Z',
      expiresAt: 2_000_000_000,
      destinations: [
        { index: 1, type: 'file', status: 'delivered', location: '/etc/passwd' },
        { index: 2, type: 'email', status: 'delivered', location: `email:${OUTBOX_ID}` },
      ],
    });
    const status = await collect({ outboxRoot: undefined });
    const run = status.guilds[0]?.tasks[0]?.runs[0];
    expect(run?.destinations.map((d) => d.link)).toEqual([undefined, undefined]);
    expect(run?.destinations[0]?.location).toBe('/etc/passwd');
  });

  it('carries skip reasons, errors and dead letters with their task’s name', async () => {
    const status = await collect();
    expect(status.guilds[0]?.tasks[0]?.runs[1]).toMatchObject({
      status: 'skipped',
      skipReason: 'only 0 messages (minimum 1)',
    });
    expect(status.guilds[0]?.tasks[1]?.runs[0]).toMatchObject({ status: 'failed', attempt: 3 });
    expect(status.deadLetters).toEqual([
      expect.objectContaining({
        id: 'dl-1',
        taskName: 'Weekly review',
        source: 'local',
        scheduledTime: 'Fri 27 Feb 2026, 17:00 EST',
      }),
    ]);
  });

  it('counts each run once, from its record: a retried failure apart, no second run counter beside it', async () => {
    // One run failed for good, one failed and is being retried; the in-memory counters saw other things
    // (a /summarize answer, a run before a restart was not seen at all).
    await db.store.putRun(
      runRecord(seeded.paused, '2026-03-02T08:00:00.000Z', { status: 'failed', error: 'Missing access' }),
    );
    await db.store.putRun(
      runRecord(seeded.paused, '2026-03-02T09:00:00.000Z', {
        status: 'failed',
        retryable: true,
        error: 'Discord 503',
      }),
    );
    const metrics = new CountingRunMetrics();
    metrics.runFinished('succeeded', 10, 5);
    metrics.runFinished('failed', 10, 0);
    metrics.deadLettered();
    const status = await collect({ metrics });
    expect(status.stats.scheduler.last24h).toMatchObject({ runs: 3, partial: 1, failed: 1, retrying: 1 });
    const html = renderMain(status);
    const shown = (key: string) =>
      new RegExp(`data-testid="stat-${key}"><span class="n">(\\d+)</span><span class="k">([^<]*)<`)
        .exec(html)
        ?.slice(1)
        .join(' ');
    expect(shown('runs-failed')).toBe('1 failed');
    expect(shown('runs-retrying')).toBe('1 failed, retrying');
    expect(shown('metric-DeadLetters')).toBe('1 dead letters');
    expect(shown('metric-MessagesSummarized')).toBe('5 messages summarized');
    expect(html).not.toContain('stat-metric-Runs');
    expect(html).toContain('Since the bot started');
  });

  it('counts tasks and runs, timers and metric counters', async () => {
    const metrics = new CountingRunMetrics();
    metrics.runFinished('succeeded', 10, 5);
    metrics.deliveryFailed('webhook');
    const status = await collect({ metrics, schedulerStats: () => seeded.gateway.stats(), sandbox: true });
    expect(status.sandbox).toBe(true);
    expect(status.stats.scheduler.byState).toMatchObject({ active: 3, paused: 1 });
    expect(status.stats.scheduler.last24h).toMatchObject({ runs: 1, partial: 1, skipped: 0 });
    expect(status.stats.timers).toEqual({ armed: 0, fired: 0, inFlight: 0 });
    expect(status.stats.metrics).toEqual({
      RunsSucceeded: 1,
      MessagesSummarized: 5,
      'DeliveriesFailed.webhook': 1,
    });
  });

  it('caps the tasks shown and says so', async () => {
    const many = Array.from({ length: 205 }, (_, i) => ({
      ...seeded.berlin,
      id: `bulk-task-${String(i).padStart(4, '0')}`,
      name: `Bulk ${i}`,
    }));
    for (const task of many) await db.store.createTask(task);
    const status = await collect();
    expect(status.tasks).toEqual({ total: 209, shown: 200, truncated: true });
    expect(status.guilds.flatMap((g) => g.tasks)).toHaveLength(200);
  });
});
