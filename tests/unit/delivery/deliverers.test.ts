import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DiscordChannelDeliverer } from '../../../lib/delivery/discord-channel.ts';
import type { DiscordPoster } from '../../../lib/delivery/discord-poster.ts';
import { createDeliverers, WebhookDeliverer } from '../../../lib/delivery/index.ts';
import { DeliveryError } from '../../../lib/errors.ts';
import { CHANNEL, GUILD, makeContext, makeSummary } from '../../support/delivery-fixtures.ts';

/** Records posts; fails the post numbered `failAt` (0-based) once. */
function recordingPoster(failAt?: number, error: unknown = new Error('socket hang up')) {
  const posts: { channelId: string; body: RESTPostAPIChannelMessageJSONBody }[] = [];
  let failed = false;
  const poster: DiscordPoster = {
    postMessage: async (channelId, body) => {
      if (posts.length === failAt && !failed) {
        failed = true;
        throw error;
      }
      posts.push({ channelId, body });
      return { id: String(900000000000000000n + BigInt(posts.length)) };
    },
    editOriginalResponse: async () => {},
    followUp: async () => ({ id: '1' }),
    openDirectMessage: async (userId) => ({ channelId: `dm-${userId}` }),
  };
  return { poster, posts };
}

const longSummary = makeSummary({
  keyPoints: Array.from({ length: 100 }, (_, i) => ({
    text: `Point ${i} ${'word '.repeat(60)}`,
    sources: [],
  })),
});

describe('DiscordChannelDeliverer', () => {
  it('posts every part in order and returns the jump link of the first message', async () => {
    const { poster, posts } = recordingPoster();
    const receipt = await new DiscordChannelDeliverer({ poster }).deliver(
      { type: 'discord_channel', channelId: CHANNEL, format: 'markdown' },
      makeContext(longSummary),
    );
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.every((p) => p.channelId === CHANNEL)).toBe(true);
    expect(posts.every((p) => JSON.stringify(p.body.allowed_mentions) === '{"parse":[]}')).toBe(true);
    expect(receipt.location).toBe(`https://discord.com/channels/${GUILD}/${CHANNEL}/900000000000000001`);
    const text = posts.map((p) => p.body.content).join('\n');
    expect(text.indexOf('Point 0 ')).toBeLessThan(text.indexOf('Point 99 '));
  });

  it('re-sends the same nonces on a retry, so Discord can return the parts already posted', async () => {
    const destination = { type: 'discord_channel', channelId: CHANNEL, format: 'embed' } as const;
    const first = recordingPoster(1);
    await expect(
      new DiscordChannelDeliverer({ poster: first.poster }).deliver(destination, makeContext(longSummary)),
    ).rejects.toBeInstanceOf(DeliveryError);
    const second = recordingPoster();
    await new DiscordChannelDeliverer({ poster: second.poster }).deliver(
      destination,
      makeContext(longSummary),
    );
    expect(first.posts[0]?.body.nonce).toBe(second.posts[0]?.body.nonce);
    expect(second.posts.every((p) => p.body.enforce_nonce === true)).toBe(true);
  });

  it('passes a DeliveryError from the poster through unchanged', async () => {
    const original = new DeliveryError('Discord answered 503', { transient: true });
    const { poster } = recordingPoster(0, original);
    const error = await new DiscordChannelDeliverer({ poster })
      .deliver({ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }, makeContext())
      .catch((e) => e);
    expect(error).toBe(original);
  });
});

describe('createDeliverers', () => {
  it('builds one deliverer per destination type, accepting a ready webhook deliverer or options', () => {
    const { poster } = recordingPoster();
    const deps = {
      poster,
      emailSender: { send: async () => ({ id: 'x' }) },
      fileStore: { write: async () => ({ location: 'x' }) },
    };
    const webhook = new WebhookDeliverer({ allowLoopback: true });
    expect(createDeliverers({ ...deps, webhook }).webhook).toBe(webhook);
    const built = createDeliverers({ ...deps, webhook: { timeoutMs: 5_000 } });
    expect(Object.keys(built).sort()).toEqual(['discord_channel', 'email', 'file', 'webhook']);
    expect(built.webhook).toBeInstanceOf(WebhookDeliverer);
  });
});
