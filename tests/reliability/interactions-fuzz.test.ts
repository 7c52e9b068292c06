/**
 * The interactions endpoint under arbitrary input (fast-check, fixed seed): any byte sequence without a
 * correct Ed25519 signature gets 401 and reaches nothing; a signed but malformed payload gets a 4xx (or an
 * ephemeral error) and never a 5xx, and writes nothing to the store or the schedule group.
 */
import { InteractionResponseType, InteractionType, MessageFlags } from 'discord-api-types/v10';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../lib/discord/interaction-once.ts';
import { ManualClock } from '../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../lib/local/embedded-scheduler.ts';
import type { ScheduleGateway, TaskStore } from '../../lib/scheduling/ports.ts';
import { InMemoryScheduleRepository } from '../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import { RecordingInvoker } from '../support/interaction-harness.ts';
import { autocomplete, button, command, str } from '../support/interaction-payloads.ts';
import { generateSigningKeys, signDiscordBody, signedRequest } from '../support/signing.ts';
import { recordFigures, SEED } from './figures.ts';

const WRITES = new Set([
  'createTask',
  'updateTask',
  'deleteTask',
  'putGuildConfig',
  'claimRun',
  'putRun',
  'deleteRun',
  'putDeadLetter',
  'create',
  'update',
  'delete',
]);

