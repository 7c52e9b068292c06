import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { DeliveryError } from '../errors.ts';
import type { Destination } from '../tasks/task.ts';
import type { Deliverer, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
import { buildEmbedMessages, buildMarkdownMessages } from './discord-message.ts';
import type { DiscordPoster } from './discord-poster.ts';

type DiscordChannelDestination = Extract<Destination, { type: 'discord_channel' }>;

/** Posts a summary to a Discord channel as embeds or Markdown, every part with `allowed_mentions: { parse: [] }`. */
export class DiscordChannelDeliverer implements Deliverer<DiscordChannelDestination> {
  readonly #poster: DiscordPoster;

  constructor(options: { poster: DiscordPoster }) {
    this.#poster = options.poster;
  }

  /** Posts the parts in order; the receipt is the jump link of the first message. */
  async deliver(destination: DiscordChannelDestination, context: DeliveryContext): Promise<DeliveryReceipt> {
    const build = destination.format === 'embed' ? buildEmbedMessages : buildMarkdownMessages;
    const bodies: RESTPostAPIChannelMessageJSONBody[] = build(context.summary, context, {
      scope: destination.channelId,
    });
    let firstId: string | undefined;
    for (const [index, body] of bodies.entries()) {
      try {
        // Sequential on purpose: parts must appear in order, and each carries its own stable nonce, so a
        // retry after a failure in the middle does not repost the parts already sent.
        const { id } = await this.#poster.postMessage(destination.channelId, body);
        firstId ??= id;
      } catch (error) {
        if (error instanceof DeliveryError) throw error;
        throw new DeliveryError(
          `posting part ${index + 1} of ${bodies.length} to channel ${destination.channelId} failed`,
          { cause: error, transient: false },
        );
      }
    }
    return {
      location: `https://discord.com/channels/${context.guildId}/${destination.channelId}/${firstId ?? ''}`,
    };
  }
}
