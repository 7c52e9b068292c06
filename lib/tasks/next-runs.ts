/**
 * When EventBridge Scheduler invokes a schedule: the next instants of an expression in a time zone.
 *
 * How: croner does the calendar arithmetic on *wall-clock* time (it evaluates the pattern in UTC, where no
 * DST exists, so each "UTC" date it returns is a local date-time of the schedule's zone). We then map each
 * wall time to an instant with EventBridge's DST rules (FACTS A2), which croner's own zone handling gets
 * wrong for AWS (TOOLCHAIN): a wall time that does not exist (spring forward) is skipped; a wall time that
 * occurs twice (fall back) runs once, at its first occurrence. Because the calendar work is zone-free, one
 * compiled croner pattern serves every zone, and the cache is keyed by expression alone.
 *
 * at(): a wall time in a DST gap is NOT CONFIRMED for EventBridge. We move it forward by the length of the
 * gap (02:30 on a spring-forward day runs at 03:30 new time), as java.time's ZonedDateTime and JavaScript's
 * Temporal ("compatible") do, rather than silently never running a one-time schedule. A repeated wall time
 * runs at its first occurrence, like cron.
 */
import { Cron } from 'croner';
import { ValidationError } from '../errors.ts';
import {
  analyzeCron,
  type CronAnalysis,
  type CronItem,
  expandItems,
  FIELD_BOUNDS,
  MAX_YEAR,
} from './cron-fields.ts';
import { type ParsedExpression, parseExpression } from './expressions.ts';
import { toScheduleExpression } from './schedule-spec.ts';
import type { Task } from './task.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The largest instant a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;
/** A caller asking for more than this is a mistake, not a schedule preview. */
export const MAX_COUNT = 10_000;
const CACHE_LIMIT = 5_000;

const RATE_PERIOD_MS = { minutes: MINUTE_MS, hours: HOUR_MS, days: DAY_MS } as const;

type Compiled =
  | { kind: 'cron'; cron: Cron; noRunsFromWall: number }
  | { kind: 'never' }
  | { kind: 'rate'; periodMs: number }
  | { kind: 'at'; localMs: number };

const compiledByExpression = new Map<string, Compiled>();
const zones = new Map<string, Zone>();

/**
 * The next `count` invocation instants of `expression` strictly after `from`, as EventBridge Scheduler would
 * invoke them in `timeZone` (see the module comment for the DST rules). Rate schedules count from `anchor`
 * (the schedule's start; defaults to `from`, as EventBridge starts a rate schedule when it is created) in
 * steps of fixed clock duration; cron schedules do not run before `anchor` (their StartDate), and one-time
 * schedules ignore it, as EventBridge does. Throws `ValidationError` for a bad expression, zone, date or count.
 */
export function nextRuns(
  expression: string,
  timeZone: string,
  from: Date,
  count: number,
  options: { anchor?: Date } = {},
): Date[] {
  const compiled = compile(expression);
  const zone = zoneFor(timeZone);
  const fromMs = instantOf(from, 'from');
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw new ValidationError('count', `expected a whole number from 0 to ${MAX_COUNT}; got ${count}`);
  }
  if (count === 0) return [];
  switch (compiled.kind) {
    case 'at': {
      const instant = zone.wallToInstant(compiled.localMs, 'later-in-gap');
      return instant !== null && instant > fromMs ? [new Date(instant)] : [];
    }
    case 'rate': {
      const anchorMs = options.anchor === undefined ? fromMs : instantOf(options.anchor, 'anchor');
      const period = compiled.periodMs;
      const first = anchorMs > fromMs ? 0 : Math.floor((fromMs - anchorMs) / period) + 1;
      const runs: Date[] = [];
      for (let k = first; runs.length < count; k += 1) {
        const at = anchorMs + k * period;
        if (at > MAX_DATE_MS) break;
        runs.push(new Date(at));
      }
      return runs;
    }
    case 'cron': {
      // The anchor is the schedule's StartDate: no invocation before it ("on, or after", FACTS A4).
      const startMs = options.anchor === undefined ? fromMs : instantOf(options.anchor, 'anchor') - 1;
      return cronRuns(compiled, zone, Math.max(fromMs, startMs), count);
    }
    case 'never':
      return [];
  }
}

