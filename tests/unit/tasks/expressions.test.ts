import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { validateExpression } from '../../../lib/tasks/describe.ts';
import { parseExpression } from '../../../lib/tasks/expressions.ts';

/** The documented valid examples (FACTS A3): the Scheduler guide's and the rules doc's (eb-create-rule-schedule). */
const SCHEDULER_GUIDE_EXAMPLES = [
  'rate(5 minutes)',
  'cron(15 10 ? * 6L 2022-2023)',
  'at(2022-11-20T13:00:00)',
  'cron(30 8 * * ? *)',
  'cron(30 2 * * ? *)',
  'rate(1 days)',
];
const RULES_DOC_EXAMPLES = [
  'cron(0 10 * * ? *)',
  'cron(15 12 * * ? *)',
  'cron(0 18 ? * MON-FRI *)',
  'cron(0 8 1 * ? *)',
  'cron(0/15 * * * ? *)',
  'cron(0/10 * ? * MON-FRI *)',
  'cron(0/5 8-17 ? * MON-FRI *)',
  'cron(0/30 20-2 ? * MON-FRI *)',
  'cron(0 12 * * ? *)',
  'cron(5,35 14 * * ? *)',
  'cron(15 10 ? * 6L 2019-2022)',
  'rate(1 minute)',
  'rate(5 minutes)',
  'rate(1 hour)',
  'rate(1 day)',
];

