import type { ScheduleSpec } from '../../tasks/schedule-spec.ts';
import { scheduleSurprises } from '../../tasks/surprises.ts';
import { describeConversion, readCronInput } from '../input/cron.ts';
import { describeLocalDate, resolveOnceAt } from '../input/date.ts';
import { echo } from '../input/echo.ts';
import { formatTimeOfDay, parseTimeOfDay, type TimeOfDay } from '../input/time.ts';
import { resolveTimeZone } from '../input/zone.ts';

/**
 * The schedule options of `/schedule create` and `/schedule edit` read the way people type them, each with
 * the line the reply shows when what was typed is not already what was stored ("`9am` is 09:00"), so an
 * admin always sees what the bot understood.
 */

/** A value read from an option, with what to tell the admin about how it was read. */
export interface Noted<T> {
  value: T;
  notes: string[];
}

/** A time of day (`9am`, `21h`, `9`); the note repeats it as 24-hour time unless it was typed that way. */
export function readTime(option: string, raw: string): Noted<TimeOfDay> {
  const time = parseTimeOfDay(option, raw);
  const stored = formatTimeOfDay(time);
  return { value: time, notes: raw.trim() === stored ? [] : [`${echo(raw)} is ${stored}.`] };
}

/** A time zone (city, country, misspelling, abbreviation, offset); the note says how it was read. */
export function readZone(option: string, raw: string, now: Date): Noted<string> {
  const answer = resolveTimeZone(option, raw, now);
  return { value: answer.zone, notes: answer.note ? [answer.note] : [] };
}

/** The `at` of a one-time run from a typed date (`friday`, `in 2 days`) and time, in the future. */
export function readOnceAt(
  option: string,
  rawDate: string,
  time: TimeOfDay,
  zone: string,
  now: Date,
): Noted<string> {
  const { at, date } = resolveOnceAt(option, rawDate, time, zone, now);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(rawDate.trim());
  return { value: at, notes: iso ? [] : [`${echo(rawDate)} is ${describeLocalDate(date)}.`] };
}

/**
 * A cron expression: six EventBridge fields are taken as they are; another dialect (the 5-field Unix form,
 * Quartz, six fields without the year) is converted and `conversion` says so, for the admin to accept.
 */
export function readCron(
  option: string,
  raw: string,
): { expression: string; conversion: string | undefined } {
  const reading = readCronInput(option, raw);
  if (reading.kind === 'cron') return { expression: reading.expression, conversion: undefined };
  return { expression: reading.expression, conversion: describeConversion(reading) };
}

/** What may surprise the admin about a schedule in a zone (months skipped, DST gaps), one line each. */
export function surpriseNotes(spec: ScheduleSpec, zone: string, now: Date): string[] {
  return scheduleSurprises(spec, zone, now).map((s) => `⚠️ ${s.text}`);
}

/** The notes as the lines under a reply's first line. */
export function noteLines(notes: readonly string[]): string {
  return notes.length > 0 ? `\n${notes.join('\n')}` : '';
}
