import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import pRetry from 'p-retry';
import { forEachLimited } from '../scheduling/limited.ts';

// BatchWriteItem takes at most 25 requests; a few batches in flight keep one import well under a table's
// write capacity while not waiting on each round trip in turn.
const BATCH_SIZE = 25;
const BATCHES_IN_FLIGHT = 4;
// UnprocessedItems means the table throttled part of a batch: back off and resend only those.
const UNPROCESSED_RETRIES = 8;

class UnprocessedItemsError extends Error {
  override name = 'UnprocessedItemsError';
}

/** One put or delete of a BatchWriteItem. */
export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/**
 * BatchWriteItem in chunks of 25, a few in flight; items DynamoDB leaves unprocessed are resent with
 * backoff (only those, never the whole chunk). Throws once a chunk still has unprocessed items after the
 * retries, or on the first error; chunks already written stay written.
 */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  table: string,
  requests: readonly WriteRequest[],
): Promise<void> {
  const chunks: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
  await forEachLimited(chunks, BATCHES_IN_FLIGHT, async (chunk) => {
    let pending = chunk;
    await pRetry(
      async () => {
        const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = result.UnprocessedItems?.[table] ?? [];
        if (pending.length > 0) {
          throw new UnprocessedItemsError(`${pending.length} items of a batch write were not processed`);
        }
      },
      {
        retries: UNPROCESSED_RETRIES,
        minTimeout: 25,
        maxTimeout: 2_000,
        randomize: true,
        shouldRetry: ({ error }) => error instanceof UnprocessedItemsError,
      },
    );
  });
}
