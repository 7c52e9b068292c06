import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../lib/tasks/run-record.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { GUILD_A, runRecord } from '../../support/task-fixtures.ts';

const SCHEDULED = '2026-01-01T09:00:00.000Z';
const DURING_LEASE = new Date('2026-01-01T09:05:00Z');
const AFTER_LEASE = new Date('2026-01-01T09:20:00Z');

describe('DynamoTaskStore run claims', () => {
  const clock = new TestClock('2026-01-01T09:00:00Z');
  const db = useEmbeddedStore({ clock });

  it('lets the first claim of a scheduled time win', async () => {
    const run = runRecord();
    expect(await db.store.claimRun(run, DURING_LEASE)).toEqual({ claimed: true });
    expect(await db.store.getRun(run.taskId, SCHEDULED)).toEqual(run);
  });

  it('answers a duplicate claim with the existing record and leaves it alone', async () => {
    const first = runRecord({ executionId: 'exec-1' });
    await db.store.claimRun(first, DURING_LEASE);
    const duplicate = await db.store.claimRun(runRecord({ executionId: 'exec-2' }), DURING_LEASE);
    expect(duplicate).toEqual({ claimed: false, existing: first });
    expect((await db.store.getRun('task0001', SCHEDULED))?.executionId).toBe('exec-1');
  });

  it('treats two spellings of the same instant as the same run', async () => {
    await db.store.claimRun(runRecord({ scheduledTime: '2026-01-01T09:00:00Z' }), DURING_LEASE);
    const again = await db.store.claimRun(
      runRecord({ scheduledTime: '2026-01-01T10:00:00+01:00' }),
      DURING_LEASE,
    );
    expect(again.claimed).toBe(false);
  });

  it('does not re-claim a finished run', async () => {
    const done = runRecord({ status: 'succeeded', finishedAt: '2026-01-01T09:01:00.000Z' });
    await db.store.putRun(done);
    expect(await db.store.claimRun(runRecord({ attempt: 2 }), AFTER_LEASE)).toEqual({
      claimed: false,
      existing: done,
    });
  });

  it('re-claims a retryable failed run and returns the failed record as previous', async () => {
    const failed = runRecord({
      status: 'failed',
      retryable: true,
      error: 'boom',
      finishedAt: '2026-01-01T09:01:00.000Z',
    });
    await db.store.putRun(failed);
    const retry = runRecord({ attempt: 2, startedAt: '2026-01-01T09:02:00.000Z' });
    expect(await db.store.claimRun(retry, DURING_LEASE)).toEqual({ claimed: true, previous: failed });
    expect(await db.store.getRun('task0001', SCHEDULED)).toEqual(retry);
  });

  it('never re-claims a final failure: a duplicate delivery does not run it or count it again', async () => {
    const failed = runRecord({ status: 'failed', error: 'all 4xx', finishedAt: '2026-01-01T09:01:00.000Z' });
    await db.store.putRun(failed);
    const duplicate = runRecord({ attempt: 1, startedAt: '2026-01-01T09:02:00.000Z' });
    expect(await db.store.claimRun(duplicate, DURING_LEASE)).toEqual({ claimed: false, existing: failed });
  });

  it('does not take over a running record whose lease holds', async () => {
    const running = runRecord();
    await db.store.claimRun(running, DURING_LEASE);
    const result = await db.store.claimRun(runRecord({ attempt: 2 }), DURING_LEASE);
    expect(result).toEqual({ claimed: false, existing: running });
  });

  it('takes over a running record whose lease expired and returns it with its deliveries', async () => {
    const crashed = runRecord({
      destinations: [
        { index: 0, type: 'discord_channel', status: 'delivered', location: 'https://discord.test/1' },
      ],
    });
    await db.store.claimRun(crashed, DURING_LEASE);
    const takeover = runRecord({
      attempt: 2,
      startedAt: '2026-01-01T09:20:00.000Z',
      leaseUntil: '2026-01-01T09:35:00.000Z',
    });
    expect(await db.store.claimRun(takeover, AFTER_LEASE)).toEqual({ claimed: true, previous: crashed });
    expect(await db.store.claimRun(runRecord({ attempt: 3 }), AFTER_LEASE)).toEqual({
      claimed: false,
      existing: takeover,
    });
  });

  it('does not take over a running record without a lease', async () => {
    const { leaseUntil: _lease, ...noLease } = runRecord();
    await db.store.putRun(noLease);
    expect((await db.store.claimRun(runRecord({ attempt: 2 }), AFTER_LEASE)).claimed).toBe(false);
  });

  it('lets exactly one of ten concurrent claims win', async () => {
    const claims = Array.from({ length: 10 }, (_, i) =>
      db.store.claimRun(runRecord({ executionId: `exec-${i}` }), DURING_LEASE),
    );
    const results = await Promise.all(claims);
    const winners = results.filter((r) => r.claimed);
    expect(winners).toHaveLength(1);
    const stored = await db.store.getRun('task0001', SCHEDULED);
    for (const result of results) {
      if (!result.claimed) expect(result.existing).toEqual(stored);
    }
  });

  it('lets exactly one of ten concurrent takeovers of an expired lease win', async () => {
    await db.store.claimRun(runRecord(), DURING_LEASE);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        db.store.claimRun(
          runRecord({ attempt: 2, executionId: `exec-${i}`, leaseUntil: '2026-01-01T09:35:00.000Z' }),
          AFTER_LEASE,
        ),
      ),
    );
    expect(results.filter((r) => r.claimed)).toHaveLength(1);
    expect(results.filter((r) => r.claimed && r.previous?.attempt === 1)).toHaveLength(1);
  });

  it('claims afresh over a record that expired but was not yet removed by TTL', async () => {
    await db.store.putRun(
      runRecord({ status: 'succeeded', expiresAt: Date.parse('2026-01-01T09:10:00Z') / 1000 }),
    );
    const fresh = runRecord({ attempt: 1, expiresAt: Date.parse('2026-03-01T00:00:00Z') / 1000 });
    expect(await db.store.claimRun(fresh, AFTER_LEASE)).toEqual({ claimed: true });
  });
});

