import { readFileSync } from 'node:fs';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { SchedulerPort } from '../../../lib/discord/context.ts';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../lib/discord/interaction-once.ts';
import type { ExecutorInput } from '../../../lib/execution/executor-input.ts';
import { TestClock } from '../../support/clock.ts';
import {
  ADMIN,
  bool,
  CHANNEL,
  chan,
  command,
  GUILD,
  int,
  OTHER_CHANNEL,
  READER,
  resolvedChannels,
  SECRET_CHANNEL,
  str,
} from '../../support/interaction-payloads.ts';
import { generateSigningKeys, signDiscordBody, signedRequest } from '../../support/signing.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/discord/${name}`, import.meta.url), 'utf8');

/** A scheduler that records every call; the routes under test here need none or only guild config. */
function recordingScheduler(config?: { timeZone?: string }) {
  const calls: string[] = [];
  const scheduler = new Proxy({} as SchedulerPort, {
    get: (_, name: string) => async () => {
      calls.push(name);
      if (name === 'getGuildConfig')
        return config
          ? { guildId: GUILD, ...config, updatedAt: '2026-01-01T00:00:00Z', version: 1 }
          : undefined;
      if (name === 'listTasks' || name === 'listTaskSummaries') return [];
      throw new Error(`unexpected scheduler call ${name}`);
    },
  });
  return { scheduler, calls };
}

function setup(config?: { timeZone?: string }) {
  const keys = generateSigningKeys();
  const { scheduler, calls } = recordingScheduler(config);
  const invoked: ExecutorInput[] = [];
  const handler = createInteractionHandler({
    scheduler,
    executor: { invoke: async (input) => void invoked.push(input) },
    publicKey: keys.publicKeyHex,
    interactions: new MemoryInteractionLedger(),
    clock: new TestClock('2026-03-02T12:00:00Z'),
    applicationId: '290926444748734465',
    logger: { error: () => {} },
  });
  const send = async (payload: unknown) => {
    const res = await handler.handle(signedRequest(payload, keys));
    return {
      ...res,
      json: res.headers['content-type'] === 'application/json' ? JSON.parse(res.body) : undefined,
    };
  };
  return { keys, handler, calls, invoked, send };
}

