import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import { LambdaInteractionDispatcher } from '../lib/aws/lambda-interaction-dispatcher.ts';
import { limitedLambdaExecutor } from '../lib/aws/limited-executor.ts';
import { RestGuildReads } from '../lib/discord/guild-reads.ts';
import { AWS_HAND_OFF_POLICY } from '../lib/discord/hand-off-policy.ts';
import { createInteractionHandler, type InteractionResponse } from '../lib/discord/interaction-handler.ts';
import type { Logger } from '../lib/observability/logger.ts';
import { lazy } from '../lib/shared/lazy.ts';

/** The parts of a Lambda Function URL event (payload format 2.0) this endpoint reads. */
export interface FunctionUrlEvent {
  body?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined>;
  requestContext?: { http?: { method?: string } };
}

/** A Function URL response; the body is text (JSON, plain text or a multipart body of text parts). */
export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The endpoint without its AWS wiring: decodes the Function URL event into raw bytes (base64 when the
 * event says so) and lets the interaction handler verify and answer it.
 */
export async function handleFunctionUrlEvent(
  event: FunctionUrlEvent,
  deps: {
    handle(request: {
      rawBody: Uint8Array;
      headers: Record<string, string | undefined>;
    }): Promise<InteractionResponse>;
    logger?: Logger;
  },
): Promise<FunctionUrlResult> {
  const method = event.requestContext?.http?.method;
  if (method && method !== 'POST') {
    return {
      statusCode: 405,
      headers: { 'content-type': 'text/plain; charset=utf-8', allow: 'POST' },
      body: 'method not allowed',
    };
  }
  const body = event.body ?? '';
  const rawBody = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  const response = await deps.handle({ rawBody, headers: event.headers ?? {} });
  return { statusCode: response.status, headers: response.headers, body: response.body };
}

const runtime = createAwsRuntime('interactions');
// /summarize per member and per server, counted in the task table so every container sees every request.
const executor = limitedLambdaExecutor(runtime);
// A Function URL invocation ends with its response, so slow commands cannot finish after answering:
// they are answered "thinking…" and run by the worker function instead (lib/discord/hand-off.ts).
const handOff = {
  policy: AWS_HAND_OFF_POLICY,
  dispatcher: new LambdaInteractionDispatcher({
    client: runtime.lambda,
    functionName: runtime.config.INTERACTION_WORKER_FUNCTION_ARN,
  }),
};

// Built on the first request (the secret read), once per container; a failed read is retried next time.
const interactionHandler = lazy(() =>
  runtime.discordSecret().then(({ publicKey, applicationId, botToken }) =>
    createInteractionHandler({
      scheduler: runtime.scheduler,
      executor,
      publicKey,
      applicationId,
      guildReads: () => new RestGuildReads({ token: botToken }),
      clock: { now: () => new Date() },
      interactions: runtime.store,
      logger: runtime.logger,
      failureLimit: runtime.config.MAX_CONSECUTIVE_FAILURES,
      llmSummaries: runtime.config.SUMMARIZER !== 'extractive',
      handOff,
    }),
  ),
);

export const handler = async (event: FunctionUrlEvent): Promise<FunctionUrlResult> =>
  handleFunctionUrlEvent(event, { handle: async (request) => (await interactionHandler()).handle(request) });
