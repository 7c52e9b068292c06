/**
 * EventBridge Scheduler schedule expressions: `at(...)`, `rate(...)`, `cron(...)` (FACTS A1), parsed and
 * validated by us because no library knows AWS's dialect.
 *
 * Syntax decisions (strict where the docs leave room, so what we accept EventBridge accepts):
 * - The whole text is taken as is: no trimming, lower-case `at(`/`rate(`/`cron(`, at most 256 characters.
 * - cron: exactly six fields separated by single spaces. The Scheduler guide calls the year optional, the API
 *   reference and rules doc say six required fields; a 5-field cron is NOT CONFIRMED to be accepted, so we
 *   reject it. Field rules are in cron-fields.ts.
 * - rate: `rate(<value> <unit>)`, one space, value a positive integer without leading zeros, unit one of
 *   minute|minutes|hour|hours|day|days. Both singular and plural are accepted for any value (FACTS A1: not
 *   confirmed that Scheduler enforces the rules doc's singular/plural rule); we always generate canonical.
 * - at: `at(yyyy-mm-ddThh:mm:ss)` exactly, a real calendar date, year from 1970.
 */
import { ValidationError } from '../errors.ts';
import { analyzeCron, type CronFields } from './cron-fields.ts';

export type { CronFields } from './cron-fields.ts';

/** A local wall-clock date-time, without a zone. */
export interface LocalDateTimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type RateUnit = 'minutes' | 'hours' | 'days';

/** A schedule expression, parsed. `source` is the expression text exactly as given. */
export type ParsedExpression =
  | { kind: 'at'; local: LocalDateTimeParts }
  | { kind: 'rate'; value: number; unit: RateUnit }
  | { kind: 'cron'; fields: CronFields; source: string };

/** EventBridge's limit on ScheduleExpression (FACTS A1). */
export const MAX_EXPRESSION_LENGTH = 256;

const RATE_UNITS: Record<string, RateUnit> = {
  minute: 'minutes',
  minutes: 'minutes',
  hour: 'hours',
  hours: 'hours',
  day: 'days',
  days: 'days',
};

const FORMS =
  'at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(minutes hours day-of-month month day-of-week year)';

/** Parses an EventBridge Scheduler expression; throws `ValidationError` (and nothing else) naming the part. */
export function parseExpression(text: string): ParsedExpression {
  if (typeof text !== 'string' || text.length === 0) {
    throw new ValidationError('expression', `expected ${FORMS}`);
  }
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ValidationError(
      'expression',
      `expected at most ${MAX_EXPRESSION_LENGTH} characters; got ${text.length}`,
    );
  }
  if (text.startsWith('cron(') && text.endsWith(')')) return parseCron(text);
  if (text.startsWith('rate(') && text.endsWith(')')) return parseRate(text);
  if (text.startsWith('at(') && text.endsWith(')')) return parseAt(text);
  throw new ValidationError('expression', `expected ${FORMS} (lower case, nothing around it)`);
}

function parseCron(text: string): ParsedExpression {
  const inner = text.slice('cron('.length, -1);
  if (/\s/.test(inner.replaceAll(' ', '')) || /^ | $| {2}/.test(inner)) {
    throw new ValidationError(
      'expression',
      'expected the cron fields separated by single spaces, with no other white space',
    );
  }
  const parts = inner.split(' ');
  if (parts.length !== 6) {
    throw new ValidationError(
      'expression',
      `expected six cron fields (minutes hours day-of-month month day-of-week year); got ${inner === '' ? 0 : parts.length}` +
        (parts.length === 5
          ? ' (the 5-field form without a year is not confirmed to work on EventBridge)'
          : ''),
    );
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = parts;
  const fields: CronFields = { minutes, hours, dayOfMonth, month, dayOfWeek, year };
  analyzeCron(fields);
  return { kind: 'cron', fields, source: text };
}

function parseRate(text: string): ParsedExpression {
  const match = /^rate\(([^ ]*) ([^ ]*)\)$/.exec(text);
  if (!match) {
    throw new ValidationError(
      'expression',
      'expected rate(value unit) with one space, for example rate(5 minutes)',
    );
  }
  const [, valueText = '', unitText = ''] = match;
  if (!/^[1-9]\d{0,14}$/.test(valueText)) {
    throw new ValidationError('rate value', `expected a positive whole number; got '${valueText}'`);
  }
  const unit = RATE_UNITS[unitText];
  if (!unit) {
    throw new ValidationError(
      'rate unit',
      `expected minute, minutes, hour, hours, day or days; got '${unitText}'`,
    );
  }
  return { kind: 'rate', value: Number(valueText), unit };
}

function parseAt(text: string): ParsedExpression {
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(text);
  if (!match) {
    throw new ValidationError(
      'at',
      'expected at(yyyy-mm-ddThh:mm:ss) with every part written out, for example at(2026-12-24T18:00:00)',
    );
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1970) throw new ValidationError('at', `expected a year from 1970; got ${year}`);
  if (month < 1 || month > 12)
    throw new ValidationError('at', `expected a month from 01 to 12; got ${month}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) {
    throw new ValidationError(
      'at',
      `expected a real date: day ${day} does not exist in ${year}-${pad2(month)}`,
    );
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new ValidationError('at', `expected a time from 00:00:00 to 23:59:59; got ${text.slice(14, 22)}`);
  }
  return { kind: 'at', local: { year, month, day, hour, minute, second } };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
