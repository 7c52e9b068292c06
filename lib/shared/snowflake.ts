/**
 * Discord snowflakes: 64-bit ids whose top 42 bits are milliseconds since the Discord epoch, so ids sort by
 * creation time and a time can stand in for an id in `before`/`after` paging (FACTS B5).
 */

/** The first second of 2015, Discord's epoch, in Unix milliseconds. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;

/** Bits below the timestamp: worker (5), process (5), increment (12). */
const TIMESTAMP_SHIFT = 22n;

/** The smallest snowflake created at `date` (worker, process and increment all zero). */
export function snowflakeFromTime(date: Date | number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  if (!Number.isFinite(ms) || ms < DISCORD_EPOCH_MS) {
    throw new RangeError(`A snowflake needs a time at or after 2015-01-01T00:00:00Z, got ${String(date)}`);
  }
  return (BigInt(Math.floor(ms) - DISCORD_EPOCH_MS) << TIMESTAMP_SHIFT).toString();
}

/** The creation time encoded in a snowflake. */
export function timeFromSnowflake(id: string): Date {
  return new Date(Number(BigInt(id) >> TIMESTAMP_SHIFT) + DISCORD_EPOCH_MS);
}

/** Orders two snowflakes numerically (string comparison is wrong once lengths differ). */
export function compareSnowflakes(a: string, b: string): -1 | 0 | 1 {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The larger of two snowflakes. */
export function maxSnowflake(a: string, b: string): string {
  return compareSnowflakes(a, b) >= 0 ? a : b;
}

/** Whether `id` looks like a snowflake (a decimal integer of at most 20 digits). */
export function isSnowflake(id: string): boolean {
  return /^\d{1,20}$/.test(id);
}
