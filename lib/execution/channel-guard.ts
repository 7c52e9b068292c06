import { DeliveryError } from '../errors.ts';
import type { ChannelDirectory } from './ports.ts';

/**
 * Defence in depth for one run: before the executor posts a summary or a notice to a Discord channel, it
 * checks that the channel belongs to the task's server. Commands and imports already refuse other
 * servers' channels; this holds even for a task written around them (an old import, a hand-edited table),
 * so content of one server is never posted into another. The Discord adapter checks reads the same way.
 */
export class ChannelGuard {
  readonly #directory: ChannelDirectory;
  readonly #guildId: string;
  /** Each channel is looked up once per run (a channel never moves between servers); failures are not kept. */
  readonly #lookups = new Map<string, Promise<string | undefined>>();

  constructor(directory: ChannelDirectory, guildId: string) {
    this.#directory = directory;
    this.#guildId = guildId;
  }

  /** The server of `channelId`, looked up at most once by this guard while lookups succeed. */
  guildOfChannel(channelId: string): Promise<string | undefined> {
    let lookup = this.#lookups.get(channelId);
    if (!lookup) {
      lookup = this.#directory.guildOfChannel(channelId);
      this.#lookups.set(channelId, lookup);
      lookup.catch(() => this.#lookups.delete(channelId));
    }
    return lookup;
  }

  /**
   * Resolves when `channelId` is a channel of the task's server; otherwise throws a DeliveryError (not
   * transient: no retry changes which server a channel is in) saying nothing was posted. A failed lookup
   * (403/404, Discord down) propagates as it is: the post would fail the same way.
   */
  async assertInServer(channelId: string): Promise<void> {
    const guildId = await this.guildOfChannel(channelId);
    if (guildId === this.#guildId) return;
    throw new DeliveryError(
      `channel ${channelId} is not in this server (it belongs to ${guildId ? 'another server' : 'no server'}); nothing was posted there`,
      { transient: false },
    );
  }
}
