/**
 * Fixed-offset zones in words. The IANA database names them `Etc/GMT-2` for UTC+2 (the sign is inverted,
 * POSIX style), which reads backwards to everyone; we store that name (EventBridge takes IANA names) and
 * show `UTC+2`.
 */

/** `Etc/GMT-2` for an offset of +120 minutes; only whole hours from -12 to +14 exist. */
export function fixedOffsetZone(offsetMinutes: number): string | undefined {
  if (offsetMinutes === 0) return 'UTC';
  if (offsetMinutes % 60 !== 0 || offsetMinutes < -12 * 60 || offsetMinutes > 14 * 60) return undefined;
  const hours = offsetMinutes / 60;
  return `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
}

/** `UTC+2`, `UTC-5`, `UTC+5:30`, `UTC`. */
export function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const minutes = abs % 60;
  return `UTC${sign}${Math.floor(abs / 60)}${minutes ? `:${String(minutes).padStart(2, '0')}` : ''}`;
}

/** The offset of an `Etc/GMT±N` zone in minutes, or undefined for any other zone. */
export function fixedOffsetOf(zone: string): number | undefined {
  if (/^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(zone)) return 0;
  const m = /^Etc\/GMT([+-])(\d{1,2})$/i.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  return hours === 0 ? 0 : (m[1] === '-' ? hours : -hours) * 60;
}

/** How a zone is shown to people: IANA names as they are, fixed offsets as `UTC+2`. */
export function zoneLabel(zone: string): string {
  const offset = fixedOffsetOf(zone);
  if (offset === undefined || zone === 'UTC') return zone;
  return formatOffset(offset);
}
