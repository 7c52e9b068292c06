import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** An Ed25519 key pair like a Discord application's; `publicKeyHex` is what the developer portal shows. */
export interface SigningKeys {
  publicKeyHex: string;
  privateKey: KeyObject;
}

/** A fresh real Ed25519 key pair. */
export function generateSigningKeys(): SigningKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the last 32 bytes of the SPKI DER encoding.
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { publicKeyHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

/** The private key as PKCS#8 PEM, to keep the sandbox's keys across restarts. */
export function exportPrivateKey(keys: SigningKeys): string {
  return keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** Keys from a PKCS#8 PEM private key (the public key is derived from it). */
export function importSigningKeys(privateKeyPem: string): SigningKeys {
  const privateKey = createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('expected an Ed25519 private key');
  const der = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { publicKeyHex: der.subarray(der.length - 32).toString('hex'), privateKey };
}

/** Signs `timestamp + body` exactly as Discord does, over the raw bytes. */
export function signDiscordBody(body: string | Uint8Array, timestamp: string, keys: SigningKeys): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return sign(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), bytes]), keys.privateKey).toString('hex');
}

/** A request as Discord sends it: the raw body and the two signature headers. */
export function signedRequest(
  body: unknown,
  keys: SigningKeys,
  timestamp: string = String(Math.floor(Date.now() / 1000)),
): { rawBody: Buffer; headers: Record<string, string> } {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    rawBody: Buffer.from(raw, 'utf8'),
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519': signDiscordBody(raw, timestamp, keys),
      'x-signature-timestamp': timestamp,
    },
  };
}
