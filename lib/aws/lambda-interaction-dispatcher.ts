import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { HandedOffInteraction, InteractionDispatcher } from '../discord/hand-off.ts';
import { invokeAsync } from './lambda-async.ts';

/** Hands a slow interaction to the interaction-worker function (functions/interaction-worker.ts). */
export class LambdaInteractionDispatcher implements InteractionDispatcher {
  readonly #client: LambdaClient;
  readonly #functionName: string;

  constructor(options: { client: LambdaClient; functionName: string }) {
    this.#client = options.client;
    this.#functionName = options.functionName;
  }

  async dispatch(job: HandedOffInteraction): Promise<void> {
    await invokeAsync(this.#client, this.#functionName, job);
  }
}
