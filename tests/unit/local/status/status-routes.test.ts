import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import {
  createStatusRoutes,
  isLoopbackAddress,
  type StatusDeps,
  tokensMatch,
} from '../../../../lib/local/status/status-routes.ts';
import { useEmbeddedStore } from '../../../support/embedded-dynamo.ts';
import {
  GUILD,
  OUTBOX_ID,
  runRecord,
  type Seeded,
  START,
  seed,
  XSS_NAME,
} from '../../../support/status-fixtures.ts';

interface Answer {
  status: number;
  headers: Record<string, string | number>;
  body: string;
}

/** Calls the route function the way node:http would, from a chosen remote address. */
async function call(
  routes: ReturnType<typeof createStatusRoutes>,
  url: string,
  options: { remote?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<Answer | undefined> {
  const req = {
    url,
    method: options.method ?? 'GET',
    headers: { host: 'localhost:3000', ...options.headers },
    socket: { remoteAddress: options.remote ?? '127.0.0.1' },
  } as unknown as IncomingMessage;
  const answer: Answer = { status: 0, headers: {}, body: '' };
  const res = {
    req,
    headersSent: false,
    writeHead(this: { headersSent: boolean }, status: number, headers: Record<string, string | number>) {
      answer.status = status;
      answer.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      this.headersSent = true;
    },
    end(body?: string | Buffer) {
      answer.body = body === undefined ? '' : body.toString();
    },
    destroy() {},
  } as unknown as ServerResponse;
  const handled = await routes(req, res);
  return handled ? answer : undefined;
}

describe('status routes', () => {
  const db = useEmbeddedStore();
  let clock: ManualClock;
  let seeded: Seeded;
  let deps: StatusDeps;

  beforeEach(async () => {
    clock = new ManualClock(START);
    seeded = await seed(db.store, clock);
    deps = {
      store: db.store,
      scheduler: seeded.scheduler,
      clock,
      filesRoot: seeded.filesRoot,
      outboxRoot: seeded.outboxRoot,
    };
  });
  afterEach(async () => {
    await seeded.cleanup();
  });

  describe('access', () => {
    it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])(
      'serves loopback client %s',
      async (remote) => {
        const answer = await call(createStatusRoutes(deps), '/', { remote });
        expect(answer?.status).toBe(200);
        expect(answer?.body).toContain('Daily digest');
      },
    );

    it.each(['/', '/api/status', '/delivered/files/summaries/daily/2026-03-02.md'])(
      'answers a non-loopback client %s with 403 and a short text only',
      async (url) => {
        const answer = await call(createStatusRoutes(deps), url, { remote: '203.0.113.5' });
        expect(answer?.status).toBe(403);
        expect(answer?.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(answer?.body).toMatch(/^Forbidden: /);
        expect(answer?.body).not.toContain('Daily digest');
      },
    );

    it('refuses a non-loopback client even with a token when none is configured', async () => {
      const answer = await call(createStatusRoutes(deps), '/?token=anything', { remote: '203.0.113.5' });
      expect(answer?.status).toBe(403);
    });

    it('accepts the configured token as a query parameter or a bearer header', async () => {
      const routes = createStatusRoutes({ ...deps, statusToken: 's3cret-token-value' });
      const viaQuery = await call(routes, '/?token=s3cret-token-value', { remote: '203.0.113.5' });
      expect(viaQuery?.status).toBe(200);
      // The page carries the token on to its refresh fetch and its links.
      expect(viaQuery?.body).toContain('token=s3cret-token-value');
      expect(viaQuery?.body).toContain(
        '/delivered/files/summaries/daily/2026-03-02.md?token=s3cret-token-value',
      );
      const viaHeader = await call(routes, '/api/status', {
        remote: '203.0.113.5',
        headers: { authorization: 'Bearer s3cret-token-value' },
      });
      expect(viaHeader?.status).toBe(200);
      const wrong = await call(routes, '/api/status', {
        remote: '203.0.113.5',
        headers: { authorization: 'Bearer s3cret-token-valuE' },
      });
      expect(wrong?.status).toBe(403);
    });

    it('refuses a loopback connection whose Host is another name (DNS rebinding)', async () => {
      const answer = await call(createStatusRoutes(deps), '/', { headers: { host: 'evil.example:3000' } });
      expect(answer?.status).toBe(403);
    });

    it.each([
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
    ])('refuses a request relayed by a proxy on this machine (%s), whatever its Host', async (header) => {
      const answer = await call(createStatusRoutes(deps), '/api/status', {
        headers: { host: 'localhost:3000', [header]: '203.0.113.9' },
      });
      expect(answer?.status).toBe(403);
    });

    it('over HTTP: a request relayed with Via, X-Forwarded-Proto or True-Client-IP gets 403 saying to set STATUS_TOKEN, and the token opens it', async () => {
      const routes = createStatusRoutes({ ...deps, statusToken: 'proxied-status-token-1' });
      const server = createServer((req, res) => {
        routes(req, res).then(
          (handled) => handled || res.writeHead(404).end(),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      // node:http rather than fetch: fetch would not let a test set every header a proxy sends.
      const get = (path: string, headers: Record<string, string>) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          request(
            { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (chunk: string) => {
                body += chunk;
              });
              res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
            },
          )
            .on('error', reject)
            .end();
        });
      try {
        const relayed: Record<string, string>[] = [
          { via: '1.1 proxy.example (squid/6.6)' },
          { 'x-forwarded-proto': 'https' },
          { 'true-client-ip': '203.0.113.9' },
        ];
        for (const headers of relayed) {
          const answer = await get('/api/status', headers);
          expect(answer.status).toBe(403);
          expect(answer.body).toContain('came through a proxy');
          expect(answer.body).toContain('STATUS_TOKEN');
          expect(answer.body).not.toContain('Daily digest');
          const withToken = await get('/api/status', {
            ...headers,
            authorization: 'Bearer proxied-status-token-1',
          });
          expect(withToken.status).toBe(200);
        }
        // Without proxy headers the same loopback request is local, as from a browser on this machine.
        expect((await get('/api/status', {})).status).toBe(200);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('recognises loopback addresses and nothing else', () => {
      expect(isLoopbackAddress('127.0.0.1')).toBe(true);
      expect(isLoopbackAddress('::ffff:127.1.2.3')).toBe(true);
      expect(isLoopbackAddress('::1')).toBe(true);
      expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
      expect(isLoopbackAddress('128.0.0.1')).toBe(false);
      expect(isLoopbackAddress('fe80::1')).toBe(false);
      expect(isLoopbackAddress(undefined)).toBe(false);
    });

    it('compares tokens exactly, whatever their lengths', () => {
      expect(tokensMatch('abc', 'abc')).toBe(true);
      expect(tokensMatch('abc', 'abcd')).toBe(false);
      expect(tokensMatch('', 'abc')).toBe(false);
    });
  });

  describe('page', () => {
    it('sends a strict CSP whose nonce is the one on the inline style and script', async () => {
      const answer = await call(createStatusRoutes(deps), '/');
      const csp = String(answer?.headers['content-security-policy']);
      const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(answer?.body).toContain(`<script nonce="${nonce}">`);
      expect(answer?.body).toContain(`<style nonce="${nonce}">`);
      expect(answer?.headers['cache-control']).toBe('no-store');
      expect(answer?.headers['x-content-type-options']).toBe('nosniff');
    });

    it('escapes a task name that tries to inject markup', async () => {
      const answer = await call(createStatusRoutes(deps), '/');
      expect(answer?.body).not.toContain(XSS_NAME);
      expect(answer?.body).not.toContain('<img src=x');
      expect(answer?.body).toContain(
        '&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;&lt;script&gt;window.__pwned=2&lt;/script&gt;',
      );
      // Exactly one script element: the page's own.
      expect(answer?.body.match(/<script/g)).toHaveLength(1);
    });

    it('answers the refresh fragment without the page around it', async () => {
      const answer = await call(createStatusRoutes(deps), '/?fragment=main');
      expect(answer?.status).toBe(200);
      expect(answer?.body).not.toContain('<html');
      expect(answer?.body).toContain('data-testid="task-card"');
    });

    it('serves the same data as JSON', async () => {
      const answer = await call(createStatusRoutes(deps), '/api/status');
      expect(answer?.headers['content-type']).toBe('application/json; charset=utf-8');
      const data = JSON.parse(answer?.body ?? '{}');
      expect(data.tasks.total).toBe(4);
      expect(data.deadLetters[0].id).toBe('dl-1');
    });

    it('reuses the 24-hour counts between refreshes but reads tasks and runs every time', async () => {
      let statsCalls = 0;
      const scheduler = Object.assign(Object.create(seeded.scheduler), {
        stats: () => {
          statsCalls += 1;
          return seeded.scheduler.stats();
        },
      });
      const routes = createStatusRoutes({ ...deps, scheduler });
      await call(routes, '/api/status');
      await db.store.putDeadLetter({
        id: 'dl-2',
        receivedAt: '2026-03-02T09:59:00.000Z',
        source: 'local',
        error: 'second failure',
        expiresAt: 4_102_444_800,
      });
      const second = JSON.parse((await call(routes, '/api/status'))?.body ?? '{}');
      expect(statsCalls).toBe(1);
      expect(second.deadLetters.map((d: { id: string }) => d.id)).toContain('dl-2');
    });

    it('leaves other paths to the server and refuses other methods', async () => {
      const routes = createStatusRoutes(deps);
      expect(await call(routes, '/interactions')).toBeUndefined();
      expect(await call(routes, '/api/other')).toBeUndefined();
      const post = await call(routes, '/', { method: 'POST' });
      expect(post?.status).toBe(405);
      expect(post?.headers.allow).toBe('GET, HEAD');
    });

    it('answers 500 without details when the store fails', async () => {
      const failing = { ...db.store, listTasksByState: async () => Promise.reject(new Error('table gone')) };
      const lines: unknown[] = [];
      const logger = {
        debug() {},
        info() {},
        warn() {},
        error: (message: string, attributes?: unknown) => lines.push({ message, attributes }),
        child() {
          return logger;
        },
      };
      const routes = createStatusRoutes({ ...deps, store: failing as unknown as typeof db.store, logger });
      const answer = await call(routes, '/api/status');
      expect(answer?.status).toBe(500);
      expect(answer?.body).toBe('Status unavailable\n');
      expect(lines).toHaveLength(1);
    });
  });

  describe('delivered files', () => {
    it('serves a delivered file and an outbox e-mail as plain text', async () => {
      const routes = createStatusRoutes(deps);
      const file = await call(routes, '/delivered/files/summaries/daily/2026-03-02.md');
      expect(file?.status).toBe(200);
      expect(file?.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(file?.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(file?.body).toContain('Release 1.4 shipped');
      const eml = await call(routes, `/delivered/outbox/2026-03-02T08-00-05.000Z-${OUTBOX_ID}.eml`);
      expect(eml?.status).toBe(200);
      expect(eml?.body).toContain('Subject: Daily digest');
    });

    it.each([
      ['/delivered/files/../outbox/x.eml', 400],
      ['/delivered/files/summaries/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 400],
      ['/delivered/files/%2Fetc%2Fpasswd', 400],
      ['/delivered/files/summaries%2F..%2F..%2Fx', 400],
      ['/delivered/files/summaries//daily', 400],
      ['/delivered/files/summaries/%00', 400],
      ['/delivered/files/%E0%A4%A', 400],
      ['/delivered/files/summaries/daily', 404],
      ['/delivered/files/missing.md', 404],
      ['/delivered/outbox/../files/summaries/daily/2026-03-02.md', 400],
      ['/delivered/outbox/notes.txt', 400],
    ])('refuses %s with %i', async (url, status) => {
      const answer = await call(createStatusRoutes(deps), url);
      expect(answer?.status).toBe(status);
      expect(answer?.body).not.toContain('root:');
    });

    it('refuses a symlink that leads out of the root but follows one that stays inside', async () => {
      const outside = path.join(path.dirname(seeded.filesRoot), 'secret.txt');
      await writeFile(outside, 'top secret');
      await symlink(outside, path.join(seeded.filesRoot, 'leak.md'));
      await mkdir(path.join(seeded.filesRoot, 'links'));
      await symlink(path.join(seeded.filesRoot, 'summaries'), path.join(seeded.filesRoot, 'links', 'inner'));
      const routes = createStatusRoutes(deps);
      const leak = await call(routes, '/delivered/files/leak.md');
      expect(leak?.status).toBe(404);
      expect(leak?.body).not.toContain('top secret');
      const inner = await call(routes, '/delivered/files/links/inner/daily/2026-03-02.md');
      expect(inner?.status).toBe(200);
    });

    it('answers 404 when no root is configured', async () => {
      const routes = createStatusRoutes({ ...deps, filesRoot: undefined, outboxRoot: undefined });
      expect((await call(routes, '/delivered/files/summaries/daily/2026-03-02.md'))?.status).toBe(404);
    });

    it('refuses delivered files to a non-loopback client without a token', async () => {
      const answer = await call(createStatusRoutes(deps), `/delivered/outbox/x-${OUTBOX_ID}.eml`, {
        remote: '203.0.113.5',
      });
      expect(answer?.status).toBe(403);
    });
  });

  describe('run history', () => {
    /** 30 daily runs of the Weekly review before the seeded ones: every third failed, the rest succeeded. */
    async function seedHistory() {
      for (let day = 1; day <= 30; day++) {
        const at = new Date(Date.UTC(2026, 0, day, 22)).toISOString();
        await db.store.putRun(
          runRecord(
            seeded.newYork,
            at,
            day % 3 === 0 ? { status: 'failed', error: `Discord 503 on day ${day}` } : { messageCount: day },
          ),
        );
      }
    }
    const runsOf = (body: string) =>
      [...body.matchAll(/data-testid="run" data-status="([a-z]+)"/g)].map((m) => m[1]);
    const hrefOf = (body: string, testId: string) =>
      /href="([^"]+)"/
        .exec(body.slice(body.indexOf(`data-testid="${testId}"`) - 200))?.[1]
        ?.replace(/&amp;/g, '&');

    it('pages through every run of a task, newest first, from the link on its card', async () => {
      await seedHistory();
      const routes = createStatusRoutes(deps);
      const home = await call(routes, '/');
      const link = /data-testid="run-history-link" href="([^"]+)"/.exec(home?.body ?? '');
      const weekly = `/runs?guild=${GUILD}&task=${seeded.newYork.id}`;
      expect(home?.body).toContain(`href="${weekly.replace(/&/g, '&amp;')}"`);
      expect(link).not.toBeNull();

      const first = await call(routes, weekly);
      expect(first?.status).toBe(200);
      expect(first?.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(first?.body).toContain('Weekly review');
      expect(runsOf(first?.body ?? '')).toHaveLength(20);
      const older = /data-testid="run-history-older" href="([^"]+)"/
        .exec(first?.body ?? '')?.[1]
        ?.replace(/&amp;/g, '&');
      expect(older).toBeDefined();
      const second = await call(routes, older as string);
      // 30 seeded here + the two seeded runs of the Weekly review: 12 on the second page, and no third.
      expect(runsOf(second?.body ?? '')).toHaveLength(12);
      expect(second?.body).not.toContain('run-history-older');
      expect(second?.body).toContain('data-testid="run-history-newest"');
      expect(second?.body).toContain('Discord 503 on day 3<');
      expect(first?.body).not.toContain('Discord 503 on day 3<');
    });

    it('filters by outcome, and pages within the filter', async () => {
      await seedHistory();
      const routes = createStatusRoutes(deps);
      const failed = await call(routes, `/runs?guild=${GUILD}&task=${seeded.newYork.id}&status=failed`);
      expect(new Set(runsOf(failed?.body ?? ''))).toEqual(new Set(['failed']));
      expect(runsOf(failed?.body ?? '')).toHaveLength(11);
      expect(failed?.body).toMatch(/data-status="failed" aria-current="page"/);
      const skipped = await call(routes, `/runs?guild=${GUILD}&task=${seeded.newYork.id}&status=skipped`);
      expect(skipped?.body).toContain('No skipped runs.');
      expect(hrefOf(failed?.body ?? '', 'back-to-status')).toBe('/');
    });

    it('refuses a bad query naming the parameter, and answers 404 for a task the server does not have', async () => {
      const routes = createStatusRoutes(deps);
      const task = seeded.newYork.id;
      const bad = await call(routes, `/runs?guild=${GUILD}&task=${task}&status=broken`);
      expect(bad?.status).toBe(400);
      expect(bad?.body).toContain('status must be one of all, running, succeeded');
      const before = await call(routes, `/runs?guild=${GUILD}&task=${task}&before=yesterday`);
      expect(before?.status).toBe(400);
      expect(before?.body).toContain('before must be a UTC instant');
      expect((await call(routes, `/runs?task=${task}`))?.body).toContain('guild must be a Discord server id');
      // The Weekly review belongs to GUILD: asked for under another server, it is not there.
      const elsewhere = await call(routes, `/runs?guild=100000000000000002&task=${task}`);
      expect(elsewhere?.status).toBe(404);
      expect(elsewhere?.body).toContain(`No task ${task} in server 100000000000000002`);
    });

    it('keeps a token viewer’s token on its links and refuses a viewer without one', async () => {
      const token = 'a-status-token-of-some-length';
      const routes = createStatusRoutes({ ...deps, statusToken: token });
      const url = `/runs?guild=${GUILD}&task=${seeded.newYork.id}&token=${token}`;
      expect((await call(routes, url.replace(/&token=.*/, ''), { remote: '10.0.0.5' }))?.status).toBe(403);
      const answer = await call(routes, url, { remote: '10.0.0.5' });
      expect(answer?.status).toBe(200);
      expect(hrefOf(answer?.body ?? '', 'back-to-status')).toBe(`/?token=${token}`);
      expect(answer?.body).toContain(`status=failed&amp;token=${token}`);
    });
  });
});
