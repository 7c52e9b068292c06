import { plural } from '../shared/words.ts';
import type { KeyPoint, NormalizedMessage, Summary } from '../summarization/summarizer.ts';

/** At most this many participants are named on the line of a channel with no key point of its own. */
const NAMES_ON_A_LINE = 3;

/**
 * A category or whole-server digest, one section per channel with something new: the summary's key points
 * under the channel (or thread) their first source was posted in, and for a channel with new messages but no
 * key point of its own, a line that says how many and from whom, linked to the first. Channels with nothing
 * new get no section. Sections follow `names`' order (the most recently active first); the summary is one
 * summarizer call over every channel, so a busy channel does not cost one call of its own.
 */
export function withChannelSections(
  summary: Summary,
  messages: readonly NormalizedMessage[],
  names: Readonly<Record<string, string>>,
): Summary {
  const channelOf = new Map(messages.map((m) => [m.jumpLink, m.channelId]));
  const byChannel = new Map<string, NormalizedMessage[]>();
  for (const m of messages) byChannel.set(m.channelId, [...(byChannel.get(m.channelId) ?? []), m]);
  const points = new Map<string, KeyPoint[]>();
  for (const point of summary.keyPoints) {
    const channelId = point.sources.map((s) => channelOf.get(s)).find((c) => c !== undefined);
    if (channelId) points.set(channelId, [...(points.get(channelId) ?? []), point]);
  }
  const sections: NonNullable<Summary['channelSections']> = [];
  for (const [channelId, name] of Object.entries(names)) {
    const said = byChannel.get(channelId);
    if (!said || said.length === 0) continue;
    const own = points.get(channelId);
    sections.push({ channelId, name, points: own && own.length > 0 ? own : [activityLine(said)] });
  }
  return { ...summary, channelSections: sections };
}

/** "3 new messages from Ana, Ben and Chen", linked to the first of them. */
function activityLine(messages: readonly NormalizedMessage[]): KeyPoint {
  const authors = [...new Set(messages.map((m) => m.authorName))];
  const named = authors.slice(0, NAMES_ON_A_LINE);
  const rest = authors.length - named.length;
  const who =
    rest > 0
      ? `${named.join(', ')} and ${plural(rest, 'other')}`
      : named.length > 1
        ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}`
        : (named[0] ?? '');
  const first = messages[0];
  return {
    text: `${plural(messages.length, 'new message')} from ${who}`,
    sources: first ? [first.jumpLink] : [],
  };
}

/** At most this many channels the cap kept out are named in the footer (the rest are counted). */
const CUT_NAMED = 10;

/** The footer's words for channels the server's cap kept out of a run: "Not read this run (…): #a, #b and 3 more." */
export function overCapNote(overCap: { limit: number; names: readonly string[] }): string {
  const named = overCap.names.slice(0, CUT_NAMED);
  const more = overCap.names.length - named.length;
  return `Not read this run (this server's limit is ${plural(overCap.limit, 'channel')} per task; the least recently active were cut): ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}
