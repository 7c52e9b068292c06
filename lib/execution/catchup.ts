import type { KeyPoint, NormalizedMessage } from '../summarization/summarizer.ts';

/**
 * `/catchup`: what a member missed. Pure: the executor reads the channels, these pick where the member left
 * off and what concerns them.
 */

/** `/catchup` without `since:` reads at most this far back looking for the member's own last message. */
export const CATCHUP_LOOKBACK_DAYS = 30;
/**
 * The read cap: at most this many messages per channel are read looking for the member's last message (the
 * newest ones). A member who last wrote further back than that gets a catch-up of those, and is told so.
 */
export const CATCHUP_READ_CAP = 500;
/** At most this many "for you" lines lead the catch-up. */
export const MAX_FOR_YOU = 8;

/** Where the member left off: the messages after their own last one, and that message (if one was read). */
export interface MissedMessages {
  missed: NormalizedMessage[];
  /** The member's latest message among those read; undefined when none was. */
  lastOwn?: NormalizedMessage;
}

/** The messages after the member's own latest one (all of them when none of theirs was read). Oldest first in, out. */
export function sinceOwnLastMessage(messages: readonly NormalizedMessage[], userId: string): MissedMessages {
  const index = messages.findLastIndex((m) => m.authorId === userId);
  if (index < 0) return { missed: [...messages] };
  return { missed: messages.slice(index + 1), lastOwn: messages[index] as NormalizedMessage };
}

const QUOTE_CHARS = 180;

/**
 * The lines that concern the member, oldest first: messages that mention them ("Ana asked you: …" when the
 * message asks something, "Ana mentioned you: …" otherwise) and replies to their own messages ("Ben answered
 * you: …"). `all` holds every message read (the member's own included), so a reply to an older message of
 * theirs is recognised.
 */
export function forYouPoints(
  missed: readonly NormalizedMessage[],
  all: readonly NormalizedMessage[],
  userId: string,
): KeyPoint[] {
  const own = new Set(all.filter((m) => m.authorId === userId).map((m) => m.id));
  const points: KeyPoint[] = [];
  for (const m of missed) {
    if (m.authorId === userId) continue;
    const mentioned = (m.mentions ?? []).some((u) => u.id === userId);
    const answered = m.replyTo !== undefined && own.has(m.replyTo);
    if (!mentioned && !answered) continue;
    const verb = answered ? 'answered you' : m.content.includes('?') ? 'asked you' : 'mentioned you';
    points.push({ text: `${m.authorName} ${verb}: “${quote(m.content)}”`, sources: [m.jumpLink] });
  }
  // The latest ones matter most when there are many.
  return points.slice(-MAX_FOR_YOU);
}

function quote(content: string): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length <= QUOTE_CHARS ? flat : `${flat.slice(0, QUOTE_CHARS - 1).trimEnd()}…`;
}
