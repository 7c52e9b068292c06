/**
 * What a member ends up reading after a signed interaction. The local runtime answers "thinking…" when a
 * command is still working after its deferral deadline (as Discord requires an answer within 3 s), which
 * happens to any command on a loaded machine; the reply is then the edit of that deferral.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import {
  type InteractionAnswer,
  type RunningBot,
  sendInteraction,
  waitForReplyEdit,
} from '../../lib/local/control-client.ts';
import type { SigningKeys } from '../../lib/local/discord-signer.ts';

/**
 * The answer as the member reads it: a deferred reply is replaced by its edit (keeping the deferral's
 * flags, so a private "thinking…" stays private), with `deferred` saying it happened. `rejected` says
 * whether the bot refused the command, whether the refusal came with the answer or later, as the edit.
 */
export async function settle(
  bot: RunningBot,
  answer: InteractionAnswer,
  token: string,
): Promise<InteractionAnswer & { deferred: boolean }> {
  if (answer.json?.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
    return { ...answer, deferred: false };
  }
  const edit = await waitForReplyEdit(bot, token);
  const data = { flags: answer.json.data?.flags, ...(edit.body as object) };
  return {
    ...answer,
    deferred: true,
    // The deferral's HTTP answer never carries the refusal header; the bot records a late refusal instead.
    rejected: answer.rejected || edit.rejected === true,
    json: { type: InteractionResponseType.ChannelMessageWithSource, data },
  };
}

/** sendInteraction, then settle: for commands whose reply the test reads. */
export async function sendSettled(
  bot: RunningBot,
  keys: SigningKeys,
  payload: { token: string },
): Promise<InteractionAnswer & { deferred: boolean }> {
  return settle(bot, await sendInteraction(bot, keys, payload), payload.token);
}
