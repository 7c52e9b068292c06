import { type APIMessage, MessageType } from 'discord-api-types/v10';
import { DiscordAccessError } from '../errors.ts';
import type { ChannelHistory } from '../execution/ports.ts';
import type { NormalizedMessage } from '../summarization/summarizer.ts';

/** One message of a channel's history, as a read returns it. */
export type HistoryMessage = ChannelHistory['messages'][number];

/** Message types that carry what people wrote; everything else (joins, pins, boosts, ...) is a system message. */
const CONVERSATION_TYPES = new Set<MessageType>([
  MessageType.Default,
  MessageType.Reply,
  MessageType.ChatInputCommand,
  MessageType.ContextMenuCommand,
]);

/**
 * Without the MESSAGE_CONTENT privileged intent Discord returns people's messages with empty content, embeds
 * and attachments and no poll (FACTS B5). Messages mentioning a bot keep their content either way, so they
 * prove nothing and are left out. Stickers and forwards are genuinely content-less and count as content.
 * Observed page by page, so the raw messages need not be kept.
 */
export class ContentEvidence {
  #candidates = 0;
  #blank = 0;

  observe(m: APIMessage): void {
    if (m.author.bot || !CONVERSATION_TYPES.has(m.type) || m.mentions.some((u) => u.bot)) return;
    this.#candidates++;
    const blank =
      m.content === '' &&
      m.attachments.length === 0 &&
      m.embeds.length === 0 &&
      m.poll === undefined &&
      (m.sticker_items?.length ?? 0) === 0 &&
      (m.message_snapshots?.length ?? 0) === 0;
    if (blank) this.#blank++;
  }

  assertVisible(channelId: string): void {
    if (this.#candidates === 0 || this.#blank < this.#candidates) return;
    throw new DiscordAccessError(
      channelId,
      'missing_message_content_intent',
      'Discord returned every message without its text, so the bot lacks the Message Content Intent. ' +
        'Enable it: Discord Developer Portal > your application > Bot > Privileged Gateway Intents > ' +
        'Message Content Intent, save, then run the summary again.',
    );
  }
}

/** `<@id>` and `<@!id>` user mentions in message content. */
const USER_MENTION = /<@!?(\d{17,20})>/g;

/** Display name of a Discord user: the global name when set, else the username. */
function displayName(user: { global_name?: string | null; username: string }): string {
  return user.global_name ?? user.username;
}

/**
 * One string per distinct value (channel ids, author ids and names, jump-link prefixes) across the messages
 * of a read: 50,000 messages of a channel have a few hundred authors, and each message held its own copies
 * of their JSON strings.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();

  /** The pool's string equal to `s` (`s` itself the first time). */
  get(s: string): string {
    const kept = this.#strings.get(s);
    if (kept !== undefined) return kept;
    this.#strings.set(s, s);
    return s;
  }
}

// Most messages have no attachment: they share one empty list (never changed: messages are read-only).
const NO_ATTACHMENTS = Object.freeze([]) as unknown as NormalizedMessage['attachments'];

/** A Discord message as the summarizers read it: mentions as names, forwards unwrapped, a jump link. */
export function normalize(
  guildId: string,
  message: APIMessage,
  threadName: string | undefined,
  pool: StringPool = new StringPool(),
): HistoryMessage {
  const forwarded = message.message_snapshots?.[0]?.message;
  const raw = message.content !== '' ? message.content : (forwarded?.content ?? '');
  const attachments = message.attachments.length > 0 ? message.attachments : (forwarded?.attachments ?? []);
  const mentions = message.mentions.map((u) => ({ id: pool.get(u.id), name: pool.get(displayName(u)) }));
  const names = new Map(mentions.map((u) => [u.id, u.name]));
  // Content as Discord shows it: `<@123>` reads `@name`, which is what a summary should quote.
  const content =
    names.size === 0
      ? raw
      : raw.replace(USER_MENTION, (tag, id) => {
          const name = names.get(id);
          return name === undefined ? tag : `@${name}`;
        });
  const channelId = pool.get(message.channel_id);
  const normalized: NormalizedMessage & { isSystem: boolean } = {
    id: message.id,
    channelId,
    authorId: pool.get(message.author.id),
    // REST messages carry no member object, so the server nickname is not available here.
    authorName: pool.get(displayName(message.author)),
    isBot: message.author.bot === true,
    isSystem: !CONVERSATION_TYPES.has(message.type),
    timestamp: new Date(message.timestamp).toISOString(),
    content,
    attachments:
      attachments.length === 0 ? NO_ATTACHMENTS : attachments.map((a) => ({ name: a.filename, url: a.url })),
    reactionCount: (message.reactions ?? []).reduce((sum, r) => sum + r.count, 0),
    // The channel's link prefix is one string for all its messages; each link adds only its id to it.
    jumpLink: pool.get(`https://discord.com/channels/${guildId}/${channelId}/`) + message.id,
  };
  if (threadName !== undefined) normalized.threadName = threadName;
  // Only a reply's reference names the message it answers; pins, crossposts and forwards reference too.
  const repliedTo = message.type === MessageType.Reply ? message.message_reference?.message_id : undefined;
  if (repliedTo) normalized.replyTo = repliedTo;
  if (mentions.length > 0) normalized.mentions = mentions;
  return normalized;
}
