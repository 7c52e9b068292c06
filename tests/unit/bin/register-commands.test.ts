import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWith } from '../../../bin/commands/register-commands.ts';
import { commands } from '../../../lib/discord/commands/index.ts';

const received: { method: string; url: string; auth: string | undefined; body: unknown }[] = [];
let server: Server;
let api: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const parsed = JSON.parse(body || 'null');
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        auth: req.headers.authorization,
        body: parsed,
      });
      if (req.url?.includes('/guilds/400000000000000000/')) {
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ message: 'Missing Access', code: 50001 }));
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(parsed.map((c: object, i: number) => ({ ...c, id: String(i) }))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) } };
}

const env = () => ({
  DISCORD_APPLICATION_ID: '290926444748734465',
  DISCORD_BOT_TOKEN: 'bot-token-'.padEnd(40, 'x'),
  DISCORD_API_URL: api,
});

describe('summary-bot register-commands', () => {
  it('bulk-overwrites the global commands with the definitions', async () => {
    received.length = 0;
    const o = io();
    expect(await registerWith([], env(), o.io)).toBe(0);
    expect(received).toEqual([
      {
        method: 'PUT',
        url: '/api/v10/applications/290926444748734465/commands',
        auth: `Bot ${env().DISCORD_BOT_TOKEN}`,
        body: JSON.parse(JSON.stringify(commands)),
      },
    ]);
    expect(o.out.join('')).toContain(
      'Registered /summarize, /schedule, /config, /catchup, /subscribe, /unsubscribe (global)',
    );
  });

  it('registers in one guild with --guild', async () => {
    received.length = 0;
    expect(await registerWith(['--guild', '290926798626357999'], env(), io().io)).toBe(0);
    expect(received[0]?.url).toBe(
      '/api/v10/applications/290926444748734465/guilds/290926798626357999/commands',
    );
  });

  it('says which setting is missing, and exits 2 without calling Discord', async () => {
    received.length = 0;
    const o = io();
    expect(
      await registerWith([], { DISCORD_API_URL: api, DISCORD_APPLICATION_ID: '290926444748734465' }, o.io),
    ).toBe(2);
    expect(o.err.join('')).toContain('missing DISCORD_BOT_TOKEN');
    expect(o.err.join('')).not.toContain('DISCORD_APPLICATION_ID (');
    const both = io();
    expect(await registerWith([], {}, both.io)).toBe(2);
    expect(both.err.join('')).toMatch(/missing DISCORD_APPLICATION_ID .* and DISCORD_BOT_TOKEN/);
    expect(await registerWith(['--guild', 'abc'], env(), io().io)).toBe(2);
    expect(received).toEqual([]);
  });

  it("reports Discord's refusal with exit 1 and without the token", async () => {
    const o = io();
    expect(await registerWith(['--guild', '400000000000000000'], env(), o.io)).toBe(1);
    expect(o.err.join('')).toContain('Missing Access');
    expect(o.err.join('')).not.toContain('bot-token');
  });
});
