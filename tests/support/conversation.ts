import type { NormalizedMessage } from '../../lib/summarization/summarizer.ts';
import { parseTranscript } from '../../lib/summarization/transcript.ts';

/** A crafted channel with one of everything the extractive summarizer looks for. */
export const CONVERSATION = `alice: The deploy pipeline failed again on the staging build. See https://github.com/org/repo/pull/42
bob: I looked at it, the cache key is wrong after the database migration.
carol: We decided to roll back the migration until Friday.
alice: I'll fix the cache key in the pipeline today.
bob: @dave will update the docs for the new schema
carol: Who owns the metrics dashboard for the release?
erin: Does anyone know where the rollback runbook lives?
bob: the rollback runbook is in the wiki under operations.
dave: can you review my migration PR later?`;

/** The crafted channel as messages. */
export const conversation = () => parseTranscript(CONVERSATION);

/** Messages one minute apart; `replyTo` names an earlier line by its position. */
export function chat(lines: [author: string, content: string, replyTo?: number][]): NormalizedMessage[] {
  const start = Date.parse('2026-12-01T10:00:00Z');
  return lines.map(([author, content, replyTo], i) => {
    const m: NormalizedMessage = {
      id: String(1000 + i),
      channelId: '1',
      authorId: author,
      authorName: author,
      isBot: false,
      timestamp: new Date(start + i * 60_000).toISOString(),
      content,
      attachments: [],
      reactionCount: 0,
      jumpLink: `https://discord.com/channels/0/1/${1000 + i}`,
    };
    if (replyTo !== undefined) m.replyTo = String(1000 + replyTo);
    return m;
  });
}
