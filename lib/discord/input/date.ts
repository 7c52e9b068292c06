import { ValidationError } from '../../errors.ts';
import { zoneLabel } from '../../tasks/zone-label.ts';
import { zonedTimeToInstant } from '../timezones.ts';
import { echo } from './echo.ts';
import { formatTimeOfDay, parseTimeOfDay, readTimeOfDay, type TimeOfDay } from './time.ts';

/**
 * Dates as admins type them, read in the admin's zone: `today`, `tomorrow`, `friday` (the next one),
 * `in 2 days`, `2026-12-24`, `24 Dec`, `December 24 2026`; and for `/summarize since:` also `yesterday`,
 * durations (`90m`, `2d`, `1h30m`) and a date with a time. Every error repeats what was typed.
 */

/** A calendar date without a zone. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const WEEKDAY_WORDS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_WORDS = MONTHS.map((m) => `${m[0]?.toUpperCase()}${m.slice(1)}`);
const DATE_EXAMPLES = 'for example today, tomorrow, friday, in 2 days, 2026-12-24 or 24 Dec';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-12-24`. */
export function formatLocalDate(date: LocalDate): string {
  return `${date.year}-${pad2(date.month)}-${pad2(date.day)}`;
}

function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** "Thursday 24 December 2026". */
export function describeLocalDate(date: LocalDate): string {
  return `${WEEKDAY_WORDS[weekdayOf(date)]} ${date.day} ${MONTH_WORDS[date.month - 1]} ${date.year}`;
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date and time of day that `now` is in `zone`. */
export function wallClockIn(zone: string, now: Date): LocalDate & TimeOfDay {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/** "09:00 on Monday 2 March 2026 in Europe/Berlin": what time it is for the admin. */
export function describeNow(zone: string, now: Date): string {
  const wall = wallClockIn(zone, now);
  return `${formatTimeOfDay(wall)} on ${describeLocalDate(wall)} in ${zoneLabel(zone)}`;
}

function checkedDate(raw: string, year: number, month: number, day: number): DateReading {
  if (month < 1 || month > 12) return { problem: `${echo(raw)} is not a date: there is no month ${month}` };
  const length = daysInMonth(year, month);
  if (day < 1 || day > length) {
    return { problem: `${echo(raw)} does not exist: ${MONTH_WORDS[month - 1]} ${year} has ${length} days` };
  }
  return { date: { year, month, day }, kind: 'fixed' };
}

function monthNumber(word: string): number | undefined {
  const w = word.replace(/\.$/, '');
  if (w.length < 3) return undefined;
  const index = MONTHS.findIndex((m) => m.startsWith(w) || (w === 'sept' && m === 'september'));
  return index < 0 ? undefined : index + 1;
}

function weekdayNumber(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const index = WEEKDAYS.findIndex((d) => d.startsWith(word) || (word === 'tues' && d === 'tuesday'));
  return index < 0 ? undefined : index;
}

/** How a date was given: a weekday or `today` moves on if its time has passed; a fixed date does not. */
export type DateKind = 'fixed' | 'today' | 'relative' | 'weekday';

type DateReading = { date: LocalDate; kind: DateKind } | { problem: string } | undefined;

/**
 * A calendar date from words or numbers, relative to `today` (the admin's date). A weekday is the next one
 * (today included); a day and month without a year is the next one (this year, or next if it has passed).
 * Undefined when the text does not look like a date; a problem when it names one that does not exist.
 */
function readDate(raw: string, today: LocalDate): DateReading {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ').replace(/,/g, '');
  if (text === 'today') return { date: today, kind: 'today' };
  if (text === 'tomorrow') return { date: addDays(today, 1), kind: 'relative' };
  const inDays = /^in (\d{1,3}) (day|days|week|weeks)$/.exec(text);
  if (inDays) {
    const n = Number(inDays[1]) * (inDays[2]?.startsWith('week') ? 7 : 1);
    return { date: addDays(today, n), kind: 'relative' };
  }
  const weekday = weekdayNumber(text.replace(/^(next|this|on) /, ''));
  if (weekday !== undefined) {
    const ahead = (weekday - weekdayOf(today) + 7) % 7;
    return { date: addDays(today, ahead), kind: 'weekday' };
  }
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (iso) return checkedDate(raw, Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numeric = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?$/.exec(text);
  if (numeric) {
    const [a, b] = [Number(numeric[1]), Number(numeric[2])];
    // 24/12 can only be day/month and 12/24 only month/day; 05/03 could be either, so we ask.
    if (a <= 12 && b <= 12 && a !== b) {
      return {
        problem: `${echo(raw)} could be ${a} ${MONTH_WORDS[b - 1]} or ${b} ${MONTH_WORDS[a - 1]}; write the month as a word (${a} ${MONTH_WORDS[b - 1]?.slice(0, 3)}) or the date as YYYY-MM-DD`,
      };
    }
    const [day, month] = a > 12 ? [a, b] : [b, a];
    return withYear(raw, numeric[3], month, day, today);
  }
  const dayFirst = /^(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z.]+)(?: (\d{4}))?$/.exec(text);
  const monthFirst = /^([a-z.]+) (\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$/.exec(text);
  const words = dayFirst
    ? { day: dayFirst[1], month: dayFirst[2], year: dayFirst[3] }
    : monthFirst
      ? { day: monthFirst[2], month: monthFirst[1], year: monthFirst[3] }
      : undefined;
  const month = words ? monthNumber(words.month ?? '') : undefined;
  if (!words || month === undefined) return undefined;
  return withYear(raw, words.year, month, Number(words.day), today);
}

/** `readDate`, throwing a `ValidationError` on `option` that repeats what was typed. */
export function parseDateText(
  option: string,
  raw: string,
  today: LocalDate,
): { date: LocalDate; kind: DateKind } {
  const read = readDate(raw, today);
  if (read === undefined) {
    throw new ValidationError(option, `${echo(raw)} is not a date I understand; ${DATE_EXAMPLES}`);
  }
  if ('problem' in read) throw new ValidationError(option, read.problem);
  return read;
}

function withYear(
  raw: string,
  yearText: string | undefined,
  month: number,
  day: number,
  today: LocalDate,
): DateReading {
  if (yearText) return checkedDate(raw, Number(yearText), month, day);
  // Without a year: this year's, or next year's once this year's has passed (29 Feb: the next leap year).
  for (let year = today.year; year <= today.year + 8 && month >= 1 && month <= 12; year += 1) {
    if (day > daysInMonth(year, month)) continue;
    const date = { year, month, day };
    if (compareDates(date, today) >= 0) return { date, kind: 'fixed' };
  }
  return checkedDate(raw, today.year, month, day);
}

/**
 * The local date-time `YYYY-MM-DDTHH:MM` of a one-time run from a date and a time typed by the admin. A
 * weekday or `tomorrow` whose time has passed moves to the next week; a fixed date or `today` in the past is
 * an error saying what time it is now in the zone.
 */
export function resolveOnceAt(
  dateOption: string,
  dateRaw: string,
  time: TimeOfDay,
  zone: string,
  now: Date,
): { at: string; instant: Date; date: LocalDate } {
  const today = wallClockIn(zone, now);
  const parsed = parseDateText(dateOption, dateRaw, today);
  let date = parsed.date;
  const instantOf = (d: LocalDate) =>
    zonedTimeToInstant({ ...d, hour: time.hour, minute: time.minute }, zone);
  let instant = instantOf(date);
  if (instant.getTime() <= now.getTime() && parsed.kind === 'weekday') {
    date = addDays(date, 7);
    instant = instantOf(date);
  }
  if (instant.getTime() <= now.getTime()) {
    throw new ValidationError(
      dateOption,
      `${describeLocalDate(date)} at ${formatTimeOfDay(time)} is in the past: it is now ${describeNow(zone, now)}; pick a later date or time`,
    );
  }
  return { at: `${formatLocalDate(date)}T${formatTimeOfDay(time)}`, instant, date };
}

const DURATION_UNITS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** `90m`, `2d`, `1h30m`, `3 hours`, `last 2 days`, `2 days ago` in milliseconds; undefined if not one. */
export function parseDuration(raw: string): number | undefined {
  const text = raw
    .trim()
    .toLowerCase()
    .replace(/^(the )?last /, '')
    .replace(/ ago$/, '')
    .replace(/\s+/g, '');
  if (!/^(\d{1,5}[a-z]+)+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d{1,5})([a-z]+)/g)) {
    const size = DURATION_UNITS[unit ?? ''];
    if (!size) return undefined;
    total += Number(amount) * size;
  }
  return total > 0 ? total : undefined;
}

const SINCE_EXAMPLES =
  'for example 90m, 2d, yesterday, monday, 2026-05-01, 2026-05-01 09:00 or 2026-05-01T09:00:00Z';

/**
 * The start of a `/summarize` window: a duration back from now (`90m`, `2d`), `today`/`yesterday` or a
 * weekday (from its midnight; the most recent one, today included), a date (its midnight), a date or day
 * with a time (`yesterday 18:00`), a time alone (today's, or yesterday's if it is still ahead), or an ISO
 * instant. Must be in the past and within `maxDays`.
 */
export function parseSinceText(option: string, raw: string, zone: string, now: Date, maxDays = 30): Date {
  const text = raw.trim().replace(/\s+/g, ' ');
  const instant = sinceInstant(option, raw, text, zone, now);
  if (instant.getTime() > now.getTime()) {
    throw new ValidationError(option, `${echo(raw)} is in the future: it is now ${describeNow(zone, now)}`);
  }
  if (now.getTime() - instant.getTime() > maxDays * 86_400_000) {
    throw new ValidationError(
      option,
      `${echo(raw)} is more than ${maxDays} days ago; expected a time within the last ${maxDays} days`,
    );
  }
  return instant;
}

function sinceInstant(option: string, raw: string, text: string, zone: string, now: Date): Date {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime()))
      throw new ValidationError(option, `${echo(raw)} is not a real time; ${SINCE_EXAMPLES}`);
    return instant;
  }
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(now.getTime() - duration);
  const today = wallClockIn(zone, now);
  const atMidnight = (date: LocalDate, time: TimeOfDay = { hour: 0, minute: 0 }) =>
    zonedTimeToInstant({ ...date, ...time }, zone);
  const dayOf = (words: string): LocalDate | undefined => {
    const w = words.toLowerCase();
    if (w === 'today') return today;
    if (w === 'yesterday') return addDays(today, -1);
    const weekday = weekdayNumber(w.replace(/^(last|on) /, ''));
    if (weekday !== undefined) return addDays(today, -((weekdayOf(today) - weekday + 7) % 7));
    const read = readDate(words, today);
    if (read === undefined) return undefined;
    if ('problem' in read) throw new ValidationError(option, read.problem);
    // A date without a year reads forward ("24 Dec"); for `since` the past one is meant.
    return compareDates(read.date, today) > 0 && !/\d{4}/.test(words)
      ? { ...read.date, year: read.date.year - 1 }
      : read.date;
  };
  const whole = dayOf(text);
  if (whole) return atMidnight(whole);
  const split = /^(.+?) (?:at )?(\d{1,2}(?:[:.h]\d{2})?(?: ?[ap]\.?m\.?)?|noon|midnight)$/i.exec(text);
  if (split?.[1] && split[2]) {
    const day = dayOf(split[1]);
    if (day) return atMidnight(day, parseTimeOfDay(option, split[2]));
  }
  const time = readTimeOfDay(text);
  if (!('problem' in time)) {
    const todayAt = atMidnight(today, time);
    return todayAt.getTime() > now.getTime() ? atMidnight(addDays(today, -1), time) : todayAt;
  }
  if (time.problem) throw new ValidationError(option, `${echo(raw)} is not a time of day${time.problem}`);
  throw new ValidationError(option, `${echo(raw)} is not a start time I understand; ${SINCE_EXAMPLES}`);
}
