/**
 * What a member ends up reading after a signed interaction. The local runtime answers "thinking…" when a
 * command is still working after its deferral deadline (as Discord requires an answer within 3 s), which
 * happens to any command on a loaded machine; the reply is then the edit of that deferral.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import {
  callControl,
  type InteractionAnswer,
  type RunningBot,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import type { SigningKeys } from '../../lib/local/discord-signer.ts';

/** The bot's edit of the deferred reply of interaction `token`, polled through the control API. */
export async function editedReply(
  bot: RunningBot,
  token: string,
  timeoutMs = 60_000,
): Promise<{ body: unknown; messageId: string }> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const known = await callControl<{ edits: { kind: string; body: unknown; messageId: string }[] }>(
      bot,
      'GET',
      `interactions/${token}`,
    );
    const edit = known.edits.find((e) => e.kind === 'edit_original');
    if (edit) return edit;
    if (Date.now() > end) throw new Error(`no edit of interaction ${token} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The answer as the member reads it: a deferred reply is replaced by its edit (keeping the deferral's
 * flags, so a private "thinking…" stays private), with `deferred` saying it happened.
 */
export async function settle(
  bot: RunningBot,
  answer: InteractionAnswer,
  token: string,
): Promise<InteractionAnswer & { deferred: boolean }> {
  if (answer.json?.type !== InteractionResponseType.DeferredChannelMessageWithSource) {
    return { ...answer, deferred: false };
  }
  const edit = await editedReply(bot, token);
  const data = { flags: answer.json.data?.flags, ...(edit.body as object) };
  return {
    ...answer,
    deferred: true,
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
