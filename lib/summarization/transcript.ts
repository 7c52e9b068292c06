import * as z from 'zod';
import { ValidationError } from '../errors.ts';
import type { NormalizedMessage } from './summarizer.ts';

/** Transcripts carry no times: messages are placed one minute apart from this fixed instant. */
export const TRANSCRIPT_START = '2024-01-01T00:00:00.000Z';
const MINUTE_MS = 60_000;

// `Name: text` or DialogSum's `#Person1#: text`. A name is short and has at most four words, so a
// continuation line such as "Note that the build: it failed" is not mistaken for a new speaker.
const SPEAKER_LINE = /^\s*(#[^#\n]{1,40}#|[^\s:#][^:\n]{0,39}?)\s*:(?:\s+|$)(.*)$/;

const TranscriptEntry = z
  .object({
    id: z.union([z.string().min(1), z.number()]).optional(),
    author: z.string().trim().min(1).optional(),
    authorName: z.string().trim().min(1).optional(),
    authorId: z.string().min(1).optional(),
    content: z.string(),
    timestamp: z.iso.datetime({ offset: true }).optional(),
    channelId: z.string().min(1).optional(),
    isBot: z.boolean().optional(),
    attachments: z.array(z.object({ name: z.string(), url: z.string() })).optional(),
    reactionCount: z.number().int().min(0).optional(),
    jumpLink: z.string().url().optional(),
    threadName: z.string().optional(),
    replyTo: z
      .union([z.string().min(1), z.number()], {
        message: 'expected the id of the message this one replies to (a string)',
      })
      .optional(),
    mentions: z
      .array(
        z.union(
          [
            z.string().trim().min(1),
            z.object({ id: z.string().min(1).optional(), name: z.string().trim().min(1) }),
          ],
          {
            message: 'expected a mentioned member: a name, or {"id": ..., "name": ...}',
          },
        ),
      )
      .optional(),
  })
  .refine((e) => e.author !== undefined || e.authorName !== undefined, {
    message: 'expected author (or authorName): a non-empty string',
    path: ['author'],
  });

/**
 * Parses a transcript into messages: either a JSON array of message-like objects (at least `author` and
 * `content`; optionally `id`, `timestamp`, `replyTo` (the id of the message replied to), `threadName`,
 * `mentions`) or lines `Name: text`, where a line without a speaker continues the previous message.
 * Throws ValidationError naming the line or field that is wrong.
 */
export function parseTranscript(text: string): NormalizedMessage[] {
  return text.trimStart().startsWith('[') ? parseJsonTranscript(text) : parseLines(text);
}

function placeholder(index: number, author: string, content: string): NormalizedMessage {
  const id = String(index + 1);
  return {
    id,
    channelId: '0',
    authorId: `transcript:${author}`,
    authorName: author,
    isBot: namedAsBot(author),
    timestamp: new Date(Date.parse(TRANSCRIPT_START) + index * MINUTE_MS).toISOString(),
    content,
    attachments: [],
    reactionCount: 0,
    jumpLink: `https://discord.com/channels/0/0/${id}`,
  };
}

function parseLines(text: string): NormalizedMessage[] {
  const turns: { author: string; lines: string[] }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const match = SPEAKER_LINE.exec(line);
    const name = match?.[1]?.replace(/^#|#$/g, '').trim();
    if (match && name && name.split(/\s+/).length <= 4 && !/^https?$/i.test(name)) {
      turns.push({ author: name, lines: [match[2] ?? ''] });
      return;
    }
    if (line.trim() === '') {
      turns[turns.length - 1]?.lines.push('');
      return;
    }
    const current = turns[turns.length - 1];
    if (!current) {
      throw new ValidationError(
        `line ${i + 1}`,
        'a transcript line starting with the speaker, as `Name: text`',
      );
    }
    current.lines.push(line);
  });
  return turns
    .map((t) => ({ author: t.author, content: t.lines.join('\n').trim() }))
    .filter((t) => t.content !== '')
    .map((t, index) => placeholder(index, t.author, t.content));
}

function parseJsonTranscript(text: string): NormalizedMessage[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('transcript', 'a JSON array of messages (the JSON does not parse)', {
      cause: error,
    });
  }
  const parsed = z.array(TranscriptEntry).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length
      ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
      : '(root)';
    throw new ValidationError(`transcript${field}`, issue?.message ?? 'a message object', {
      cause: parsed.error,
    });
  }
  return parsed.data.map((entry, index) => {
    const author = (entry.authorName ?? entry.author) as string;
    const base = placeholder(index, author, entry.content);
    const id = entry.id === undefined ? base.id : String(entry.id);
    return {
      ...base,
      id,
      channelId: entry.channelId ?? base.channelId,
      authorId: entry.authorId ?? base.authorId,
      isBot: entry.isBot ?? namedAsBot(author),
      timestamp: entry.timestamp ? new Date(entry.timestamp).toISOString() : base.timestamp,
      attachments: entry.attachments ?? [],
      reactionCount: entry.reactionCount ?? 0,
      jumpLink: entry.jumpLink ?? `https://discord.com/channels/0/0/${id}`,
      ...(entry.threadName ? { threadName: entry.threadName } : {}),
      ...(entry.replyTo !== undefined ? { replyTo: String(entry.replyTo) } : {}),
      ...(entry.mentions?.length
        ? {
            mentions: entry.mentions.map((m) =>
              typeof m === 'string'
                ? { id: `transcript:${m}`, name: m }
                : { id: m.id ?? `transcript:${m.name}`, name: m.name },
            ),
          }
        : {}),
    };
  });
}

/**
 * Whether an author's name says it is a bot ("PantryBot", "Carl-bot", "rota_bot", "Rota Bot", or a bot
 * every server knows: "MEE6", "Dyno"; not "Talbot" or "healbot_kev"): a transcript that does not say `isBot`
 * still names its bots so, and a bot's reminders and level-up pings are no overview line, answer, question
 * or decision of the people.
 */
export function namedAsBot(author: string): boolean {
  return /(?:^|[\s_.-])bot$/i.test(author) || /\p{Ll}Bot$/u.test(author) || WELL_KNOWN_BOTS.test(author);
}

// The bots most Discord servers run, whose names say nothing of being one ("GG @Zosia, you reached level 9!").
// Only names no person goes by: not "Apollo", "Arcane" or "Sesh", bots too but also people's handles.
const WELL_KNOWN_BOTS = /^(?:MEE6|Dyno|ProBot|Tatsu|Mudae|YAGPDB\.xyz|Statbot|Ticket Tool|Dank Memer)$/i;
