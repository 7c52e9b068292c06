/**
 * A running bot's control API over loopback HTTP, answered by a script of the test: the client side
 * (lib/local/control-client.ts, which the CLI uses) talks to it exactly as to `npm start`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningBot } from '../../lib/local/control-client.ts';
import { CONTROL_TOKEN_HEADER } from '../../lib/local/server.ts';

const TOKEN = 'control-token-0123456789abcdef';

/** A JSON answer, or 'hang': the request is held without one, as by a bot whose event loop a run holds. */
export type ControlAnswer = { status: number; body: unknown } | 'hang';

/** The stand-in, listening; `close` ends held requests too. */
export interface ControlStandIn {
  /** The stand-in as the CLI finds a running bot; `pid` decides whether that bot counts as alive. */
  bot(pid?: number): RunningBot;
  close(): Promise<void>;
}

/**
 * Starts the stand-in: each request with the bot's control token goes to `answer` with its method and
 * route below `/_local/` (e.g. `GET`, `interactions/tok1`); a request without the token gets 403. A POST to
 * `/interactions` (signed, as Discord sends it) goes to `interactions` with its parsed body.
 */
export async function startControlStandIn(
  answer: (method: string, route: string) => ControlAnswer,
  interactions: (payload: unknown) => ControlAnswer = () => ({ status: 404, body: { error: 'no' } }),
): Promise<ControlStandIn> {
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let answered: ControlAnswer;
    if (request.method === 'POST' && request.url === '/interactions') {
      answered = interactions(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } else if (request.headers[CONTROL_TOKEN_HEADER] !== TOKEN) {
      answered = { status: 403, body: { error: 'no' } };
    } else {
      answered = answer(request.method ?? 'GET', (request.url ?? '').replace(/^\/_local\//, ''));
    }
    if (answered !== 'hang') json(answered.status, answered.body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    bot: (pid = process.pid) => ({
      dataDir: '/nonexistent',
      runtime: {
        dynamoEndpoint: 'http://127.0.0.1:1',
        dynamoAccessKeyId: 'x'.repeat(16),
        pid,
        port,
        url,
        sandbox: true,
        controlToken: TOKEN,
        startedAt: '2026-12-02T10:00:00.000Z',
      },
    }),
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}
