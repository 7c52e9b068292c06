import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import type { RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import pRetry from 'p-retry';
import { DeliveryError } from '../errors.ts';
import type { Destination } from '../tasks/destination.ts';
import type { Deliverer, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
import { buildEmbedMessages, deliveryNonce } from './discord-message.ts';
import { toWebhookPayload } from './render.ts';
import { type CheckedTarget, checkWebhookUrl, type LookupAll, safeOrigin } from './url-guard.ts';

type WebhookDestination = Extract<Destination, { type: 'webhook' }>;

export const SIGNATURE_HEADER = 'x-summary-bot-signature';
export const TIMESTAMP_HEADER = 'x-summary-bot-timestamp';
export const DELIVERY_ID_HEADER = 'x-summary-bot-delivery';
const USER_AGENT = 'SummaryBotNG-Webhook/0.1 (+https://github.com/summary-bot-ng)';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Options of the webhook deliverer. Defaults are the production settings. */
export interface WebhookDelivererOptions {
  /** Local/test mode only: allow loopback targets and plain http to loopback. */
  allowLoopback?: boolean;
  /** Per attempt, redirects included. */
  timeoutMs?: number;
  /** Response bytes read at most; the rest is not read (the connection is dropped). */
  maxResponseBytes?: number;
  /** Retries after the first attempt, for 5xx, 408, 429, timeouts and connection errors. */
  retries?: number;
  /** First backoff delay; doubles per retry, with jitter (x1..2), capped at `maxRetryDelayMs`. */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Redirects followed per attempt, each target checked like the first. */
  maxRedirects?: number;
  /** DNS resolver (tests inject one). */
  lookup?: LookupAll;
  /** Unix seconds for the signature timestamp (tests fix it). */
  now?: () => number;
}

/** The response of one POST (after redirects). */
export interface WebhookResponse {
  status: number;
  /** At most `maxResponseBytes`. */
  body: Buffer;
  truncated: boolean;
  /** The origin that answered (no path). */
  origin: string;
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: what receivers recompute to trust a delivery. */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Constant-time check of a signature header, for receivers (and tests). */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
): boolean {
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const actual = Buffer.from(header);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Discord's own webhooks (`https://discord.com/api/webhooks/...`) get Discord message bodies instead of JSON. */
export function isDiscordWebhookUrl(url: string | URL): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === 'https:' &&
    /^(?:(?:ptb|canary)\.)?discord(?:app)?\.com$/.test(parsed.hostname) &&
    /^\/api\/(?:v\d+\/)?webhooks\/\d+\/[^/]+\/?$/.test(parsed.pathname)
  );
}

function pinnedLookup(target: CheckedTarget): LookupFunction {
  // Connect to the address that was checked, whatever DNS says now: no rebinding between check and connect.
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function isTransientNetworkError(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) return false;
  return true;
}

/** One POST to a checked target, reading at most `maxBytes` of the answer. */
function postOnce(
  target: CheckedTarget,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxBytes: number,
): Promise<{ status: number; location?: string; body: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const { url } = target;
    const secure = url.protocol === 'https:';
    const request = (secure ? https : http).request(
      {
        protocol: url.protocol,
        hostname: target.hostname,
        port: url.port || (secure ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, host: url.host, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinnedLookup(target),
        ...(secure && !isIP(target.hostname) ? { servername: target.hostname } : {}),
        // A fresh connection per request: a pooled socket could belong to an address checked earlier.
        agent: false,
        signal,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let settled = false;
        const finish = (truncated: boolean) => {
          if (settled) return;
          settled = true;
          resolve({
            status: response.statusCode ?? 0,
            location: typeof response.headers.location === 'string' ? response.headers.location : undefined,
            body: Buffer.concat(chunks).subarray(0, maxBytes),
            truncated,
          });
        };
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          chunks.push(chunk);
          if (size > maxBytes) {
            finish(true);
            // Stop reading: an endless or huge answer must cost neither memory nor time.
            response.destroy();
            request.destroy();
          }
        });
        response.on('end', () => finish(false));
        response.on('error', (error) => {
          if (!settled) {
            settled = true;
            reject(error);
          }
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function describeFailure(error: unknown, origin: string, timeoutMs: number): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const name = (error as { name?: string }).name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new DeliveryError(`webhook ${origin} did not answer within ${timeoutMs} ms`, {
      cause: error,
      transient: true,
    });
  }
  const code = (error as { code?: string }).code;
  return new DeliveryError(`webhook ${origin} could not be reached${code ? ` (${code})` : ''}`, {
    cause: error,
    transient: isTransientNetworkError(error),
  });
}

/**
 * POSTs a JSON body to a webhook URL after the SSRF checks, pinned to the checked address, following up to
 * `maxRedirects` redirects (each target re-checked), within `timeoutMs`. No retries here.
 */
export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: WebhookDelivererOptions = {},
): Promise<WebhookResponse> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxResponseBytes ?? 64 * 1024;
  const maxRedirects = options.maxRedirects ?? 3;
  const signal = AbortSignal.timeout(timeoutMs);
  let url: string | URL = rawUrl;
  for (let hop = 0; ; hop++) {
    const target = await checkWebhookUrl(url, options);
    const origin = safeOrigin(target.url);
    let response: Awaited<ReturnType<typeof postOnce>>;
    try {
      response = await postOnce(target, body, headers, signal, maxBytes);
    } catch (error) {
      throw describeFailure(error, origin, timeoutMs);
    }
    if (!REDIRECT_STATUSES.has(response.status) || response.location === undefined) {
      return { status: response.status, body: response.body, truncated: response.truncated, origin };
    }
    if (hop >= maxRedirects) {
      throw new DeliveryError(`webhook ${origin} redirected more than ${maxRedirects} times`);
    }
    try {
      url = new URL(response.location, target.url);
    } catch (error) {
      throw new DeliveryError(`webhook ${origin} redirected to an invalid URL`, { cause: error });
    }
  }
}

/** Turns a final status into success or a DeliveryError; 408, 429 and 5xx are worth retrying. */
function checkStatus(response: WebhookResponse): void {
  const { status, origin } = response;
  if (status >= 200 && status < 300) return;
  const transient = status >= 500 || status === 408 || status === 429;
  throw new DeliveryError(`webhook ${origin} answered HTTP ${status}`, { transient });
}

/** The bodies POSTed to a Discord webhook: embed messages with `allowed_mentions: { parse: [] }`, no nonce. */
export function discordWebhookBodies(context: DeliveryContext): RESTPostAPIWebhookWithTokenJSONBody[] {
  // Execute-webhook takes no nonce; allowed_mentions stays, since webhooks default to pinging users.
  return buildEmbedMessages(context.summary, context).map((body) => ({
    embeds: body.embeds ?? [],
    allowed_mentions: { parse: [] },
  }));
}

/** Delivers a summary to an HTTPS webhook: signed JSON, or Discord message bodies for a Discord webhook. */
export class WebhookDeliverer implements Deliverer<WebhookDestination> {
  readonly #options: WebhookDelivererOptions;
  readonly retriesTransientFailures: boolean;

  constructor(options: WebhookDelivererOptions = {}) {
    this.#options = options;
    this.retriesTransientFailures = (options.retries ?? 3) > 0;
  }

  /** Sends every part in order, each retried on its own; the receipt names origin and status, never the path. */
  async deliver(destination: WebhookDestination, context: DeliveryContext): Promise<DeliveryReceipt> {
    if (isDiscordWebhookUrl(destination.url)) {
      let last: WebhookResponse | undefined;
      for (const body of discordWebhookBodies(context))
        last = await this.#send(destination, JSON.stringify(body), context, false);
      return { location: `discord webhook ${last?.origin ?? ''}: HTTP ${last?.status ?? 0}` };
    }
    const response = await this.#send(destination, JSON.stringify(toWebhookPayload(context)), context, true);
    return { location: `${response.origin}: HTTP ${response.status}` };
  }

  async #send(
    destination: WebhookDestination,
    body: string,
    context: DeliveryContext,
    sign: boolean,
  ): Promise<WebhookResponse> {
    const options = this.#options;
    const minTimeout = options.minRetryDelayMs ?? 500;
    return pRetry(
      async () => {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
        };
        if (sign) {
          // Lets a receiver drop the duplicate of a retried delivery.
          headers[DELIVERY_ID_HEADER] = deliveryNonce(context.taskId, context.scheduledTime, 0, 'webhook');
          if (destination.secret) {
            const timestamp = String(options.now?.() ?? Math.floor(Date.now() / 1000));
            headers[TIMESTAMP_HEADER] = timestamp;
            headers[SIGNATURE_HEADER] = signWebhookBody(destination.secret, timestamp, body);
          }
        }
        const response = await postWebhook(destination.url, body, headers, options);
        checkStatus(response);
        return response;
      },
      {
        retries: options.retries ?? 3,
        factor: 2,
        minTimeout,
        maxTimeout: options.maxRetryDelayMs ?? Math.max(minTimeout, 8_000),
        randomize: true,
        shouldRetry: ({ error }) => error instanceof DeliveryError && error.transient,
      },
    );
  }
}
