/**
 * Property-based tests with a fixed seed and bounded runs: the expression parser only ever returns a parsed
 * expression or throws ValidationError; nextRuns is strictly increasing, matches every field of the
 * expression, and follows EventBridge's DST rules (skip a time in the spring-forward gap, run a repeated time
 * once) in every IANA zone that changes offset in 2026.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { parseExpression } from '../../lib/tasks/expressions.ts';
import { nextRuns } from '../../lib/tasks/next-runs.ts';
import { recordFigures, SEED } from './figures.ts';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// --- wall clocks, computed independently of lib/tasks ------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Sunday ... 7 = Saturday, as AWS numbers days. */
  weekday: number;
}

function wall(instant: number, zone: string): Wall {
  const parts = formatter(zone).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    weekday: WEEKDAYS.indexOf(get('weekday')) + 1,
  };
}

/** The zone's offset from UTC in minutes at `instant`. */
function offsetMinutes(instant: number, zone: string): number {
  const w = wall(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return Math.round((asUtc - Math.floor(instant / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** Every instant whose wall time in `zone` is exactly the given local date and time (0, 1 or 2 of them). */
function instantsOfWallTime(zone: string, y: number, mo: number, d: number, h: number, mi: number): number[] {
  const local = Date.UTC(y, mo - 1, d, h, mi);
  const offsets = new Set([
    offsetMinutes(local - DAY_MS, zone),
    offsetMinutes(local, zone),
    offsetMinutes(local + DAY_MS, zone),
  ]);
  const found = new Set<number>();
  for (const offset of offsets) {
    const candidate = local - offset * MINUTE_MS;
    const w = wall(candidate, zone);
    if (w.year === y && w.month === mo && w.day === d && w.hour === h && w.minute === mi)
      found.add(candidate);
  }
  return [...found].sort((a, b) => a - b);
}

// --- the parser ---------------------------------------------------------------------------------------------

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A cron field item in AWS syntax, valid or slightly off (out of range, wrong word, odd step). */
function fieldItem(min: number, max: number, words: string[] = []) {
  const value = fc.oneof(
    fc.integer({ min, max }),
    fc.integer({ min: min - 2, max: max + 3 }),
    ...(words.length ? [fc.constantFrom(...words)] : []),
  );
  return fc.oneof(
    value.map(String),
    fc.constant('*'),
    fc.tuple(value, value).map(([a, b]) => `${a}-${b}`),
    fc
      .tuple(fc.oneof(value.map(String), fc.constant('*')), fc.integer({ min: 0, max: 70 }))
      .map(([a, s]) => `${a}/${s}`),
  );
}
const list = (item: fc.Arbitrary<string>) =>
  fc.array(item, { minLength: 1, maxLength: 3 }).map((a) => a.join(','));

const cronText = fc
  .tuple(
    list(fieldItem(0, 59)),
    list(fieldItem(0, 23)),
    fc.oneof(list(fieldItem(1, 31)), fc.constantFrom('?', 'L', '15W', 'LW', 'L-3')),
    list(fieldItem(1, 12, MONTHS)),
    fc.oneof(list(fieldItem(1, 7, DAYS)), fc.constantFrom('?', '6L', '3#2', 'L', '2#6')),
    fc.oneof(list(fieldItem(1970, 2199)), fc.constant('*')),
  )
  .map((fields) => `cron(${fields.join(' ')})`);

const rateText = fc
  .tuple(
    fc.oneof(fc.integer({ min: -2, max: 1_000_000 }).map(String), fc.constantFrom('1.5', '01', ' 5', '')),
    fc.constantFrom('minute', 'minutes', 'hour', 'hours', 'day', 'days', 'weeks', 'Minutes', ''),
  )
  .map(([v, u]) => `rate(${v} ${u})`);

const atText = fc
  .tuple(
    fc.integer({ min: 1960, max: 2210 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
  )
  .map(
    ([y, mo, d, h, mi, s]) =>
      `at(${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(s).padStart(2, '0')})`,
  );

/** Small corruptions of a well-formed expression: a character dropped, doubled or replaced. */
const mutated = fc
  .tuple(
    fc.oneof(cronText, rateText, atText),
    fc.nat(),
    fc.constantFrom('', '(', ')', ' ', '\u0000', '٣', '\u{1F600}'),
  )
  .map(([text, at, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + 1);
  });

const anyText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 250, maxLength: 300 }).map((s) => `cron(${s})`),
  cronText,
  rateText,
  atText,
  mutated,
);

describe('parseExpression (property)', () => {
  it('returns a parsed expression or throws ValidationError, and nothing else, for any string', () => {
    let cases = 0;
    let parsed = 0;
    let refused = 0;
    fc.assert(
      fc.property(anyText, (text) => {
        cases += 1;
        try {
          const result = parseExpression(text);
          expect(['cron', 'rate', 'at']).toContain(result.kind);
          parsed += 1;
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).message.length).toBeGreaterThan(0);
          refused += 1;
        }
      }),
      { seed: SEED, numRuns: 20_000 },
    );
    // The generators must reach both outcomes, or the property proves little.
    expect(parsed).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
    recordFigures('parser-any-string', { cases, parsed, refused, seed: SEED });
  });
});

// --- nextRuns: increasing and matching every field ------------------------------------------------------------

const ALL_ZONES = Intl.supportedValuesOf('timeZone');

describe('nextRuns (property)', () => {
  it('returns strictly increasing instants after from whose wall time matches every field, in any zone', () => {
    let cases = 0;
    let runsChecked = 0;
    const expression = fc
      .record({
        minutes: fc.uniqueArray(fc.integer({ min: 0, max: 59 }), { minLength: 1, maxLength: 3 }),
        hours: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 3 }),
        months: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
        byWeekday: fc.boolean(),
        days: fc.uniqueArray(fc.integer({ min: 1, max: 28 }), { minLength: 1, maxLength: 3 }),
        weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 3 }),
      })
      .map((f) => ({
        ...f,
        text: `cron(${f.minutes.join(',')} ${f.hours.join(',')} ${f.byWeekday ? '?' : f.days.join(',')} ${f.months
          .map((m) => MONTHS[m - 1])
          .join(',')} ${f.byWeekday ? f.weekdays.map((d) => DAYS[d - 1]).join(',') : '?'} *)`,
      }));
    fc.assert(
      fc.property(
        expression,
        fc.constantFrom(...ALL_ZONES),
        fc.date({ min: new Date('1990-01-01Z'), max: new Date('2150-01-01Z'), noInvalidDate: true }),
        (cron, zone, from) => {
          cases += 1;
          const runs = nextRuns(cron.text, zone, from, 5);
          expect(runs).toHaveLength(5);
          let previous = from.getTime();
          for (const run of runs) {
            runsChecked += 1;
            expect(run.getTime()).toBeGreaterThan(previous);
            expect(run.getTime() % MINUTE_MS).toBe(0);
            previous = run.getTime();
            const w = wall(run.getTime(), zone);
            expect(cron.minutes).toContain(w.minute);
            expect(cron.hours).toContain(w.hour);
            expect(cron.months).toContain(w.month);
            if (cron.byWeekday) expect(cron.weekdays).toContain(w.weekday);
            else expect(cron.days).toContain(w.day);
          }
        },
      ),
      { seed: SEED, numRuns: 1_500 },
    );
    recordFigures('next-runs-match', { cases, runsChecked, zones: ALL_ZONES.length, seed: SEED });
  });
});

