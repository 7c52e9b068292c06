import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { fieldError, NOT_FOUND, UNAUTHORIZED } from './api-errors.ts';
import { answer, findRoute } from './routes.ts';
import type { Answer, StandInState } from './state.ts';
import type { InjectedResponse, StandInRequest } from './types.ts';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const API_PREFIX = '/api/v10';

/** How the shell treats requests: the one bot token it accepts (any when unset), the rate limit per bucket. */
export interface ShellOptions {
  host: string;
  botToken?: string;
  rateLimit: { limit: number; windowMs: number };
  /** Told of each request before it is answered. */
  onRequest?: () => void;
}

/**
 * The stand-in's HTTP server: logs every request, serves injected faults first, then Discord's rate limit
 * (per route and major parameter), attachments as Discord's CDN serves them, and the API's routes with the
 * bot token checked and the JSON body read.
 */
export function createStandInServer(state: StandInState, options: ShellOptions): Server {
  const buckets = new Map<string, { windowStart: number; count: number }>();

  function takeFault(method: string, path: string): InjectedResponse | undefined {
    const line = `${method} ${path}`;
    for (const fault of state.faults) {
      const matches =
        typeof fault.route === 'string'
          ? fault.route === path || fault.route === line
          : fault.route.test(line);
      if (matches && fault.responses.length > 0) return fault.responses.shift();
    }
    return undefined;
  }

  function rateLimitHeaders(
    method: string,
    path: string,
  ): { headers: Record<string, string>; limited: number } {
    const key = bucketKey(method, path);
    const nowMs = Date.now();
    let bucket = buckets.get(key);
    if (!bucket || nowMs - bucket.windowStart >= options.rateLimit.windowMs) {
      bucket = { windowStart: nowMs, count: 0 };
      buckets.set(key, bucket);
    }
    bucket.count++;
    const resetAt = bucket.windowStart + options.rateLimit.windowMs;
    const resetAfter = Math.max(0, resetAt - nowMs) / 1000;
    return {
      headers: {
        'X-RateLimit-Limit': String(options.rateLimit.limit),
        'X-RateLimit-Remaining': String(Math.max(0, options.rateLimit.limit - bucket.count)),
        'X-RateLimit-Reset': (resetAt / 1000).toFixed(3),
        'X-RateLimit-Reset-After': resetAfter.toFixed(3),
        'X-RateLimit-Bucket': Buffer.from(key).toString('base64url').slice(0, 32),
      },
      limited: bucket.count > options.rateLimit.limit ? resetAfter : 0,
    };
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Bot ') || header.length <= 4) return false;
    return options.botToken === undefined || header === `Bot ${options.botToken}`;
  }

  async function route(
    req: IncomingMessage,
    method: string,
    path: string,
    query: URLSearchParams,
  ): Promise<Answer> {
    const found = findRoute(path);
    if (!found?.route.withoutBotToken && !authorized(req)) return UNAUTHORIZED;
    const parsed = method === 'GET' ? { ok: true as const, value: undefined } : await readBody(req);
    if (!parsed.ok) {
      return fieldError('_body', 'CONTENT_TYPE_INVALID', 'Expected a JSON body of at most 8 MB.');
    }
    if (!found) return NOT_FOUND;
    return answer(state, found.route, { method, params: found.params, query, body: parsed.value });
  }

  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${options.host}`);
    const method = req.method ?? 'GET';
    // The log and fault matching keep the path as sent, which is what discord-api-types' `Routes` produce
    // (`@original` becomes `%40original`); routing reads the decoded path.
    const rawPath = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    const path = safeDecode(rawPath);
    const entry: StandInRequest = {
      method,
      path: rawPath,
      query: Object.fromEntries(url.searchParams),
      time: new Date(),
      status: 0,
    };
    state.requests.push(entry);
    options.onRequest?.();
    const respond = (status: number, body: unknown, headers: Record<string, string>) => {
      entry.status = status;
      send(res, status, body, headers);
    };
    const limits = rateLimitHeaders(method, path);
    const fault = takeFault(method, rawPath);
    if (fault) {
      req.resume();
      if (fault.status === 'no_response') {
        entry.status = 0;
        return;
      }
      if (fault.status === 'close_connection') {
        entry.status = 0;
        req.socket.destroy();
        return;
      }
      if (fault.status === 429) {
        const r = tooManyRequests(fault.retryAfter, fault.global ?? false);
        const headers = fault.global
          ? r.headers
          : {
              ...limits.headers,
              'X-RateLimit-Remaining': '0',
              'X-RateLimit-Reset-After': fault.retryAfter.toFixed(3),
              ...r.headers,
            };
        respond(r.status, r.body, headers);
      } else if ('code' in fault) {
        respond(fault.status, { message: fault.message, code: fault.code }, limits.headers);
      } else {
        respond(
          fault.status,
          { message: `${fault.status}: Server Error`, code: RESTJSONErrorCodes.GeneralError },
          limits.headers,
        );
      }
      return;
    }
    if (limits.limited > 0) {
      req.resume();
      const r = tooManyRequests(limits.limited, false);
      respond(r.status, r.body, { ...limits.headers, ...r.headers });
      return;
    }
    const attachment = /^\/attachments\/(\d+)\/([^/]+)$/.exec(url.pathname);
    if (attachment && method === 'GET') {
      req.resume();
      const file = state.attachments.get(attachment[1] as string);
      if (!file || encodeURIComponent(file.filename) !== attachment[2]) {
        respond(NOT_FOUND.status, NOT_FOUND.body, {});
        return;
      }
      entry.status = 200;
      res.writeHead(200, {
        'Content-Type': file.contentType,
        'Content-Length': String(file.content.byteLength),
      });
      res.end(file.content);
      return;
    }
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
      req.resume();
      respond(NOT_FOUND.status, NOT_FOUND.body, limits.headers);
      return;
    }
    route(req, method, path, url.searchParams).then(
      (result) => respond(result.status, result.body, limits.headers),
      (error: unknown) => {
        respond(500, { message: '500: Internal Server Error', code: 0 }, limits.headers);
        // The stand-in's own bug must be visible in the test output, not only as a 500.
        console.error('Discord stand-in failed on', method, path, error);
      },
    );
  });
}

/** A malformed escape is left as is; it then matches no route and gets Discord's 404. */
function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Discord's bucket is per route and major parameter (channel, guild, webhook). */
function bucketKey(method: string, path: string): string {
  let major = true;
  const route = path.replace(/\/\d+(?=\/|$)/g, (segment) => {
    if (!major) return '/:id';
    major = false;
    return segment;
  });
  return `${method} ${route}`;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': 'application/json' } : {}),
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function tooManyRequests(retryAfter: number, global: boolean) {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
    headers: {
      'Retry-After': String(retryAfter),
      'X-RateLimit-Scope': global ? 'global' : 'user',
      ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
    },
  };
}

async function readBody(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false };
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return { ok: true, value: undefined };
  const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
  if (!isJson) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    // A malformed body is the client's error; Discord answers it with 50035 like any bad form.
    return { ok: false };
  }
}
