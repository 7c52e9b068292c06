import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { SchedulerPort } from '../../../lib/discord/context.ts';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../lib/discord/interaction-once.ts';
import { TestClock } from '../../support/clock.ts';
import { editingPoster } from '../../support/editing-poster.ts';
import { command } from '../../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';

/** A scheduler whose guild listing takes `delayMs`, like an overloaded store. */
function slowScheduler(delayMs: number): SchedulerPort {
  return new Proxy({} as SchedulerPort, {
    get: (_, name: string) => async () => {
      if (name === 'getGuildConfig') return undefined;
      if (name === 'listTaskSummaries' || name === 'listTasks') {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return [];
      }
      throw new Error(`unexpected scheduler call ${name}`);
    },
  });
}

function setup(delayMs: number) {
  const keys = generateSigningKeys();
  const edits: { applicationId: string; token: string; body: { content?: string | null } }[] = [];
  let settled: () => void = () => {};
  const edited = new Promise<void>((resolve) => {
    settled = resolve;
  });
  const handler = createInteractionHandler({
    scheduler: slowScheduler(delayMs),
    executor: { invoke: async () => {} },
    publicKey: keys.publicKeyHex,
    clock: new TestClock('2026-03-02T12:00:00Z'),
    interactions: new MemoryInteractionLedger(),
    applicationId: '290926444748734465',
    logger: { error: () => {} },
    deferAfter: {
      ms: 50,
      poster: editingPoster(async (applicationId, token, body) => {
        edits.push({ applicationId, token, body });
        settled();
      }),
    },
  });
  return { keys, handler, edits, edited };
}

describe('the interactions handler under a deadline (local runtime)', () => {
  it('answers a slow command with a private "thinking…" and edits the real reply in when it is ready', async () => {
    const { keys, handler, edits, edited } = setup(300);
    const payload = command('schedule list', []);
    const response = await handler.handle(signedRequest(payload, keys));
    const body = JSON.parse(response.body);
    expect(body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(body.data.flags).toBe(MessageFlags.Ephemeral);
    expect(edits).toEqual([]);
    await edited;
    expect(edits).toHaveLength(1);
    expect(edits[0]?.token).toBe((payload as { token: string }).token);
    expect(edits[0]?.body.content).toMatch(/no scheduled summaries|No tasks|no tasks/i);
  });

  it('answers a quick command directly, with nothing to edit later', async () => {
    const { keys, handler, edits } = setup(0);
    const response = await handler.handle(signedRequest(command('schedule list', []), keys));
    expect(JSON.parse(response.body).type).toBe(InteractionResponseType.ChannelMessageWithSource);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(edits).toEqual([]);
  });
});
