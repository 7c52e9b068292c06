/**
 * Schedules that will not do what their admin most likely expects, found at create and edit so the reply
 * can say so: a monthly day some months do not have, a time of day that does not exist on the
 * spring-forward day in the task's zone (EventBridge skips that invocation: FACTS A2), a one-time run inside
 * such a gap (it runs at the first valid time after it), and a daily rate that drifts against the clock
 * when daylight saving changes (EventBridge counts `rate(1 days)` as 24 hours: FACTS A2).
 */
import { analyzeCron, expandItems, FIELD_BOUNDS, MONTH_WORDS } from './cron-fields.ts';
import { joinWords } from './describe.ts';
import { parseExpression } from './expressions.ts';
import { nextRuns } from './next-runs.ts';
import { expressionOf, type ScheduleSpec } from './schedule-spec.ts';
import { zoneLabel } from './zone-label.ts';

export type Surprise =
  /** A day of the month that some months lack; `day: 'last'` is the usual intent. */
  | { kind: 'skips-months'; text: string; suggestDayLast: boolean }
  /** A wall time that does not exist on a spring-forward day in the zone. */
  | { kind: 'dst-gap'; text: string }
  /** An interval of whole days, which follows the clock's hours, not the time of day. */
  | { kind: 'rate-drift'; text: string };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Offset of `zone` at an instant, in ms (wall minus UTC). */
