import { ValidationError } from '../errors.ts';

const ALLOWED_HOSTS = new Set(['cdn.discordapp.com', 'media.discordapp.net']);

/**
 * Fetches an interaction attachment's text from Discord's CDN: https only, Discord's hosts only, at most
 * `maxBytes`, within 1.5 s so the reply still meets Discord's 3-second deadline.
 */
export function fetchDiscordAttachment(url: string, maxBytes: number): Promise<string> {
  return fetchAttachmentFrom(
    url,
    maxBytes,
    (parsed) => parsed.protocol === 'https:' && ALLOWED_HOSTS.has(parsed.hostname),
  );
}

/**
 * The same download from wherever `allowed` says attachments live: the sandbox passes its Discord
 * stand-in's origin, so `/schedule import` takes the very path it takes with Discord's CDN.
 */
export async function fetchAttachmentFrom(
  url: string,
  maxBytes: number,
  allowed: (url: URL) => boolean,
): Promise<string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('file', 'expected a file attached in Discord');
  }
  if (!allowed(parsed)) throw new ValidationError('file', 'expected a file attached in Discord');
  const response = await fetch(parsed, { signal: AbortSignal.timeout(1_500), redirect: 'error' });
  if (!response.ok || !response.body)
    throw new Error(`attachment download failed with HTTP ${response.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ValidationError('file', `expected a file of at most ${Math.floor(maxBytes / 1024)} KB`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}
