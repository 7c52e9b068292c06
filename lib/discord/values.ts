import { isIP } from 'node:net';
import * as z from 'zod';
import { classifyAddress } from '../delivery/url-guard.ts';
import { ValidationError } from '../errors.ts';
import { Destination } from '../tasks/destination.ts';
import type { Weekday } from '../tasks/schedule-spec.ts';
import { parseSinceText } from './input/date.ts';

/**
 * Parsing of what admins type into options, each failure a ValidationError naming the option as Discord
 * shows it. Everything here is checked before any write.
 */

const DAYS: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** `mon,wed,fri`, `Monday Friday`, `mon-fri`, `weekdays`, `weekends`. */
export function parseDays(option: string, raw: string): Weekday[] {
  const expected = 'expected days such as mon,wed,fri or mon-fri';
  const text = raw.trim().toLowerCase();
  if (text === 'weekdays') return DAYS.slice(0, 5);
  if (text === 'weekends') return ['SAT', 'SUN'];
  const dayOf = (word: string): number => {
    const index = DAYS.findIndex((d) => word.length >= 3 && d.toLowerCase() === word.slice(0, 3));
    const fullNames = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
    if (index < 0 || !(fullNames[index] ?? '').startsWith(word)) throw new ValidationError(option, expected);
    return index;
  };
  const result = new Set<number>();
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const range = part.split('-');
    if (range.length === 2 && range[0] && range[1]) {
      const from = dayOf(range[0]);
      const to = dayOf(range[1]);
      for (let i = from; ; i = (i + 1) % 7) {
        result.add(i);
        if (i === to) break;
      }
    } else if (range.length === 1 && range[0]) {
      result.add(dayOf(range[0]));
    } else {
      throw new ValidationError(option, expected);
    }
  }
  if (result.size === 0) throw new ValidationError(option, expected);
  return [...result].sort().map((i) => DAYS[i] as Weekday);
}

/** `1`..`31` or `last`. */
export function parseMonthDay(option: string, raw: string): number | 'last' {
  const text = raw.trim().toLowerCase();
  if (text === 'last') return 'last';
  if (/^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 31) return Number(text);
  throw new ValidationError(option, 'expected a day of the month 1-31, or last');
}

/**
 * A webhook URL as far as it can be judged without DNS: https, a public-looking host, no credentials.
 * The delivery side resolves the host and re-checks the addresses on every delivery.
 */
export function parseWebhookUrl(option: string, raw: string, allowLoopback = false): string {
  const expected = 'expected a public https:// URL (no private, loopback or local addresses)';
  if (allowLoopback) {
    // Local runtime and tests only (ALLOW_LOOPBACK_WEBHOOKS): a receiver on this machine.
    const loopback = Destination.safeParse({ type: 'webhook', url: raw.trim() });
    const host = loopback.success ? new URL(raw.trim()).hostname : '';
    if (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') return raw.trim();
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValidationError(option, expected);
  }
  // A trailing dot names the same host (`localhost.`); address literals get the deliverer's own rules,
  // so a URL accepted here is not refused at every delivery.
  const host = url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  const badHost =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal') ||
    (!host.includes('.') && isIP(host) === 0) ||
    (isIP(host) !== 0 && classifyAddress(host) !== 'public');
  if (url.protocol !== 'https:' || url.username || url.password || badHost)
    throw new ValidationError(option, expected);
  const checked = Destination.safeParse({ type: 'webhook', url: url.toString() });
  if (!checked.success) throw new ValidationError(option, expected);
  return url.toString();
}

/** `a@example.com, b@example.com`. */
export function parseEmails(option: string, raw: string): string[] {
  const addresses = raw.split(/[\s,;]+/).filter(Boolean);
  if (addresses.length === 0)
    throw new ValidationError(option, 'expected one or more e-mail addresses separated by commas');
  if (addresses.length > 50) throw new ValidationError(option, 'expected at most 50 e-mail addresses');
  for (const address of addresses) {
    if (!z.email().safeParse(address).success) {
      throw new ValidationError(
        option,
        `expected e-mail addresses separated by commas; "${address.slice(0, 100)}" is not an address`,
      );
    }
  }
  return addresses;
}

export function parseFilePrefix(option: string, raw: string): string {
  const prefix = raw.trim().replace(/^\/+|\/+$/g, '');
  const checked = Destination.safeParse({ type: 'file', prefix });
  if (!checked.success)
    throw new ValidationError(option, 'expected a relative folder such as summaries/weekly');
  return prefix;
}

/** A destination built from options, checked with the task model's schema and named after its option. */
export function checkedDestination(option: string, destination: Destination): Destination {
  const checked = Destination.safeParse(destination);
  if (!checked.success) {
    throw new ValidationError(option, checked.error.issues[0]?.message ?? 'expected a valid destination');
  }
  return checked.data;
}

/** `/summarize since:`: a duration, a day, a date with or without a time, or an instant (input/date.ts). */
export function parseSince(option: string, raw: string, zone: string, now: Date): Date {
  return parseSinceText(option, raw, zone, now);
}
