/**
 * A Discord message as a terminal shows it, the way Discord's client would: timestamps (`<t:…:F>`) in the
 * reader's own zone and language, channel mentions as `#name`, embeds as titled blocks.
 */

/** The parts of a message the CLI prints. */
export interface MessageLike {
  content?: string | null;
  embeds?: {
    title?: string;
    description?: string;
    url?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[];
  components?: unknown[];
}

/** What the text is rendered against: the server's channels and the time "now" is (the sandbox's clock). */
export interface RenderContext {
  channels?: { id: string; name: string }[];
  now?: Date;
  /** BCP 47 locale and IANA zone; default the machine's, as Discord uses the reader's. */
  locale?: string;
  timeZone?: string;
}

/** A message as readable text: content, then each embed's title, description, fields and footer. */
export function renderMessage(message: MessageLike, context: RenderContext = {}): string {
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const embed of message.embeds ?? []) {
    if (embed.title) parts.push(`▌ ${embed.title}${embed.url ? ` (${embed.url})` : ''}`);
    if (embed.description) parts.push(indent(embed.description));
    for (const field of embed.fields ?? []) parts.push(`  ${field.name}\n${indent(field.value, '    ')}`);
    if (embed.footer?.text) parts.push(`  — ${embed.footer.text}`);
  }
  if (parts.length === 0) return '(empty message)';
  return renderMarkers(parts.join('\n'), context);
}

/** Replaces Discord's markers in `text`: `<t:unix[:style]>` by the local time, `<#id>` by `#name`. */
export function renderMarkers(text: string, context: RenderContext = {}): string {
  return text
    .replace(/<t:(-?\d{1,13})(?::([tTdDfFR]))?>/g, (_m, unix: string, style: string | undefined) =>
      discordTimestamp(Number(unix), (style ?? 'f') as TimestampStyle, context),
    )
    .replace(/<#(\d{1,20})>/g, (m, id: string) => {
      const channel = context.channels?.find((c) => c.id === id);
      return channel ? `#${channel.name}` : m;
    });
}

export type TimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';

/** Discord's timestamp styles as Intl renders them (the client's LT, LTS, L, LL, LLL, LLLL and relative). */
const STYLES: Record<Exclude<TimestampStyle, 'R'>, Intl.DateTimeFormatOptions> = {
  t: { timeStyle: 'short' },
  T: { timeStyle: 'medium' },
  d: { dateStyle: 'short' },
  D: { dateStyle: 'long' },
  f: { dateStyle: 'long', timeStyle: 'short' },
  F: { dateStyle: 'full', timeStyle: 'short' },
};

/** `<t:unix:style>` as Discord shows it to a reader in `context`'s locale and zone. */
export function discordTimestamp(
  unixSeconds: number,
  style: TimestampStyle,
  context: RenderContext = {},
): string {
  const at = new Date(unixSeconds * 1000);
  if (style === 'R') return relative(at, context.now ?? new Date(), context.locale);
  return new Intl.DateTimeFormat(context.locale, {
    ...STYLES[style],
    ...(context.timeZone ? { timeZone: context.timeZone } : {}),
  }).format(at);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

/** "in 22 hours", "3 days ago": the largest whole unit, as Discord's relative style reads. */
function relative(at: Date, now: Date, locale: string | undefined): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second')
      return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(0, 'second');
}

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** Buttons with a custom id in a message's action rows. */
export function buttonsOf(message: MessageLike): { label: string; customId: string }[] {
  const found: { label: string; customId: string }[] = [];
  for (const row of (message.components ?? []) as {
    components?: { custom_id?: string; label?: string }[];
  }[]) {
    for (const component of row.components ?? []) {
      if (component.custom_id)
        found.push({ label: component.label ?? component.custom_id, customId: component.custom_id });
    }
  }
  return found;
}
