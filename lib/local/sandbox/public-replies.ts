import { type APIEmbed, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { DiscordStandIn } from './discord-stand-in.ts';

/**
 * Discord posts a public (not ephemeral) interaction reply in the channel it was typed in, where every
 * member, and the bot's own later reads, see it; the sandbox's stand-in does the same, so a
 * `/summarize public:true` is in the channel's history. A deferred public reply is posted at once and
 * filled in by the executor's edit, as Discord shows "thinking…" until then.
 */
export function postPublicReply(
  standIn: Pick<DiscordStandIn, 'registerInteraction'>,
  request: { rawBody: Uint8Array },
  response: { status: number; headers: Record<string, string>; body: string },
): void {
  if (response.status !== 200 || !response.headers['content-type']?.startsWith('application/json')) return;
  let interaction: { token?: unknown; channel_id?: unknown };
  let reply: { type?: unknown; data?: { content?: string; embeds?: APIEmbed[]; flags?: number } };
  try {
    interaction = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
    reply = JSON.parse(response.body);
  } catch {
    // Not an interaction and its JSON reply (the server answered something else): nothing to post.
    return;
  }
  const { token, channel_id: channelId } = interaction;
  if (typeof token !== 'string' || typeof channelId !== 'string') return;
  if (((reply.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0) return;
  if (reply.type === InteractionResponseType.ChannelMessageWithSource) {
    standIn.registerInteraction({
      token,
      channelId,
      original: {
        ...(reply.data?.content !== undefined ? { content: reply.data.content } : {}),
        ...(reply.data?.embeds ? { embeds: reply.data.embeds } : {}),
      },
    });
  } else if (reply.type === InteractionResponseType.DeferredChannelMessageWithSource) {
    standIn.registerInteraction({ token, channelId, original: {} });
  }
}
