import { DefaultRestOptions, type RESTOptions } from '@discordjs/rest';

type MakeRequest = RESTOptions['makeRequest'];

/**
 * Codes of a connection that closed before Discord answered: typically a kept-alive socket the other side
 * closed as the request was written. @discordjs/rest repeats a request only after ECONNRESET or a timeout,
 * so undici's SocketError ("other side closed") would fail an interaction reply outright.
 */
const CLOSED_BEFORE_ANSWER = new Set(['UND_ERR_SOCKET', 'EPIPE']);

/**
 * Wraps the REST client's request function so a request that is safe to send twice is sent once more when
 * the connection closed before any answer. Safe: GET, PUT, PATCH and DELETE (idempotent in HTTP), a message
 * post whose nonce Discord enforces (it answers a repeat with the first message), and opening a DM channel
 * (Discord returns the existing one). Any other POST (a thread start, a follow-up) is not repeated: Discord
 * may have acted on it, and the caller decides.
 */
export function repeatWhenClosedBeforeAnswer(
  send: MakeRequest = DefaultRestOptions.makeRequest,
): MakeRequest {
  return async (url, init) => {
    try {
      return await send(url, init);
    } catch (error) {
      if (!closedBeforeAnswer(error) || !safeToRepeat(url, init) || init.signal?.aborted) throw error;
      return send(url, init);
    }
  };
}

function closedBeforeAnswer(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CLOSED_BEFORE_ANSWER.has(code);
}

function safeToRepeat(url: string, init: Parameters<MakeRequest>[1]): boolean {
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'POST') return true;
  if (new URL(url).pathname.endsWith('/users/@me/channels')) return true;
  return typeof init.body === 'string' && enforcesNonce(init.body);
}

function enforcesNonce(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { nonce?: unknown; enforce_nonce?: unknown };
    return parsed.enforce_nonce === true && parsed.nonce !== undefined;
  } catch (error) {
    // Not JSON (a multipart upload): not known to be deduplicated, so not repeated.
    if (error instanceof SyntaxError) return false;
    throw error;
  }
}
