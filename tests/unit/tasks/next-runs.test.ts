import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { nextRuns } from '../../../lib/tasks/next-runs.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));
const runs = (expression: string, zone: string, from: string, count = 3, anchor?: string) =>
  iso(nextRuns(expression, zone, new Date(from), count, anchor ? { anchor: new Date(anchor) } : {}));

describe('nextRuns for the documented examples (rules doc, UTC+0)', () => {
  // Monday 9 March 2026, 00:00 UTC.
  const monday = '2026-03-09T00:00:00Z';
  it.each([
    ['cron(0 10 * * ? *)', ['2026-03-09T10:00:00Z', '2026-03-10T10:00:00Z', '2026-03-11T10:00:00Z']],
    ['cron(15 12 * * ? *)', ['2026-03-09T12:15:00Z', '2026-03-10T12:15:00Z', '2026-03-11T12:15:00Z']],
    ['cron(0 18 ? * MON-FRI *)', ['2026-03-09T18:00:00Z', '2026-03-10T18:00:00Z', '2026-03-11T18:00:00Z']],
    ['cron(0 8 1 * ? *)', ['2026-04-01T08:00:00Z', '2026-05-01T08:00:00Z', '2026-06-01T08:00:00Z']],
    ['cron(0/15 * * * ? *)', ['2026-03-09T00:15:00Z', '2026-03-09T00:30:00Z', '2026-03-09T00:45:00Z']],
    ['cron(0/10 * ? * MON-FRI *)', ['2026-03-09T00:10:00Z', '2026-03-09T00:20:00Z', '2026-03-09T00:30:00Z']],
    [
      'cron(0/5 8-17 ? * MON-FRI *)',
      ['2026-03-09T08:00:00Z', '2026-03-09T08:05:00Z', '2026-03-09T08:10:00Z'],
    ],
    ['cron(0 12 * * ? *)', ['2026-03-09T12:00:00Z', '2026-03-10T12:00:00Z', '2026-03-11T12:00:00Z']],
    ['cron(5,35 14 * * ? *)', ['2026-03-09T14:05:00Z', '2026-03-09T14:35:00Z', '2026-03-10T14:05:00Z']],
    ['rate(1 minute)', ['2026-03-09T00:01:00Z', '2026-03-09T00:02:00Z', '2026-03-09T00:03:00Z']],
    ['rate(5 minutes)', ['2026-03-09T00:05:00Z', '2026-03-09T00:10:00Z', '2026-03-09T00:15:00Z']],
    ['rate(1 hour)', ['2026-03-09T01:00:00Z', '2026-03-09T02:00:00Z', '2026-03-09T03:00:00Z']],
    ['rate(1 day)', ['2026-03-10T00:00:00Z', '2026-03-11T00:00:00Z', '2026-03-12T00:00:00Z']],
  ])('%s', (expression, expected) => {
    expect(runs(expression, 'Etc/UTC', monday)).toEqual(expected);
  });

  it('runs cron(0/5 8-17 ? * MON-FRI *) last at 17:55 and skips the weekend', () => {
    expect(runs('cron(0/5 8-17 ? * MON-FRI *)', 'Etc/UTC', '2026-03-13T17:50:00Z', 2)).toEqual([
      '2026-03-13T17:55:00Z',
      '2026-03-16T08:00:00Z',
    ]);
  });

  it('reads the wrapping hours of cron(0/30 20-2 ? * MON-FRI *) as 20:00-23:30 and 00:00-02:30 of each weekday', () => {
    // The caption says "10:00 pm to 2:00 am"; hour 20 is 8 pm, and day-of-week applies to each run's own day.
    expect(runs('cron(0/30 20-2 ? * MON-FRI *)', 'Etc/UTC', '2026-03-09T02:00:00Z', 3)).toEqual([
      '2026-03-09T02:30:00Z',
      '2026-03-09T20:00:00Z',
      '2026-03-09T20:30:00Z',
    ]);
    expect(runs('cron(0/30 20-2 ? * MON-FRI *)', 'Etc/UTC', '2026-03-13T23:30:00Z', 1)).toEqual([
      '2026-03-16T00:00:00Z',
    ]);
  });

  it('runs cron(15 10 ? * 6L 2019-2022) on the last Friday of each month, and no more after 2022', () => {
    expect(runs('cron(15 10 ? * 6L 2019-2022)', 'Etc/UTC', '2022-11-01T00:00:00Z', 3)).toEqual([
      '2022-11-25T10:15:00Z',
      '2022-12-30T10:15:00Z',
    ]);
    expect(runs('cron(15 10 ? * 6L 2019-2022)', 'Etc/UTC', monday)).toEqual([]);
  });
});

