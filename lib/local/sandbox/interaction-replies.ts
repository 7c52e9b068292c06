import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import type { ManualRunResult } from '../../execution/describe-outcome.ts';
import { snowflakeFromTime } from '../../shared/snowflake.ts';
import type { TimerClock } from '../clock.ts';

/** A message the bot answered an interaction with, as the CLI shows it and clicks its buttons. */
export interface ReplyMessage {
  id: string;
  channelId: string;
  token: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  ephemeral: boolean;
  time: string;
}

/** What the sandbox knows of one interaction token: the response type and the message it made or updated. */
export interface KnownInteraction {
  type: number;
  messageId?: string;
  channelId: string;
}

/** The sandbox's record of interaction responses: Discord keeps them as messages; the CLI reads them. */
export class InteractionReplies {
  readonly byToken = new Map<string, KnownInteraction>();
  readonly messages = new Map<string, ReplyMessage>();
  /**
   * Tokens whose reply came after a deferral and was a refusal: Discord keeps no such flag, and the
   * deferral's HTTP answer could not carry REJECTED_HEADER, so the CLI learns it here.
   */
  readonly refusedLate = new Set<string>();
  /**
   * How the run a `/schedule run` (or its button) started came out, by the interaction's token: the reply
   * says it in words, and the CLI's exit status needs it as data. The latest attempt's, recorded after its
   * edit of the reply.
   */
  readonly runResults = new Map<string, ManualRunResult>();
  #seq = 0;

  constructor(private readonly clock: TimerClock) {}

  /** Notes how a reply that finished after its deferral ended, before it is edited in. */
  recordLate(token: string, late: { rejected: boolean }): void {
    if (late.rejected) this.refusedLate.add(token);
  }

  /** Notes how the run that reports to interaction `token` came out. */
  recordRun(token: string, result: ManualRunResult): void {
    this.runResults.set(token, result);
  }

  /** Keeps the reply the bot sent to one interaction request, as Discord would show it. */
  record(
    request: { rawBody: Uint8Array },
    response: { status: number; headers: Record<string, string>; body: string },
  ) {
    if (response.status !== 200 || !response.headers['content-type']?.startsWith('application/json')) return;
    let interaction: { token?: string; channel_id?: string; message?: { id?: string } };
    let reply: {
      type: number;
      data?: { content?: string; embeds?: unknown[]; components?: unknown[]; flags?: number };
    };
    try {
      interaction = JSON.parse(Buffer.from(request.rawBody).toString('utf8'));
      reply = JSON.parse(response.body);
    } catch {
      // Not an interaction Discord could have sent, or not a reply it could show: there is nothing to keep.
      return;
    }
    const token = interaction.token;
    if (!token) return;
    const channelId = interaction.channel_id ?? '0';
    const data = reply.data ?? {};
    const now = this.clock.now();
    if (reply.type === InteractionResponseType.ChannelMessageWithSource) {
      const id = (BigInt(snowflakeFromTime(now)) + BigInt(this.#seq++ % 4096)).toString();
      this.messages.set(id, {
        id,
        channelId,
        token,
        content: data.content ?? '',
        embeds: data.embeds ?? [],
        components: data.components ?? [],
        ephemeral: ((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
        time: now.toISOString(),
      });
      this.byToken.set(token, { type: reply.type, messageId: id, channelId });
      return;
    }
    if (reply.type === InteractionResponseType.UpdateMessage) {
      const id = interaction.message?.id;
      const existing = id ? this.messages.get(id) : undefined;
      if (existing) {
        if (data.content !== undefined) existing.content = data.content;
        if (data.embeds !== undefined) existing.embeds = data.embeds;
        if (data.components !== undefined) existing.components = data.components;
      }
      this.byToken.set(token, { type: reply.type, ...(id ? { messageId: id } : {}), channelId });
      return;
    }
    this.byToken.set(token, { type: reply.type, channelId });
  }
}
