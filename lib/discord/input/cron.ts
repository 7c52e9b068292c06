import { ValidationError } from '../../errors.ts';
import { type CronFieldName, DAY_FIELDS_RULE, expandItems } from '../../tasks/cron-fields.ts';
import { parseExpression } from '../../tasks/expressions.ts';
import { echo } from './echo.ts';

/**
 * The cron option as admins fill it in: EventBridge's six fields (with or without `cron(...)`, names in any
 * case), the 5-field Unix form and its `@daily` shortcuts (offered converted, never taken silently, since
 * day-of-week numbers differ: Unix 1 is Monday, EventBridge 1 is Sunday), and the other schedule forms
 * pointed to the subcommand that takes them. Errors say which field is wrong in plain words.
 */
export type CronReading =
  /** Six valid fields: `expression` is the `cron(...)` the task stores. */
  | { kind: 'cron'; expression: string }
  /** Another dialect converted: shown to the admin to accept, with what it was read as. */
  | { kind: 'converted'; from: 'unix' | 'quartz' | 'no-year'; typed: string; expression: string };

const EXAMPLE = '0 9 ? * MON-FRI * (09:00 on weekdays)';
const FIELD_ORDER: CronFieldName[] = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'];
const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th', '6th'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 ?',
  '@annually': '0 0 1 1 ?',
  '@monthly': '0 0 1 * ?',
  '@weekly': '0 0 ? * SUN',
  '@daily': '0 0 * * ?',
  '@midnight': '0 0 * * ?',
  '@hourly': '0 * * * ?',
};

/** Re-words a field error from the expression parser: which field, in words, with an example. */
function fieldError(option: string, typed: string, error: ValidationError): ValidationError {
  const position = FIELD_ORDER.indexOf(error.field as CronFieldName);
  const namesItsFields = error.expected.startsWith(DAY_FIELDS_RULE);
  const where = position >= 0 && !namesItsFields ? `the ${ORDINALS[position]} field (${error.field}): ` : '';
  return new ValidationError(option, `${echo(typed)}: ${where}${error.expected}`, { cause: error });
}

function checked(option: string, typed: string, fields: string): string {
  const expression = `cron(${fields})`;
  try {
    parseExpression(expression);
  } catch (error) {
    if (error instanceof ValidationError) throw fieldError(option, typed, error);
    throw error;
  }
  return expression;
}

/** `*\/15` in Unix is `0/15` in EventBridge (the AWS examples write the start); lists and ranges carry over. */
function unixStep(field: string, min: number): string {
  return field.replace(/^\*\//, `${min}/`).replace(/,\*\//g, `,${min}/`);
}

/** Unix day-of-week (0 or 7 = Sunday, 1 = Monday) as EventBridge names, which read the same in both. */
function unixDays(option: string, typed: string, field: string): string {
  const name = (token: string): number => {
    const upper = token.toUpperCase();
    const named = DAY_NAMES.indexOf(upper.slice(0, 3));
    if (named >= 0 && /^[A-Z]{3}$/.test(upper)) return named;
    if (/^[0-7]$/.test(token)) return Number(token) % 7;
    throw new ValidationError(
      option,
      `${echo(typed)}: the 5th field (day-of-week) ${echo(token)} is not a day; Unix cron days are 0-7 (0 and 7 are Sunday) or SUN-SAT`,
    );
  };
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) {
      throw new ValidationError(
        option,
        `${echo(typed)}: the 5th field (day-of-week) has a bad step ${echo(part)}`,
      );
    }
    let from = 0;
    let to = 6;
    if (range !== '*') {
      const [a = '', b] = range.split('-');
      from = name(a);
      // `5-7` ends on Sunday, which is 0 again: read the end as 7 so the range does not wrap backwards.
      to = b === undefined ? (stepText === undefined ? from : 6) : b === '7' ? 7 : name(b);
    }
    for (const v of expandItems([{ kind: 'step', from, to: to < from ? to + 7 : to, step }], 0, 13)) {
      days.add(v % 7);
    }
  }
  if (days.size === 7) return '*';
  // Monday first, as people list days (and as MON-FRI reads).
  return [...days]
    .sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7))
    .map((d) => DAY_NAMES[d])
    .join(',')
    .replace('MON,TUE,WED,THU,FRI', 'MON-FRI');
}