function rejection(text: string): ValidationError {
  try {
    parseExpression(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`expected ${text} to be rejected`);
}

describe('parseExpression', () => {
  it.each([...SCHEDULER_GUIDE_EXAMPLES, ...RULES_DOC_EXAMPLES])(
    'accepts the documented example %s',
    (text) => {
      expect(validateExpression(text).ok).toBe(true);
    },
  );

  it('parses cron into its six fields and keeps the source', () => {
    expect(parseExpression('cron(0/5 8-17 ? * MON-FRI *)')).toEqual({
      kind: 'cron',
      fields: { minutes: '0/5', hours: '8-17', dayOfMonth: '?', month: '*', dayOfWeek: 'MON-FRI', year: '*' },
      source: 'cron(0/5 8-17 ? * MON-FRI *)',
    });
  });

  it('parses rate into a value and a plural unit, accepting singular and plural forms', () => {
    expect(parseExpression('rate(1 hour)')).toEqual({ kind: 'rate', value: 1, unit: 'hours' });
    expect(parseExpression('rate(1 hours)')).toEqual({ kind: 'rate', value: 1, unit: 'hours' });
    expect(parseExpression('rate(5 day)')).toEqual({ kind: 'rate', value: 5, unit: 'days' });
  });

  it('parses at into local date-time parts', () => {
    expect(parseExpression('at(2024-02-29T23:59:30)')).toEqual({
      kind: 'at',
      local: { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 30 },
    });
  });

  it.each([
    // documented invalid (rules doc): two # expressions in day-of-week
    ['cron(0 10 ? * 3#1,6#3 *)', 'day-of-week'],
    // observed invalid (GitHub issue): * in both day fields
    ['cron(55 7-23 * * * *)', 'day-of-week'],
    ['cron(0 10 ? * ? *)', 'day-of-month'],
    ['cron(0 10 5 * MON *)', 'day-of-week'],
    // ranges per field
    ['cron(60 10 * * ? *)', 'minutes'],
    ['cron(0 24 * * ? *)', 'hours'],
    ['cron(0 10 0 * ? *)', 'day-of-month'],
    ['cron(0 10 32 * ? *)', 'day-of-month'],
    ['cron(0 10 * 13 ? *)', 'month'],
    ['cron(0 10 * 0 ? *)', 'month'],
    ['cron(0 10 ? * 0 *)', 'day-of-week'],
    ['cron(0 10 ? * 8 *)', 'day-of-week'],
    ['cron(0 10 * * ? 1969)', 'year'],
    ['cron(0 10 * * ? 2200)', 'year'],
    ['cron(0 10 * * ? 2022-2019)', 'year'],
    // wildcards only where the table allows them
    ['cron(L 10 * * ? *)', 'minutes'],
    ['cron(0 ? * * ? *)', 'hours'],
    ['cron(0 10 * L ? *)', 'month'],
    ['cron(0 10 3#2 * ? *)', 'day-of-month'],
    ['cron(0 10 ? * 3W *)', 'day-of-week'],
    ['cron(0 10 ? * 1/2 *)', 'day-of-week'],
    ['cron(0 10 * * ? L)', 'year'],
    // names and steps
    ['cron(0 10 * JANUARY ? *)', 'month'],
    ['cron(0 10 ? * MONDAY *)', 'day-of-week'],
    ['cron(0 10 ? * mon *)', 'day-of-week'],
    ['cron(0/0 10 * * ? *)', 'minutes'],
    ['cron(0/60 10 * * ? *)', 'minutes'],
    ['cron(1/2/3 10 * * ? *)', 'minutes'],
    ['cron(1,,2 10 * * ? *)', 'minutes'],
    ['cron(0 10 ? * 3#6 *)', 'day-of-week'],
    ['cron(0 10 ? * 3#0 *)', 'day-of-week'],
    ['cron(0 10 ? * 8L *)', 'day-of-week'],
    ['cron(0 10 32W * ? *)', 'day-of-month'],
    ['cron(0 10 L,15 * ? *)', 'day-of-month'],
    // shape of the expression
    ['cron(0 10 * * ?)', 'expression'],
    ['cron(0 0 10 * * ? *)', 'expression'],
    ['cron(0  10 * * ? *)', 'expression'],
    ['cron( 0 10 * * ? *)', 'expression'],
    ['cron(0\t10 * * ? *)', 'expression'],
    ['cron()', 'expression'],
    [' cron(0 10 * * ? *)', 'expression'],
    ['CRON(0 10 * * ? *)', 'expression'],
    ['0 10 * * ? *', 'expression'],
    ['', 'expression'],
    [`cron(${'0,'.repeat(130)}0 10 * * ? *)`, 'expression'],
    // rate
    ['rate(0 minutes)', 'rate value'],
    ['rate(-5 minutes)', 'rate value'],
    ['rate(1.5 hours)', 'rate value'],
    ['rate(05 minutes)', 'rate value'],
    ['rate(5 seconds)', 'rate unit'],
    ['rate(5 Minutes)', 'rate unit'],
    ['rate(5 weeks)', 'rate unit'],
    ['rate(5  minutes)', 'expression'],
    ['rate(5minutes)', 'expression'],
    // at
    ['at(2026-02-30T10:00:00)', 'at'],
    ['at(2025-02-29T10:00:00)', 'at'],
    ['at(2026-13-01T10:00:00)', 'at'],
    ['at(2026-12-24T24:00:00)', 'at'],
    ['at(2026-12-24T18:60:00)', 'at'],
    ['at(2026-12-24T18:00)', 'at'],
    ['at(2026-12-24 18:00:00)', 'at'],
    ['at(2026-12-24T18:00:00Z)', 'at'],
  ])('rejects %s naming the field %s', (text, field) => {
    const error = rejection(text);
    expect(error.field).toBe(field);
    expect(error.expected.length).toBeGreaterThan(10);
  });

  it('rejects the 5-field form (year omitted) because EventBridge is not confirmed to accept it', () => {
    expect(rejection('cron(0 10 * * ?)').expected).toMatch(/six cron fields/);
  });

  it('states the rule that was broken', () => {
    expect(rejection('cron(0 10 ? * 3#1,6#3 *)').expected).toMatch(/only one expression/);
    expect(rejection('cron(60 10 * * ? *)').expected).toMatch(/0 to 59/);
    expect(rejection('cron(55 7-23 * * * *)').expected).toMatch(/\?/);
  });

  it.each([
    'cron(0 20-2 ? * FRI-MON *)',
    'cron(0 10 ? NOV-FEB MON,WED,FRI *)',
    'cron(0 10 ? JUL,APR TUE-THU *)',
    'cron(*/5 * * * ? *)',
    'cron(0 0/6 * * ? *)',
    'cron(5-50/5 * * * ? *)',
    'cron(0 10 15W * ? *)',
    'cron(0 10 L * ? *)',
    'cron(0 10 ? * L *)',
    'cron(0 10 ? * 3#2 *)',
    'cron(0 10 1/7 * ? *)',
    'cron(0 10 * * ? 2026,2028/2)',
    'rate(100000 days)',
  ])('accepts the derived valid form %s', (text) => {
    expect(validateExpression(text).ok).toBe(true);
  });

  it('throws nothing but ValidationError for any string', () => {
    const alphabet = fc.constantFrom(...'0123456789 */,-?LW#()cronateTMONJA:'.split(''));
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: alphabet, maxLength: 40 }),
      fc.string({ unit: alphabet, maxLength: 30 }).map((s) => `cron(${s})`),
    );
    fc.assert(
      fc.property(text, (input) => {
        const result = validateExpression(input);
        if (!result.ok) expect(result.error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('validateExpression', () => {
  it('returns the expression and its description when valid', () => {
    const result = validateExpression('cron(30 9 ? * MON-FRI *)');
    expect(result).toMatchObject({ ok: true, description: 'at 09:30 on Monday to Friday' });
  });

  it('returns the error instead of throwing when invalid', () => {
    const result = validateExpression('rate(5 fortnights)');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.field).toBe('rate unit');
  });
});
