import {
  ChannelType,
  type RESTPostAPIChannelMessageJSONBody,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { DeliveryError } from '../errors.ts';
import type { Destination } from '../tasks/destination.ts';
import type { Deliverer, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
import { buildEmbedMessages, buildMarkdownMessages } from './discord-message.ts';
import type { DiscordPoster, DiscordThreadPoster } from './discord-poster.ts';
import { digestTag } from './forum-tag.ts';
import { digestThreadName } from './thread-name.ts';

type DiscordChannelDestination = Extract<Destination, { type: 'discord_channel' }>;

/**
 * A week: a weekly digest's thread stays in the channel list until the next one, and a daily one's a week
 * (Discord allows 60, 1440, 4320 or 10080 minutes; archived threads stay readable).
 */
const AUTO_ARCHIVE = ThreadAutoArchiveDuration.OneWeek;

const FORUM_TYPES: ReadonlySet<number> = new Set([ChannelType.GuildForum, ChannelType.GuildMedia]);

/**
 * Posts a summary to a Discord channel as embeds or Markdown, every part with `allowed_mentions: { parse: [] }`;
 * with `thread: true`, in a new thread of that channel (a post in a forum or media channel) each run.
 */
export class DiscordChannelDeliverer implements Deliverer<DiscordChannelDestination> {
  readonly #poster: DiscordPoster;
  readonly #threads: DiscordThreadPoster | undefined;

  constructor(options: { poster: DiscordPoster; threads?: DiscordThreadPoster | undefined }) {
    this.#poster = options.poster;
    this.#threads = options.threads;
  }

  /** Posts the parts in order; the receipt is the jump link of the first message (or of the thread). */
  async deliver(destination: DiscordChannelDestination, context: DeliveryContext): Promise<DeliveryReceipt> {
    const build = destination.format === 'embed' ? buildEmbedMessages : buildMarkdownMessages;
    const bodies: RESTPostAPIChannelMessageJSONBody[] = build(context.summary, context, {
      scope: destination.thread ? `${destination.channelId}\nthread` : destination.channelId,
    });
    if (destination.thread) return this.#deliverInThread(destination.channelId, bodies, context);
    const firstId = await this.#postParts(destination.channelId, bodies, 0);
    return {
      location: `https://discord.com/channels/${context.guildId}/${destination.channelId}/${firstId ?? ''}`,
    };
  }

  /**
   * A new thread named after the run's window: in a text or announcement channel a thread without a starter
   * message, then every part in it; in a forum or media channel a post whose first message is the first
   * part, then the rest in it. A retry finds the thread the bot already started under that name and
   * continues there; parts carry their nonces, so those already posted are not posted twice.
   */
  async #deliverInThread(
    channelId: string,
    bodies: RESTPostAPIChannelMessageJSONBody[],
    context: DeliveryContext,
  ): Promise<DeliveryReceipt> {
    const threads = this.#threads;
    if (!threads) throw new DeliveryError('this runtime cannot start Discord threads', { transient: false });
    const parent = await threads.threadParent(channelId);
    const name = digestThreadName(context.taskName, context.window, context.timeZone ?? 'UTC');
    const existing = await threads.findOwnThread(context.guildId, channelId, name);
    let threadId: string;
    let from = 0;
    if (FORUM_TYPES.has(parent.type)) {
      // Filed under the forum's digest tag when it has one; a forum that requires a tag and has none for
      // digests is told what to add rather than given an arbitrary tag (a digest filed as "Bug").
      const tag = digestTag(parent.tags);
      if (parent.requiresTag && !tag && !existing)
        throw new DeliveryError(
          `forum channel ${channelId} requires a tag on every post and has none for digests${tagList(parent.tags)}; add a tag named "Digest" there (or turn off "Require people to select tags"), or post to a text channel`,
          { transient: false },
        );
      // A forum post is created with its first message at once: a thread found again already has it.
      const [first, ...rest] = bodies;
      if (!first) throw new DeliveryError('the summary has no message to post', { transient: false });
      threadId =
        existing?.id ??
        (
          await threads.startForumPost(channelId, {
            name,
            auto_archive_duration: AUTO_ARCHIVE,
            message: forumMessage(first),
            ...(tag ? { applied_tags: [tag.id] } : {}),
          })
        ).id;
      from = 1;
      if (rest.length > 0) await this.#postParts(threadId, bodies, from);
    } else if (parent.type === ChannelType.GuildText || parent.type === ChannelType.GuildAnnouncement) {
      threadId =
        existing?.id ??
        (
          await threads.startThread(channelId, {
            name,
            auto_archive_duration: AUTO_ARCHIVE,
            type:
              parent.type === ChannelType.GuildAnnouncement
                ? ChannelType.AnnouncementThread
                : ChannelType.PublicThread,
          })
        ).id;
      await this.#postParts(threadId, bodies, from);
    } else {
      throw new DeliveryError(
        `channel ${channelId} cannot hold a new thread (a thread is started in a text, announcement or forum channel); turn thread off with /schedule settings, or post to such a channel`,
        { transient: false },
      );
    }
    // A thread's id is its channel's: the link opens the thread.
    return { location: `https://discord.com/channels/${context.guildId}/${threadId}` };
  }

  /** Posts `bodies[from..]` to a channel in order; returns the first posted message's id. */
  async #postParts(
    channelId: string,
    bodies: RESTPostAPIChannelMessageJSONBody[],
    from: number,
  ): Promise<string | undefined> {
    let firstId: string | undefined;
    for (let index = from; index < bodies.length; index++) {
      try {
        // Sequential on purpose: parts must appear in order, and each carries its own stable nonce, so a
        // retry after a failure in the middle does not repost the parts already sent.
        const { id } = await this.#poster.postMessage(channelId, bodies[index]!);
        firstId ??= id;
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw new DeliveryError(
          `posting part ${index + 1} of ${bodies.length} to channel ${channelId} failed`,
          {
            cause: error,
            transient: false,
          },
        );
      }
    }
    return firstId;
  }
}

/**
 * A part as a forum post's first message: Forum and Media Thread Message Params take content, embeds,
 * allowed mentions and only the SUPPRESS_EMBEDS and SUPPRESS_NOTIFICATIONS flags, no nonce.
 */
function forumMessage(body: RESTPostAPIChannelMessageJSONBody): RESTPostAPIChannelMessageJSONBody {
  const { nonce: _nonce, enforce_nonce: _enforce, ...message } = body;
  return message;
}

/** The forum's tags for a message, so the admin sees what is there: " (its tags: Bug, Idea)". */
function tagList(tags: readonly { name: string }[]): string {
  if (tags.length === 0) return '';
  const names = tags.slice(0, 10).map((t) => t.name);
  return ` (its tags: ${names.join(', ')}${tags.length > 10 ? ', …' : ''})`;
}