/** Wraps a port so every call of a write method is counted. */
function counting<T extends object>(target: T, writes: { count: number; calls: string[] }): T {
  return new Proxy(target, {
    get(obj, key, receiver) {
      const value = Reflect.get(obj, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (WRITES.has(String(key))) {
          writes.count += 1;
          writes.calls.push(String(key));
        }
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

describe('interactions handler under arbitrary input (property)', () => {
  const db = useEmbeddedStore({ tablePerTest: false });
  const keys = generateSigningKeys();
  const otherKeys = generateSigningKeys();
  const writes = { count: 0, calls: [] as string[] };
  let executor: RecordingInvoker;
  let handler: ReturnType<typeof createInteractionHandler>;
  let logs: string[];

  beforeEach(() => {
    const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
    const gateway: ScheduleGateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: async () => {},
    });
    const scheduler = new TaskScheduler({
      store: counting<TaskStore>(db.store, writes),
      schedules: counting(gateway, writes),
      clock,
    });
    executor = new RecordingInvoker();
    logs = [];
    handler = createInteractionHandler({
      scheduler,
      executor,
      publicKey: keys.publicKeyHex,
      clock,
      interactions: new MemoryInteractionLedger(),
      logger: { error: (message, attributes) => logs.push(`${message} ${JSON.stringify(attributes)}`) },
      fetchAttachment: async () => {
        throw new Error('no attachments in this test');
      },
    });
  });

  it('answers 401 to any byte sequence that is not correctly signed, and touches nothing', async () => {
    const now = String(Math.floor(Date.now() / 1000));
    const valid = JSON.stringify(command('schedule create daily', [str('time', '09:30'), str('name', 'x')]));
    const forged = fc.oneof(
      // Arbitrary bytes and arbitrary header values.
      fc.record({
        body: fc.uint8Array({ maxLength: 2048 }),
        signature: fc.oneof(fc.string(), fc.stringMatching(/^[0-9a-f]{128}$/), fc.constant(undefined)),
        timestamp: fc.oneof(fc.string(), fc.constant(now), fc.constant(undefined)),
      }),
      // A real payload signed by another key.
      fc.constant(valid).map((body) => ({
        body: Buffer.from(body),
        signature: signDiscordBody(body, now, otherKeys),
        timestamp: now,
      })),
      // A correct signature, then one byte of the body changed or the timestamp changed.
      fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean()).map(([at, delta, moveTime]) => {
        const body = Buffer.from(valid);
        const signature = signDiscordBody(body, now, keys);
        if (moveTime) return { body, signature, timestamp: String(Number(now) + 1 + (at % 1000)) };
        const i = at % body.length;
        body[i] = (body[i]! + delta) % 256;
        return { body, signature, timestamp: now };
      }),
    );
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(forged, async ({ body, signature, timestamp }) => {
        cases += 1;
        const headers: Record<string, string | undefined> = {
          'content-type': 'application/json',
          'x-signature-ed25519': signature,
          'x-signature-timestamp': timestamp,
        };
        const response = await handler.handle({ rawBody: body, headers });
        expect(response.status).toBe(401);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
    expect(writes.count).toBe(0);
    expect(executor.inputs).toHaveLength(0);
    recordFigures('interactions-unsigned', { cases, status401: cases, writes: writes.count, seed: SEED });
  });

  it('answers signed malformed payloads with a 4xx or an ephemeral error, never a 5xx, and writes nothing', async () => {
    const templates = [
      command('schedule create daily', [str('time', '09:30'), str('name', 'fuzz')]),
      command('schedule pause', [str('task', 'abcdefghijk')]),
      command('config timezone', [str('timezone', 'Europe/Berlin')]),
      autocomplete('schedule status', [str('task', 'st', true)]),
      button('task:cancel:abcdefghijk'),
      button('cancel:confirm:abcdefghijk'),
    ];
    // Paths whose corruption leaves no valid interaction that could write.
    const paths: (string | number)[][] = [
      ['type'],
      ['data'],
      ['data', 'name'],
      ['data', 'options'],
      ['data', 'options', 0],
      ['data', 'options', 0, 'type'],
      ['data', 'custom_id'],
      ['data', 'component_type'],
      ['member'],
      ['member', 'user'],
      ['member', 'permissions'],
      ['guild_id'],
    ];
    const junk = fc.oneof(
      fc.constant(undefined),
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc.integer(),
      fc.constant('\u0000'),
      fc.constant('x'.repeat(10_000)),
    );
    const exists = (value: unknown, path: (string | number)[]) => {
      let node: unknown = value;
      for (const key of path) {
        if (typeof node !== 'object' || node === null || !(key in node)) return false;
        node = (node as Record<string | number, unknown>)[key];
      }
      return true;
    };
    const corrupted = fc
      .tuple(fc.constantFrom(...templates), fc.constantFrom(...paths), junk)
      .filter(([template, path]) => exists(template, path))
      // The token is opaque to the bot (any string is Discord's business); only a missing or non-string one is
      // malformed, tested below.
      .map(([template, path, value]) => {
        const copy = structuredClone(template) as Record<string, unknown>;
        let node = copy as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        const last = path[path.length - 1]!;
        if (value === undefined) delete node[last];
        else node[last] = value;
        return { before: JSON.stringify(template), after: JSON.stringify(copy) };
      })
      // A corruption that happens to leave the payload as it was is not malformed.
      .filter(({ before, after }) => before !== after)
      .map(({ after }) => after);
    const badToken = fc
      .tuple(
        fc.constantFrom(...templates),
        fc.oneof(
          fc.constant(undefined),
          fc.constant(''),
          fc.integer(),
          fc.constant(null),
          fc.jsonValue().filter((v) => typeof v !== 'string'),
        ),
      )
      .map(([template, token]) => JSON.stringify({ ...template, token }));
    const payloads = fc.oneof(
      corrupted,
      badToken,
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      // Valid JSON with an interaction type the bot does not handle (MODAL_SUBMIT, unknown numbers).
      fc
        .integer({ min: -5, max: 50 })
        .filter((t) => t !== InteractionType.Ping && !(t >= 2 && t <= 4))
        .map((type) => JSON.stringify({ ...templates[0], type })),
    );
    let cases = 0;
    let status4xx = 0;
    let ephemeral = 0;
    await fc.assert(
      fc.asyncProperty(payloads, async (body) => {
        cases += 1;
        const before = writes.count;
        const response = await handler.handle(signedRequest(body, keys));
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          status4xx += 1;
        } else {
          expect(response.status).toBe(200);
          const json = JSON.parse(response.body) as { type: number; data?: { flags?: number } };
          if (json.type === InteractionResponseType.ChannelMessageWithSource) {
            // An error a member can read, seen only by them.
            expect((json.data?.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
            ephemeral += 1;
          } else {
            expect([
              InteractionResponseType.Pong,
              InteractionResponseType.ApplicationCommandAutocompleteResult,
              InteractionResponseType.UpdateMessage,
            ]).toContain(json.type);
          }
        }
        expect(writes.count - before, `writes for ${body.slice(0, 300)}: ${writes.calls.join(',')}`).toBe(0);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    expect(executor.inputs).toHaveLength(0);
    expect(status4xx).toBeGreaterThan(100);
    recordFigures('interactions-signed-malformed', {
      cases,
      status4xx,
      ephemeralErrors: ephemeral,
      other2xx: cases - status4xx - ephemeral,
      status5xx: 0,
      writes: writes.count,
      seed: SEED,
    });
  });
});