describe('the interactions handler: verification', () => {
  it('answers 401 to a missing or bad signature and calls nothing', async () => {
    const { keys, handler, calls, invoked } = setup();
    const body = JSON.stringify(command('schedule create daily', [str('time', '09:00')]));
    const unsigned = await handler.handle({ rawBody: Buffer.from(body), headers: {} });
    expect(unsigned).toMatchObject({ status: 401, body: 'invalid request signature' });
    const stranger = generateSigningKeys();
    const wrongKey = await handler.handle(signedRequest(body, stranger));
    expect(wrongKey.status).toBe(401);
    const garbage = await handler.handle({
      rawBody: Buffer.from(body),
      headers: { 'x-signature-ed25519': 'ab'.repeat(64), 'x-signature-timestamp': '1' },
    });
    expect(garbage.status).toBe(401);
    const tampered = signedRequest(body, keys);
    tampered.rawBody = Buffer.from(body.replace('09:00', '10:00'));
    expect((await handler.handle(tampered)).status).toBe(401);
    expect(calls).toEqual([]);
    expect(invoked).toEqual([]);
    expect((await handler.handle(signedRequest(body, keys))).status).toBe(200);
  });

  it('refuses a correctly signed request whose timestamp is over 5 minutes old or over 1 minute ahead', async () => {
    const keys = generateSigningKeys();
    const { scheduler, calls } = recordingScheduler();
    const invoked: ExecutorInput[] = [];
    const received = new TestClock('2026-03-02T12:00:00Z');
    const handler = createInteractionHandler({
      scheduler,
      executor: { invoke: async (input) => void invoked.push(input) },
      publicKey: keys.publicKeyHex,
      interactions: new MemoryInteractionLedger(),
      clock: received,
      signatureClock: received,
      logger: { error: () => {} },
    });
    const signedAt = (offsetSeconds: number) =>
      signedRequest(
        command('summarize', [], { permissions: READER }),
        keys,
        String(received.now().getTime() / 1000 + offsetSeconds),
      );
    const statuses = [];
    for (const offset of [-365 * 86_400, -301, 61])
      statuses.push((await handler.handle(signedAt(offset))).status);
    expect(statuses).toEqual([401, 401, 401]);
    expect(calls).toEqual([]);
    expect(invoked).toEqual([]);
    for (const offset of [-300, 0, 60]) expect((await handler.handle(signedAt(offset))).status).toBe(200);
    expect(invoked).toHaveLength(3);
  });

  it('reads signature headers in any case', async () => {
    const { keys, handler } = setup();
    const req = signedRequest('{"type":1}', keys);
    const headers = {
      'X-Signature-Ed25519': req.headers['x-signature-ed25519'],
      'X-SIGNATURE-TIMESTAMP': req.headers['x-signature-timestamp'],
    };
    expect((await handler.handle({ rawBody: req.rawBody, headers })).status).toBe(200);
  });

  it('answers PING with PONG as JSON', async () => {
    const { keys, handler } = setup();
    const res = await handler.handle(signedRequest(fixture('ping.json'), keys));
    expect(res).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: InteractionResponseType.Pong }),
    });
  });

  it('answers 400, never 500, to signed bodies that are not interactions', async () => {
    const { keys, handler } = setup();
    for (const body of [
      'not json',
      '{"type":99,"id":"1"}',
      '{"type":2,"id":"1","token":"t","member":{"user":{"id":"53908232506183680"}},"data":{"options":"x"}}',
      '[]',
    ]) {
      const res = await handler.handle(signedRequest(body, keys));
      expect(res.status, body).toBe(400);
      expect(res.body).toMatch(/^malformed interaction|^unsupported/);
    }
    const invalidUtf8 = Buffer.from([0x7b, 0xff, 0x7d]);
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await handler.handle({
      rawBody: invalidUtf8,
      headers: { 'x-signature-ed25519': signDiscordBody(invalidUtf8, ts, keys), 'x-signature-timestamp': ts },
    });
    expect(res.status).toBe(400);
  });
});

describe("the interactions handler: Discord's printed sample payloads", () => {
  it('parses the slash command sample and answers privately that the command is unknown', async () => {
    const { send } = setup();
    const res = await send(JSON.parse(fixture('slash-command.json')));
    expect(res.status).toBe(200);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toContain('not known');
  });

  it('parses the autocomplete payload and offers no choices for an unknown option', async () => {
    const { send } = setup();
    const res = await send(JSON.parse(fixture('autocomplete.json')));
    expect(res.json).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [] },
    });
  });

  it('parses the button sample and refuses a custom id it did not make', async () => {
    const { send } = setup();
    const res = await send(JSON.parse(fixture('button-click.json')));
    expect(res.json.data.content).toBe('This button is no longer valid.');
  });
});

