import { describe, expect, it } from 'vitest';
import { parseDuration, parseSinceText, resolveOnceAt } from '../../../../lib/discord/input/date.ts';
import { ValidationError } from '../../../../lib/errors.ts';

// Monday 2 March 2026, 09:00 in Berlin.
const now = new Date('2026-03-02T08:00:00Z');
const zone = 'Europe/Berlin';
const nine = { hour: 9, minute: 0 };
const eighteen = { hour: 18, minute: 0 };
const once = (date: string, time = eighteen) => resolveOnceAt('date', date, time, zone, now).at;
const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).expected;
  }
  throw new Error('accepted');
};

describe('dates for a one-time run', () => {
  it.each([
    ['today', '2026-03-02T18:00'],
    ['tomorrow', '2026-03-03T18:00'],
    ['in 2 days', '2026-03-04T18:00'],
    ['in 1 week', '2026-03-09T18:00'],
    ['friday', '2026-03-06T18:00'],
    ['Fri', '2026-03-06T18:00'],
    ['next friday', '2026-03-06T18:00'],
    ['monday', '2026-03-02T18:00'],
    ['2026-12-24', '2026-12-24T18:00'],
    ['2026/12/24', '2026-12-24T18:00'],
    ['24 Dec', '2026-12-24T18:00'],
    ['24th of December 2027', '2027-12-24T18:00'],
    ['December 24', '2026-12-24T18:00'],
    ['Dec 24, 2026', '2026-12-24T18:00'],
    ['1 March', '2027-03-01T18:00'],
    ['24/12', '2026-12-24T18:00'],
    ['12/24/2026', '2026-12-24T18:00'],
  ])('%s is %s', (typed, at) => {
    expect(once(typed)).toBe(at);
  });

  it('a weekday whose time has passed today is next week', () => {
    expect(once('monday', { hour: 8, minute: 0 })).toBe('2026-03-09T08:00');
  });

  it('names an impossible date as such', () => {
    expect(refusal(() => once('2026-02-30'))).toBe('`2026-02-30` does not exist: February 2026 has 28 days');
    expect(refusal(() => once('2026-13-01'))).toBe('`2026-13-01` is not a date: there is no month 13');
    expect(refusal(() => once('31 April'))).toContain('April 2026 has 30 days');
  });

  it('says what time it is now in the zone for a time in the past', () => {
    expect(refusal(() => once('today', { hour: 8, minute: 0 }))).toBe(
      'Monday 2 March 2026 at 08:00 is in the past: it is now 09:00 on Monday 2 March 2026 in Europe/Berlin; pick a later date or time',
    );
    expect(refusal(() => once('2020-01-01', nine))).toContain(
      'is in the past: it is now 09:00 on Monday 2 March 2026',
    );
  });

  it('asks which is meant for a day/month order that could be either', () => {
    expect(refusal(() => once('05/03'))).toBe(
      '`05/03` could be 5 March or 3 May; write the month as a word (5 Mar) or the date as YYYY-MM-DD',
    );
  });

  it('refuses words it does not know, with examples', () => {
    expect(refusal(() => once('someday'))).toBe(
      '`someday` is not a date I understand; for example today, tomorrow, friday, in 2 days, 2026-12-24 or 24 Dec',
    );
  });
});

describe('since: on /summarize', () => {
  const since = (typed: string) => parseSinceText('since', typed, zone, now).toISOString();

  it.each([
    ['90m', '2026-03-02T06:30:00.000Z'],
    ['2d', '2026-02-28T08:00:00.000Z'],
    ['1h30m', '2026-03-02T06:30:00.000Z'],
    ['3 hours', '2026-03-02T05:00:00.000Z'],
    ['last 2 days', '2026-02-28T08:00:00.000Z'],
    ['2 days ago', '2026-02-28T08:00:00.000Z'],
    ['yesterday', '2026-02-28T23:00:00.000Z'],
    ['today', '2026-03-01T23:00:00.000Z'],
    ['friday', '2026-02-26T23:00:00.000Z'],
    ['monday', '2026-03-01T23:00:00.000Z'],
    ['2026-02-20', '2026-02-19T23:00:00.000Z'],
    ['2026-02-20 09:00', '2026-02-20T08:00:00.000Z'],
    ['yesterday 18:00', '2026-03-01T17:00:00.000Z'],
    ['friday at 9am', '2026-02-27T08:00:00.000Z'],
    ['8am', '2026-03-02T07:00:00.000Z'],
    ['6pm', '2026-03-01T17:00:00.000Z'],
    ['24 Feb', '2026-02-23T23:00:00.000Z'],
    ['2026-03-01T09:00:00Z', '2026-03-01T09:00:00.000Z'],
  ])('%s starts at %s', (typed, instant) => {
    expect(since(typed)).toBe(instant);
  });

  it('refuses the future, saying what time it is', () => {
    expect(refusal(() => since('2026-03-03 10:00'))).toBe(
      '`2026-03-03 10:00` is in the future: it is now 09:00 on Monday 2 March 2026 in Europe/Berlin',
    );
  });

  it('refuses more than the window allows, and impossible dates', () => {
    expect(refusal(() => since('40d'))).toBe(
      '`40d` is more than 30 days ago; expected a time within the last 30 days',
    );
    expect(refusal(() => since('2026-02-30'))).toBe('`2026-02-30` does not exist: February 2026 has 28 days');
    expect(refusal(() => since('yesterday 25:00'))).toContain('(hours go from 0 to 23)');
  });

  it('reads durations and nothing else as durations', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('1w')).toBe(7 * 86_400_000);
    expect(parseDuration('5 parsecs')).toBeUndefined();
    expect(parseDuration('friday')).toBeUndefined();
  });
});
