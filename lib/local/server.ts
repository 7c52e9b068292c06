import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionRequest, InteractionResponse } from '../discord/interaction-handler.ts';
import type { Logger } from '../observability/logger.ts';

/** Discord's interaction payloads are small; anything this large is not one. */
const MAX_INTERACTION_BYTES = 1024 * 1024;
/** The header the CLI presents with the token from `runtime.json`. */
export const CONTROL_TOKEN_HEADER = 'x-summary-bot-control';

/** One control route: `/_local/<path>` on loopback with the control token; resolves the JSON to send. */
export type ControlRoute = (request: {
  method: string;
  path: string[];
  query: URLSearchParams;
  body: unknown;
}) => Promise<{ status: number; body: unknown } | undefined>;

export interface LocalServerOptions {
  handleInteraction: (request: InteractionRequest) => Promise<InteractionResponse>;
  /** Told about each answered interaction (the sandbox keeps the replies for the CLI). */
  onInteraction?: (request: InteractionRequest, response: InteractionResponse) => void;
  /** The status page's routes; resolves true when it answered. */
  status?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;
  /** The CLI's routes under `/_local/`; undefined answers 404 to all of them. */
  control?: ControlRoute;
  controlToken: string;
  logger: Logger;
}

export interface LocalServer {
  server: Server;
  /** `http://127.0.0.1:<port>` (loopback, whatever the bound address). */
  url: string;
  port: number;
  /** Stops accepting connections and closes idle ones; requests in progress finish. */
  close(): Promise<void>;
  /** Waits (at most `timeoutMs`) for requests already being handled to finish. */
  drain(timeoutMs: number): Promise<void>;
}

/**
 * The local runtime's one HTTP server: `POST /interactions` (Discord's requests, raw bytes to the
 * handler), `/_local/…` for the CLI (loopback and the control token only) and the status page for GETs.
 */
export async function startLocalServer(
  options: LocalServerOptions & { port: number; host: string },
): Promise<LocalServer> {
  // Requests still being handled: closing waits for them, so none touches the store after it closed.
  const inFlight = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const handling = route(req, res, options)
      .catch((error: unknown) => {
        options.logger.error('local server request failed', { error, path: req.url });
        if (!res.headersSent) sendText(res, 500, 'Internal error\n');
        else res.destroy();
      })
      .finally(() => inFlight.delete(handling));
    inFlight.add(handling);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      return closed;
    },
    async drain(timeoutMs: number) {
      const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]).then(() => undefined), deadline]);
    },
  };
}

async function route(req: IncomingMessage, res: ServerResponse, options: LocalServerOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  if (url.pathname === '/interactions') {
    if (method !== 'POST') return sendText(res, 405, 'Method not allowed\n', { Allow: 'POST' });
    const rawBody = await readBody(req, MAX_INTERACTION_BYTES);
    if (!rawBody) return sendText(res, 413, 'Payload too large\n');
    const request: InteractionRequest = { rawBody, headers: headerRecord(req) };
    const response = await options.handleInteraction(request);
    res.writeHead(response.status, response.headers).end(response.body);
    options.onInteraction?.(request, response);
    // What the answer started (a run reporting to this reply) begins once the answer is out.
    if (response.afterSent) {
      await sent(res);
      await response.afterSent();
    }
    return;
  }
  if (url.pathname === '/_local' || url.pathname.startsWith('/_local/')) {
    return control(req, res, url, method, options);
  }
  if (options.status && (await options.status(req, res))) return;
  if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
    return sendText(
      res,
      200,
      'Summary Bot NG is running. Discord sends interactions to POST /interactions.\n',
    );
  }
  sendText(res, 404, 'Not found\n');
}

async function control(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  options: LocalServerOptions,
): Promise<void> {
  // Loopback, a loopback Host (no DNS rebinding) and the token from runtime.json (no cross-site requests).
  const presented = req.headers[CONTROL_TOKEN_HEADER];
  if (
    !isLoopback(req.socket.remoteAddress) ||
    !isLoopbackHost(req.headers.host) ||
    typeof presented !== 'string' ||
    !sameToken(presented, options.controlToken)
  ) {
    return sendText(res, 403, 'Forbidden: the control routes answer the local CLI only.\n');
  }
  let body: unknown;
  if (method === 'POST') {
    const raw = await readBody(req, 64 * 1024);
    if (!raw) return sendText(res, 413, 'Payload too large\n');
    try {
      body = raw.length === 0 ? {} : JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      return sendJson(res, 400, { error: 'expected a JSON body' });
    }
  } else {
    req.resume();
  }
  const path = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const result = options.control
    ? await options.control({ method, path, query: url.searchParams, body })
    : undefined;
  if (!result) return sendJson(res, 404, { error: `no control route ${method} ${url.pathname} here` });
  sendJson(res, result.status, result.body);
}

function headerRecord(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    out[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The whole body, or undefined when it is larger than `limit` (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(text);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  try {
    const { hostname } = new URL(`http://${host}`);
    return (
      hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
    );
  } catch {
    return false;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves once the response is handed to the network ('finish'), or the connection ended first ('close':
 * the client left: the command was applied, so what it started still starts).
 */
function sent(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}