describe('/summarize', () => {
  it('answers deferred and private, and hands the executor the token to edit the reply', async () => {
    const { send, invoked } = setup();
    const res = await send(command('summarize', [], { permissions: READER }));
    expect(res.json).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(invoked).toHaveLength(1);
    expect(invoked[0]).toMatchObject({
      type: 'adhoc',
      guildId: GUILD,
      channelIds: [CHANNEL],
      requestedBy: '53908232506183680',
      requestedAt: '2026-03-02T12:00:00.000Z',
      window: { hours: 24 },
      length: 'detailed',
      focus: 'general',
      ephemeral: true,
      reply: { applicationId: '290926444748734465' },
    });
    expect((invoked[0] as { reply: { token: string } }).reply.token).toMatch(/^token-/);
  });

  it('is public only when asked, and passes hours, length and focus', async () => {
    const { send, invoked } = setup();
    const res = await send(
      command(
        'summarize',
        [int('hours', 6), str('length', 'brief'), str('focus', 'developer'), bool('public', true)],
        { permissions: READER },
      ),
    );
    expect(res.json).toEqual({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: {} });
    expect(invoked[0]).toMatchObject({
      window: { hours: 6 },
      length: 'brief',
      focus: 'developer',
      ephemeral: false,
    });
  });

  it("reads `since` as a local time in the server's zone, or as an ISO instant", async () => {
    const { send, invoked } = setup({ timeZone: 'Europe/Berlin' });
    await send(command('summarize', [str('since', '2026-03-02 09:00')], { permissions: READER }));
    expect(invoked[0]).toMatchObject({ window: { since: '2026-03-02T08:00:00.000Z' } });
    await send(command('summarize', [str('since', '2026-03-01T10:00:00Z')], { permissions: READER }));
    expect(invoked[1]).toMatchObject({ window: { since: '2026-03-01T10:00:00.000Z' } });
  });

  it('summarizes another channel only when the member can read it there', async () => {
    const { send, invoked } = setup();
    const ok = await send(
      command('summarize', [chan('channel', OTHER_CHANNEL)], {
        permissions: READER,
        resolved: resolvedChannels({ [OTHER_CHANNEL]: READER }),
      }),
    );
    expect(ok.json.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(invoked[0]).toMatchObject({ channelIds: [OTHER_CHANNEL] });
    // Member may read here (and is even Manage Server), but the resolved channel says no View Channel.
    const refused = await send(
      command('summarize', [chan('channel', SECRET_CHANNEL)], {
        permissions: ADMIN,
        resolved: resolvedChannels({ [SECRET_CHANNEL]: '0' }),
      }),
    );
    expect(refused.json.data).toMatchObject({ flags: MessageFlags.Ephemeral });
    expect(refused.json.data.content).toContain(`cannot read the history of <#${SECRET_CHANNEL}>`);
    expect(invoked).toHaveLength(1);
  });

  it('checks the current channel from channel.permissions when Discord sends them', async () => {
    const { send, invoked } = setup();
    const res = await send(command('summarize', [], { permissions: READER, channelPermissions: '0' }));
    expect(res.json.data.content).toContain('cannot read');
    expect(invoked).toEqual([]);
  });

  const bad: [string, ReturnType<typeof command>, string][] = [
    [
      'both hours and since',
      command('summarize', [int('hours', 2), str('since', '2026-03-01 10:00')], { permissions: READER }),
      '**since**: give one of hours, minutes, since or from, not both hours and since',
    ],
    [
      'a since in the future',
      command('summarize', [str('since', '2026-03-03 10:00')], { permissions: READER }),
      '**since**: `2026-03-03 10:00` is in the future: it is now 12:00 on Monday 2 March 2026 in UTC',
    ],
    [
      'a since that is not a time',
      command('summarize', [str('since', 'last blue moon')], { permissions: READER }),
      '**since**: `last blue moon` is not a start time I understand; for example 90m, 2d, yesterday',
    ],
    [
      'a since older than 30 days',
      command('summarize', [str('since', '2026-01-01 10:00')], { permissions: READER }),
      '**since**: `2026-01-01 10:00` is more than 30 days ago',
    ],
  ];
  it.each(bad)(
    'refuses %s naming the option, without invoking the executor',
    async (_, payload, expected) => {
      const { send, invoked } = setup();
      const res = await send(payload);
      expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
      expect(res.json.data.content).toContain(expected);
      expect(invoked).toEqual([]);
    },
  );

  it('apologises with a reference when the executor cannot be invoked', async () => {
    const keys = generateSigningKeys();
    const logged: unknown[] = [];
    const handler = createInteractionHandler({
      scheduler: recordingScheduler().scheduler,
      executor: {
        invoke: async () => {
          throw new Error(
            'AccessDeniedException: lambda:InvokeFunction arn:aws:lambda:eu-west-1:123:function:x',
          );
        },
      },
      publicKey: keys.publicKeyHex,
      interactions: new MemoryInteractionLedger(),
      clock: new TestClock('2026-03-02T12:00:00Z'),
      logger: { error: (_m, a) => logged.push(a) },
      newReferenceId: () => 'abc123',
    });
    const res = await handler.handle(signedRequest(command('summarize', [], { permissions: READER }), keys));
    expect(JSON.parse(res.body).data.content).toBe('Sorry, something went wrong (reference `abc123`).');
    expect(res.body).not.toContain('arn:');
    expect(logged).toEqual([expect.objectContaining({ referenceId: 'abc123' })]);
  });
});