function cronRuns(
  compiled: Extract<Compiled, { kind: 'cron' }>,
  zone: Zone,
  fromMs: number,
  count: number,
): Date[] {
  const runs: Date[] = [];
  // Walk wall-clock matches from the wall time of `from`. Mapping wall times to their first occurrence keeps
  // them in order, and no wall time before `from`'s can map after it.
  let cursor = new Date(zone.instantToWall(fromMs));
  while (runs.length < count) {
    // An exhausted search is slow (croner scans up to stopAt); remember where it ran dry.
    if (cursor.getTime() >= compiled.noRunsFromWall) break;
    const next = compiled.cron.nextRun(cursor);
    if (next === null) {
      compiled.noRunsFromWall = Math.min(compiled.noRunsFromWall, cursor.getTime());
      break;
    }
    cursor = next;
    const instant = zone.wallToInstant(cursor.getTime(), 'skip-gap');
    if (instant !== null && instant > fromMs) runs.push(new Date(instant));
  }
  return runs;
}

function instantOf(date: Date, field: string): number {
  const ms = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new ValidationError(field, 'expected a valid date and time');
  return ms;
}

function compile(expression: string): Compiled {
  const cached = compiledByExpression.get(expression);
  if (cached) return cached;
  const compiled = compileParsed(parseExpression(expression));
  if (compiledByExpression.size >= CACHE_LIMIT) {
    // Forget the oldest entry (Maps iterate in insertion order): a bounded, first-in-first-out cache.
    const oldest = compiledByExpression.keys().next();
    if (!oldest.done) compiledByExpression.delete(oldest.value);
  }
  compiledByExpression.set(expression, compiled);
  return compiled;
}

function compileParsed(parsed: ParsedExpression): Compiled {
  switch (parsed.kind) {
    case 'at': {
      const { year, month, day, hour, minute, second } = parsed.local;
      return { kind: 'at', localMs: Date.UTC(year, month - 1, day, hour, minute, second) };
    }
    case 'rate':
      return { kind: 'rate', periodMs: parsed.value * RATE_PERIOD_MS[parsed.unit] };
    case 'cron': {
      const analysis = analyzeCron(parsed.fields);
      if (!canEverRun(analysis)) return { kind: 'never' };
      return {
        kind: 'cron',
        cron: new Cron(cronerPattern(analysis), {
          mode: '7-part',
          alternativeWeekdays: true,
          sloppyRanges: true,
          domAndDow: true,
          // A fixed zero offset: wall-clock arithmetic, and much faster than a named zone in croner.
          utcOffset: 0,
          stopAt: new Date(Date.UTC(MAX_YEAR + 1, 0, 1)),
        }),
        noRunsFromWall: Number.POSITIVE_INFINITY,
      };
    }
  }
}

/** False for day-of-month lists no selected month has (30 FEB); croner would search for years to find out. */
function canEverRun(analysis: CronAnalysis): boolean {
  if (analysis.dayOfMonth.kind !== 'items') return true;
  const firstDay = expandItems(analysis.dayOfMonth.items, ...FIELD_BOUNDS.dayOfMonth)[0] ?? 1;
  const longest = Math.max(
    ...expandItems(analysis.month, ...FIELD_BOUNDS.month).map((month) =>
      month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31,
    ),
  );
  return firstDay <= longest;
}

/**
 * The pattern croner evaluates: seconds `0`, then the AWS fields with every range and step expanded to an
 * explicit list (croner rejects wrapping ranges such as `20-2`), `?` as `*` (croner may substitute `?` with
 * the current time), and AWS's lone `L` in day-of-week (Saturday) as 7.
 */
export function cronerPattern(analysis: CronAnalysis): string {
  const list = (items: readonly CronItem[], bounds: readonly [number, number]) =>
    items.some((item) => item.kind === 'all') ? '*' : expandItems(items, bounds[0], bounds[1]).join(',');
  const dom = analysis.dayOfMonth;
  const dow = analysis.dayOfWeek;
  const dayOfMonth =
    dom.kind === 'any'
      ? '*'
      : dom.kind === 'last'
        ? 'L'
        : dom.kind === 'nearest-weekday'
          ? `${dom.day}W`
          : list(dom.items, FIELD_BOUNDS.dayOfMonth);
  const dayOfWeek =
    dow.kind === 'any'
      ? '*'
      : dow.kind === 'last-day-of-week'
        ? '7'
        : dow.kind === 'last-of-month'
          ? `${dow.day}L`
          : dow.kind === 'nth-of-month'
            ? `${dow.day}#${dow.nth}`
            : list(dow.items, FIELD_BOUNDS.dayOfWeek);
  return [
    '0',
    list(analysis.minutes, FIELD_BOUNDS.minutes),
    list(analysis.hours, FIELD_BOUNDS.hours),
    dayOfMonth,
    list(analysis.month, FIELD_BOUNDS.month),
    dayOfWeek,
    list(analysis.year, FIELD_BOUNDS.year),
  ].join(' ');
}