describe('nextRuns for the Scheduler guide examples', () => {
  it('runs cron(30 8 * * ? *) at 08:30 New York time, following its DST', () => {
    expect(runs('cron(30 8 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z')).toEqual([
      '2026-03-07T13:30:00Z',
      '2026-03-08T12:30:00Z',
      '2026-03-09T12:30:00Z',
    ]);
  });

  it('runs at(2022-11-20T13:00:00) in Los Angeles once, at 1 pm UTC-8', () => {
    expect(runs('at(2022-11-20T13:00:00)', 'America/Los_Angeles', '2022-11-01T00:00:00Z')).toEqual([
      '2022-11-20T21:00:00Z',
    ]);
  });

  it('runs cron(15 10 ? * 6L 2022-2023) on the last Friday of each month in its zone', () => {
    expect(runs('cron(15 10 ? * 6L 2022-2023)', 'Europe/Berlin', '2023-11-01T00:00:00Z', 5)).toEqual([
      '2023-11-24T09:15:00Z',
      '2023-12-29T09:15:00Z',
    ]);
  });
});

describe('nextRuns across daylight saving time (FACTS A2)', () => {
  it('skips cron(30 2 * * ? *) in Los Angeles on the spring-forward day', () => {
    // 8 March 2026: 02:00 PST jumps to 03:00 PDT, so 02:30 does not exist that day.
    expect(runs('cron(30 2 * * ? *)', 'America/Los_Angeles', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T10:30:00Z',
      '2026-03-09T09:30:00Z',
      '2026-03-10T09:30:00Z',
    ]);
  });

  it('runs cron(30 2 * * ? *) in Los Angeles once on the fall-back day', () => {
    // 1 November 2026: 02:00 PDT falls back to 01:00 PST; 02:30 then occurs once (PST).
    expect(runs('cron(30 2 * * ? *)', 'America/Los_Angeles', '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T10:30:00Z',
      '2026-11-02T10:30:00Z',
    ]);
  });

  it('runs a repeated wall time only at its first occurrence', () => {
    // 01:30 occurs at 08:30Z (PDT) and again at 09:30Z (PST); EventBridge runs it once, the first time.
    expect(runs('cron(30 1 * * ? *)', 'America/Los_Angeles', '2026-10-31T12:00:00Z', 2)).toEqual([
      '2026-11-01T08:30:00Z',
      '2026-11-02T09:30:00Z',
    ]);
  });

  it('does not repeat a frequent cron during the repeated hour', () => {
    const result = runs('cron(0/30 * * * ? *)', 'America/Los_Angeles', '2026-11-01T08:00:00Z', 4);
    expect(result).toEqual([
      '2026-11-01T08:30:00Z', // 01:30 PDT
      '2026-11-01T10:00:00Z', // 02:00 PST: 01:00 and 01:30 PST are repeats and do not run
      '2026-11-01T10:30:00Z',
      '2026-11-01T11:00:00Z',
    ]);
  });

  it('does not run repeats even when starting inside the repeated hour', () => {
    expect(runs('cron(0/30 * * * ? *)', 'America/Los_Angeles', '2026-11-01T09:10:00Z', 1)).toEqual([
      '2026-11-01T10:00:00Z',
    ]);
  });

  it('keeps rate(1 day) at 24 hours of clock time across a DST change', () => {
    expect(
      runs('rate(1 day)', 'America/Los_Angeles', '2026-03-07T17:00:00Z', 3, '2026-03-06T17:00:00Z'),
    ).toEqual(['2026-03-08T17:00:00Z', '2026-03-09T17:00:00Z', '2026-03-10T17:00:00Z']);
    expect(runs('rate(1 days)', 'Europe/Berlin', '2026-10-24T06:00:00Z', 2)).toEqual([
      '2026-10-25T06:00:00Z',
      '2026-10-26T06:00:00Z',
    ]);
  });

  it('applies no DST shift in zones without DST', () => {
    expect(runs('cron(30 2 * * ? *)', 'Asia/Kolkata', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T21:00:00Z',
      '2026-03-08T21:00:00Z',
      '2026-03-09T21:00:00Z',
    ]);
    expect(runs('cron(30 2 * * ? *)', 'Etc/UTC', '2026-03-07T00:00:00Z', 2)).toEqual([
      '2026-03-07T02:30:00Z',
      '2026-03-08T02:30:00Z',
    ]);
    expect(runs('cron(0 9 * * ? *)', 'America/Phoenix', '2026-03-07T00:00:00Z', 3)).toEqual([
      '2026-03-07T16:00:00Z',
      '2026-03-08T16:00:00Z',
      '2026-03-09T16:00:00Z',
    ]);
  });

  it('handles a half-hour DST shift (Lord Howe Island)', () => {
    // 5 April 2026: 02:00 +11 falls back to 01:30 +10:30; 01:45 occurs twice and runs once.
    expect(runs('cron(45 1 * * ? *)', 'Australia/Lord_Howe', '2026-04-04T12:00:00Z', 2)).toEqual([
      '2026-04-04T14:45:00Z',
      '2026-04-05T15:15:00Z',
    ]);
  });

  it('moves an at() in the spring-forward gap forward by the gap (documented choice)', () => {
    expect(runs('at(2026-03-08T02:30:00)', 'America/Los_Angeles', '2026-03-01T00:00:00Z')).toEqual([
      '2026-03-08T10:30:00Z', // 03:30 PDT
    ]);
  });

  it('runs a repeated at() wall time at its first occurrence', () => {
    expect(runs('at(2026-11-01T01:30:00)', 'America/Los_Angeles', '2026-10-01T00:00:00Z')).toEqual([
      '2026-11-01T08:30:00Z',
    ]);
  });
});