// --- nextRuns: EventBridge's DST rules in every zone with transitions ----------------------------------------

const YEAR = 2026;

/** Zones whose offset changes during 2026, with the days (UTC) on which it changes. */
function zonesWithTransitions(): { zone: string; changeDays: number[] }[] {
  const start = Date.UTC(YEAR, 0, 1);
  const out: { zone: string; changeDays: number[] }[] = [];
  for (const zone of ALL_ZONES) {
    const changeDays: number[] = [];
    let previous = offsetMinutes(start, zone);
    for (let day = 1; day <= 365; day++) {
      const offset = offsetMinutes(start + day * DAY_MS, zone);
      if (offset !== previous) changeDays.push(start + (day - 1) * DAY_MS);
      previous = offset;
    }
    if (changeDays.length > 0) out.push({ zone, changeDays });
  }
  return out;
}

/** The local wall times (hour, minute) around a transition: inside the gap or the repeated hour. */
function transitionWallTimes(zone: string, dayStart: number): { hour: number; minute: number }[] {
  const times: { hour: number; minute: number }[] = [];
  let before = offsetMinutes(dayStart, zone);
  for (let t = dayStart; t < dayStart + DAY_MS + 6 * 3_600_000; t += 15 * MINUTE_MS) {
    const offset = offsetMinutes(t, zone);
    if (offset !== before) {
      // Wall times just before the change (in the old offset) and just after (in the new one) bracket the
      // gap or the repeated hour.
      for (const probe of [t - 10 * MINUTE_MS, t + 10 * MINUTE_MS, t - 40 * MINUTE_MS]) {
        const w = wall(probe, zone);
        times.push({ hour: w.hour, minute: w.minute });
      }
      // The middle of the gap or overlap, in the wall time of the earlier offset.
      const w = wall(t + ((before - offset) / 2) * MINUTE_MS, zone);
      times.push({ hour: w.hour, minute: w.minute });
      before = offset;
    }
  }
  return times;
}

