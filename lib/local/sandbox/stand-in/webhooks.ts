import { type APIEmbed, type APIMessage, MessageFlags, MessageType } from 'discord-api-types/v10';
import { findMessageViolations, toDiscordErrorTree } from '../message-limits.ts';
import {
  EMPTY_MESSAGE,
  invalidForm,
  METHOD_NOT_ALLOWED,
  UNKNOWN_MESSAGE,
  UNKNOWN_WEBHOOK,
} from './api-errors.ts';
import { WEBHOOK_DEFAULT_PARSE } from './mentions.ts';
import type { Answer, StandInState } from './state.ts';

/**
 * An interaction's webhook: `PATCH …/messages/@original` edits (or creates) the reply, `DELETE` removes it,
 * `POST` sends a follow-up; each is recorded for the token, and shown in the channel when the interaction
 * was registered.
 * After `expireInteraction` (Discord's 15 minutes) every call is 404 Unknown Webhook.
 */
export function webhookCall(
  state: StandInState,
  appId: string,
  token: string,
  method: string,
  rest: string,
  body: unknown,
): Answer {
  if (appId !== state.applicationId || state.expired.has(token)) return UNKNOWN_WEBHOOK;
  if (rest === '/messages/@original' && method === 'PATCH') return editOriginal(state, token, body);
  if (rest === '/messages/@original' && method === 'DELETE') return deleteOriginal(state, token);
  if (rest === '' && method === 'POST') return followUp(state, token, body);
  return METHOD_NOT_ALLOWED;
}

const webhookFields = (state: StandInState) => ({
  webhook_id: state.applicationId,
  application_id: state.applicationId,
});

function editOriginal(state: StandInState, token: string, body: unknown): Answer {
  const channelId = state.interactionChannels.get(token) ?? '0';
  const violations = findMessageViolations(body, { requireContent: false });
  if (violations.length > 0) return invalidForm(toDiscordErrorTree(violations));
  const update = body as { content?: string | null; embeds?: APIEmbed[] | null };
  const time = state.now();
  let id = state.originalIds.get(token);
  let message: APIMessage;
  const existing = id ? (state.messagesByChannel.get(channelId) ?? []).find((m) => m.id === id) : undefined;
  if (existing) {
    if (update.content !== undefined) existing.content = update.content ?? '';
    if (update.embeds !== undefined) existing.embeds = update.embeds ?? [];
    Object.assign(
      existing,
      state.mentionFields({ ...update, content: existing.content }, WEBHOOK_DEFAULT_PARSE),
    );
    existing.edited_timestamp = time.toISOString();
    state.revision++;
    message = existing;
  } else {
    message = state.buildMessage(channelId, state.botUser, time, {
      content: update.content ?? '',
      embeds: update.embeds ?? [],
      ...state.mentionFields(update, WEBHOOK_DEFAULT_PARSE),
      type: MessageType.ChatInputCommand,
      ...webhookFields(state),
    });
    if (state.interactionChannels.has(token)) state.store(message);
    id = message.id;
    state.originalIds.set(token, id);
  }
  state.recordInteraction(token, { kind: 'edit_original', body, messageId: message.id, time });
  return { status: 200, body: message };
}

/** Discord answers 204 with no body; 404 Unknown Message when the reply was never made or is gone. */
function deleteOriginal(state: StandInState, token: string): Answer {
  const id = state.originalIds.get(token);
  if (!id) return UNKNOWN_MESSAGE;
  state.originalIds.delete(token);
  const channelId = state.interactionChannels.get(token) ?? '0';
  const list = state.messagesByChannel.get(channelId);
  const at = list?.findIndex((m) => m.id === id) ?? -1;
  if (list && at >= 0) {
    list.splice(at, 1);
    state.revision++;
  }
  state.recordInteraction(token, {
    kind: 'delete_original',
    body: undefined,
    messageId: id,
    time: state.now(),
  });
  return { status: 204, body: undefined };
}

function followUp(state: StandInState, token: string, body: unknown): Answer {
  const channelId = state.interactionChannels.get(token) ?? '0';
  let result: Answer & { message?: APIMessage };
  // A private (ephemeral) follow-up is shown to the member who asked, never kept in the channel's history.
  const ephemeral = ((body as { flags?: number } | null)?.flags ?? 0) & MessageFlags.Ephemeral;
  if (state.interactionChannels.has(token) && !ephemeral) {
    result = state.createMessage(channelId, body, state.botUser, webhookFields(state));
  } else {
    const violations = findMessageViolations(body);
    if (violations.length > 0) {
      return violations.some((v) => v.code !== 'EMPTY_MESSAGE')
        ? invalidForm(toDiscordErrorTree(violations.filter((v) => v.code !== 'EMPTY_MESSAGE')))
        : EMPTY_MESSAGE;
    }
    const input = body as { content?: string | null; embeds?: APIEmbed[] | null };
    const message = state.buildMessage(channelId, state.botUser, state.now(), {
      content: input.content ?? '',
      embeds: input.embeds ?? [],
      ...state.mentionFields(body, WEBHOOK_DEFAULT_PARSE),
      ...webhookFields(state),
    });
    result = { status: 200, body: message, message };
  }
  if (result.message) {
    state.recordInteraction(token, {
      kind: 'follow_up',
      body,
      messageId: result.message.id,
      time: state.now(),
    });
  }
  return result;
}
