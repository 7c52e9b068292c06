import { afterEach, describe, expect, it } from 'vitest';
import {
  ControlError,
  ReplyEditTimeoutError,
  waitForReplyEdit,
} from '../../../../lib/local/control-client.ts';
import {
  type ControlAnswer,
  type ControlStandIn,
  startControlStandIn,
} from '../../../support/control-stand-in.ts';

type Recorded = { kind: 'edit_original' | 'follow_up'; body: { content: string }; messageId: string };

const working: Recorded = {
  kind: 'edit_original',
  body: { content: 'Started a run of Daily digest; this message shows the result when it is done.' },
  messageId: 'm1',
};
const result: Recorded = {
  kind: 'edit_original',
  body: { content: '✅ Daily digest ran: delivered to #digest.' },
  messageId: 'm1',
};
const followUp: Recorded = { kind: 'follow_up', body: { content: 'part 2' }, messageId: 'm2' };

/**
 * The bot's `GET interactions/tok1`, scripted: each poll answers the next list of the reply's recorded
 * edits and follow-ups (the last list repeats), as the stand-in records them while the bot works.
 */
async function botRecording(polls: Recorded[][]): Promise<ControlStandIn> {
  let gets = 0;
  return startControlStandIn((method, route): ControlAnswer => {
    if (method !== 'GET' || route !== 'interactions/tok1') {
      return { status: 404, body: { error: 'no interaction with that token' } };
    }
    const edits = polls[Math.min(gets, polls.length - 1)] ?? [];
    gets += 1;
    return { status: 200, body: { type: 5, edits } };
  });
}

describe('waiting for the edit of an interaction reply, as the CLI and the tests do', () => {
  let server: ControlStandIn | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('returns a deferred /schedule run’s result (its second edit), not the "Started a run" edit before it', async () => {
    server = await botRecording([[], [working], [working], [working, result]]);
    const edit = await waitForReplyEdit(server.bot(), 'tok1', { nth: 2, pollMs: 5 });
    expect(edit).toEqual({ body: result.body, messageId: 'm1' });
  });

  it('returns the first edit as the answer of a deferred command, counting no follow-up message', async () => {
    server = await botRecording([[], [followUp], [followUp, working, result]]);
    const edit = await waitForReplyEdit(server.bot(), 'tok1', { pollMs: 5 });
    expect(edit.body).toEqual(working.body);
  });

  it('gives up by its deadline when the second edit never comes, handing back the edit that did', async () => {
    server = await botRecording([[working]]);
    const waiting = waitForReplyEdit(server.bot(), 'tok1', { nth: 2, deadlineMs: 200, pollMs: 5 });
    const error: unknown = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyEditTimeoutError);
    expect((error as ReplyEditTimeoutError).seen).toEqual([{ body: working.body, messageId: 'm1' }]);
    expect((error as Error).message).toMatch(
      /interaction tok1: 1 edit of its reply within 200 ms, expected 2/,
    );
  });

  it('says so when the bot knows no interaction with that token', async () => {
    server = await botRecording([[]]);
    const waiting = waitForReplyEdit(server.bot(), 'unknown-token', { pollMs: 5 });
    await expect(waiting).rejects.toBeInstanceOf(ControlError);
    await expect(waiting).rejects.toThrow(/no interaction with that token/);
  });
});
