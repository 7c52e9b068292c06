import * as z from 'zod';

/** Time zones as tasks and servers store them: known to the runtime's IANA database, spelled as it does. */

// Building an Intl.DateTimeFormat is the slow part of validating a stored task; zones are few, so remember them.
const knownZones = new Map<string, boolean>();
/** The IANA spelling of each zone seen (see canonicalTimeZone), bounded like knownZones. */
const canonicalZones = new Map<string, string>();

/** True when the runtime's IANA database knows the zone (aliases such as `UTC` included). */
export function isValidTimeZone(zone: string): boolean {
  const known = knownZones.get(zone);
  if (known !== undefined) return known;
  let valid = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(zone) && zone.length <= 50;
  if (valid) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
    } catch {
      // Intl throws RangeError for an unknown zone; that is exactly the answer.
      valid = false;
    }
  }
  if (knownZones.size < 1_000) knownZones.set(zone, valid);
  return valid;
}

/**
 * The zone as the IANA database spells it (`europe/berlin` is `Europe/Berlin`): Intl accepts any letter case,
 * EventBridge and people reading the task should not have to. Other aliases keep their name.
 */
export function canonicalTimeZone(zone: string): string {
  const known = canonicalZones.get(zone);
  if (known !== undefined) return known;
  const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  const canonical = resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
  if (canonicalZones.size < 1_000) canonicalZones.set(zone, canonical);
  return canonical;
}

/** A time zone the runtime knows, read into its IANA spelling. */
export const TimeZone = z
  .string()
  .refine(isValidTimeZone, {
    message: 'expected an IANA time zone such as Europe/Berlin or America/New_York',
  })
  .transform(canonicalTimeZone);
