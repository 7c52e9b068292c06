import { describe, expect, it } from 'vitest';
import { cycleThrough, followerDue, previousOccurrence } from '../../../lib/tasks/chain.ts';
import { validateScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';

const task = (id: string, name: string, links: { after?: string; digestOf?: string[] } = {}) => ({
  id,
  name,
  kind: 'summary' as const,
  ...(links.after ? { after: { taskId: links.after, name: links.after } } : {}),
  ...(links.digestOf ? { digestOf: links.digestOf.map((taskId) => ({ taskId, name: taskId })) } : {}),
});

describe('cycleThrough: links between tasks never close a cycle', () => {
  it('names the chain a new link would close, from the changed task back to it', () => {
    const daily = task('daily0001', 'Daily', { after: 'weekly001' });
    const weekly = task('weekly001', 'Weekly', { digestOf: ['daily0001'] });
    expect(cycleThrough(weekly, [daily])).toEqual(['Weekly', 'Daily', 'Weekly']);
  });

  it('follows longer chains through both kinds of link', () => {
    const a = task('aaaaaaaa1', 'A', { after: 'bbbbbbbb1' });
    const b = task('bbbbbbbb1', 'B', { digestOf: ['cccccccc1'] });
    const c = task('cccccccc1', 'C', { after: 'aaaaaaaa1' });
    expect(cycleThrough(c, [a, b])).toEqual(['C', 'A', 'B', 'C']);
  });

  it('accepts a chain without a cycle, a shared source and a link to a deleted task', () => {
    const daily = task('daily0001', 'Daily');
    const weekly = task('weekly001', 'Weekly', { digestOf: ['daily0001'], after: 'daily0001' });
    const monthly = task('monthly01', 'Monthly', { digestOf: ['weekly001', 'daily0001', 'gone00001'] });
    expect(cycleThrough(monthly, [daily, weekly])).toBeUndefined();
  });

  it('refuses a task linked to itself', () => {
    expect(cycleThrough(task('self00001', 'Self', { after: 'self00001' }), [])).toEqual(['Self', 'Self']);
  });
});

describe('followerDue: a follower runs once per occurrence of its own schedule', () => {
  const weekly = {
    schedule: validateScheduleSpec({ type: 'weekly', days: ['FRI'], time: '09:00' }),
    timeZone: 'Europe/Berlin',
    createdAt: '2026-11-22T00:00:00.000Z',
  };
  const metadata = { runCount: 0, successCount: 0, failureCount: 0, skipCount: 0, consecutiveFailures: 0 };

  it('is due after the first upstream run from its own time on, and not again that week', () => {
    expect(followerDue({ ...weekly, metadata }, new Date('2026-11-26T08:00:00.000Z'))).toBe(false);
    expect(followerDue({ ...weekly, metadata }, new Date('2026-11-27T08:00:00.000Z'))).toBe(true);
    const ran = {
      ...metadata,
      lastRun: {
        scheduledTime: '2026-11-27T08:00:00.000Z',
        finishedAt: '2026-11-27T08:01:00.000Z',
        status: 'succeeded' as const,
      },
    };
    expect(followerDue({ ...weekly, metadata: ran }, new Date('2026-11-28T08:00:00.000Z'))).toBe(false);
    expect(followerDue({ ...weekly, metadata: ran }, new Date('2026-12-04T17:00:00.000Z'))).toBe(true);
  });

  it('finds the previous occurrence a first digest of digests starts from', () => {
    expect(previousOccurrence(weekly, new Date('2026-11-27T08:00:00.000Z'))?.toISOString()).toBe(
      '2026-11-20T08:00:00.000Z',
    );
    const hourly = { ...weekly, schedule: validateScheduleSpec({ type: 'every', value: 6, unit: 'hours' }) };
    expect(previousOccurrence(hourly, new Date('2026-11-27T08:00:00.000Z'))?.toISOString()).toBe(
      '2026-11-27T02:00:00.000Z',
    );
  });
});
