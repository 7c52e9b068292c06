import { ValidationError } from '../../errors.ts';
import { echo } from './echo.ts';

/** A wall-clock time of day, 24-hour. */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

const EXAMPLES = 'for example 09:30, 9am, 9:30 pm or 21h';

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `09:30`: the form the task model stores and every reply states. */
export function formatTimeOfDay(time: TimeOfDay): string {
  return `${pad2(time.hour)}:${pad2(time.minute)}`;
}

/**
 * A time of day as people type it: `9`, `09:30`, `9.30`, `0930`, `9am`, `9:30 pm`, `9 p.m.`, `21h`,
 * `21h30`, `noon`, `midnight`. A bare hour is 24-hour (`9` is 09:00, `21` is 21:00). Returns the time, or
 * why it is not one ('' when it does not look like a time at all).
 */
export function readTimeOfDay(raw: string): TimeOfDay | { problem: string } {
  const text = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === 'noon' || text === 'midday') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const m =
    /^(\d{1,2})(?:(?:[:.h]|\s?h\s?)(\d{2}))?\s?(h|am|pm|a\.m\.|p\.m\.|a|p)?$/.exec(text) ??
    /^(\d{2})(\d{2})()$/.exec(text); // 0930, 2130
  if (!m) return { problem: '' };
  const hour = Number(m[1]);
  const minute = m[2] ? Number(m[2]) : 0;
  const suffix = m[3] ?? '';
  if (minute > 59) return { problem: ' (minutes go from 00 to 59)' };
  if (suffix.startsWith('a') || suffix.startsWith('p')) {
    if (hour > 12) {
      return {
        problem: ` (${hour} is already a 24-hour hour: write ${pad2(hour)}:${pad2(minute)} without ${suffix})`,
      };
    }
    if (hour < 1) return { problem: ' (with am or pm the hour goes from 1 to 12)' };
    return { hour: (hour % 12) + (suffix.startsWith('p') ? 12 : 0), minute };
  }
  if (hour === 24 && minute === 0) return { problem: ' (midnight is 00:00)' };
  if (hour > 23) return { problem: ' (hours go from 0 to 23)' };
  return { hour, minute };
}

/** `readTimeOfDay`, throwing a `ValidationError` on `option` that repeats what was typed with examples. */
export function parseTimeOfDay(option: string, raw: string): TimeOfDay {
  const read = readTimeOfDay(raw);
  if ('problem' in read) {
    throw new ValidationError(option, `${echo(raw)} is not a time of day${read.problem}; ${EXAMPLES}`);
  }
  return read;
}

/** `parseTimeOfDay` straight to the stored `HH:MM` form. */
export function parseTimeText(option: string, raw: string): string {
  return formatTimeOfDay(parseTimeOfDay(option, raw));
}
