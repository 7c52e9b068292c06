import { DiscordAPIError, HTTPError } from '@discordjs/rest';
import { DeliveryError } from '../errors.ts';

/**
 * Maps a failed post to DeliveryError. 5xx, 429 and timeouts may pass; any other 4xx will fail again. The
 * interaction token is part of the webhook URL, so it is scrubbed from the cause before anything can log it.
 */
export function toDeliveryError(what: string, error: unknown, secret: string | undefined): DeliveryError {
  if (secret && (error instanceof DiscordAPIError || error instanceof HTTPError)) {
    error.url = error.url.replaceAll(secret, '<token>');
  }
  if (error instanceof DiscordAPIError) {
    const transient = error.status === 429 || error.status >= 500;
    const text = secret ? error.message.replaceAll(secret, '<token>') : error.message;
    const code = Number(error.code);
    return new DeliveryError(`Discord refused ${what} (${error.status}, code ${error.code}): ${text}`, {
      cause: error,
      transient,
      ...(Number.isInteger(code) ? { discordCode: code } : {}),
    });
  }
  if (error instanceof HTTPError) {
    return new DeliveryError(`Discord failed ${what} (${error.status})`, {
      cause: error,
      transient: error.status === 429 || error.status >= 500,
    });
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new DeliveryError(`Discord did not answer in time while ${what}`, {
      cause: error,
      transient: true,
    });
  }
  // Network failures (reset, refused) surface as TypeError or system errors from fetch: worth a retry.
  return new DeliveryError(`Could not reach Discord while ${what}`, { cause: error, transient: true });
}