describe('nextRuns across DST (property, every zone with a 2026 transition)', () => {
  const zones = zonesWithTransitions();

  it('finds the zones to test', () => {
    expect(zones.length).toBeGreaterThan(100);
    expect(zones.map((z) => z.zone)).toContain('America/Los_Angeles');
    expect(zones.map((z) => z.zone)).toContain('Australia/Lord_Howe');
  });

  it('runs a daily cron once on every local day its time exists, never in a gap, never twice', () => {
    let cases = 0;
    let daysChecked = 0;
    let gapsSkipped = 0;
    let repeatsRunOnce = 0;
    const zonesSeen = new Set<string>();
    const arbitrary = fc.constantFrom(...zones).chain((z) =>
      fc.record({
        zone: fc.constant(z),
        time: fc.oneof(
          fc.record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) }),
          fc.constantFrom(...z.changeDays.flatMap((d) => transitionWallTimes(z.zone, d))),
        ),
      }),
    );
    const check = ({
      zone: { zone },
      time: { hour, minute },
    }: {
      zone: { zone: string };
      time: { hour: number; minute: number };
    }) => {
      cases += 1;
      zonesSeen.add(zone);
      const from = new Date(Date.UTC(YEAR - 1, 11, 30));
      const runs = nextRuns(`cron(${minute} ${hour} * * ? *)`, zone, from, 372).map((d) => d.getTime());
      const byDay = new Map<string, number[]>();
      let previous = from.getTime();
      // Plain comparisons first, expect() only on a mismatch (for its message): 300 cases of a year each
      // are ~200,000 checks, and expect() per check made this test take minutes on a loaded machine.
      for (const run of runs) {
        if (!(run > previous)) expect(run).toBeGreaterThan(previous);
        previous = run;
        const w = wall(run, zone);
        // Never a time from the gap: a run always shows exactly the wall time asked for.
        if (w.hour !== hour || w.minute !== minute) {
          expect({ hour: w.hour, minute: w.minute }).toEqual({ hour, minute });
        }
        const key = `${w.year}-${w.month}-${w.day}`;
        byDay.set(key, [...(byDay.get(key) ?? []), run]);
      }
      for (let day = Date.UTC(YEAR, 0, 1); day < Date.UTC(YEAR + 1, 0, 1); day += DAY_MS) {
        const d = new Date(day);
        const key = `${d.getUTCFullYear()}-${d.getUTCMonth() + 1}-${d.getUTCDate()}`;
        const expected = instantsOfWallTime(
          zone,
          d.getUTCFullYear(),
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          hour,
          minute,
        );
        const got = byDay.get(key) ?? [];
        daysChecked += 1;
        if (expected.length === 0) gapsSkipped += 1;
        if (expected.length === 2) repeatsRunOnce += 1;
        // Skipped in a gap; once, at the first occurrence, when the wall time repeats; once otherwise.
        const want = expected.slice(0, 1);
        if (got.length !== want.length || got[0] !== want[0]) expect(got).toEqual(want);
      }
    };
    fc.assert(fc.property(arbitrary, check), { seed: SEED, numRuns: 250 });
    // Every zone at least once, at a transition time, so no zone is left to chance.
    for (const z of zones) {
      const times = z.changeDays.flatMap((d) => transitionWallTimes(z.zone, d));
      check({ zone: z, time: times[0] ?? { hour: 2, minute: 30 } });
    }
    expect(gapsSkipped).toBeGreaterThan(0);
    expect(repeatsRunOnce).toBeGreaterThan(0);
    recordFigures('next-runs-dst', {
      cases,
      zonesWithTransitions: zones.length,
      zonesChecked: zonesSeen.size,
      totalZones: ALL_ZONES.length,
      localDaysChecked: daysChecked,
      gapDaysSkipped: gapsSkipped,
      repeatedTimesRunOnce: repeatsRunOnce,
      seed: SEED,
    });
    // Only a hang should fail it: ~300 zone-years of runs take minutes of wall time on a loaded machine.
  }, 600_000);
});
