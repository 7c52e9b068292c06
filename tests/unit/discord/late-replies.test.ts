/**
 * Replies the local runtime edits in after answering "thinking…" (deferAfter): what it tells the runtime
 * about them, and the order of a deferred `/schedule run`'s edits. The command's work waits on a gate the
 * test opens only after the deferral was answered, so each test is deferred whatever the machine's load.
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../../lib/discord/interaction-once.ts';
import type { LateReplyPoster } from '../../../lib/discord/late-reply.ts';
import type { ExecutorInvoker } from '../../../lib/execution/executor-input.ts';
import type { Task } from '../../../lib/tasks/task.ts';
import { TestClock } from '../../support/clock.ts';
import { editingPoster } from '../../support/editing-poster.ts';
import { gatedScheduler } from '../../support/gated-scheduler.ts';
import { command, str } from '../../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';
import { summaryTask } from '../../support/task-fixtures.ts';

const TASK = summaryTask({ name: 'Daily digest' });
const RESULT = '✅ Daily digest ran: delivered to #digest.';

/** What happened to the reply, in order: the runtime told of a late reply, or an edit of the reply. */
type Event = { late: { token: string; rejected: boolean } } | { edit: { token: string; body: unknown } };

type Poster = LateReplyPoster;

/** The handler over `task`, deferring whatever is not done after `deferMs` (0: everything the gate holds). */
function setup(task: Task | undefined, executor: (poster: Poster) => ExecutorInvoker, deferMs = 0) {
  const keys = generateSigningKeys();
  const events: Event[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const edits = () => events.filter((e) => 'edit' in e).length;
  const record = (event: Event) => {
    events.push(event);
    for (const w of waiters) if (edits() >= w.count) w.resolve();
  };
  const { scheduler, open } = gatedScheduler(task);
  const poster: Poster = editingPoster(async (_app, token, body) => {
    record({ edit: { token, body } });
  });
  const handler = createInteractionHandler({
    scheduler,
    executor: executor(poster),
    publicKey: keys.publicKeyHex,
    clock: new TestClock('2026-03-02T12:00:00Z'),
    interactions: new MemoryInteractionLedger(),
    logger: { error: () => {} },
    deferAfter: {
      ms: deferMs,
      poster,
      onLateReply: (token, late) => record({ late: { token, rejected: late.rejected } }),
    },
  });
  /** Resolves once the reply was edited `count` times. */
  const editedTimes = (count: number) =>
    new Promise<void>((resolve) => {
      waiters.push({ count, resolve });
      if (edits() >= count) resolve();
    });
  return { keys, handler, events, open, poster, editedTimes };
}

describe('replies edited in after "thinking…" (local runtime)', () => {
  it('tells the runtime a command refused after its deferral was refused, before editing the refusal in', async () => {
    const { keys, handler, events, open, editedTimes } = setup(undefined, () => ({ invoke: async () => {} }));
    const payload = command('schedule run', [str('task', TASK.id)]);
    const response = await handler.handle(signedRequest(payload, keys));
    expect(JSON.parse(response.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    open();
    await editedTimes(1);
    expect(events).toEqual([
      { late: { token: payload.token, rejected: true } },
      {
        // The edit is what Discord takes: the message, no flag of ours.
        edit: {
          token: payload.token,
          body: {
            content: 'Task not found in this server.',
            components: [],
            allowed_mentions: { parse: [] },
          },
        },
      },
    ]);
  });

  it('tells the runtime a late answer that is no refusal was not refused', async () => {
    const { keys, handler, events, open, editedTimes } = setup(TASK, () => ({ invoke: async () => {} }));
    const payload = command('schedule pause', [str('task', TASK.id)]);
    await handler.handle(signedRequest(payload, keys));
    open();
    await editedTimes(1);
    expect(events[0]).toEqual({ late: { token: payload.token, rejected: false } });
  });

  /** A run that is over as soon as it is asked for: it edits the reply with its result at once. */
  const instantRun =
    (invoked: unknown[] = []) =>
    (poster: Poster): ExecutorInvoker => ({
      invoke: async (input) => {
        invoked.push(input);
        if (input.type === 'manual' && input.reply)
          await poster.editOriginalResponse(input.reply.applicationId, input.reply.token, {
            content: RESULT,
          });
      },
    });
  const contents = (events: Event[]) =>
    events.flatMap((e) => ('edit' in e ? [(e.edit.body as { content: string }).content] : []));

  it('edits a deferred run’s "Started a run" in before the run starts, so a run done at once has the last word', async () => {
    const { keys, handler, events, open, editedTimes } = setup(TASK, instantRun());
    const payload = command('schedule run', [str('task', TASK.id)]);
    const response = await handler.handle(signedRequest(payload, keys));
    expect(JSON.parse(response.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    open();
    await editedTimes(2);
    expect(contents(events)).toEqual([
      'Started a run of **Daily digest**; this message shows the result when it is done.',
      RESULT,
    ]);
  });

  it('holds a run answered in time until its host has sent the answer, with nothing edited by the handler', async () => {
    const invoked: unknown[] = [];
    const { keys, handler, events, open } = setup(TASK, instantRun(invoked), 60_000);
    open();
    const payload = command('schedule run', [str('task', TASK.id)]);
    const response = await handler.handle(signedRequest(payload, keys));
    expect(JSON.parse(response.body).data.content).toMatch(/^Started a run of \*\*Daily digest\*\*/);
    expect(invoked).toEqual([]);
    // The host (lib/local/server.ts) calls this once the answer is sent.
    await response.afterSent?.();
    expect(invoked).toEqual([
      expect.objectContaining({
        type: 'manual',
        taskId: TASK.id,
        reply: expect.objectContaining({ token: payload.token }),
      }),
    ]);
    // The only edit is the run's own.
    expect(contents(events)).toEqual([RESULT]);
  });
});
