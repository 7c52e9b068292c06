/**
 * The grammar of the six fields of an EventBridge cron expression (FACTS A1), checked field by field.
 *
 * Decisions where the AWS documentation is silent (we reject what we are unsure of, so a schedule we accept
 * is one EventBridge accepts):
 * - Names are upper case only (`JAN`, `MON`), as in every AWS example.
 * - A range may wrap (`20-2` in hours, `FRI-MON`): the rules doc's own example `0/30 20-2 ? * MON-FRI *`
 *   uses one. Year ranges may not wrap.
 * - A step `a/b` needs `1 <= b <= span of the field`; `a` may be a number (`0/15`, AWS's usual form), `*` or a
 *   range.
 * - `L` and `nW` stand alone in day-of-month (no lists, no `LW`, no `L-3`: undocumented); `L`, `nL` and `n#k`
 *   stand alone in day-of-week (the doc's "only one expression" rule for `#`). `n#k` takes a day name too
 *   (`FRI#3`, `MON#1`): the reference gives day-of-week the values "1-7 or SUN-SAT" and the `#` wildcard
 *   without restricting names, Quartz (whose syntax EventBridge follows) accepts them, and widely published
 *   EventBridge examples use `MON#1`. `nL` stays numeric: no AWS source shows a name there.
 * - Messages are plain words for admins and the CLI: what the field holds, not the wildcard table.
 */
import { ValidationError } from '../errors.ts';

/** The field names used in validation errors, as the user reads them. */
export type CronFieldName = 'minutes' | 'hours' | 'day-of-month' | 'month' | 'day-of-week' | 'year';

/** The six raw fields of a cron expression, in AWS order. */
export interface CronFields {
  minutes: string;
  hours: string;
  dayOfMonth: string;
  month: string;
  dayOfWeek: string;
  year: string;
}

/** One comma-separated part of a numeric field. `to` may be below `from` for a wrapping range. */
export type CronItem =
  | { kind: 'all' }
  | { kind: 'value'; value: number }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'step'; from: number; to: number; step: number };

export type DayOfMonthSpec =
  | { kind: 'any' }
  | { kind: 'last' }
  | { kind: 'nearest-weekday'; day: number }
  | { kind: 'items'; items: CronItem[] };

export type DayOfWeekSpec =
  | { kind: 'any' }
  | { kind: 'last-day-of-week' }
  | { kind: 'last-of-month'; day: number }
  | { kind: 'nth-of-month'; day: number; nth: number }
  | { kind: 'items'; items: CronItem[] };

/** A cron expression checked and broken into its parts. */
export interface CronAnalysis {
  minutes: CronItem[];
  hours: CronItem[];
  dayOfMonth: DayOfMonthSpec;
  month: CronItem[];
  dayOfWeek: DayOfWeekSpec;
  year: CronItem[];
}

