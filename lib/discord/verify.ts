import { verifyKey } from 'discord-interactions';

/**
 * Verifies Discord's Ed25519 signature over `timestamp + rawBody` (the raw bytes, never a re-serialized
 * body). Pure: no parsing, no I/O. Returns false for any malformed input instead of throwing.
 *
 * Stale timestamps are not rejected: Discord does not require it, retries are not part of the interaction
 * protocol, and a replayed request is harmless here because every write is idempotent or versioned and a
 * replayed interaction token is refused by Discord when the executor uses it after 15 minutes.
 */
export async function verifyDiscordRequest(
  rawBody: Uint8Array | string,
  signatureHex: string | undefined,
  timestamp: string | undefined,
  publicKeyHex: string,
): Promise<boolean> {
  if (!signatureHex || !timestamp) return false;
  if (!/^[0-9a-f]{128}$/i.test(signatureHex) || !/^[0-9a-f]{64}$/i.test(publicKeyHex)) return false;
  try {
    return await verifyKey(rawBody, signatureHex, timestamp, publicKeyHex);
  } catch {
    // verifyKey throws on keys WebCrypto cannot import; for a request that is simply "not verified".
    return false;
  }
}
