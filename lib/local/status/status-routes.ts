import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../../observability/logger.ts';
import type { CountingRunMetrics } from '../../observability/metrics.ts';
import type { TaskStore } from '../../scheduling/ports.ts';
import type { SchedulerStats, TaskScheduler } from '../../scheduling/task-scheduler.ts';
import type { Clock } from '../../shared/clock.ts';
import { RunStatus } from '../../tasks/run-record.ts';
import type { Task } from '../../tasks/task.ts';
import type { NameLookup } from './discord-names.ts';
import { collectRunChart, type RunChart } from './run-chart.ts';
import { renderRunHistoryPage } from './run-history-html.ts';
import { RUN_HISTORY_PATH } from './run-html.ts';
import {
  collectRunHistory,
  collectStatus,
  type RunHistoryQuery,
  type StatusSnapshot,
} from './status-data.ts';
import { FRAGMENT_PARAM, FRAGMENT_VALUE, renderMain, renderPage } from './status-html.ts';

export interface StatusDeps {
  store: TaskStore;
  scheduler: TaskScheduler;
  clock: Clock;
  schedulerStats?: () => { armed: number; fired: number; inFlight: number };
  metrics?: CountingRunMetrics;
  /** When set, non-loopback clients must present it (`?token=` or `Authorization: Bearer`). */
  statusToken?: string;
  /** Local delivered files / .eml, served read-only under /delivered/… (loopback or token only, path-contained). */
  filesRoot?: string;
  outboxRoot?: string;
  sandbox?: boolean;
  /** Server and channel names (Discord REST with the bot token, cached); ids without it. */
  names?: NameLookup;
  /** Where a failure to read the status is reported (the client gets a generic 500). */
  logger?: Logger;
}

/** How long the 24-hour run counts are reused between refreshes. */
export const STATS_TTL_MS = 30_000;
/** A delivered summary is a few KiB; anything far larger is not something to show in a browser tab. */
export const MAX_DELIVERED_BYTES = 5 * 1024 * 1024;
const FORBIDDEN_TEXT =
  'Forbidden: the status page answers on localhost only, or to clients presenting the configured status token.\n';
const PROXIED_TEXT =
  'Forbidden: this request came through a proxy, so it is not from this machine. Set STATUS_TOKEN (16 characters or more) in the environment of `npm start` and open the page with ?token=<STATUS_TOKEN> or an Authorization: Bearer header.\n';
const OUTBOX_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.eml$/;

/**
 * The status page's HTTP routes, for the local runtime's server to mount: `GET /` (HTML), `GET /api/status`
 * (the same data as JSON), `GET /runs?guild=&task=` (a task's run history, paged, filtered by `status`),
 * `GET /delivered/files/<path>` and `GET /delivered/outbox/<name>` (a delivered
 * file as text). Resolves true when it answered the request, false when the path is not one of its routes.
 */
