/**
 * The sandbox's record of a command refused after "thinking…", as npm start wires it (lib/local/compose/
 * http.ts): the interaction handler tells InteractionReplies before editing the reply on the Discord
 * stand-in, and the control API's `GET interactions/<token>`, which the CLI polls, reports the refusal.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../../lib/discord/interaction-once.ts';
import { createDiscordRest, DiscordRestClient } from '../../../../lib/discord/rest.ts';
import { controlRoutes } from '../../../../lib/local/control-routes.ts';
import { EmbeddedScheduleGateway } from '../../../../lib/local/embedded-scheduler.ts';
import { ClockAdvancer } from '../../../../lib/local/sandbox/clock-advance.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { InteractionReplies } from '../../../../lib/local/sandbox/interaction-replies.ts';
import { SandboxClock } from '../../../../lib/local/sandbox/sandbox-clock.ts';
import { InMemoryScheduleRepository } from '../../../../lib/scheduling/schedule-repository.ts';
import { gatedScheduler } from '../../../support/gated-scheduler.ts';
import { APP, command, str } from '../../../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../../../support/signing.ts';
import { summaryTask } from '../../../support/task-fixtures.ts';

let standIn: DiscordStandIn;
beforeAll(async () => {
  standIn = await startDiscordStandIn({ applicationId: APP });
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
      poster: {
        editOriginalResponse: async (...args) => {
          await rest.editOriginalResponse(...args);
          edited();
        },
      },
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
  return { send, open, editLanded, known };
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
});
