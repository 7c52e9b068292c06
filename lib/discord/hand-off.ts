import * as z from 'zod';
import type { ExecutorInput, ExecutorInvoker } from '../execution/executor-input.ts';
import type { CommandData, ComponentData } from './interaction.ts';
import type { Reply } from './replies.ts';

/**
 * Commands that may not fit Discord's 3 seconds on AWS are answered "thinking…" (a deferred, private
 * reply) by the endpoint and finished by an asynchronous worker, which edits that reply through the
 * interaction token (valid 15 minutes). Discord: "you must send an initial response within 3 seconds";
 * DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE is "ACK an interaction and edit a response later".
 */

/** An interaction handed to the worker: its body exactly as the endpoint verified it, and when it came. */
export const HandedOffInteraction = z.object({
  type: z.literal('interaction'),
  /** The raw JSON text of the interaction; its Ed25519 signature was checked before the hand-off. */
  body: z.string().min(2).max(200_000),
  /** The command's "now" (relative times such as "in 2 hours" count from here, not from the worker). */
  receivedAt: z.iso.datetime({ offset: true }),
  /**
   * The endpoint's "thinking…" was public (defersPublicly, lib/discord/late-reply.ts): a private answer cannot be edited
   * into it.
   */
  publicReply: z.boolean().optional(),
});
export type HandedOffInteraction = z.infer<typeof HandedOffInteraction>;

/** Starts the worker on an interaction without waiting for it (Lambda `InvocationType: Event`). */
export interface InteractionDispatcher {
  dispatch(job: HandedOffInteraction): Promise<void>;
}

/** Which interactions the endpoint hands off instead of answering inline (AWS: hand-off-policy.ts). */
export interface HandOffPolicy {
  /** `where` is the channel the command was typed in: a check of that channel reads nothing from Discord. */
  command(data: CommandData, where: { channelId?: string | undefined }): boolean;
  component(data: ComponentData): boolean;
}

/**
 * An executor port that holds invocations until the reply is edited, then sends them. A run edits the
 * same reply with its result, so it must not start before the worker's (or the local runtime's late) edit
 * of that reply lands: the run's result is then the reply's last word.
 */
export class InvokeAfterReply implements ExecutorInvoker {
  readonly #held: ExecutorInput[] = [];

  /**
   * Without `passOn` every input is held (the worker). With it, only a run that edits the reply of
   * `passOn.token` is held; other inputs go to `passOn.target` at once, so a refusal of that invoker (the
   * /summarize rate limit) still reaches the route that asked, and a /summarize, whose reply the handler
   * never edits, is not delayed.
   */
  constructor(private readonly passOn?: { target: ExecutorInvoker; token: string }) {}

  async invoke(input: ExecutorInput): Promise<void> {
    const editsThisReply = input.type === 'manual' && input.reply?.token === this.passOn?.token;
    if (this.passOn && !editsThisReply) return this.passOn.target.invoke(input);
    this.#held.push(input);
  }

  /** Whether anything is held (a release would send something). */
  get holding(): boolean {
    return this.#held.length > 0;
  }

  /** Sends what was held, in order; the first failure stops the rest and is thrown. */
  async release(target: ExecutorInvoker): Promise<void> {
    for (const input of this.#held.splice(0)) await target.invoke(input);
  }

  /**
   * Shows the route's reply, then sends what was held: the order that makes a run's result the reply's
   * last edit. A failure to send is shown in the reply's place (`failed` words it).
   */
  async releaseAfter(
    reply: Reply,
    show: (reply: Reply) => Promise<void>,
    target: ExecutorInvoker,
    failed: (error: unknown) => Reply,
  ): Promise<void> {
    await show(reply);
    try {
      await this.release(target);
    } catch (error) {
      await show(failed(error));
    }
  }
}
