import pRetry from 'p-retry';
import { DeliveryError, ExternalServiceError, ScheduleGatewayError } from '../errors.ts';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  /** Stop retrying once this much time has passed since the first attempt (the Lambda's remaining time). */
  maxRetryTimeMs?: number;
  isTransient?: (error: unknown) => boolean;
  onRetry?: (error: Error, attempt: number) => void;
}

/** Transient by default: errors that say so (delivery, gateway) and network timeouts. */
export function isTransientError(error: unknown): boolean {
  if (error instanceof DeliveryError || error instanceof ExternalServiceError) return error.transient;
  if (error instanceof ScheduleGatewayError) return error.retryable;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return true;
  return false;
}

/**
 * Retries `fn` with exponential backoff and full jitter while the error is transient and time remains.
 * One policy for every caller, so backoff is tuned in one place.
 */
export function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const isTransient = options.isTransient ?? isTransientError;
  return pRetry(fn, {
    retries: options.retries ?? 3,
    minTimeout: options.minTimeoutMs ?? 500,
    maxTimeout: options.maxTimeoutMs ?? 8_000,
    randomize: true,
    maxRetryTime: options.maxRetryTimeMs ?? Number.POSITIVE_INFINITY,
    shouldRetry: ({ error }) => isTransient(error),
    onFailedAttempt: ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft > 0 && isTransient(error)) options.onRetry?.(error, attemptNumber);
    },
  });
}