/** Checks an IANA time zone name; throws `ValidationError` on the field `timezone`. */
export function assertTimeZone(timeZone: string): void {
  zoneFor(timeZone);
}

function zoneFor(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = new Zone(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

/** UTC offsets of one IANA zone, read from Intl (the same IANA database EventBridge uses). */
class Zone {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly name: string) {
    if (typeof name !== 'string' || name.length === 0 || name.length > 50) {
      throw new ValidationError(
        'timezone',
        'expected an IANA time zone such as Europe/Berlin (1-50 characters)',
      );
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: name,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (error) {
      throw new ValidationError(
        'timezone',
        `expected an IANA time zone such as Europe/Berlin; got '${name}'`,
        {
          cause: error,
        },
      );
    }
  }

  /** Per UTC day: the offset in force all day, or NaN when it changes that day. */
  private readonly dayOffsets = new Map<number, number>();

  /** Offset (wall minus UTC, in ms) in force at an instant. */
  offsetAt(instantMs: number): number {
    // Offsets change at most once a day in every IANA zone, so a day that starts and ends on the same
    // offset keeps it throughout; asking Intl twice per day instead of per call is most of our speed.
    const day = Math.floor(instantMs / DAY_MS);
    let offset = this.dayOffsets.get(day);
    if (offset === undefined) {
      const start = this.exactOffsetAt(day * DAY_MS);
      offset = start === this.exactOffsetAt((day + 1) * DAY_MS - 1000) ? start : Number.NaN;
      if (this.dayOffsets.size >= 20_000) this.dayOffsets.clear();
      this.dayOffsets.set(day, offset);
    }
    return Number.isNaN(offset) ? this.exactOffsetAt(instantMs) : offset;
  }

  private exactOffsetAt(instantMs: number): number {
    const seconds = Math.floor(instantMs / 1000) * 1000;
    const parts = this.format.formatToParts(new Date(seconds));
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    for (const part of parts) {
      const value = Number(part.value);
      switch (part.type) {
        case 'year':
          year = value;
          break;
        case 'month':
          month = value;
          break;
        case 'day':
          day = value;
          break;
        case 'hour':
          hour = value;
          break;
        case 'minute':
          minute = value;
          break;
        case 'second':
          second = value;
          break;
        default:
          break;
      }
    }
    const wall = new Date(0);
    wall.setUTCFullYear(year, month - 1, day);
    wall.setUTCHours(hour, minute, second, 0);
    return wall.getTime() - seconds;
  }

  /** The wall-clock time at an instant, as a UTC-encoded millisecond count. */
  instantToWall(instantMs: number): number {
    return instantMs + this.offsetAt(instantMs);
  }

  /**
   * The instant a wall time names: its first occurrence when it occurs twice; in a gap, `null`
   * ('skip-gap') or the wall time moved forward by the gap ('later-in-gap').
   */
  wallToInstant(wallMs: number, gap: 'skip-gap' | 'later-in-gap'): number | null {
    // Offsets a day either side bracket any transition near this wall time (offsets are within +-14 h).
    const before = this.offsetAt(wallMs - DAY_MS);
    const after = this.offsetAt(wallMs + DAY_MS);
    let best: number | null = null;
    for (const offset of before === after ? [before] : [before, after]) {
      const candidate = wallMs - offset;
      if (this.offsetAt(candidate) === offset && (best === null || candidate < best)) best = candidate;
    }
    if (best === null && gap === 'later-in-gap') return wallMs - before;
    return best;
  }
}

/** The next invocation after `from`, with EventBridge semantics, or undefined for a finished one-time task. */
export function nextRunAfter(
  task: Pick<Task, 'schedule' | 'timeZone' | 'createdAt'>,
  from: Date,
): Date | undefined {
  const expression = toScheduleExpression(task.schedule);
  return nextRuns(expression, task.timeZone, from, 1, { anchor: new Date(task.createdAt) })[0];
}
