/** Discord's thread (channel) name limit: "1-100 character channel name" (Start Thread without Message). */
export const THREAD_NAME_MAX = 100;

const SEPARATOR = ' · ';

// Building an Intl.DateTimeFormat is slow next to using one; a process sees few zones.
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    if (formats.size < 200) formats.set(timeZone, format);
  }
  return format;
}

function parts(instant: Date, timeZone: string): { day: string; time: string } {
  const byType = new Map(
    formatIn(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    day: `${byType.get('weekday')} ${byType.get('day')} ${byType.get('month')}`,
    time: `${byType.get('hour')}:${byType.get('minute')}`,
  };
}

/**
 * A run's window in words, in the task's zone: `Mon 1 Dec 09:00–Tue 2 Dec 09:00`, or `Mon 1 Dec 09:00–17:00`
 * within one day. A thread name shows no Discord timestamps (`<t:…>` stays literal there), so the zone's
 * wall time is written out.
 */
export function windowInWords(window: { from: string; to: string }, timeZone: string): string {
  const from = parts(new Date(window.from), timeZone);
  const to = parts(new Date(window.to), timeZone);
  return from.day === to.day
    ? `${from.day} ${from.time}–${to.time}`
    : `${from.day} ${from.time}–${to.day} ${to.time}`;
}

/**
 * The name of the thread (or forum post) a run's digest starts: the task's name, then the window, within
 * Discord's 100 characters. A long task name is cut (with `…`) so the window, what tells runs apart,
 * always shows whole. Task names carry no control characters (TaskName), so the result is one line.
 */
export function digestThreadName(
  taskName: string,
  window: { from: string; to: string },
  timeZone: string,
): string {
  const when = windowInWords(window, timeZone);
  const room = THREAD_NAME_MAX - when.length - SEPARATOR.length;
  const name = taskName.replace(/\s+/g, ' ').trim() || 'Digest';
  return `${name.length <= room ? name : `${cut(name, room - 1).trimEnd()}…`}${SEPARATOR}${when}`;
}

/** The longest prefix of whole code points within `max` UTF-16 units (what never undercounts Discord's limit). */
function cut(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}
