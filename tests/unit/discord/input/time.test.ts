import { describe, expect, it } from 'vitest';
import { parseTimeOfDay, parseTimeText } from '../../../../lib/discord/input/time.ts';
import { ValidationError } from '../../../../lib/errors.ts';

describe('times of day as admins type them', () => {
  it.each([
    ['9am', '09:00'],
    ['9 AM', '09:00'],
    ['9:00 pm', '21:00'],
    ['9:30pm', '21:30'],
    ['9 p.m.', '21:00'],
    ['12am', '00:00'],
    ['12pm', '12:00'],
    ['12:15 am', '00:15'],
    ['21h', '21:00'],
    ['21h30', '21:30'],
    ['9h', '09:00'],
    ['9', '09:00'],
    ['21', '21:00'],
    ['09:30', '09:30'],
    ['9:30', '09:30'],
    ['9.30', '09:30'],
    ['0930', '09:30'],
    ['2130', '21:30'],
    ['0:00', '00:00'],
    ['noon', '12:00'],
    ['midnight', '00:00'],
    ['  18:45  ', '18:45'],
  ])('%s is %s', (typed, understood) => {
    expect(parseTimeText('time', typed)).toBe(understood);
  });

  it.each([
    ['25:00', '`25:00` is not a time of day (hours go from 0 to 23); for example 09:30, 9am, 9:30 pm or 21h'],
    ['9:75', '`9:75` is not a time of day (minutes go from 00 to 59)'],
    ['13pm', '`13pm` is not a time of day (13 is already a 24-hour hour: write 13:00 without pm)'],
    ['0am', '(with am or pm the hour goes from 1 to 12)'],
    ['24:00', '(midnight is 00:00)'],
    ['soon', '`soon` is not a time of day; for example 09:30'],
    ['930', '`930` is not a time of day'],
  ])('refuses %s, repeating it with examples', (typed, message) => {
    const error = (() => {
      try {
        parseTimeOfDay('time', typed);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('time');
    expect((error as ValidationError).expected).toContain(message);
  });

  it('never lets typed backticks break out of the quoted input', () => {
    expect(() => parseTimeOfDay('time', '`@everyone`')).toThrow("`'@everyone'` is not a time of day");
  });
});