function offsetAt(zone: string, instantMs: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    if (formats.size > 500) formats.clear();
    formats.set(zone, format);
  }
  const parts = format.formatToParts(new Date(instantMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return wall - Math.floor(instantMs / MINUTE_MS) * MINUTE_MS;
}

/** A spring-forward gap: wall times from `startWall` (inclusive) to `endWall` (exclusive) do not exist. */
export interface ClockGap {
  startWall: number;
  endWall: number;
}

/** The spring-forward gaps of a zone within `days` after `from`, as UTC-encoded wall times. */
export function clockGaps(zone: string, from: Date, days = 366): ClockGap[] {
  const gaps: ClockGap[] = [];
  let previous = offsetAt(zone, from.getTime());
  for (let day = 1; day <= days; day += 1) {
    const at = from.getTime() + day * DAY_MS;
    const offset = offsetAt(zone, at);
    if (offset > previous) {
      // Narrow the change down to the minute between the two samples a day apart.
      let low = at - DAY_MS;
      let high = at;
      while (high - low > MINUTE_MS) {
        const mid = low + Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS;
        if (offsetAt(zone, mid) === previous) low = mid;
        else high = mid;
      }
      gaps.push({ startWall: high + previous, endWall: high + offset });
    }
    previous = offset;
  }
  return gaps;
}

function wallTime(wall: number): string {
  const d = new Date(wall);
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
}

function wallDate(wall: number): string {
  const d = new Date(wall);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTH_WORDS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** Times of day a schedule runs at when it runs only at a few fixed times; undefined for frequent ones. */
function fewTimes(spec: ScheduleSpec): boolean {
  if (spec.type === 'daily' || spec.type === 'weekly' || spec.type === 'monthly') return true;
  if (spec.type !== 'cron') return false;
  const parsed = parseExpression(spec.expression);
  if (parsed.kind !== 'cron') return false;
  const analysis = analyzeCron(parsed.fields);
  const times =
    expandItems(analysis.minutes, ...FIELD_BOUNDS.minutes).length *
    expandItems(analysis.hours, ...FIELD_BOUNDS.hours).length;
  return times <= 4;
}

function dstGap(spec: ScheduleSpec, zone: string, now: Date): Surprise | undefined {
  if (spec.type === 'every') return undefined;
  const gaps = clockGaps(zone, now);
  if (gaps.length === 0) return undefined;
  const label = zoneLabel(zone);
  if (spec.type === 'once') {
    const [date = '', time = ''] = spec.at.split('T');
    const [y, mo, d] = date.split('-').map(Number);
    const [h, mi] = time.split(':').map(Number);
    const wall = Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
    const gap = gaps.find((g) => wall >= g.startWall && wall < g.endWall);
    if (!gap) return undefined;
    return {
      kind: 'dst-gap',
      text: `${time.slice(0, 5)} does not exist in ${label} on ${wallDate(wall)}: clocks jump from ${wallTime(gap.startWall)} to ${wallTime(gap.endWall)}, so it runs at ${wallTime(wall + gap.endWall - gap.startWall)}.`,
    };
  }
  if (!fewTimes(spec)) return undefined;
  const expression = expressionOf(spec);
  for (const gap of gaps) {
    // Wall-clock matches: the expression evaluated in UTC, where no clock ever jumps.
    const [match] = nextRuns(expression, 'UTC', new Date(gap.startWall - 1), 1);
    if (!match || match.getTime() >= gap.endWall) continue;
    const shift = gap.endWall - gap.startWall;
    const later = wallTime(
      gap.endWall + (match.getTime() - gap.startWall) + (shift >= 3_600_000 ? 0 : shift),
    );
    return {
      kind: 'dst-gap',
      text:
        `${wallTime(match.getTime())} does not exist in ${label} on ${wallDate(match.getTime())}: clocks jump from ` +
        `${wallTime(gap.startWall)} to ${wallTime(gap.endWall)}, so that day's summary is skipped (EventBridge skips ` +
        `times that do not exist). A time outside ${wallTime(gap.startWall)}–${wallTime(gap.endWall - MINUTE_MS)}, such as ${later}, runs every time.`,
    };
  }
  return undefined;
}

const SHORT_MONTHS = [
  [2, 'February'],
  [4, 'April'],
  [6, 'June'],
  [9, 'September'],
  [11, 'November'],
] as const;

function skippedMonths(
  day: number,
  months: readonly number[],
  now: Date,
): Extract<Surprise, { kind: 'skips-months' }> | undefined {
  if (day < 29) return undefined;
  const skipped = SHORT_MONTHS.filter(([month]) => months.includes(month) && (day === 31 || month === 2)).map(
    ([, name]) => name,
  );
  if (skipped.length === 0) return undefined;
  let text: string;
  if (day === 29) {
    let leap = now.getUTCFullYear();
    while (!(leap % 4 === 0 && (leap % 100 !== 0 || leap % 400 === 0))) leap += 1;
    text = `There is no 29 February except in leap years, so it skips February in other years (the next 29 February is in ${leap}).`;
  } else {
    text = `Not every month has a ${day === 30 ? '30th' : '31st'}: it skips ${joinWords(skipped)}.`;
  }
  return {
    kind: 'skips-months',
    text: `${text} Use day:last to run on the last day of every month.`,
    suggestDayLast: true,
  };
}

function monthDays(spec: ScheduleSpec, now: Date): Surprise | undefined {
  if (spec.type === 'monthly') {
    return spec.day === 'last'
      ? undefined
      : skippedMonths(spec.day, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], now);
  }
  if (spec.type !== 'cron') return undefined;
  const parsed = parseExpression(spec.expression);
  if (parsed.kind !== 'cron') return undefined;
  const analysis = analyzeCron(parsed.fields);
  if (analysis.dayOfMonth.kind !== 'items') return undefined;
  const days = expandItems(analysis.dayOfMonth.items, ...FIELD_BOUNDS.dayOfMonth);
  const [only] = days;
  if (days.length !== 1 || only === undefined) return undefined;
  const surprise = skippedMonths(only, expandItems(analysis.month, ...FIELD_BOUNDS.month), now);
  // The cron form has no day:last option; L in the 3rd field is its last day.
  return (
    surprise && {
      ...surprise,
      text: surprise.text.replace('Use day:last', 'Use L as the day of the month'),
      suggestDayLast: false,
    }
  );
}

function rateDrift(spec: ScheduleSpec, zone: string, now: Date): Surprise | undefined {
  if (spec.type !== 'every') return undefined;
  const wholeDays = spec.unit === 'days' || (spec.unit === 'hours' && spec.value % 24 === 0);
  if (!wholeDays || clockGaps(zone, now).length === 0) return undefined;
  return {
    kind: 'rate-drift',
    text: `An interval counts hours, not the time of day: after ${zoneLabel(zone)} changes to or from daylight saving it runs an hour earlier or later by the clock. For a fixed time of day use /schedule create daily.`,
  };
}

/** What may surprise the admin about a schedule in a zone, from `now` on; empty when nothing will. */
export function scheduleSurprises(spec: ScheduleSpec, zone: string, now: Date): Surprise[] {
  return [monthDays(spec, now), dstGap(spec, zone, now), rateDrift(spec, zone, now)].filter(
    (s): s is Surprise => s !== undefined,
  );
}
