import { isValidTimeZone } from '../tasks/time-zone.ts';

/** Autocomplete over zones: names, cities, countries and close spellings (see input/zone.ts). */
export { searchTimeZones } from './input/zone.ts';

function offsetMinutes(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/**
 * The instant of a local wall-clock time in a zone. A repeated time (DST ends) resolves to its first
 * occurrence; a skipped time (DST starts) moves forward by the gap, as `Temporal`'s "compatible" does.
 */
export function zonedTimeToInstant(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): Date {
  if (!isValidTimeZone(zone)) throw new RangeError(`unknown time zone ${zone}`);
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const day = 86_400_000;
  // Zone offsets change at most once within a day here, so the offsets a day apart are the two candidates.
  const before = offsetMinutes(new Date(wall - day), zone) * 60_000;
  const after = offsetMinutes(new Date(wall + day), zone) * 60_000;
  const valid = [wall - before, wall - after].filter(
    (t) => offsetMinutes(new Date(t), zone) * 60_000 === wall - t,
  );
  if (valid.length > 0) return new Date(Math.min(...valid));
  return new Date(wall - before);
}
