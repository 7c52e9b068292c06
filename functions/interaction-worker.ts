import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import { limitedLambdaExecutor } from '../lib/aws/limited-executor.ts';
import { RestGuildReads } from '../lib/discord/guild-reads.ts';
import { HandedOffInteraction } from '../lib/discord/hand-off.ts';
import { createHandOffWorker, HandOffError } from '../lib/discord/hand-off-worker.ts';
import { createDiscordRest, DiscordRestClient } from '../lib/discord/rest.ts';
import { lazy } from '../lib/shared/lazy.ts';

/**
 * Finishes an interaction the endpoint answered "thinking…" (`/schedule import`, `run`, large edits,
 * `/subscribe`, and the creates, `/catchup scope:server` and `/summarize from:` that read Discord first; see
 * lib/discord/hand-off-policy.ts): validates the hand-off, runs it and edits the reply. Never throws for the
 * work's own failures (they are the reply); a retried invocation would redo an import, so the function's
 * async retries are off.
 */
export async function handleInteractionWorkerEvent(
  event: unknown,
  worker: ReturnType<typeof createHandOffWorker>,
): Promise<void> {
  const job = HandedOffInteraction.safeParse(event);
  if (!job.success) {
    const issue = job.error.issues[0];
    throw new HandOffError(`${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'expected a hand-off'}`);
  }
  await worker.run(job.data);
}

// Built on the first invocation, once per container; tests import the unwrapped handler without AWS config.
const getRuntime = lazy(() => createAwsRuntime('interaction-worker'));
// A failed secret read is retried by the next invocation, not cached.
const getWorker = lazy(() => {
  const runtime = getRuntime();
  return runtime.discordSecret().then(({ botToken, applicationId }) =>
    createHandOffWorker({
      scheduler: runtime.scheduler,
      // The endpoint's /summarize limit: a handed-off /catchup or /summarize counts as one inline would.
      executor: limitedLambdaExecutor(runtime),
      poster: new DiscordRestClient({ rest: createDiscordRest({ token: botToken }) }),
      clock: { now: () => new Date() },
      logger: runtime.logger,
      applicationId,
      guildReads: () => new RestGuildReads({ token: botToken }),
      failureLimit: runtime.config.MAX_CONSECUTIVE_FAILURES,
      llmSummaries: runtime.config.SUMMARIZER !== 'extractive',
    }),
  );
});

export const handler = async (event: unknown): Promise<void> =>
  handleInteractionWorkerEvent(event, await getWorker());
