import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../../lib/tasks/schedule-spec.ts';
import { clockGaps, scheduleSurprises } from '../../../lib/tasks/surprises.ts';
import { fixedOffsetOf, fixedOffsetZone, zoneLabel } from '../../../lib/tasks/zone-label.ts';

const now = new Date('2026-03-02T08:00:00Z');
const texts = (spec: ScheduleSpec, zone = 'Europe/Berlin') =>
  scheduleSurprises(spec, zone, now).map((s) => s.text);

describe('schedules that would surprise their admin', () => {
  it('a monthly day 31 names the months it skips and offers day:last', () => {
    const [surprise] = scheduleSurprises({ type: 'monthly', day: 31, time: '09:00' }, 'UTC', now);
    expect(surprise).toEqual({
      kind: 'skips-months',
      suggestDayLast: true,
      text: 'Not every month has a 31st: it skips February, April, June, September and November. Use day:last to run on the last day of every month.',
    });
  });

  it('day 30 skips February; day 29 skips it outside leap years; day 28 and last skip nothing', () => {
    expect(texts({ type: 'monthly', day: 30, time: '09:00' }, 'UTC')).toEqual([
      'Not every month has a 30th: it skips February. Use day:last to run on the last day of every month.',
    ]);
    expect(texts({ type: 'monthly', day: 29, time: '09:00' }, 'UTC')[0]).toContain(
      'the next 29 February is in 2028',
    );
    expect(texts({ type: 'monthly', day: 28, time: '09:00' }, 'UTC')).toEqual([]);
    expect(texts({ type: 'monthly', day: 'last', time: '09:00' }, 'UTC')).toEqual([]);
  });

  it('a cron on day 31 is pointed to L', () => {
    expect(texts({ type: 'cron', expression: 'cron(0 9 31 * ? *)' }, 'UTC')[0]).toContain(
      'Use L as the day of the month',
    );
    expect(texts({ type: 'cron', expression: 'cron(0 9 31 JAN,MAR ? *)' }, 'UTC')).toEqual([]);
  });

  it('a daily time inside the spring-forward gap says that day is skipped and suggests a time', () => {
    expect(texts({ type: 'daily', time: '02:30' })).toEqual([
      "02:30 does not exist in Europe/Berlin on Sunday 29 March 2026: clocks jump from 02:00 to 03:00, so that day's summary is skipped (EventBridge skips times that do not exist). A time outside 02:00–02:59, such as 03:30, runs every time.",
    ]);
    expect(texts({ type: 'daily', time: '02:30' }, 'America/New_York')[0]).toContain(
      'on Sunday 8 March 2026',
    );
    expect(texts({ type: 'daily', time: '03:00' })).toEqual([]);
    expect(texts({ type: 'daily', time: '02:30' }, 'Asia/Tokyo')).toEqual([]);
    expect(texts({ type: 'daily', time: '02:30' }, 'UTC')).toEqual([]);
  });

  it('a weekly time is pointed out only when one of its days is the spring-forward day', () => {
    expect(texts({ type: 'weekly', days: ['SAT'], time: '02:30' })).toEqual([]);
    expect(texts({ type: 'weekly', days: ['SUN'], time: '02:30' })).toHaveLength(1);
    expect(texts({ type: 'cron', expression: 'cron(30 2 ? * SUN *)' })).toHaveLength(1);
    // A frequent schedule losing the runs of one missing hour surprises nobody.
    expect(texts({ type: 'cron', expression: 'cron(0/15 * * * ? *)' })).toEqual([]);
  });

  it('a one-time run inside the gap says when it runs instead', () => {
    expect(texts({ type: 'once', at: '2026-03-29T02:30' })).toEqual([
      '02:30 does not exist in Europe/Berlin on Sunday 29 March 2026: clocks jump from 02:00 to 03:00, so it runs at 03:30.',
    ]);
  });

  it('an interval of days drifts against the clock where daylight saving applies', () => {
    expect(texts({ type: 'every', value: 1, unit: 'days' })[0]).toContain(
      'For a fixed time of day use /schedule create daily.',
    );
    expect(texts({ type: 'every', value: 1, unit: 'days' }, 'UTC')).toEqual([]);
    expect(texts({ type: 'every', value: 5, unit: 'minutes' })).toEqual([]);
  });

  it('finds the spring-forward gaps of a zone', () => {
    const gaps = clockGaps('Europe/Berlin', now).map((g) => new Date(g.startWall).toISOString());
    expect(gaps).toEqual(['2026-03-29T02:00:00.000Z', '2027-03-28T02:00:00.000Z'].slice(0, gaps.length));
    expect(gaps[0]).toBe('2026-03-29T02:00:00.000Z');
  });
});

describe('fixed-offset zones in words', () => {
  it('shows Etc/GMT-2 as UTC+2 and back', () => {
    expect(fixedOffsetZone(120)).toBe('Etc/GMT-2');
    expect(fixedOffsetZone(-300)).toBe('Etc/GMT+5');
    expect(fixedOffsetZone(330)).toBeUndefined();
    expect(fixedOffsetOf('Etc/GMT+5')).toBe(-300);
    expect(zoneLabel('Etc/GMT-2')).toBe('UTC+2');
    expect(zoneLabel('Etc/GMT+5')).toBe('UTC-5');
    expect(zoneLabel('Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneLabel('UTC')).toBe('UTC');
  });
});
