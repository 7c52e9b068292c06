import { APICallError, NoObjectGeneratedError, NoOutputGeneratedError, RetryError } from 'ai';

/** What went wrong with a model call, in kinds that decide what happens next. */
export type LlmFailureKind =
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'context_length'
  | 'invalid_output'
  | 'refused'
  | 'model_not_found'
  | 'bad_key'
  | 'access_denied'
  | 'rejected'
  | 'unreachable'
  | 'budget'
  | 'unexpected';

/** The footer's words for each kind: plain, and never the provider's own message (it may echo input). */
export const FAILURE_REASONS: Record<LlmFailureKind, string> = {
  rate_limited: "the provider's rate limit was reached",
  unavailable: 'the service stayed unavailable',
  timeout: 'the request timed out',
  context_length: 'the conversation was too long for the model',
  invalid_output: "the model's answer could not be read",
  refused: 'the model declined to summarize this conversation',
  model_not_found: 'the model was not found (it may have been retired)',
  bad_key: 'the API key was rejected',
  access_denied: 'access to the model was denied',
  rejected: 'the provider rejected the request',
  unreachable: 'the service could not be reached',
  budget: "this server's daily AI token budget is used up",
  unexpected: 'an unexpected error occurred',
};

/** Token counts of one or more model calls. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
}

/** An LLM summarizer could not produce the summary; the chain moves on to the next summarizer. */
export class LlmFailure extends Error {
  override name = 'LlmFailure';
  readonly kind: LlmFailureKind;
  /** Tokens the failed attempt spent anyway (they count against the budget). */
  readonly spent: TokenCounts;
  constructor(kind: LlmFailureKind, options?: { cause?: unknown; spent?: TokenCounts }) {
    super(FAILURE_REASONS[kind], options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.kind = kind;
    this.spent = options?.spent ?? { inputTokens: 0, outputTokens: 0 };
  }
}

// Providers word it differently: Anthropic "prompt is too long", OpenAI `context_length_exceeded`, vLLM
// "maximum context length", Bedrock "Input is too long" / "too many input tokens".
const CONTEXT_LENGTH =
  /context[_ ]length|context window|prompt is too long|input is too long|too many (input )?tokens|maximum context|reduce the length/i;
// Ollama: `model "x" not found, try pulling it first`; OpenAI `model_not_found`; Bedrock "The provided
// model identifier is invalid"; retired models: "has been deprecated", "end of its life".
const MODEL_MISSING =
  /\bmodel\b.{0,80}\b(not found|does not exist|is not available)|model[_ ]not[_ ]found|model identifier is invalid|no such model|unknown model|not_found_error|has been deprecated|end of its life/i;

/** How a failed call is classified, and for retryable ones how long the provider asked us to wait. */
export interface Classified {
  kind: LlmFailureKind;
  retryable: boolean;
  /** From `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
  retryAfterMs?: number;
  /** For logs: the HTTP status, if any. Never the body. */
  status?: number;
}

/** Classifies an error thrown by `generateText` (or our own abort). */
export function classify(error: unknown, now: () => number = Date.now): Classified {
  if (error instanceof LlmFailure) return { kind: error.kind, retryable: false };
  if (RetryError.isInstance(error)) return classify(error.lastError, now);
  if (isTimeout(error)) return { kind: 'timeout', retryable: false };
  if (NoObjectGeneratedError.isInstance(error)) {
    return {
      kind: error.finishReason === 'content-filter' || !error.text?.trim() ? 'refused' : 'invalid_output',
      retryable: false,
    };
  }
  if (NoOutputGeneratedError.isInstance(error)) return { kind: 'refused', retryable: false };
  if (APICallError.isInstance(error)) return classifyApiError(error, now);
  if (error instanceof Error && isNetworkError(error)) return { kind: 'unreachable', retryable: true };
  return { kind: 'unexpected', retryable: false };
}

function classifyApiError(error: APICallError, now: () => number): Classified {
  const status = error.statusCode;
  const body = error.responseBody ?? '';
  if (status === undefined) {
    return { kind: 'unreachable', retryable: true };
  }
  const base = { status };
  if (status === 429) {
    // Bedrock answers 429 for quotas that do not lift by waiting as well; its body says which.
    const retryAfterMs = retryAfter(error.responseHeaders, now);
    return {
      ...base,
      kind: 'rate_limited',
      retryable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  if (status === 401) return { ...base, kind: 'bad_key', retryable: false };
  if (status === 403) return { ...base, kind: 'access_denied', retryable: false };
  if (status === 404) return { ...base, kind: 'model_not_found', retryable: false };
  if (status === 408) return { ...base, kind: 'timeout', retryable: true };
  if (status === 413 || CONTEXT_LENGTH.test(body))
    return { ...base, kind: 'context_length', retryable: false };
  if (MODEL_MISSING.test(body)) return { ...base, kind: 'model_not_found', retryable: false };
  if (status >= 500) {
    const retryAfterMs = retryAfter(error.responseHeaders, now);
    return {
      ...base,
      kind: 'unavailable',
      retryable: true,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }
  return { ...base, kind: 'rejected', retryable: false };
}

/** The wait a 429 or 503 asks for, as the AI SDK reads it: `retry-after-ms`, else `retry-after`. */
export function retryAfter(
  headers: Record<string, string> | undefined,
  now: () => number,
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers['retry-after'];
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now());
}

function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  // fetch rejects with an AbortError whose cause is the signal's reason (our TimeoutError).
  return error.name === 'AbortError' && error.cause instanceof Error && error.cause.name === 'TimeoutError';
}

function isNetworkError(error: Error): boolean {
  const code = (error.cause as { code?: string } | undefined)?.code ?? (error as { code?: string }).code;
  return (
    error.name === 'TypeError' ||
    (typeof code === 'string' &&
      /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|UND_ERR)/.test(code))
  );
}
