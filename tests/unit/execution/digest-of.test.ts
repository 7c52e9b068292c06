import { describe, expect, it } from 'vitest';
import { composeDigestOf, type SourceRun } from '../../../lib/execution/digest-of.ts';
import { toRunDigest } from '../../../lib/execution/run-digest.ts';
import { noticeSummary } from '../../../lib/summarization/summarizer.ts';
import { validateScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import type { SummaryTask } from '../../../lib/tasks/task.ts';

const GUILD = '100000000000000001';
const weekly: SummaryTask = {
  id: 'weekly001',
  guildId: GUILD,
  name: 'Weekly roll-up',
  kind: 'summary',
  channelIds: ['200000000000000001'],
  timeZone: 'Europe/Berlin',
  destinations: [{ type: 'discord_channel', channelId: '200000000000000003', format: 'embed' }],
  options: SummaryOptions.parse({ length: 'brief' }),
  schedule: validateScheduleSpec({ type: 'weekly', days: ['FRI'], time: '09:00' }),
  state: 'active',
  createdBy: '300000000000000001',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  version: 1,
  metadata: { runCount: 0, successCount: 0, failureCount: 0, skipCount: 0, consecutiveFailures: 0 },
  cursors: {},
  digestOf: [
    { taskId: 'daily0001', name: 'Daily general' },
    { taskId: 'gone00001', name: 'Old daily' },
  ],
};

function sourceRun(day: number, messages: number): SourceRun {
  const scheduledTime = `2026-11-${day}T08:00:00.000Z`;
  const summary = {
    ...noticeSummary(`Daily ${day}`, `Day ${day} was about the release. More detail follows.`, {
      messages,
      participants: 3,
      from: scheduledTime,
      to: scheduledTime,
    }),
    decisions: [{ text: `Decision of day ${day}`, sources: [] }],
  };
  const link = `https://discord.com/channels/${GUILD}/200000000000000003/15757833194700800${day}`;
  return {
    source: { taskId: 'daily0001', name: 'Daily general' },
    run: {
      taskId: 'daily0001',
      guildId: GUILD,
      scheduledTime,
      trigger: 'schedule',
      attempt: 1,
      status: 'succeeded',
      startedAt: scheduledTime,
      messageCount: messages,
      expiresAt: 0,
    },
    digest: toRunDigest(summary),
    link,
  };
}

describe('composeDigestOf: the week in five lines', () => {
  const window = { from: new Date('2026-11-20T08:00:00.000Z'), to: new Date('2026-11-27T08:00:00.000Z') };

  it('keeps the busiest runs in time order, each line linking to the digest it came from', () => {
    const runs = [21, 22, 23, 24, 25, 26, 27].map((day) => sourceRun(day, day === 22 || day === 24 ? 1 : 10));
    const summary = composeDigestOf(weekly, { runs, gone: [] }, window);
    expect(summary.title).toBe('The week in five lines: Weekly roll-up');
    expect(summary.keyPoints.map((p) => p.text)).toEqual([
      'Daily general, Sat 21 Nov: Day 21 was about the release.',
      'Daily general, Mon 23 Nov: Day 23 was about the release.',
      'Daily general, Wed 25 Nov: Day 25 was about the release.',
      'Daily general, Thu 26 Nov: Day 26 was about the release.',
      'Daily general, Fri 27 Nov: Day 27 was about the release.',
    ]);
    expect(summary.keyPoints[0]?.sources).toEqual([runs[0]?.link]);
    expect(summary.decisions.at(-1)).toEqual({ text: 'Decision of day 27', sources: [runs[6]?.link] });
    expect(summary.overview).toBe(
      'The 5 busiest of 7 digests of Daily general, Old daily, 52 messages in all.',
    );
    expect(summary.footer).toBeUndefined();
  });

  it('names a source deleted since in the footer, and still composes the others', () => {
    const summary = composeDigestOf(
      weekly,
      { runs: [sourceRun(26, 4)], gone: [{ taskId: 'gone00001', name: 'Old daily' }] },
      window,
    );
    expect(summary.keyPoints).toHaveLength(1);
    expect(summary.footer).toBe('“Old daily” was deleted; its digests are no longer read.');
  });
});

describe('toRunDigest: what a run record keeps of its summary', () => {
  it('bounds every part, whatever the summarizer wrote', () => {
    const long = 'word '.repeat(500);
    const point = { text: long, sources: [] };
    const digest = toRunDigest({
      ...noticeSummary(long, long, { messages: 1, participants: 1, from: '', to: '' }),
      keyPoints: Array(20).fill(point),
      decisions: Array(20).fill(point),
      actionItems: Array(20).fill({ ...point, owner: long }),
      openQuestions: Array(20).fill(point),
    });
    expect(digest.title.length).toBeLessThanOrEqual(256);
    expect(digest.overview.length).toBeLessThanOrEqual(600);
    expect(digest.lines.length).toBeLessThanOrEqual(8);
    expect(JSON.stringify(digest).length).toBeLessThan(4_000);
  });
});
