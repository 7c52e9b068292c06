import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/**
 * Invokes a function with `InvocationType: Event`: Lambda queues the event and answers 202 at once, so
 * the caller (an interaction, inside Discord's 3 seconds) never waits for the work itself.
 */
export async function invokeAsync(
  client: LambdaClient,
  functionName: string,
  payload: unknown,
): Promise<void> {
  const response = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'Event',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  if (response.StatusCode !== 202) {
    throw new Error(
      `${functionName}: asynchronous invoke was not accepted (status ${response.StatusCode ?? 'unknown'})`,
    );
  }
}
