/**
 * Schedules in words, for replies, the status page and the CLI: every sentence that says when a task runs
 * ("every Monday at 18:30 (Europe/Berlin)", "at 09:30 on Monday to Friday") is written here.
 */

import { ValidationError } from '../errors.ts';
import {
  analyzeCron,
  type CronAnalysis,
  type CronItem,
  DAY_WORDS,
  expandItems,
  FIELD_BOUNDS,
  MONTH_WORDS,
} from './cron-fields.ts';
import { type LocalDateTimeParts, type ParsedExpression, parseExpression } from './expressions.ts';
import {
  expressionOf,
  localDateTimeOf,
  type ScheduleSpec,
  WEEK_ORDER,
  type Weekday,
} from './schedule-spec.ts';
import type { TaskSource } from './task-source.ts';
import { zoneLabel } from './zone-label.ts';

const MONTH_ABBREVIATIONS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];
const WEEKDAY_WORDS: Record<Weekday, string> = {
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
  SUN: 'Sunday',
};
const NTH_WORDS = ['first', 'second', 'third', 'fourth', 'fifth'];

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function clock(hour: number, minute: number): string {
  return `${pad2(hour)}:${pad2(minute)}`;
}

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * What a summary task reads, in words: its channels ("<#1> and <#2>"), "every channel in Projects" or "the
 * whole server". `name` writes one channel or category: a Discord mention by default, a name in a terminal.
 */
export function describeSources(
  task: { source?: TaskSource | undefined; channelIds: readonly string[] },
  name: (id: string) => string = (id) => `<#${id}>`,
): string {
  switch (task.source ?? 'channel') {
    case 'server':
      return 'the whole server';
    case 'category':
      return `every channel in ${joinWords(task.channelIds.map(name))}`;
    case 'channel':
      return joinWords(task.channelIds.map(name));
  }
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st ... */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th';
  return `${n}${suffix}`;
}

/** "24 Dec 2026 at 18:00" (seconds only when set). */
export function describeLocalDateTime(local: LocalDateTimeParts): string {
  const time = clock(local.hour, local.minute) + (local.second ? `:${pad2(local.second)}` : '');
  return `${local.day} ${MONTH_ABBREVIATIONS[local.month - 1]} ${local.year} at ${time}`;
}

/** Describes a parsed expression in one line. */
export function describeParsed(expression: ParsedExpression): string {
  switch (expression.kind) {
    case 'at':
      return `once on ${describeLocalDateTime(expression.local)}`;
    case 'rate': {
      const singular = expression.unit.slice(0, -1);
      return expression.value === 1 ? `every ${singular}` : `every ${expression.value} ${expression.unit}`;
    }
    case 'cron':
      return describeCron(analyzeCron(expression.fields));
  }
}

/** Values that form one run without gaps (in field order, allowing a wrap): [first, last]. */
function contiguous(items: readonly CronItem[], values: readonly number[]): [number, number] | null {
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.kind === 'range') return [only.from, only.to];
  if (values.length < 2) return null;
  for (let i = 1; i < values.length; i += 1) {
    if ((values[i] ?? 0) !== (values[i - 1] ?? 0) + 1) return null;
  }
  return [values[0] ?? 0, values[values.length - 1] ?? 0];
}

function listOrRange(
  items: readonly CronItem[],
  values: readonly number[],
  name: (v: number) => string,
): string {
  const run = contiguous(items, values);
  if (run && values.length > 2) return `${name(run[0])} to ${name(run[1])}`;
  return joinWords(values.map(name));
}

/** A step item over the whole field ("*\/5", "0/15"): its increment and start. */
function wholeFieldStep(items: readonly CronItem[], max: number): { step: number; from: number } | null {
  const only = items.length === 1 ? items[0] : undefined;
  if (only?.kind === 'step' && only.to === max && only.from < only.step) {
    return { step: only.step, from: only.from };
  }
  return null;
}

function describeTime(analysis: CronAnalysis): string {
  const minutes = expandItems(analysis.minutes, ...FIELD_BOUNDS.minutes);
  const hours = expandItems(analysis.hours, ...FIELD_BOUNDS.hours);
  const everyHour = hours.length === 24;
  if (!everyHour && minutes.length * hours.length <= 4) {
    const times = hours.flatMap((h) => minutes.map((m) => clock(h, m)));
    return `at ${joinWords(times)}`;
  }
  let minutePart: string;
  const minuteStep = wholeFieldStep(analysis.minutes, 59);
  if (minutes.length === 60) {
    minutePart = 'every minute';
  } else if (minuteStep) {
    minutePart = `every ${minuteStep.step} minutes${minuteStep.from ? ` from minute ${minuteStep.from}` : ''}`;
  } else {
    const label = minutes.length === 1 ? 'minute' : 'minutes';
    minutePart = `at ${label} ${listOrRange(analysis.minutes, minutes, String)} past the hour`;
  }
  if (everyHour) return minutePart;
  const hourStep = wholeFieldStep(analysis.hours, 23);
  if (hourStep) return `${minutePart}, every ${hourStep.step} hours from ${clock(hourStep.from, 0)}`;
  const run = contiguous(analysis.hours, hours);
  if (run && hours.length > 1) {
    const lastMinute = minutes[minutes.length - 1] ?? 59;
    return `${minutePart} between ${clock(run[0], minutes[0] ?? 0)} and ${clock(run[1], lastMinute)}`;
  }
  return `${minutePart} during the ${joinWords(hours.map((h) => clock(h, 0)))} hour${hours.length > 1 ? 's' : ''}`;
}

