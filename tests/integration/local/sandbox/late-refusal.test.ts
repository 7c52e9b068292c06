/**
 * The sandbox's record of a command refused after "thinking…", as npm start wires it (lib/local/compose/
 * http.ts): the interaction handler tells InteractionReplies before editing the reply on the Discord
 * stand-in, and the control API's `GET interactions/<token>`, which the CLI polls, reports the refusal.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../../lib/discord/interaction-once.ts';
import { createDiscordRest, DiscordRestClient } from '../../../../lib/discord/rest.ts';
import { type RunningBot, sendInteraction } from '../../../../lib/local/control-client.ts';
import { controlRoutes } from '../../../../lib/local/control-routes.ts';
import { EmbeddedScheduleGateway } from '../../../../lib/local/embedded-scheduler.ts';
import { ClockAdvancer } from '../../../../lib/local/sandbox/clock-advance.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { InteractionReplies } from '../../../../lib/local/sandbox/interaction-replies.ts';
import { SandboxClock } from '../../../../lib/local/sandbox/sandbox-clock.ts';
import { type LocalServer, startLocalServer } from '../../../../lib/local/server.ts';
import { MemoryLogger } from '../../../../lib/observability/logger.ts';
import { InMemoryScheduleRepository } from '../../../../lib/scheduling/schedule-repository.ts';
import { editingPoster } from '../../../support/editing-poster.ts';
import { gatedScheduler } from '../../../support/gated-scheduler.ts';
import { APP, command, str } from '../../../support/interaction-payloads.ts';
import { settle } from '../../../support/settled-reply.ts';
import { generateSigningKeys, signedRequest } from '../../../support/signing.ts';
import { summaryTask } from '../../../support/task-fixtures.ts';

const CONTROL_TOKEN = 'control-token-0123456789abcdef';

let standIn: DiscordStandIn;
const servers: LocalServer[] = [];
beforeAll(async () => {
  standIn = await startDiscordStandIn({ applicationId: APP });
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
afterAll(() => standIn.close());

/** The handler deferring everything the gate holds, the sandbox's replies and its control API. */
function sandboxSide(task: ReturnType<typeof summaryTask> | undefined) {
  const keys = generateSigningKeys();
  const clock = new SandboxClock();
  const replies = new InteractionReplies(clock);
  let edited = () => {};
  const editLanded = new Promise<void>((resolve) => {
    edited = resolve;
  });
  const rest = new DiscordRestClient({
    rest: createDiscordRest({ token: 'bot-token', api: standIn.apiUrl }),
  });
  const { scheduler, open } = gatedScheduler(task);
  const handler = createInteractionHandler({
    scheduler,
    executor: { invoke: async () => {} },
    publicKey: keys.publicKeyHex,
    clock,
    interactions: new MemoryInteractionLedger(),
    logger: { error: () => {} },
    deferAfter: {
      ms: 0,
      poster: editingPoster(async (...args) => {
        await rest.editOriginalResponse(...args);
        edited();
      }),
      onLateReply: (token, late) => replies.recordLate(token, late),
    },
  });
  const control = controlRoutes({
    applicationId: APP,
    clock,
    gateway: new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: async () => {},
    }),
    sandbox: {
      standIn,
      replies,
      advancer: new ClockAdvancer({
        clock,
        firedSoFar: () => 0,
        persistOffset: async () => {},
        drain: async () => {},
      }),
    },
  });
  /** Sends the command as the server does: the handler answers, the sandbox records that answer. */
  const send = async (payload: ReturnType<typeof command>) => {
    const request = signedRequest(payload, keys);
    const response = await handler.handle(request);
    replies.record(request, response);
    return response;
  };
  const known = async (token: string) =>
    (
      await control({
        method: 'GET',
        path: ['interactions', token],
        query: new URLSearchParams(),
        body: undefined,
      })
    )?.body as { rejected?: boolean; edits: { kind: string; body: { content?: string } }[] };
  /** Serves it all over loopback HTTP as npm start does, for the client side the CLI and tests use. */
  const serve = async (): Promise<RunningBot> => {
    const server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      handleInteraction: (request) => handler.handle(request),
      onInteraction: (request, response) => replies.record(request, response),
      control,
      controlToken: CONTROL_TOKEN,
      logger: new MemoryLogger(),
    });
    servers.push(server);
    return {
      dataDir: '/nonexistent',
      runtime: {
        dynamoEndpoint: 'http://127.0.0.1:1',
        dynamoAccessKeyId: 'x'.repeat(16),
        pid: process.pid,
        port: server.port,
        url: server.url,
        sandbox: true,
        controlToken: CONTROL_TOKEN,
        startedAt: '2026-12-02T10:00:00.000Z',
      },
    };
  };
  return { send, open, editLanded, known, serve, keys };
}

describe('a command the sandbox refuses after "thinking…"', () => {
  it('is reported refused with the edit that shows the refusal', async () => {
    const side = sandboxSide(undefined);
    const payload = command('schedule run', [str('task', 'task0001')]);
    const response = await side.send(payload);
    expect(JSON.parse(response.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    side.open();
    await side.editLanded;
    const known = await side.known(payload.token);
    expect(known.rejected).toBe(true);
    expect(known.edits.map((e) => e.body.content)).toEqual(['Task not found in this server.']);
  });

  it('is not reported refused when its late answer is no refusal', async () => {
    const side = sandboxSide(summaryTask({ name: 'Daily digest' }));
    const payload = command('schedule pause', [str('task', 'task0001')]);
    await side.send(payload);
    side.open();
    await side.editLanded;
    const known = await side.known(payload.token);
    expect(known.rejected).toBeUndefined();
    expect(known.edits.map((e) => e.body.content)).toEqual([
      expect.stringMatching(/^Paused \*\*Daily digest\*\*/),
    ]);
  });

  it('is read as refused by a test that settles the reply, over HTTP (tests/support/settled-reply.ts)', async () => {
    const side = sandboxSide(undefined);
    const bot = await side.serve();
    const payload = command('schedule run', [str('task', 'task0001')]);
    const answer = await sendInteraction(bot, side.keys, payload);
    // The deferral's HTTP answer cannot say it: the refusal comes later, as its edit.
    expect(answer).toMatchObject({
      rejected: false,
      json: { type: InteractionResponseType.DeferredChannelMessageWithSource },
    });
    side.open();
    const settled = await settle(bot, answer, payload.token);
    expect(settled).toMatchObject({
      deferred: true,
      rejected: true,
      json: { data: { content: 'Task not found in this server.' } },
    });
  });

  it('is read as not refused by a test that settles a late answer that is no refusal', async () => {
    const side = sandboxSide(summaryTask({ name: 'Daily digest' }));
    const bot = await side.serve();
    const payload = command('schedule pause', [str('task', 'task0001')]);
    const answer = await sendInteraction(bot, side.keys, payload);
    side.open();
    expect(await settle(bot, answer, payload.token)).toMatchObject({ deferred: true, rejected: false });
  });
});