export function createStatusRoutes(
  deps: StatusDeps,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  let pending: Promise<StatusSnapshot> | undefined;
  let stats: { at: number; value: Promise<SchedulerStats> } | undefined;
  // The 24-hour counts read up to 1,500 runs per task: about half a refresh's cost at 200 tasks, for numbers
  // that hardly move in 30 s. Tasks, runs and dead letters stay live.
  const taskStats = () => {
    const now = Date.now();
    if (!stats || now - stats.at >= STATS_TTL_MS) {
      const value = deps.scheduler.stats();
      stats = { at: now, value };
      value.catch(() => {
        if (stats?.value === value) stats = undefined;
      });
    }
    return stats.value;
  };
  // The 30-day chart reads up to 3,000 runs per task: reused for the same 30 s, by the same reasoning.
  let chart: { at: number; value: Promise<Map<string, RunChart>> } | undefined;
  const runChart = (tasks: readonly Task[]) => {
    const now = Date.now();
    if (!chart || now - chart.at >= STATS_TTL_MS) {
      const value = collectRunChart(deps.store, tasks, deps.clock.now());
      chart = { at: now, value };
      value.catch(() => {
        if (chart?.value === value) chart = undefined;
      });
    }
    return chart.value;
  };
  // Concurrent viewers (several tabs refreshing) share one read of the store.
  const snapshot = () => {
    pending ??= collectStatus({ ...deps, taskStats, runChart }).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    // Matched on the raw path: URL parsing would resolve `..` segments before the containment check sees them.
    const route = matchRoute((req.url ?? '/').split(/[?#]/, 1)[0] ?? '/');
    if (!route) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
      return true;
    }
    const access = authorize(req, url, deps.statusToken);
    if (!access.allowed) {
      send(res, 403, 'text/plain; charset=utf-8', access.proxied ? PROXIED_TEXT : FORBIDDEN_TEXT);
      return true;
    }
    try {
      if (route.kind === 'runs') {
        const query = parseRunHistoryQuery(url.searchParams);
        if (typeof query === 'string') {
          send(res, 400, 'text/plain; charset=utf-8', `${query}\n`);
          return true;
        }
        const history = await collectRunHistory(deps, query);
        if (!history) {
          send(
            res,
            404,
            'text/plain; charset=utf-8',
            `No task ${query.taskId} in server ${query.guildId}: it may have been deleted. The status page (/) lists the tasks there are.\n`,
          );
          return true;
        }
        const nonce = randomBytes(16).toString('base64');
        const options = access.linkQuery ? { linkQuery: access.linkQuery } : {};
        send(res, 200, 'text/html; charset=utf-8', renderRunHistoryPage(history, nonce, options), {
          'Content-Security-Policy': pageCsp(nonce),
        });
      } else if (route.kind === 'page' || route.kind === 'api') {
        const data = await snapshot();
        if (route.kind === 'api') {
          send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(data)}\n`);
        } else {
          const options = access.linkQuery ? { linkQuery: access.linkQuery } : {};
          const nonce = randomBytes(16).toString('base64');
          const fragment = url.searchParams.get(FRAGMENT_PARAM) === FRAGMENT_VALUE;
          const body = fragment ? renderMain(data, options) : renderPage(data, nonce, options);
          send(res, 200, 'text/html; charset=utf-8', body, { 'Content-Security-Policy': pageCsp(nonce) });
        }
      } else {
        const root = route.kind === 'file' ? deps.filesRoot : deps.outboxRoot;
        const file = root ? await resolveDelivered(root, route) : { status: 404 as const };
        if ('status' in file) {
          send(res, file.status, 'text/plain; charset=utf-8', `${STATUS_TEXT[file.status]}\n`);
        } else {
          send(res, 200, 'text/plain; charset=utf-8', file.body, {
            'Content-Security-Policy': "default-src 'none'; sandbox",
            'Content-Disposition': `inline; filename="${file.name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
          });
        }
      }
    } catch (error) {
      deps.logger?.error('status page request failed', { path: url.pathname, error });
      if (!deps.logger) console.error('status page request failed', url.pathname, error);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Status unavailable\n');
      else res.destroy();
    }
    return true;
  };
}

const SNOWFLAKE = /^\d{17,20}$/;
const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** `/runs?guild=<id>&task=<id>[&status=<outcome>][&before=<instant>]`, or what is wrong with it. */
function parseRunHistoryQuery(params: URLSearchParams): RunHistoryQuery | string {
  const guildId = params.get('guild') ?? '';
  const taskId = params.get('task') ?? '';
  const status = params.get('status') ?? '';
  const before = params.get('before') ?? '';
  if (!SNOWFLAKE.test(guildId)) {
    return 'Bad request: guild must be a Discord server id (17 to 20 digits); follow "All runs" on a task card of the status page.';
  }
  if (!TASK_ID.test(taskId)) {
    return 'Bad request: task must be a task id (letters, digits, _ and -); follow "All runs" on a task card of the status page.';
  }
  const outcome = RunStatus.safeParse(status);
  if (status !== '' && status !== 'all' && !outcome.success) {
    return `Bad request: status must be one of all, ${RunStatus.options.join(', ')}.`;
  }
  if (before !== '' && (!INSTANT.test(before) || Number.isNaN(Date.parse(before)))) {
    return 'Bad request: before must be a UTC instant such as 2026-03-02T08:00:00.000Z (the "older runs" link sets it).';
  }
  return {
    guildId,
    taskId,
    ...(outcome.success ? { status: outcome.data } : {}),
    ...(before ? { before } : {}),
  };
}

type Route =
  | { kind: 'runs' }
  | { kind: 'page' }
  | { kind: 'api' }
  | { kind: 'file'; segments: string[] }
  | { kind: 'outbox'; segments: string[] };

