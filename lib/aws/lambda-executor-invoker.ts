import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ExecutorInput, ExecutorInvoker } from '../execution/executor-input.ts';
import { invokeAsync } from './lambda-async.ts';

/**
 * Hands work to the executor function asynchronously: an interaction can reply within Discord's
 * 3 seconds, and Lambda's async retries and on-failure destination take over from there.
 */
export class LambdaExecutorInvoker implements ExecutorInvoker {
  readonly #client: LambdaClient;
  readonly #functionName: string;

  constructor(options: { client: LambdaClient; functionName: string }) {
    this.#client = options.client;
    this.#functionName = options.functionName;
  }

  async invoke(input: ExecutorInput): Promise<void> {
    await invokeAsync(this.#client, this.#functionName, input);
  }
}