interface FieldRule {
  name: CronFieldName;
  min: number;
  max: number;
  names?: readonly string[];
  steps: boolean;
  wrap: boolean;
  describe: string;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

/** The year range EventBridge accepts in the year field. */
export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

const RULES = {
  minutes: {
    name: 'minutes',
    min: 0,
    max: 59,
    steps: true,
    wrap: true,
    describe: 'minutes go from 0 to 59',
  },
  hours: { name: 'hours', min: 0, max: 23, steps: true, wrap: true, describe: 'hours go from 0 to 23' },
  dayOfMonth: {
    name: 'day-of-month',
    min: 1,
    max: 31,
    steps: true,
    wrap: true,
    describe:
      'days of the month go from 1 to 31; ? means any, L the last day, 15W the weekday nearest the 15th',
  },
  month: {
    name: 'month',
    min: 1,
    max: 12,
    names: MONTH_NAMES,
    steps: true,
    wrap: true,
    describe: 'months are 1-12 or JAN-DEC',
  },
  dayOfWeek: {
    name: 'day-of-week',
    min: 1,
    max: 7,
    names: DAY_NAMES,
    steps: false,
    wrap: true,
    describe:
      'days of the week are 1-7 (1 is Sunday) or SUN-SAT; ? means any, FRI#3 the third Friday, 6L the last Friday',
  },
  year: {
    name: 'year',
    min: MIN_YEAR,
    max: MAX_YEAR,
    steps: true,
    wrap: false,
    describe: `years go from ${MIN_YEAR} to ${MAX_YEAR}`,
  },
} as const satisfies Record<keyof CronFields, FieldRule>;

function fail(rule: FieldRule, token: string, why: string, withRule = true): never {
  throw new ValidationError(rule.name, `${why}; got '${token}'${withRule ? ` (${rule.describe})` : ''}`);
}

function parseNumber(rule: FieldRule, text: string, whole: string): number {
  let value: number;
  if (/^\d{1,4}$/.test(text)) {
    value = Number(text);
  } else {
    const index = rule.names ? rule.names.indexOf(text) : -1;
    if (index < 0) {
      if (/^\d*[LW#]/.test(text)) {
        fail(
          rule,
          whole,
          'L and W are only allowed in day-of-month, L and # only in day-of-week, each alone',
        );
      }
      fail(rule, whole, rule.names ? 'expected a number or an upper-case name' : 'expected a number');
    }
    value = index + 1;
  }
  if (value < rule.min || value > rule.max) {
    fail(rule, whole, rule.describe, false);
  }
  return value;
}

function parseItem(rule: FieldRule, token: string): CronItem {
  if (token === '') fail(rule, token, 'expected a value, not an empty list entry');
  const slash = token.split('/');
  if (slash.length > 2) fail(rule, token, 'expected at most one /');
  const [base = '', stepText] = slash;
  if (stepText !== undefined) {
    if (!rule.steps) fail(rule, token, 'increments (/) are not allowed in this field');
    if (!/^\d{1,4}$/.test(stepText)) fail(rule, token, 'expected a whole-number increment after /');
    const step = Number(stepText);
    const span = rule.max - rule.min + 1;
    if (step < 1 || step > span - 1) {
      fail(rule, token, `expected an increment from 1 to ${span - 1}`);
    }
    if (base === '*') return { kind: 'step', from: rule.min, to: rule.max, step };
    const range = parseRangeOrValue(rule, base, token);
    if (range.kind === 'value') return { kind: 'step', from: range.value, to: rule.max, step };
    return { kind: 'step', from: range.from, to: range.to, step };
  }
  if (base === '*') return { kind: 'all' };
  return parseRangeOrValue(rule, base, token);
}

function parseRangeOrValue(
  rule: FieldRule,
  text: string,
  whole: string,
): { kind: 'value'; value: number } | { kind: 'range'; from: number; to: number } {
  const dash = text.split('-');
  if (dash.length === 1) return { kind: 'value', value: parseNumber(rule, text, whole) };
  if (dash.length !== 2) fail(rule, whole, 'expected a range a-b');
  const from = parseNumber(rule, dash[0] ?? '', whole);
  const to = parseNumber(rule, dash[1] ?? '', whole);
  if (to < from && !rule.wrap) fail(rule, whole, 'expected a range whose start is not after its end');
  return { kind: 'range', from, to };
}

function parseItems(rule: FieldRule, text: string): CronItem[] {
  if (text.includes('?')) fail(rule, text, '? is only allowed in day-of-month or day-of-week');
  return text.split(',').map((token) => parseItem(rule, token));
}

function parseDayOfMonth(text: string): DayOfMonthSpec {
  const rule = RULES.dayOfMonth;
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last' };
  const weekday = /^(\d{1,2})W$/.exec(text);
  if (weekday) return { kind: 'nearest-weekday', day: parseNumber(rule, weekday[1] ?? '', text) };
  if (/[LW?]/.test(text)) fail(rule, text, '?, L and nW must stand alone');
  if (text.includes('#')) fail(rule, text, '# is only allowed in day-of-week');
  return { kind: 'items', items: text.split(',').map((token) => parseItem(rule, token)) };
}

function parseDayOfWeek(text: string): DayOfWeekSpec {
  const rule = RULES.dayOfWeek;
  if (text === '?') return { kind: 'any' };
  if (text === 'L') return { kind: 'last-day-of-week' };
  if (text.includes('#')) {
    if (text.includes(',')) {
      fail(rule, text, "with '#' only one expression is allowed (for example 3#1,6#3 is invalid)");
    }
    const nth = /^(\d|[A-Z]{3})#(\d)$/.exec(text);
    if (!nth) fail(rule, text, 'expected a day and its occurrence in the month, for example FRI#3 or 6#3');
    const day = parseNumber(rule, nth[1] ?? '', text);
    const occurrence = Number(nth[2]);
    if (occurrence < 1 || occurrence > 5) fail(rule, text, 'expected an occurrence from 1 to 5 after #');
    return { kind: 'nth-of-month', day, nth: occurrence };
  }
  const last = /^(\d)L$/.exec(text);
  if (last) return { kind: 'last-of-month', day: parseNumber(rule, last[1] ?? '', text) };
  if (/L$|L,|\dL/.test(text)) fail(rule, text, 'L and nL must stand alone');
  if (text.includes('?')) fail(rule, text, '? must stand alone');
  return { kind: 'items', items: text.split(',').map((token) => parseItem(rule, token)) };
}

/** The start of the error for day fields that are both set or both `?`; it names both fields itself. */
export const DAY_FIELDS_RULE = 'day-of-month (3rd field) or day-of-week (5th field) must be ?';

/** Checks the six fields against EventBridge's rules; throws `ValidationError` naming the field. */
export function analyzeCron(fields: CronFields): CronAnalysis {
  const analysis: CronAnalysis = {
    minutes: parseItems(RULES.minutes, fields.minutes),
    hours: parseItems(RULES.hours, fields.hours),
    dayOfMonth: parseDayOfMonth(fields.dayOfMonth),
    month: parseItems(RULES.month, fields.month),
    dayOfWeek: parseDayOfWeek(fields.dayOfWeek),
    year: parseItems(RULES.year, fields.year),
  };
  const domAny = analysis.dayOfMonth.kind === 'any';
  const dowAny = analysis.dayOfWeek.kind === 'any';
  if (domAny === dowAny) {
    throw new ValidationError(
      domAny ? 'day-of-month' : 'day-of-week',
      `${DAY_FIELDS_RULE}, and the other says which days, for example 0 9 * * ? * (every day), 0 9 ? * MON * (Mondays) or 0 9 1 * ? * (the 1st of each month); got '${fields.dayOfMonth}' and '${fields.dayOfWeek}'`,
    );
  }
  return analysis;
}

/** The sorted distinct values a list of items selects, within `min..max`. */
export function expandItems(items: readonly CronItem[], min: number, max: number): number[] {
  const selected = new Set<number>();
  const span = max - min + 1;
  for (const item of items) {
    if (item.kind === 'all') {
      for (let v = min; v <= max; v += 1) selected.add(v);
    } else if (item.kind === 'value') {
      selected.add(item.value);
    } else {
      const step = item.kind === 'step' ? item.step : 1;
      // A wrapping range (20-2) runs to the end of the field and continues from its start.
      const length = item.to >= item.from ? item.to - item.from : item.to - item.from + span;
      for (let offset = 0; offset <= length; offset += step) {
        selected.add(((item.from - min + offset) % span) + min);
      }
    }
  }
  return [...selected].sort((a, b) => a - b);
}

/** Field bounds, for callers that expand items. */
export const FIELD_BOUNDS = {
  minutes: [0, 59],
  hours: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
  year: [MIN_YEAR, MAX_YEAR],
} as const satisfies Record<keyof CronFields, readonly [number, number]>;

/** English names, index 0 = January / Sunday (AWS day 1). */
export const MONTH_WORDS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
export const DAY_WORDS = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
