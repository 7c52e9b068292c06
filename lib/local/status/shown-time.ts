/** An instant shown in a task's own zone, with how far it is from now. */
export interface ShownTime {
  iso: string;
  /** "Mon 2 Mar 2026, 09:00 CET" in the task's zone. */
  local: string;
  /** "in 3 h", "5 min ago". */
  relative: string;
}

const formatters = new Map<string, { parts: Intl.DateTimeFormat; usZone: Intl.DateTimeFormat }>();

/** An instant as "Mon 2 Mar 2026, 09:00 CET" in `timeZone` (24-hour, like the schedule words). */
export function formatInZone(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = {
      parts: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }),
      usZone: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }),
    };
    if (formatters.size < 500) formatters.set(timeZone, format);
  }
  // Assembled from parts: the locale's own punctuation ("Mon, 2 Mar") varies between ICU versions.
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of format.parts.formatToParts(at)) part[type] = value;
  // en-GB names European zones (CET, BST) and en-US American ones (EST, PDT); each says GMT-5 for the other.
  let zone = part.timeZoneName ?? timeZone;
  if (zone.startsWith('GMT')) {
    const us = format.usZone.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    if (us && !us.startsWith('GMT')) zone = us;
  }
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute} ${zone}`;
}

/** "in 3 h", "in 25 min", "2 d ago", "now": coarse on purpose, the exact time sits beside it. */
export function relativeTime(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'now';
  const minutes = Math.round(abs / 60_000);
  const hours = abs / 3_600_000;
  const days = abs / 86_400_000;
  const amount =
    minutes < 60
      ? `${minutes} min`
      : hours < 36
        ? `${Math.round(hours)} h`
        : days < 60
          ? `${Math.round(days)} d`
          : `${Math.round(days / 30.4)} mo`;
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

/** An instant as the page shows it: ISO, in the zone, and relative to `now`. */
export function shownTime(at: Date, timeZone: string, now: Date): ShownTime {
  return { iso: at.toISOString(), local: formatInZone(at, timeZone), relative: relativeTime(at, now) };
}
