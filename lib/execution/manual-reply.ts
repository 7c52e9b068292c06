import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { Logger } from '../observability/logger.ts';
import type { ManualRunInput } from './executor-input.ts';

/**
 * Edits a run-now command's deferred reply to `text` (how the run went). A reply that cannot be edited (its
 * token expired, Discord down) is logged, never a failure of the run.
 */
export async function replyToManualRun(
  deps: { discord: Pick<DiscordPoster, 'editOriginalResponse'>; logger: Logger },
  input: ManualRunInput,
  text: string,
): Promise<void> {
  if (!input.reply) return;
  try {
    await deps.discord.editOriginalResponse(input.reply.applicationId, input.reply.token, {
      content: text,
      allowed_mentions: { parse: [] },
    });
  } catch (error) {
    deps.logger.warn('could not edit the run-now reply', { taskId: input.taskId, error });
  }
}