describe('nextRuns semantics of L, W and #', () => {
  it('L in day-of-month is the last day of each month', () => {
    expect(runs('cron(0 8 L * ? *)', 'Etc/UTC', '2028-01-15T00:00:00Z', 3)).toEqual([
      '2028-01-31T08:00:00Z',
      '2028-02-29T08:00:00Z',
      '2028-03-31T08:00:00Z',
    ]);
  });

  it('nW is the weekday nearest day n, within the month', () => {
    // 15 Feb 2026 is a Sunday -> Monday 16; 1 Aug 2026 is a Saturday -> Monday 3 (not July 31).
    expect(runs('cron(0 8 15W * ? *)', 'Etc/UTC', '2026-02-01T00:00:00Z', 1)).toEqual([
      '2026-02-16T08:00:00Z',
    ]);
    expect(runs('cron(0 8 1W * ? *)', 'Etc/UTC', '2026-07-15T00:00:00Z', 1)).toEqual([
      '2026-08-03T08:00:00Z',
    ]);
    // 14 Mar 2026 is a Saturday -> Friday 13.
    expect(runs('cron(0 8 14W * ? *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-13T08:00:00Z',
    ]);
  });

  it('n#k is the k-th such weekday (1 = Sunday), and months without one are skipped', () => {
    expect(runs('cron(0 8 ? * 3#2 *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 2)).toEqual([
      '2026-03-10T08:00:00Z',
      '2026-04-14T08:00:00Z',
    ]);
    expect(runs('cron(0 8 ? * 6#5 *)', 'Etc/UTC', '2026-01-01T00:00:00Z', 2)).toEqual([
      '2026-01-30T08:00:00Z',
      '2026-05-29T08:00:00Z',
    ]);
  });

  it('nL is the last such weekday; L alone in day-of-week is Saturday', () => {
    expect(runs('cron(0 8 ? * 2L *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-30T08:00:00Z',
    ]);
    expect(runs('cron(0 8 ? * L *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-07T08:00:00Z']);
  });

  it('numbers days 1 = Sunday to 7 = Saturday, the same as their names', () => {
    expect(runs('cron(0 8 ? * 1 *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-01T08:00:00Z']);
    expect(runs('cron(0 8 ? * SUN *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual([
      '2026-03-01T08:00:00Z',
    ]);
    expect(runs('cron(0 8 ? * 7 *)', 'Etc/UTC', '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-07T08:00:00Z']);
  });

  it('a wrapping day-of-week range covers the end and start of the week', () => {
    expect(runs('cron(0 8 ? * FRI-MON *)', 'Etc/UTC', '2026-03-03T00:00:00Z', 4)).toEqual([
      '2026-03-06T08:00:00Z',
      '2026-03-07T08:00:00Z',
      '2026-03-08T08:00:00Z',
      '2026-03-09T08:00:00Z',
    ]);
  });
});