function matchRoute(pathname: string): Route | undefined {
  if (pathname === '/') return { kind: 'page' };
  if (pathname === '/api/status') return { kind: 'api' };
  if (pathname === RUN_HISTORY_PATH) return { kind: 'runs' };
  for (const [prefix, kind] of [
    ['/delivered/files/', 'file'],
    ['/delivered/outbox/', 'outbox'],
  ] as const) {
    if (pathname.startsWith(prefix)) return { kind, segments: pathname.slice(prefix.length).split('/') };
  }
  return undefined;
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x: the only clients that need no token. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/**
 * A loopback connection still needs a loopback Host: a web page elsewhere that rebinds its own name to
 * 127.0.0.1 would otherwise read the status as same-origin.
 */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

// Headers a reverse proxy, CDN or tunnel adds: such a request came from elsewhere, though the proxy connects
// from loopback with a loopback Host. `Via` is what RFC 9110 §7.6.3 asks every proxy to add (Squid, Varnish,
// Apache with ProxyVia); X-Forwarded-Proto alone is what many ingress setups send; True-Client-IP is
// Akamai's and Cloudflare Enterprise's. A proxy that adds none of them (nginx's bare `proxy_pass` sends
// only Host and Connection) cannot be told from a local browser: a proxied status page needs STATUS_TOKEN.
const PROXY_HEADERS = [
  'forwarded',
  'via',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-server',
  'x-real-ip',
  'x-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'fastly-client-ip',
];

function isProxied(req: IncomingMessage): boolean {
  return PROXY_HEADERS.some((name) => req.headers[name] !== undefined);
}

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function presentedToken(req: IncomingMessage, url: URL): { value: string; viaQuery: boolean } | undefined {
  const header = req.headers.authorization;
  const bearer = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  if (bearer) return { value: bearer, viaQuery: false };
  const query = url.searchParams.get('token');
  return query ? { value: query, viaQuery: true } : undefined;
}

function authorize(
  req: IncomingMessage,
  url: URL,
  token: string | undefined,
): { allowed: false; proxied: boolean } | { allowed: true; linkQuery?: string } {
  const presented = presentedToken(req, url);
  if (token && presented && tokensMatch(presented.value, token)) {
    // Links and the refresh fetch carry the token on for a browser that came with `?token=`.
    return presented.viaQuery
      ? { allowed: true, linkQuery: `token=${encodeURIComponent(presented.value)}` }
      : { allowed: true };
  }
  const proxied = isProxied(req);
  if (isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.headers.host) && !proxied) {
    return { allowed: true };
  }
  return { allowed: false, proxied };
}

function pageCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    // data: for the empty favicon, which keeps browsers from asking for /favicon.ico.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const STATUS_TEXT = { 400: 'Bad request', 404: 'Not found', 413: 'File too large to show' } as const;

type Delivered = { status: keyof typeof STATUS_TEXT } | { name: string; body: Buffer };

/**
 * Reads a delivered file under `root`: plain relative segments only, and the real path (symlinks resolved)
 * must stay inside the root's real path.
 */
async function resolveDelivered(
  root: string,
  route: { kind: 'file' | 'outbox'; segments: string[] },
): Promise<Delivered> {
  let parts: string[];
  try {
    parts = route.segments.map((s) => decodeURIComponent(s));
  } catch {
    return { status: 400 };
  }
  const plain = parts.every(
    (p) => p !== '' && p !== '.' && p !== '..' && !/[\\/\0]/.test(p) && !/^[A-Za-z]:/.test(p),
  );
  if (!plain || parts.length === 0) return { status: 400 };
  if (route.kind === 'outbox' && (parts.length !== 1 || !OUTBOX_NAME.test(parts[0] as string))) {
    return { status: 400 };
  }
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(path.join(realRoot, ...parts));
  } catch (error) {
    if (isMissing(error)) return { status: 404 };
    throw error;
  }
  const relative = path.relative(realRoot, real);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { status: 404 };
  // O_NOFOLLOW: a symlink swapped in after the containment check is refused rather than followed.
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { status: 404 };
    if (stats.size > MAX_DELIVERED_BYTES) return { status: 413 };
    return { name: path.basename(real), body: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

function send(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    ...headers,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}
