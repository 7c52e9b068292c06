import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ExecutorInput, ExecutorInvoker } from '../execution/executor-input.ts';

/**
 * Hands work to the executor function with `InvocationType: Event`: Lambda queues it and answers 202 at
 * once, so an interaction can reply within Discord's 3 seconds. Lambda's async retries and on-failure
 * destination take over from there.
 */
export class LambdaExecutorInvoker implements ExecutorInvoker {
  readonly #client: LambdaClient;
  readonly #functionName: string;

  constructor(options: { client: LambdaClient; functionName: string }) {
    this.#client = options.client;
    this.#functionName = options.functionName;
  }

  async invoke(input: ExecutorInput): Promise<void> {
    const response = await this.#client.send(
      new InvokeCommand({
        FunctionName: this.#functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(input)),
      }),
    );
    if (response.StatusCode !== 202) {
      throw new Error(`executor invoke was not accepted: status ${response.StatusCode ?? 'unknown'}`);
    }
  }
}
