import { randomUUID } from 'node:crypto';
import { InteractionType } from 'discord-api-types/v10';
import type { ExecutorInvoker } from '../execution/executor-input.ts';
import type { Clock } from '../shared/clock.ts';
import { fetchDiscordAttachment } from './attachments.ts';
import type { CommandContext, FetchAttachment, SchedulerPort } from './context.ts';
import type { GuildReads } from './guild-reads.ts';
import { type HandedOffInteraction, InvokeAfterReply } from './hand-off.ts';
import { CommandData, ComponentData, Interaction } from './interaction.ts';
import { commandContextFor } from './interaction-handler.ts';
import { type LateReplyPoster, showLateReply } from './late-reply.ts';
import { type ErrorLogger, errorReply, type Reply } from './replies.ts';
import { routeCommand, routeComponent } from './router.ts';

/** Thrown for a hand-off the worker cannot read: it came from the endpoint, so this is a bug, not input. */
export class HandOffError extends Error {
  override name = 'HandOffError';
}

export interface HandOffWorkerDeps {
  scheduler: SchedulerPort;
  executor: ExecutorInvoker;
  /**
   * Edits the "thinking…" reply through the interaction token (no bot authorization needed); for a public
   * "thinking…" whose answer is private, deletes it and sends the answer as a private follow-up.
   */
  poster: LateReplyPoster;
  clock: Clock;
  logger: ErrorLogger;
  applicationId?: string;
  fetchAttachment?: FetchAttachment;
  /** Discord reads for the channel checks of `/schedule import` (see InteractionHandlerDeps). */
  guildReads?: () => GuildReads;
  newReferenceId?: () => string;
  /** The deployment's failure limit (see InteractionHandlerDeps). */
  failureLimit?: number;
  /** Whether an LLM writes summaries (see InteractionHandlerDeps). */
  llmSummaries?: boolean;
}

/**
 * Runs an interaction the endpoint answered with "thinking…": the same routes, permission checks and
 * error replies as inline, then the reply is edited in. Runs it hands to the executor start only after
 * that edit has been answered, so their own edit of the reply (the run's result) is the last one.
 */
export function createHandOffWorker(deps: HandOffWorkerDeps): {
  run(job: HandedOffInteraction): Promise<void>;
} {
  const newReferenceId = deps.newReferenceId ?? (() => randomUUID().slice(0, 8));
  return {
    async run(job) {
      let json: unknown;
      try {
        json = JSON.parse(job.body);
      } catch (error) {
        throw new HandOffError('handed-off interaction is not JSON', { cause: error });
      }
      const interaction = Interaction.safeParse(json);
      if (!interaction.success)
        throw new HandOffError('handed-off interaction is not an interaction', { cause: interaction.error });
      const held = new InvokeAfterReply();
      const ctx = commandContextFor(
        interaction.data,
        {
          ...deps,
          executor: held,
          fetchAttachment: deps.fetchAttachment ?? fetchDiscordAttachment,
        },
        new Date(job.receivedAt),
      );
      if (!ctx?.applicationId)
        throw new HandOffError('handed-off interaction has no user, token or application');
      const { applicationId } = ctx;
      const token = interaction.data.token as string;

      const reply = await route(ctx, interaction.data, newReferenceId);
      // The work is done whether or not the reply can be shown (an expired token, Discord down):
      // a failed edit is logged, never retried, since a retry would redo the work.
      const show = (next: Reply) =>
        showLateReply(deps.poster, applicationId, token, next, job.publicReply === true).catch(
          (error: unknown) =>
            deps.logger.error('could not edit a handed-off reply', {
              error: error instanceof Error ? error.message : error,
            }),
        );
      await held.releaseAfter(reply, show, deps.executor, (error) =>
        errorReply(error, newReferenceId, deps.logger),
      );
    },
  };
}

async function route(
  ctx: CommandContext,
  interaction: Interaction,
  referenceId: () => string,
): Promise<Reply> {
  if (interaction.type === InteractionType.ApplicationCommand) {
    const data = CommandData.safeParse(interaction.data);
    if (data.success) return routeCommand(ctx, data.data, referenceId);
  } else if (interaction.type === InteractionType.MessageComponent) {
    const data = ComponentData.safeParse(interaction.data);
    if (data.success) return routeComponent(ctx, data.data, referenceId);
  }
  throw new HandOffError(`handed-off interaction of type ${interaction.type} cannot be run`);
}
