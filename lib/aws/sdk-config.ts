/**
 * How long the AWS SDK may spend on one call, per function. The interactions endpoint answers Discord,
 * which gives up after 3 seconds ("you must send an initial response within 3 seconds"); with the SDK's
 * defaults (3 attempts, exponential backoff, no request timeout) one throttled DynamoDB or Scheduler call
 * alone can pass that, and the admin sees "The application did not respond" for a task that was made.
 * Commands that may be slow do not run there at all (lib/discord/hand-off-policy.ts); for the rest, a call
 * either answers within this budget or fails with an error the admin can read and retry.
 */

/** The client options this module sets: a subset of every v3 client's configuration. */
export interface SdkClientConfig {
  maxAttempts?: number;
  requestHandler?: {
    /** Milliseconds to open the connection. */
    connectionTimeout: number;
    /** Milliseconds for the whole response of one attempt. */
    requestTimeout: number;
    /** Since @smithy/node-http-handler 4.4, an exceeded requestTimeout only warns unless this is set. */
    throwOnRequestTimeout: boolean;
  };
}

/**
 * The endpoint's budget: 2 attempts of at most 1 s each (plus one short backoff) keeps a single call
 * near 2 s, inside Discord's 3 s with the cold start's share left over. In-Region DynamoDB and Scheduler
 * calls answer in tens of milliseconds, so only a throttled or stuck call ever meets these bounds.
 */
export const DEADLINE_SDK_CONFIG = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true },
} as const satisfies SdkClientConfig;

/**
 * The SDK settings of one function, a fresh object per client (clients keep what they are given): the
 * deadline budget for the endpoint, the SDK defaults elsewhere.
 */
export function sdkConfigFor(service: string): SdkClientConfig {
  if (service !== 'interactions') return {};
  return { ...DEADLINE_SDK_CONFIG, requestHandler: { ...DEADLINE_SDK_CONFIG.requestHandler } };
}
