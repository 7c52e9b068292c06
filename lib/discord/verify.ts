import { verifyKey } from 'discord-interactions';

/**
 * A signature older than this is refused: a captured request replayed later is as validly signed as the
 * original, and its timestamp is the only thing Discord signs that bounds when it may be used.
 */
export const MAX_SIGNATURE_AGE_MS = 5 * 60_000;
/** Discord's clock and ours may disagree a little; a timestamp further ahead than this was not made by it. */
export const MAX_SIGNATURE_LEAD_MS = 60_000;

/**
 * Verifies Discord's Ed25519 signature over `timestamp + rawBody` (the raw bytes, never a re-serialized
 * body) and that the timestamp (Unix seconds) is at most 5 minutes old and 1 minute ahead of `now`.
 * Pure: no parsing, no I/O. Returns false for any malformed input instead of throwing.
 *
 * Freshness matters: whoever sees one signed request (a proxy, a log, a browser extension) could otherwise
 * send the same bytes again a year later, and each copy would create a task or start a run. Within the
 * 5 minutes, interactions that change state are applied once per interaction id (`interaction-once.ts`).
 */
export async function verifyDiscordRequest(
  rawBody: Uint8Array | string,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  publicKeyHex: string,
  now: Date,
): Promise<boolean> {
  if (!signatureHex || !timestamp) return false;
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !/^[0-9a-f]{64}$/i.test(publicKeyHex)) return false;
  if (!isFreshTimestamp(timestamp, now)) return false;
  try {
    return await verifyKey(rawBody, signatureHex, timestamp, publicKeyHex);
  } catch {
    // verifyKey throws on keys WebCrypto cannot import; for a request that is simply "not verified".
    return false;
  }
}

/** True when the signature timestamp (decimal Unix seconds) lies in [now − 5 min, now + 1 min]. */
export function isFreshTimestamp(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const signedAt = Number(timestamp) * 1000;
  const age = now.getTime() - signedAt;
  return age <= MAX_SIGNATURE_AGE_MS && -age <= MAX_SIGNATURE_LEAD_MS;
}
