import { PermissionFlagsBits as P } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { readCron, readTime, readZone } from '../../../lib/discord/commands/typed-input.ts';
import { customIdFor, parseCustomId } from '../../../lib/discord/custom-ids.ts';
import { canManage, canView } from '../../../lib/discord/permissions.ts';
import { searchTimeZones, zonedTimeToInstant } from '../../../lib/discord/timezones.ts';
import { parseDays, parseEmails, parseMonthDay, parseWebhookUrl } from '../../../lib/discord/values.ts';
import { ValidationError } from '../../../lib/errors.ts';

describe('permissions', () => {
  it('lets Manage Server, Administrator or the manager role manage', () => {
    expect(canManage({ permissions: P.ManageGuild.toString() })).toBe(true);
    expect(canManage({ permissions: P.Administrator.toString() })).toBe(true);
    expect(canManage({ permissions: P.ViewChannel.toString(), roles: ['1'] }, '1')).toBe(true);
    expect(canManage({ permissions: P.ViewChannel.toString(), roles: ['2'] }, '1')).toBe(false);
    expect(canManage({ permissions: 'garbage' })).toBe(false);
    expect(canManage(undefined)).toBe(false);
  });

  it('needs View Channel and Read Message History to view, or Administrator', () => {
    expect(canView((P.ViewChannel | P.ReadMessageHistory).toString())).toBe(true);
    expect(canView(P.ViewChannel.toString())).toBe(false);
    expect(canView(P.Administrator.toString())).toBe(true);
    expect(canView(undefined)).toBe(false);
  });
});

describe('custom ids', () => {
  it('round-trip and refuse anything else', () => {
    for (const action of [
      { kind: 'task', action: 'pause', taskId: 'abcdEFGH1234' },
      { kind: 'cancel-confirm', taskId: 'abcdEFGH1234' },
      { kind: 'list-page', page: 3 },
    ] as const) {
      expect(parseCustomId(customIdFor(action))).toEqual(action);
    }
    for (const id of [
      'task:delete:abcdEFGH1234',
      'task:pause:x',
      'list:page:-1',
      'click_one',
      'task:pause:abcdEFGH1234:extra',
    ]) {
      expect(parseCustomId(id)).toBeUndefined();
    }
  });
});

describe('option values', () => {
  const field = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return error instanceof ValidationError ? error.field : 'other';
    }
    return 'none';
  };

  it('parse times, days, month days, cron and e-mails', () => {
    expect(readTime('time', '9:05')).toEqual({ value: { hour: 9, minute: 5 }, notes: ['`9:05` is 09:05.'] });
    expect(field(() => readTime('time', '24:00'))).toBe('time');
    expect(parseDays('days', 'fri-mon')).toEqual(['MON', 'FRI', 'SAT', 'SUN']);
    expect(parseDays('days', 'Monday, wednesday')).toEqual(['MON', 'WED']);
    expect(parseDays('days', 'weekdays')).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI']);
    expect(field(() => parseDays('days', 'mo'))).toBe('days');
    expect(parseMonthDay('day', 'LAST')).toBe('last');
    expect(field(() => parseMonthDay('day', '0'))).toBe('day');
    expect(readCron('expression', ' cron(0  9 ? * MON *) ')).toEqual({
      expression: 'cron(0 9 ? * MON *)',
      conversion: undefined,
    });
    expect(readCron('expression', '0 9 ? * MON *').expression).toBe('cron(0 9 ? * MON *)');
    expect(parseEmails('email', 'a@example.com;b@example.com')).toEqual(['a@example.com', 'b@example.com']);
    expect(field(() => parseEmails('email', 'a@'))).toBe('email');
    expect(readZone('timezone', 'europe/berlin', new Date()).value).toBe('Europe/Berlin');
    expect(readZone('timezone', ' UTC ', new Date()).value).toBe('UTC');
    expect(field(() => readZone('timezone', 'Mars/Olympus', new Date()))).toBe('timezone');
  });

  it('accept public https webhooks only', () => {
    expect(parseWebhookUrl('webhook', 'https://hooks.example.com/x?y=1')).toBe(
      'https://hooks.example.com/x?y=1',
    );
    for (const bad of [
      'http://hooks.example.com',
      'https://user:pw@hooks.example.com',
      'https://192.168.1.1/',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://metadata.google.internal/',
      'https://intranet/',
      'https://localhost./h',
      'https://[::7f00:1]/h',
      'https://[64:ff9b::a9fe:a9fe]/h',
      'https://198.18.0.1/h',
      'https://metadata.google.internal./h',
      'ftp://x.example.com',
    ]) {
      expect(
        field(() => parseWebhookUrl('webhook', bad)),
        bad,
      ).toBe('webhook');
    }
    expect(parseWebhookUrl('webhook', 'http://127.0.0.1:8080/hook', true)).toBe('http://127.0.0.1:8080/hook');
  });
});

describe('time zones', () => {
  it('autocomplete prefix matches first, at most 25', () => {
    expect(searchTimeZones('new_y')[0]).toBe('America/New_York');
    expect(searchTimeZones('europe').length).toBe(25);
    expect(searchTimeZones('')).toContain('UTC');
  });

  it('turn local wall-clock times into instants, across DST', () => {
    expect(
      zonedTimeToInstant({ year: 2026, month: 7, day: 1, hour: 9, minute: 0 }, 'Europe/Berlin').toISOString(),
    ).toBe('2026-07-01T07:00:00.000Z');
    expect(
      zonedTimeToInstant(
        { year: 2026, month: 1, day: 1, hour: 9, minute: 0 },
        'America/New_York',
      ).toISOString(),
    ).toBe('2026-01-01T14:00:00.000Z');
    expect(
      zonedTimeToInstant(
        { year: 2026, month: 3, day: 29, hour: 2, minute: 30 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });
});

describe('repeated local times', () => {
  it('resolve to the first occurrence', () => {
    expect(
      zonedTimeToInstant(
        { year: 2026, month: 10, day: 25, hour: 2, minute: 30 },
        'Europe/Berlin',
      ).toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
  });
});
