import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  InteractionResponseType,
  MessageFlags,
  type RESTPatchAPIWebhookWithTokenMessageJSONBody,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord-api-types/v10';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { CommandData } from './interaction.ts';
import { commandPathOf, leafValue } from './options.ts';
import { NO_MENTIONS, type Reply } from './replies.ts';

/**
 * A reply that comes after its interaction was answered "thinking…" (the AWS worker's, the local runtime's
 * late answer), shown through the interaction token. Discord fixes a reply's visibility when it is deferred,
 * so the "thinking…" gets the visibility the answer will have, and an answer that cannot have it is sent
 * another way.
 */

/** What a late reply is shown with: the token's edits, deletion and follow-ups (no bot authorization). */
export type LateReplyPoster = Pick<DiscordPoster, 'editOriginalResponse' | 'followUp'> & {
  deleteOriginalResponse(applicationId: string, token: string): Promise<void>;
};

/**
 * Whether a command's "thinking…" is public, as its own deferral is: only `/summarize public:true`, whose
 * digest is a message of the channel; every other command answers the member alone.
 */
export function defersPublicly(data: CommandData): boolean {
  const { path, leaf } = commandPathOf(data);
  return path === 'summarize' && leafValue(leaf, 'public') === true;
}

/**
 * Edits a late reply into the "thinking…" of `token`; after a public "thinking…" a private reply (a
 * refusal, the /summarize limit) is sent as a private follow-up instead. A reply that is itself a deferral
 * is not shown: whoever its route invoked edits the reply.
 */
export async function showLateReply(
  poster: LateReplyPoster,
  applicationId: string,
  token: string,
  reply: Reply,
  publicDeferral: boolean,
): Promise<void> {
  if (reply.body.type === InteractionResponseType.DeferredChannelMessageWithSource) return;
  if (!publicDeferral || !isPrivate(reply))
    return poster.editOriginalResponse(applicationId, token, lateReplyBody(reply));
  // A public "thinking…" cannot become private: answered in time, this reply reached only the member.
  // The deletion comes first: Discord may turn a follow-up sent right after a deferral into an edit of the
  // loading message, which would make the refusal public.
  await poster.deleteOriginalResponse(applicationId, token);
  await poster.followUp(applicationId, token, {
    ...(lateReplyBody(reply) as RESTPostAPIChannelMessageJSONBody),
    flags: MessageFlags.Ephemeral,
  });
}

/** Whether a reply is shown only to the member who asked (Discord's EPHEMERAL flag). */
function isPrivate(reply: Reply): boolean {
  const flags = (reply.body as { data?: { flags?: number } }).data?.flags ?? 0;
  return (flags & MessageFlags.Ephemeral) === MessageFlags.Ephemeral;
}

/** The message of a reply that finished after its interaction was deferred, as an edit of "thinking…". */
export function lateReplyBody(reply: Reply): RESTPatchAPIWebhookWithTokenMessageJSONBody {
  const data = (reply.body as { data?: Record<string, unknown> }).data ?? {};
  const content = typeof data.content === 'string' ? data.content : '';
  const note =
    reply.kind === 'files'
      ? '\n(The file could not be attached to a late reply; please run the command again.)'
      : '';
  return {
    content: `${content}${note}`.slice(0, 2000),
    ...(Array.isArray(data.embeds) ? { embeds: data.embeds as APIEmbed[] } : {}),
    ...(Array.isArray(data.components)
      ? { components: data.components as APIActionRowComponent<APIComponentInMessageActionRow>[] }
      : {}),
    allowed_mentions: NO_MENTIONS,
  };
}
