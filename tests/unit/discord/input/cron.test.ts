import { describe, expect, it } from 'vitest';
import { describeConversion, readCronInput } from '../../../../lib/discord/input/cron.ts';
import { ValidationError } from '../../../../lib/errors.ts';

const read = (typed: string) => readCronInput('expression', typed);
const refusal = (typed: string): string => {
  try {
    read(typed);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).expected;
  }
  throw new Error(`${typed} was accepted`);
};

describe('the cron option', () => {
  it.each([
    ['0 9 ? * MON-FRI *', 'cron(0 9 ? * MON-FRI *)'],
    ['cron(0 9 ? * MON-FRI *)', 'cron(0 9 ? * MON-FRI *)'],
    ['0 9 ? * mon-fri *', 'cron(0 9 ? * MON-FRI *)'],
    ['  0  9 ? * MON *  ', 'cron(0 9 ? * MON *)'],
    ['0 9 ? * FRI#3 *', 'cron(0 9 ? * FRI#3 *)'],
    ['0 9 ? * mon#1 *', 'cron(0 9 ? * MON#1 *)'],
    ['0 9 ? * 6#3 *', 'cron(0 9 ? * 6#3 *)'],
  ])('takes %s as %s', (typed, expression) => {
    expect(read(typed)).toEqual({ kind: 'cron', expression });
  });

  it.each([
    ['0 9 * * 1-5', 'cron(0 9 ? * MON-FRI *)'],
    ['0 9 * * 0', 'cron(0 9 ? * SUN *)'],
    ['0 9 * * 7', 'cron(0 9 ? * SUN *)'],
    ['0 9 * * 5-7', 'cron(0 9 ? * FRI,SAT,SUN *)'],
    ['0 9 * * 1,3,5', 'cron(0 9 ? * MON,WED,FRI *)'],
    ['*/15 * * * *', 'cron(0/15 * * * ? *)'],
    ['0 9 1 * *', 'cron(0 9 1 * ? *)'],
    ['0 9 * * *', 'cron(0 9 * * ? *)'],
    ['@daily', 'cron(0 0 * * ? *)'],
  ])('offers the Unix form %s converted to %s', (typed, expression) => {
    expect(read(typed)).toEqual({ kind: 'converted', from: 'unix', typed, expression });
  });

  it('says what a conversion did in words', () => {
    const reading = read('0 9 * * 1-5');
    if (reading.kind !== 'converted') throw new Error('not converted');
    expect(describeConversion(reading)).toBe(
      "`0 9 * * 1-5` is the 5-field Unix form. In EventBridge's six fields it is `0 9 ? * MON-FRI *`.",
    );
  });

  it('offers the year a 5-field EventBridge expression forgot, and drops Quartz seconds', () => {
    expect(read('0 9 ? * MON')).toMatchObject({
      kind: 'converted',
      from: 'no-year',
      expression: 'cron(0 9 ? * MON *)',
    });
    expect(read('0 0 9 ? * MON-FRI *')).toMatchObject({
      kind: 'converted',
      from: 'quartz',
      expression: 'cron(0 9 ? * MON-FRI *)',
    });
  });

  it('points rate() and at() to the subcommands that take them', () => {
    expect(refusal('rate(5 minutes)')).toBe(
      '`rate(5 minutes)` is an interval, not a cron expression; use /schedule create every value:5 unit:minutes instead',
    );
    expect(refusal('rate(1 hour)')).toContain('/schedule create every value:1 unit:hours');
    expect(refusal('at(2026-12-24T18:00:00)')).toBe(
      '`at(2026-12-24T18:00:00)` is a single date; use /schedule create once instead',
    );
  });

  it('names the wrong field in plain words, never the option twice', () => {
    expect(refusal('0 25 * * ? *')).toBe(
      "`0 25 * * ? *`: the 2nd field (hours): hours go from 0 to 23; got '25'",
    );
    expect(refusal('0 9 ? * 8 *')).toMatch(
      /^`0 9 \? \* 8 \*`: the 5th field \(day-of-week\): days of the week are 1-7 \(1 is Sunday\) or SUN-SAT/,
    );
    expect(refusal('0 9 * * * *')).toBe(
      "`0 9 * * * *`: day-of-month (3rd field) or day-of-week (5th field) must be ?, and the other says which days, for example 0 9 * * ? * (every day), 0 9 ? * MON * (Mondays) or 0 9 1 * ? * (the 1st of each month); got '*' and '*'",
    );
    expect(refusal('0 9 * *')).toBe(
      '`0 9 * *` has 4 fields; a cron expression has six: minutes hours day-of-month month day-of-week year, for example 0 9 ? * MON-FRI * (09:00 on weekdays)',
    );
    for (const typed of ['0 25 * * ? *', '0 9 ? * 8 *', '0 9 * *'])
      expect(refusal(typed)).not.toMatch(/^expression/);
  });

  it('refuses a Unix expression that sets both day fields, explaining why', () => {
    expect(refusal('0 9 1 * 1')).toContain('EventBridge cannot combine the two, so make two tasks');
  });
});