describe('nextRuns boundaries', () => {
  it('returns only instants strictly after from', () => {
    expect(runs('cron(0 10 * * ? *)', 'Etc/UTC', '2026-03-09T10:00:00Z', 1)).toEqual([
      '2026-03-10T10:00:00Z',
    ]);
    expect(runs('cron(0 10 * * ? *)', 'Etc/UTC', '2026-03-09T09:59:59.999Z', 1)).toEqual([
      '2026-03-09T10:00:00Z',
    ]);
  });

  it('runs at() once if it is ahead, and not at all if it is past or now', () => {
    expect(runs('at(2026-12-24T18:00:00)', 'Europe/Berlin', '2026-03-09T00:00:00Z', 5)).toEqual([
      '2026-12-24T17:00:00Z',
    ]);
    expect(runs('at(2026-12-24T18:00:00)', 'Europe/Berlin', '2026-12-24T17:00:00Z')).toEqual([]);
    expect(runs('at(2020-01-01T00:00:00)', 'Europe/Berlin', '2026-03-09T00:00:00Z')).toEqual([]);
  });

  it('counts rate schedules from the anchor, including the anchor itself when it is ahead', () => {
    expect(runs('rate(2 hours)', 'Etc/UTC', '2026-03-09T03:00:00Z', 2, '2026-03-09T00:30:00Z')).toEqual([
      '2026-03-09T04:30:00Z',
      '2026-03-09T06:30:00Z',
    ]);
    expect(runs('rate(2 hours)', 'Etc/UTC', '2026-03-09T03:00:00Z', 2, '2026-03-09T04:00:00Z')).toEqual([
      '2026-03-09T04:00:00Z',
      '2026-03-09T06:00:00Z',
    ]);
    expect(runs('rate(2 hours)', 'Etc/UTC', '2026-03-09T04:30:00Z', 1, '2026-03-09T00:30:00Z')).toEqual([
      '2026-03-09T06:30:00Z',
    ]);
  });

  it('stops at the year 2199 and returns fewer runs when there are no more', () => {
    expect(runs('cron(0 10 31 12 ? *)', 'Etc/UTC', '2197-06-01T00:00:00Z', 5)).toEqual([
      '2197-12-31T10:00:00Z',
      '2198-12-31T10:00:00Z',
      '2199-12-31T10:00:00Z',
    ]);
    expect(runs('cron(0 10 30 2 ? *)', 'Etc/UTC', '2026-01-01T00:00:00Z')).toEqual([]);
  });

  it('returns nothing for a count of 0', () => {
    expect(runs('cron(0 10 * * ? *)', 'Etc/UTC', '2026-01-01T00:00:00Z', 0)).toEqual([]);
  });

  it.each([
    [() => nextRuns('cron(0 10 * * ?)', 'Etc/UTC', new Date(), 1), 'expression'],
    [() => nextRuns('cron(0 10 * * ? *)', 'Mars/Olympus', new Date(), 1), 'timezone'],
    [() => nextRuns('cron(0 10 * * ? *)', 'Etc/UTC', new Date('nope'), 1), 'from'],
    [() => nextRuns('cron(0 10 * * ? *)', 'Etc/UTC', new Date(), -1), 'count'],
    [() => nextRuns('cron(0 10 * * ? *)', 'Etc/UTC', new Date(), 1.5), 'count'],
    [() => nextRuns('rate(1 hour)', 'Etc/UTC', new Date(), 1, { anchor: new Date('x') }), 'anchor'],
  ])('rejects bad input with a ValidationError (%#: %s)', (call, field) => {
    expect(call).toThrow(ValidationError);
    try {
      call();
    } catch (error) {
      expect((error as ValidationError).field).toBe(field);
    }
  });
});

describe('nextRuns properties', () => {
  const wallClock = (date: Date, zone: string) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(date);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return { hour: get('hour'), minute: get('minute') };
  };

  it('returns increasing instants after from, at wall times the minutes and hours fields allow', () => {
    const zones = ['Etc/UTC', 'America/Los_Angeles', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('* * ?', '? * MON-FRI', 'L * ?', '15W * ?', '? * 6#2', '? JAN,JUL 2L', '1/3 * ?'),
        fc.constantFrom(...zones),
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2150-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        (minutes, hours, days, zone, from) => {
          const [dom, month, dow] = days.split(' ');
          const expression = `cron(${minutes.join(',')} ${hours.join(',')} ${dom} ${month} ${dow} *)`;
          const result = nextRuns(expression, zone, from, 4);
          expect(result.length).toBe(4);
          let previous = from.getTime();
          for (const run of result) {
            expect(run.getTime()).toBeGreaterThan(previous);
            previous = run.getTime();
            const wall = wallClock(run, zone);
            expect(minutes).toContain(wall.minute);
            expect(hours).toContain(wall.hour);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('nextRuns with a start date', () => {
  it('runs a cron schedule only from its start date on, and ignores it for at()', () => {
    const from = new Date('2026-03-02T08:00:00Z');
    const anchor = new Date('2026-03-05T09:00:00Z');
    expect(nextRuns('cron(0 9 * * ? *)', 'UTC', from, 2, { anchor })).toEqual([
      new Date('2026-03-05T09:00:00Z'),
      new Date('2026-03-06T09:00:00Z'),
    ]);
    expect(nextRuns('at(2026-03-03T10:00:00)', 'UTC', from, 1, { anchor })).toEqual([
      new Date('2026-03-03T10:00:00Z'),
    ]);
  });
});
