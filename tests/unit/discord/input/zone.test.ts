import { describe, expect, it } from 'vitest';
import { closestTimeZones, resolveTimeZone, searchTimeZones } from '../../../../lib/discord/input/zone.ts';
import { ValidationError } from '../../../../lib/errors.ts';
import { nextRuns } from '../../../../lib/tasks/next-runs.ts';

const now = new Date('2026-03-02T08:00:00Z');
const resolve = (typed: string) => resolveTimeZone('timezone', typed, now);
const refusal = (typed: string): string => {
  try {
    resolve(typed);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).expected;
  }
  throw new Error(`${typed} was accepted`);
};

describe('time zones as admins type them', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['America/New York', 'America/New_York'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['UTC+0', 'UTC'],
  ])('takes the zone %s as %s without a note', (typed, zone) => {
    expect(resolve(typed)).toEqual({ zone });
  });

  it.each([
    ['Berlin', 'Europe/Berlin'],
    ['berlin', 'Europe/Berlin'],
    ['new york', 'America/New_York'],
    ['Munich', 'Europe/Berlin'],
    ['Köln', 'Europe/Berlin'],
    ['koln', 'Europe/Berlin'],
    ['Germany', 'Europe/Berlin'],
    ['japan', 'Asia/Tokyo'],
    ['Kiev', 'Europe/Kyiv'],
    ['Mumbai', 'Asia/Kolkata'],
  ])('reads the city or country %s as %s, and says so', (typed, zone) => {
    expect(resolve(typed)).toEqual({ zone, note: `\`${typed}\` was read as ${zone}.` });
  });

  it.each([
    ['Europe/Berln', 'Did you mean Europe/Berlin?'],
    ['Londn', 'Did you mean Europe/London?'],
    ['Tokio', 'Did you mean Asia/Tokyo?'],
    ['newyork', 'Did you mean America/New_York?'],
  ])('suggests the closest zone for the misspelling %s', (typed, suggestion) => {
    expect(refusal(typed)).toBe(`\`${typed}\` is not a time zone I know. ${suggestion}`);
  });

  it('lists the zones of a country that has several', () => {
    expect(refusal('United States')).toMatch(
      /^`United States` has 8 time zones: .*America\/Los_Angeles.*; pick the one for your place/,
    );
  });

  it('says what to type when nothing is close', () => {
    expect(refusal('Mars/Olympus')).toBe(
      '`Mars/Olympus` is not a time zone, city or country I know; type a city (Berlin), a country (Germany) or a zone (Europe/Berlin) and pick one from the list',
    );
  });

  it('accepts EST only as a fixed offset, warning that it ignores daylight saving and naming New York', () => {
    const answer = resolve('EST');
    expect(answer.zone).toBe('Etc/GMT+5');
    expect(answer.note).toBe(
      '`EST` (UTC-5) is a fixed offset: it never changes for daylight saving, so for part of the year summaries run an hour off clocks that do. To follow daylight saving, use America/New_York (UTC-5, UTC-4 with daylight saving).',
    );
  });

  it('accepts CET and UTC+2 as fixed offsets, suggesting zones that follow daylight saving', () => {
    expect(resolve('CET').zone).toBe('Etc/GMT-1');
    expect(resolve('CET').note).toContain('use Europe/Berlin (UTC+1, UTC+2 with daylight saving)');
    const plusTwo = resolve('UTC+2');
    expect(plusTwo.zone).toBe('Etc/GMT-2');
    expect(plusTwo.note).toMatch(/^`UTC\+2` is a fixed offset: it never changes for daylight saving/);
    expect(plusTwo.note).toContain('Europe/Berlin (UTC+1, UTC+2 with daylight saving)');
    expect(resolve('GMT-5').zone).toBe('Etc/GMT+5');
    expect(resolve('+02:00').zone).toBe('Etc/GMT-2');
  });

  it('stores a fixed offset the evaluator runs at that offset all year', () => {
    const [winter] = nextRuns('cron(0 9 * * ? *)', resolve('EST').zone, new Date('2026-01-10T00:00:00Z'), 1);
    const [summer] = nextRuns('cron(0 9 * * ? *)', resolve('EST').zone, new Date('2026-07-10T00:00:00Z'), 1);
    expect(winter?.toISOString()).toBe('2026-01-10T14:00:00.000Z');
    expect(summer?.toISOString()).toBe('2026-07-10T14:00:00.000Z');
  });

  it('reads an abbreviation of a place without daylight saving as that place', () => {
    expect(resolve('JST')).toEqual({
      zone: 'Asia/Tokyo',
      note: '`JST` was read as Asia/Tokyo (UTC+9 all year).',
    });
    expect(resolve('IST').zone).toBe('Asia/Kolkata');
  });

  it('refuses an offset no fixed zone has, naming the place that has it', () => {
    expect(refusal('UTC+5:30')).toBe(
      '`UTC+5:30` has no fixed-offset zone; name the place instead, for example Asia/Kolkata (UTC+5:30 all year)',
    );
    expect(refusal('UTC+15')).toContain('offsets go from UTC-12 to UTC+14');
  });

  it('autocompletes cities and countries to their zone', () => {
    expect(searchTimeZones('munich')).toEqual(['Europe/Berlin']);
    expect(searchTimeZones('new y')[0]).toBe('America/New_York');
    expect(searchTimeZones('Europe/Berl')[0]).toBe('Europe/Berlin');
    expect(searchTimeZones('')).toContain('UTC');
    expect(searchTimeZones('europe').length).toBe(25);
    expect(closestTimeZones('Berln')).toContain('Europe/Berlin');
  });
});