function fromUnix(option: string, typed: string, fields: string[]): string {
  const [minutes = '', hours = '', dom = '', month = '', dow = ''] = fields;
  const domAny = dom === '*' || dom === '?';
  const dowAny = dow === '*' || dow === '?';
  if (!domAny && !dowAny) {
    throw new ValidationError(
      option,
      `${echo(typed)} runs on day ${dom} of the month and also on days ${dow} of the week (Unix cron counts either); EventBridge cannot combine the two, so make two tasks: one for the days of the month, one for the days of the week`,
    );
  }
  const dayOfWeek = dowAny ? '?' : unixDays(option, typed, dow);
  const dayOfMonth = dowAny ? (domAny ? '*' : unixStep(dom, 1)) : '?';
  const converted = [
    unixStep(minutes, 0),
    unixStep(hours, 0),
    dayOfMonth,
    unixStep(month, 1).toUpperCase(),
    dayOfWeek === '*' ? (dayOfMonth === '?' ? '*' : '?') : dayOfWeek,
    '*',
  ];
  if (converted[2] === '?' && converted[4] === '*') converted[2] = '*';
  if (converted[2] === '*' && converted[4] === '*') converted[4] = '?';
  return checked(option, typed, converted.join(' '));
}

/**
 * Reads the cron option. Throws a `ValidationError` on `option` for anything that is not a schedule, with
 * the subcommand to use for `rate(...)`/`every ...` and `at(...)`.
 */
export function readCronInput(option: string, raw: string): CronReading {
  const typed = raw.trim().replace(/\s+/g, ' ');
  const lower = typed.toLowerCase();
  const rate = /^(?:rate\(|every )\s*(\d+)\s*([a-z]+)\)?$/.exec(lower);
  if (rate || lower.startsWith('rate(')) {
    const unit = rate?.[2]?.replace(/s$/, '');
    const hint =
      rate && (unit === 'minute' || unit === 'hour' || unit === 'day')
        ? `/schedule create every value:${rate[1]} unit:${unit}s`
        : '/schedule create every';
    throw new ValidationError(
      option,
      `${echo(typed)} is an interval, not a cron expression; use ${hint} instead`,
    );
  }
  if (lower.startsWith('at(')) {
    throw new ValidationError(option, `${echo(typed)} is a single date; use /schedule create once instead`);
  }
  const macro = MACROS[lower];
  if (macro)
    return { kind: 'converted', from: 'unix', typed, expression: checked(option, typed, `${macro} *`) };
  const inner = (/^cron\((.*)\)$/i.exec(typed)?.[1] ?? typed).trim();
  // Names are upper case in EventBridge; `mon-fri` and `fri#3` mean the same, so they are read as such.
  const fields = inner.toUpperCase().split(' ').filter(Boolean);
  if (fields.length === 6) return { kind: 'cron', expression: checked(option, typed, fields.join(' ')) };
  if (fields.length === 5 && fields.some((f) => /[?LW#]/.test(f))) {
    // `?`, `L`, `W` and `#` are EventBridge's, not Unix's: this is the six-field form without its year.
    return {
      kind: 'converted',
      from: 'no-year',
      typed,
      expression: checked(option, typed, `${fields.join(' ')} *`),
    };
  }
  if (fields.length === 5) {
    return { kind: 'converted', from: 'unix', typed, expression: fromUnix(option, typed, fields) };
  }
  if (fields.length === 7 && /^\d{1,2}$/.test(fields[0] ?? '')) {
    // Quartz puts seconds first; EventBridge has no seconds and runs on the minute.
    return {
      kind: 'converted',
      from: 'quartz',
      typed,
      expression: checked(option, typed, fields.slice(1).join(' ')),
    };
  }
  throw new ValidationError(
    option,
    `${echo(typed)} has ${fields.length} field${fields.length === 1 ? '' : 's'}; a cron expression has six: minutes hours day-of-month month day-of-week year, for example ${EXAMPLE}`,
  );
}

/** One line for the admin about a converted expression: what was typed, and what it becomes. */
export function describeConversion(reading: Extract<CronReading, { kind: 'converted' }>): string {
  const from = {
    quartz: 'a Quartz expression (seconds first; EventBridge runs on the minute)',
    unix: 'the 5-field Unix form',
    'no-year': 'missing its year field (the 6th, * for every year)',
  }[reading.from];
  return `${echo(reading.typed)} is ${from}. In EventBridge's six fields it is ${echo(reading.expression.slice(5, -1))}.`;
}
