/**
 * A `/schedule run` the local runtime answers in time (within its 1.5 s deferral) starts its run only after
 * the answer is sent: the local server (lib/local/server.ts) writes the HTTP answer, waits for it to be
 * handed to the network, then starts what the answer held. Otherwise a run that fails at once could edit its
 * reply on Discord before Discord has that reply. Signed interactions over loopback HTTP, the real
 * interaction handler; the executor port records what the server had sent when the run was started.
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../lib/discord/interaction-once.ts';
import type { ExecutorInput } from '../../../lib/execution/executor-input.ts';
import { type LocalServer, startLocalServer } from '../../../lib/local/server.ts';
import { MemoryLogger } from '../../../lib/observability/logger.ts';
import { TestClock } from '../../support/clock.ts';
import { editingPoster } from '../../support/editing-poster.ts';
import { gatedScheduler } from '../../support/gated-scheduler.ts';
import { command, str } from '../../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';
import { summaryTask } from '../../support/task-fixtures.ts';

const TASK = summaryTask({ name: 'Daily digest' });

describe('the local server: a run answered in time starts after its answer', () => {
  let server: LocalServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('sends "Started a run" to the client before the run starts, and starts it then', async () => {
    const keys = generateSigningKeys();
    const { scheduler, open } = gatedScheduler(TASK);
    open();
    /** Each response the server writes, to see what it had sent when the run was started. */
    const responses: ServerResponse[] = [];
    const started: { input: ExecutorInput; answerSent: boolean }[] = [];
    let runStarted = () => {};
    const ran = new Promise<void>((resolve) => {
      runStarted = resolve;
    });
    const handler = createInteractionHandler({
      scheduler,
      executor: {
        invoke: async (input) => {
          started.push({ input, answerSent: responses[0]?.writableFinished === true });
          runStarted();
        },
      },
      publicKey: keys.publicKeyHex,
      clock: new TestClock('2026-03-02T12:00:00Z'),
      interactions: new MemoryInteractionLedger(),
      logger: { error: () => {} },
      // As npm start builds it, with a deferral that never comes: the command is answered in time.
      deferAfter: { ms: 60_000, poster: editingPoster(async () => {}) },
    });
    server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handleInteraction: (request) => handler.handle(request),
      controlToken: 'control-token-0123456789',
      logger: new MemoryLogger(),
    });
    server.server.on('request', (_request, response: ServerResponse) => responses.push(response));

    const payload = command('schedule run', [str('task', TASK.id)]);
    const request = signedRequest(payload, keys);
    const answer = await fetch(`${server.url}/interactions`, {
      method: 'POST',
      headers: request.headers,
      body: new Uint8Array(request.rawBody),
    });
    const reply = (await answer.json()) as { data: { content: string } };
    expect(reply.data.content).toMatch(/^Started a run of \*\*Daily digest\*\*/);

    await ran;
    expect(started).toEqual([
      {
        input: expect.objectContaining({ type: 'manual', taskId: TASK.id, reply: expect.anything() }),
        answerSent: true,
      },
    ]);
  });
});