function describeDays(analysis: CronAnalysis): string {
  const dom = analysis.dayOfMonth;
  const dow = analysis.dayOfWeek;
  const dayName = (d: number) => DAY_WORDS[d - 1] ?? String(d);
  switch (dow.kind) {
    case 'last-day-of-week':
      return 'on Saturday';
    case 'last-of-month':
      return `on the last ${dayName(dow.day)} of the month`;
    case 'nth-of-month':
      return `on the ${NTH_WORDS[dow.nth - 1]} ${dayName(dow.day)} of the month`;
    case 'items': {
      const days = expandItems(dow.items, ...FIELD_BOUNDS.dayOfWeek);
      if (days.length === 7) return 'every day';
      return `on ${listOrRange(dow.items, days, dayName)}`;
    }
    case 'any':
      break;
  }
  switch (dom.kind) {
    case 'last':
      return 'on the last day of the month';
    case 'nearest-weekday':
      return `on the weekday nearest the ${ordinal(dom.day)} of the month`;
    case 'items': {
      const days = expandItems(dom.items, ...FIELD_BOUNDS.dayOfMonth);
      if (days.length === 31) return 'every day';
      const step = wholeFieldStep(dom.items, 31);
      if (step) return `every ${step.step} days of the month from the ${ordinal(step.from)}`;
      return `on the ${listOrRange(dom.items, days, ordinal)} of the month`;
    }
    case 'any':
      return 'every day';
  }
}

function describeCron(analysis: CronAnalysis): string {
  const time = describeTime(analysis);
  const days = describeDays(analysis);
  // "every 15 minutes every day" says nothing more than "every 15 minutes".
  const parts = days === 'every day' && time.startsWith('every') ? [time] : [time, days];
  const months = expandItems(analysis.month, ...FIELD_BOUNDS.month);
  if (months.length < 12) {
    parts.push(`in ${listOrRange(analysis.month, months, (m) => MONTH_WORDS[m - 1] ?? String(m))}`);
  }
  const years = expandItems(analysis.year, ...FIELD_BOUNDS.year);
  if (years.length < FIELD_BOUNDS.year[1] - FIELD_BOUNDS.year[0] + 1) {
    const spread = years.length > 6 && !contiguous(analysis.year, years);
    parts.push(
      spread
        ? `in ${years.length} years from ${years[0]} to ${years[years.length - 1]}`
        : `in ${listOrRange(analysis.year, years, String)}`,
    );
  }
  return parts.join(' ');
}

/** One line in words ("at 09:30 on Monday to Friday", "every 5 minutes"); throws `ValidationError`. */
export function describeExpression(text: string): string {
  return describeParsed(parseExpression(text));
}

/** Validates an expression without throwing; a valid one comes with its description in words. */
export function validateExpression(
  text: string,
): { ok: true; expression: ParsedExpression; description: string } | { ok: false; error: ValidationError } {
  try {
    const expression = parseExpression(text);
    return { ok: true, expression, description: describeParsed(expression) };
  } catch (error) {
    if (error instanceof ValidationError) return { ok: false, error };
    throw error;
  }
}

/** The spec in words with its zone: "every Monday and Wednesday at 18:30 (Europe/Berlin)". */
export function describeSchedule(spec: ScheduleSpec, timeZone: string): string {
  const zone = ` (${zoneLabel(timeZone)})`;
  switch (spec.type) {
    case 'once': {
      const parsed = parseExpression(`at(${localDateTimeOf(spec.at)})`);
      return parsed.kind === 'at' ? `once on ${describeLocalDateTime(parsed.local)}${zone}` : spec.at;
    }
    case 'daily':
      return `every day at ${spec.time}${zone}`;
    case 'weekly': {
      const days = WEEK_ORDER.filter((day) => spec.days.includes(day));
      const words = days.length === 7 ? ['day'] : days.map((day) => WEEKDAY_WORDS[day]);
      return `every ${joinWords(words)} at ${spec.time}${zone}`;
    }
    case 'monthly':
      return spec.day === 'last'
        ? `on the last day of every month at ${spec.time}${zone}`
        : `on the ${ordinal(spec.day)} of every month at ${spec.time}${zone}`;
    case 'every':
      // A rate runs at fixed intervals from its start, the same in every zone.
      return describeParsed(parseExpression(expressionOf(spec)));
    case 'cron':
      return `${describeExpression(spec.expression)}${zone}`;
  }
}

/** The spec in a few words for one line of a list: "mon,wed 18:30", "every 2 hours", the cron expression. */
export function describeScheduleShort(spec: ScheduleSpec): string {
  switch (spec.type) {
    case 'once':
      return `once ${spec.at.replace('T', ' ')}`;
    case 'daily':
      return `daily ${spec.time}`;
    case 'weekly':
      return `${spec.days.join(',')} ${spec.time}`;
    case 'monthly':
      return `monthly day ${spec.day} ${spec.time}`;
    case 'every':
      // "every hour", never "every 1 hours".
      return spec.value === 1 ? `every ${spec.unit.slice(0, -1)}` : `every ${spec.value} ${spec.unit}`;
    case 'cron':
      return spec.expression; // stored as `cron(...)` already
  }
}

/** The name a task gets when none is given: "Daily summary at 09:00", "Summary every 2 hours". */
export function defaultTaskName(spec: ScheduleSpec): string {
  switch (spec.type) {
    case 'once':
      return `One-time summary ${spec.at.replace('T', ' ')}`;
    case 'every':
      return spec.value === 1
        ? `Summary every ${spec.unit.slice(0, -1)}`
        : `Summary every ${spec.value} ${spec.unit}`;
    case 'cron':
      return 'Cron summary';
    default:
      return `${spec.type[0]?.toUpperCase()}${spec.type.slice(1)} summary at ${spec.time}`;
  }
}
