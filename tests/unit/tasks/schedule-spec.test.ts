import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { describeSchedule } from '../../../lib/tasks/describe.ts';
import { parseExpression } from '../../../lib/tasks/expressions.ts';
import {
  type ScheduleSpec,
  toScheduleExpression,
  validateScheduleSpec,
} from '../../../lib/tasks/schedule-spec.ts';

const CASES: [ScheduleSpec, string, string][] = [
  [
    { type: 'once', at: '2026-12-24T18:00' },
    'at(2026-12-24T18:00:00)',
    'once on 24 Dec 2026 at 18:00 (Europe/Berlin)',
  ],
  [{ type: 'daily', time: '09:00' }, 'cron(0 9 * * ? *)', 'every day at 09:00 (Europe/Berlin)'],
  [
    { type: 'weekly', days: ['WED', 'MON'], time: '18:30' },
    'cron(30 18 ? * MON,WED *)',
    'every Monday and Wednesday at 18:30 (Europe/Berlin)',
  ],
  [
    { type: 'monthly', day: 15, time: '07:05' },
    'cron(5 7 15 * ? *)',
    'on the 15th of every month at 07:05 (Europe/Berlin)',
  ],
  [
    { type: 'monthly', day: 'last', time: '08:00' },
    'cron(0 8 L * ? *)',
    'on the last day of every month at 08:00 (Europe/Berlin)',
  ],
  [{ type: 'every', value: 1, unit: 'days' }, 'rate(1 day)', 'every day'],
  [{ type: 'every', value: 5, unit: 'days' }, 'rate(5 days)', 'every 5 days'],
  [{ type: 'every', value: 1, unit: 'hours' }, 'rate(1 hour)', 'every hour'],
  [{ type: 'every', value: 15, unit: 'minutes' }, 'rate(15 minutes)', 'every 15 minutes'],
  [
    { type: 'cron', expression: 'cron(30 9 ? * MON-FRI *)' },
    'cron(30 9 ? * MON-FRI *)',
    'at 09:30 on Monday to Friday (Europe/Berlin)',
  ],
];

describe('toScheduleExpression', () => {
  it.each(CASES)('converts %j to %s, which parses', (spec, expression) => {
    expect(toScheduleExpression(validateScheduleSpec(spec))).toBe(expression);
    expect(() => parseExpression(expression)).not.toThrow();
  });

  it('lists weekly days once, in week order', () => {
    const spec = validateScheduleSpec({ type: 'weekly', days: ['SUN', 'FRI', 'MON', 'FRI'], time: '06:00' });
    expect(toScheduleExpression(spec)).toBe('cron(0 6 ? * MON,FRI,SUN *)');
  });
});

describe('describeSchedule', () => {
  it.each(CASES)('describes %j', (spec, _expression, words) => {
    expect(describeSchedule(spec, 'Europe/Berlin')).toBe(words);
  });
});

describe('validateScheduleSpec', () => {
  it.each([
    [{ type: 'cron', expression: 'cron(0 10 * * ? )' }, 'schedule.expression'],
    [{ type: 'cron', expression: 'cron(55 7-23 * * * *)' }, 'schedule.expression'],
    [{ type: 'cron', expression: 'rate(5 minutes)' }, 'schedule.expression'],
    [{ type: 'once', at: '2026-02-30T10:00' }, 'schedule.at'],
    [{ type: 'daily', time: '25:00' }, 'schedule.time'],
    [{ type: 'weekly', days: [], time: '10:00' }, 'schedule.days'],
    [{ type: 'fortnightly' }, 'schedule.type'],
  ])('rejects %j naming %s', (spec, field) => {
    try {
      validateScheduleSpec(spec);
      expect.unreachable('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe(field);
    }
  });

  it('returns a valid spec unchanged', () => {
    const spec: ScheduleSpec = { type: 'monthly', day: 31, time: '23:59' };
    expect(validateScheduleSpec(spec)).toEqual(spec);
  });
});
