import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { progressPrinter } from '../../../../bin/commands/clock.ts';
import { advanceClock, ControlError, type RunningBot } from '../../../../lib/local/control-client.ts';
import type { AdvanceProgress } from '../../../../lib/local/sandbox/clock-advance.ts';
import { CONTROL_TOKEN_HEADER } from '../../../../lib/local/server.ts';

const TOKEN = 'control-token-0123456789abcdef';
const FROM = '2026-12-02T10:00:00.000Z';
const TO = '2026-12-30T10:00:00.000Z';

/**
 * The bot's clock-advance routes over loopback HTTP, scripted: each GET of the job answers with the next
 * step of `polls` ('hang' holds the request without an answer, as a bot whose event loop a long run holds).
 */
async function fakeBot(polls: ('hang' | Partial<AdvanceProgress>)[]): Promise<{
  server: Server;
  url: string;
  gets: () => number;
}> {
  let gets = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.headers[CONTROL_TOKEN_HEADER] !== TOKEN) return json(403, { error: 'no' });
    const job: AdvanceProgress = { id: 'job1', from: FROM, to: TO, now: FROM, fired: 0, done: false };
    if (request.method === 'POST' && request.url === '/_local/clock/advance') return json(200, job);
    if (request.method === 'GET' && request.url === '/_local/clock/advance/job1') {
      const step = polls[gets] ?? { done: true, now: TO };
      gets += 1;
      if (step === 'hang') return; // never answered: the client's poll times out
      return json(200, { ...job, ...step });
    }
    json(404, { error: 'unknown route' });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, gets: () => gets };
}

const botAt = (url: string, pid: number): RunningBot => ({
  dataDir: '/nonexistent',
  runtime: {
    dynamoEndpoint: 'http://127.0.0.1:1',
    dynamoAccessKeyId: 'x'.repeat(16),
    pid,
    port: Number(new URL(url).port),
    url,
    sandbox: true,
    controlToken: TOKEN,
    startedAt: FROM,
  },
});

/** The id of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

describe('clock advance, as the CLI polls it', () => {
  let server: Server | undefined;
  afterEach(async () => {
    const open = server;
    server = undefined;
    if (!open) return;
    open.closeAllConnections();
    await new Promise((closed) => open.close(closed));
  });

  it('keeps polling through a poll the busy bot did not answer in time, and reports progress', async () => {
    const bot = await fakeBot([
      { now: '2026-12-09T10:00:00.000Z', fired: 40 },
      'hang',
      { now: '2026-12-23T10:00:00.000Z', fired: 120 },
    ]);
    server = bot.server;
    const seen: AdvanceProgress[] = [];
    const result = await advanceClock(botAt(bot.url, process.pid), '4w', (p) => seen.push(p), 10, 200);
    expect(result).toMatchObject({ done: true, now: TO });
    expect(bot.gets()).toBe(4);
    expect(seen.map((p) => p.fired)).toEqual([40, 120]);
  });

  it('says the bot stopped, and how far the clock got, when the bot is gone', async () => {
    const bot = await fakeBot([{ now: '2026-12-09T10:00:00.000Z', fired: 40 }, 'hang']);
    server = bot.server;
    const advance = advanceClock(botAt(bot.url, deadPid()), '4w', () => undefined, 10, 200);
    await expect(advance).rejects.toBeInstanceOf(ControlError);
    await expect(advance).rejects.toThrow(
      /stopped while its clock was advancing; it had reached 2026-12-09T10/,
    );
  });

  it('prints the sandbox time reached once a second, not for a short advance', () => {
    const lines: string[] = [];
    let now = 0;
    const print = progressPrinter(
      (line) => lines.push(line),
      () => now,
    );
    const at = (iso: string, fired: number): AdvanceProgress => ({
      id: 'job1',
      from: FROM,
      to: TO,
      now: iso,
      fired,
      done: false,
    });
    now = 400;
    print(at('2026-12-03T10:00:00.000Z', 3));
    expect(lines).toEqual([]);
    now = 1_200;
    print(at('2026-12-16T10:00:00.000Z', 52));
    now = 1_900;
    print(at('2026-12-17T10:00:00.000Z', 56));
    expect(lines).toEqual(['  … sandbox time 2026-12-16 10:00 UTC (50 %), 52 runs fired so far\n']);
  });
});