describe('DynamoTaskStore run history', () => {
  const clock = new TestClock('2026-01-10T00:00:00Z');
  const db = useEmbeddedStore({ clock });

  const day = (d: number, overrides: Partial<RunRecord> = {}) =>
    runRecord({
      scheduledTime: `2026-01-${String(d).padStart(2, '0')}T09:00:00.000Z`,
      status: 'succeeded',
      ...overrides,
    });

  it('lists runs newest first, with limit, before and status', async () => {
    for (let d = 1; d <= 9; d++) await db.store.putRun(day(d, d % 3 === 0 ? { status: 'failed' } : {}));
    await db.store.putRun(runRecord({ taskId: 'othertask', scheduledTime: '2026-01-05T09:00:00.000Z' }));
    const days = (runs: RunRecord[]) => runs.map((r) => Number(r.scheduledTime.slice(8, 10)));

    expect(days(await db.store.listRuns('task0001'))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(days(await db.store.listRuns('task0001', { limit: 3 }))).toEqual([9, 8, 7]);
    expect(days(await db.store.listRuns('task0001', { before: '2026-01-07T09:00:00Z', limit: 3 }))).toEqual([
      6, 5, 4,
    ]);
    expect(days(await db.store.listRuns('task0001', { status: 'failed' }))).toEqual([9, 6, 3]);
    expect(days(await db.store.listRuns('task0001', { status: 'failed', limit: 2 }))).toEqual([9, 6]);
    expect(
      days(
        await db.store.listRuns('task0001', {
          status: 'failed',
          before: '2026-01-09T09:00:00.000Z',
          limit: 1,
        }),
      ),
    ).toEqual([6]);
    expect(await db.store.listRuns('task0001', { limit: 0 })).toEqual([]);
  });

  it('skips run records past their expiry that TTL has not removed yet', async () => {
    await db.store.putRun(day(1, { expiresAt: Date.parse('2026-01-09T00:00:00Z') / 1000 }));
    await db.store.putRun(day(2, { expiresAt: Date.parse('2026-01-11T00:00:00Z') / 1000 }));
    expect((await db.store.listRuns('task0001')).map((r) => r.scheduledTime)).toEqual([day(2).scheduledTime]);
    expect(await db.store.getRun('task0001', day(1).scheduledTime)).toBeUndefined();
    clock.set('2026-01-12T00:00:00Z');
    expect(await db.store.listRuns('task0001')).toEqual([]);
    clock.set('2026-01-10T00:00:00Z');
  });

  it('overwrites a run with putRun and deletes it with deleteRun', async () => {
    await db.store.putRun(day(1, { status: 'running' }));
    await db.store.putRun(day(1, { status: 'partial', messageCount: 12 }));
    expect(await db.store.getRun('task0001', day(1).scheduledTime)).toMatchObject({
      status: 'partial',
      messageCount: 12,
      guildId: GUILD_A,
    });
    await db.store.deleteRun('task0001', day(1).scheduledTime);
    expect(await db.store.getRun('task0001', day(1).scheduledTime)).toBeUndefined();
  });
});

describe('DynamoTaskStore dead letters', () => {
  const clock = new TestClock('2026-01-10T00:00:00Z');
  const db = useEmbeddedStore({ clock });
  const letter = (i: number, expiresAt = Date.parse('2026-02-01T00:00:00Z') / 1000) => ({
    id: `dl-${i}`,
    taskId: 'task0001',
    guildId: GUILD_A,
    receivedAt: `2026-01-0${i}T12:00:00.000Z`,
    source: 'lambda' as const,
    error: `failure ${i}`,
    expiresAt,
  });

  it('lists dead letters newest first with a limit and skips expired ones', async () => {
    for (let i = 1; i <= 5; i++) await db.store.putDeadLetter(letter(i));
    await db.store.putDeadLetter(letter(6, Date.parse('2026-01-09T00:00:00Z') / 1000));
    expect((await db.store.listDeadLetters()).map((d) => d.id)).toEqual([
      'dl-5',
      'dl-4',
      'dl-3',
      'dl-2',
      'dl-1',
    ]);
    expect((await db.store.listDeadLetters({ limit: 2 })).map((d) => d.id)).toEqual(['dl-5', 'dl-4']);
    expect((await db.store.listDeadLetters())[0]).toEqual(letter(5));
  });
});
