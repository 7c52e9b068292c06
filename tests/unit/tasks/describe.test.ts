import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { describeExpression, describeSources } from '../../../lib/tasks/describe.ts';

describe('describeExpression', () => {
  it.each([
    ['cron(30 9 ? * MON-FRI *)', 'at 09:30 on Monday to Friday'],
    ['cron(0 10 * * ? *)', 'at 10:00 every day'],
    ['cron(5,35 14 * * ? *)', 'at 14:05 and 14:35 every day'],
    ['cron(0 18 ? * MON,WED *)', 'at 18:00 on Monday and Wednesday'],
    ['cron(0 8 1 * ? *)', 'at 08:00 on the 1st of the month'],
    ['cron(0 8 L * ? *)', 'at 08:00 on the last day of the month'],
    ['cron(0 8 15W * ? *)', 'at 08:00 on the weekday nearest the 15th of the month'],
    ['cron(0/15 * * * ? *)', 'every 15 minutes'],
    ['cron(0/5 8-17 ? * MON-FRI *)', 'every 5 minutes between 08:00 and 17:55 on Monday to Friday'],
    ['cron(0/30 20-2 ? * MON-FRI *)', 'every 30 minutes between 20:00 and 02:30 on Monday to Friday'],
    ['cron(15 10 ? * 6L 2019-2022)', 'at 10:15 on the last Friday of the month in 2019 to 2022'],
    ['cron(0 9 ? * 2#1 *)', 'at 09:00 on the first Monday of the month'],
    ['cron(0 9 1 JAN,JUL ? *)', 'at 09:00 on the 1st of the month in January and July'],
    ['rate(5 minutes)', 'every 5 minutes'],
    ['rate(1 minute)', 'every minute'],
    ['rate(1 days)', 'every day'],
    ['at(2026-12-24T18:00:00)', 'once on 24 Dec 2026 at 18:00'],
    ['at(2026-12-24T18:00:30)', 'once on 24 Dec 2026 at 18:00:30'],
  ])('%s -> %s', (expression, words) => {
    expect(describeExpression(expression)).toBe(words);
  });

  it('throws a ValidationError for an invalid expression', () => {
    expect(() => describeExpression('cron(* * * * * *)')).toThrow(ValidationError);
  });
});

describe('describeSources', () => {
  const names: Record<string, string> = { '1': '#general', '2': '#dev', '9': 'Projects' };
  const name = (id: string) => names[id] ?? id;
  it('says what a task reads: its channels, every channel in a category, or the whole server', () => {
    expect(describeSources({ channelIds: ['1', '2'] }, name)).toBe('#general and #dev');
    expect(describeSources({ source: 'category', channelIds: ['9'] }, name)).toBe(
      'every channel in Projects',
    );
    expect(describeSources({ source: 'server', channelIds: ['1'] }, name)).toBe('the whole server');
    expect(describeSources({ source: 'category', channelIds: ['9'] })).toBe('every channel in <#9>');
  });
});
