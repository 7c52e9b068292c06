import { describe, expect, it } from 'vitest';
import { LimitError, ValidationError } from '../../../lib/errors.ts';
import {
  requireMinimumInterval,
  requireRoomForTasks,
  shortestGapMinutes,
} from '../../../lib/scheduling/limits.ts';
import { nextRuns } from '../../../lib/tasks/next-runs.ts';

const FROM = new Date('2026-03-02T10:00:00.000Z');
const cron = (expression: string, zone = 'UTC') => ({
  schedule: { type: 'cron' as const, expression },
  runs: (count: number) => nextRuns(expression, zone, FROM, count),
});

describe('requireMinimumInterval', () => {
  it.each([
    ['every 14 minutes', { type: 'every', value: 14, unit: 'minutes' }, 14],
    ['every 1 minute', { type: 'every', value: 1, unit: 'minutes' }, 1],
  ] as const)('refuses %s, saying the gap and the setting', (_name, schedule, gap) => {
    const error = (() => {
      try {
        requireMinimumInterval(schedule, 15, () => []);
      } catch (e) {
        return e;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('schedule');
    expect(error.expected).toContain(`runs ${gap === 1 ? '1 minute' : `${gap} minutes`} apart`);
    expect(error.expected).toContain('MIN_SCHEDULE_INTERVAL_MINUTES');
  });

  it.each([
    'cron(0/10 * * * ? *)',
    'cron(0,5 * * * ? *)',
    // Only on the first of the month, 9:00 and 9:05: the short gap is far from now, still among the runs read.
    'cron(0,5 9 1 * ? *)',
    // Only in 2031.
    'cron(* * * * ? 2031)',
    // The last minute of a day and the first of the next.
    'cron(59,0 23,0 * * ? *)',
  ])('refuses %s by its actual next runs', (expression) => {
    const { schedule, runs } = cron(expression);
    expect(() => requireMinimumInterval(schedule, 15, runs)).toThrow(/at least 15 minutes apart/);
  });

  it.each(['cron(0,15,30,45 * * * ? *)', 'cron(0 9 ? * MON-FRI *)', 'cron(0 0/6 * * ? *)'])(
    'accepts %s',
    (expression) => {
      const { schedule, runs } = cron(expression);
      expect(() => requireMinimumInterval(schedule, 15, runs)).not.toThrow();
    },
  );

  it('never looks at the runs of daily, weekly, monthly or once schedules', () => {
    const fail = () => {
      throw new Error('not expected');
    };
    expect(() => requireMinimumInterval({ type: 'daily', time: '09:00' }, 15, fail)).not.toThrow();
    expect(() => requireMinimumInterval({ type: 'once', at: '2026-12-24T18:00' }, 15, fail)).not.toThrow();
  });
});

describe('shortestGapMinutes and requireRoomForTasks', () => {
  it('finds the smallest gap, none for one run', () => {
    const at = (m: number) => new Date(FROM.getTime() + m * 60_000);
    expect(shortestGapMinutes([at(0), at(30), at(35), at(90)])).toBe(5);
    expect(shortestGapMinutes([at(0)])).toBeUndefined();
  });

  it('lets a server fill up to the limit and no further', () => {
    expect(() => requireRoomForTasks(49, 1, 50)).not.toThrow();
    expect(() => requireRoomForTasks(50, 1, 50)).toThrow(LimitError);
    expect(() => requireRoomForTasks(40, 10, 50)).not.toThrow();
    expect(() => requireRoomForTasks(40, 11, 50)).toThrow(/Importing 11 tasks would give this server 51/);
  });
});
