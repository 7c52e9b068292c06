import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import { createDiscordRest, DiscordRestClient } from '../lib/discord/rest.ts';
import {
  type DeadLetterDeps,
  type DeadLetterMessage,
  handleDeadLetterBatch,
} from '../lib/execution/dead-letters.ts';
import { systemClock } from '../lib/shared/clock.ts';
import { lazy } from '../lib/shared/lazy.ts';

/** SQS records as the dead-letter core reads them: body plus string message attributes. */
export function toDeadLetterMessages(event: SQSEvent): DeadLetterMessage[] {
  return event.Records.map((record) => ({
    messageId: record.messageId,
    body: record.body,
    receiveCount: Number(record.attributes?.ApproximateReceiveCount ?? '1'),
    attributes: Object.fromEntries(
      Object.entries(record.messageAttributes ?? {}).map(([name, value]) => [name, value.stringValue]),
    ),
  }));
}

/** Records dead-lettered runs; reports batch item failures so one bad record does not retry the batch. */
export async function handleDeadLetterEvent(
  event: SQSEvent,
  deps: DeadLetterDeps,
): Promise<SQSBatchResponse> {
  try {
    return await handleDeadLetterBatch(toDeadLetterMessages(event), deps);
  } finally {
    deps.metrics.flush();
  }
}

// Built on the first invocation, once per container; tests import the unwrapped handler without AWS config.
const getRuntime = lazy(() => createAwsRuntime('dead-letters'));
const getPoster = lazy(
  async () =>
    new DiscordRestClient({
      rest: createDiscordRest({ token: (await getRuntime().discordSecret()).botToken }),
    }),
);

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const runtime = getRuntime();
  const poster = await getPoster();
  return handleDeadLetterEvent(event, {
    store: runtime.store,
    tasks: runtime.scheduler,
    poster,
    channels: poster,
    clock: systemClock,
    logger: runtime.logger,
    metrics: runtime.metrics,
    maxConsecutiveFailures: runtime.config.MAX_CONSECUTIVE_FAILURES,
    retentionDays: runtime.config.RUN_RETENTION_DAYS,
  });
};
