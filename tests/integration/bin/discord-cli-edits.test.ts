/**
 * `summary-bot discord '/schedule run …'` waiting for the run's result, against a scripted bot on loopback
 * (its control API and interactions endpoint): the reply the bot gives at once or after its deferral, then
 * the edits the stand-in records, poll by poll. On a loaded machine the local runtime defers a command
 * still working after 1.5 s, and a deferred run's reply is edited twice: its "Started a run" answer, then
 * the run's result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runDiscord } from '../../../bin/commands/discord.ts';
import type { ManualRunResult } from '../../../lib/execution/describe-outcome.ts';
import { exportPrivateKey, generateSigningKeys } from '../../../lib/local/discord-signer.ts';
import { sampleServerInfo } from '../../../lib/local/sandbox/sample-server.ts';
import { writeStateFile } from '../../../lib/local/state-files.ts';
import { captureCliOutput } from '../../support/cli-output.ts';
import {
  type ControlAnswer,
  type ControlStandIn,
  startControlStandIn,
} from '../../support/control-stand-in.ts';

const APPLICATION_ID = '100000000000000077';
const STARTED = 'Started a run of Daily digest; this message shows the result when it is done.';
const RESULT = '✅ Daily digest ran: delivered to #digest.';
const NOT_FOUND = 'Task not found in this server.';
const SUCCEEDED: ManualRunResult = { status: 'succeeded' };
const edit = (content: string) => ({ kind: 'edit_original', body: { content }, messageId: 'm1' });

describe('summary-bot discord: a /schedule run waits for its result', () => {
  let dataDir: string;
  let bot: ControlStandIn | undefined;
  let captured: ReturnType<typeof captureCliOutput>;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-discord-edits-'));
    captured = captureCliOutput();
    vi.stubEnv('DATA_DIR', dataDir);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await bot?.close();
    bot = undefined;
    await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * A running sandbox bot in `dataDir` that answers the command with `reply` and, at each poll of the
   * interaction, with the next list of `polls` (the last repeats). With `refusedLate`, a poll that shows an
   * edit also says the bot refused the command after its deferral (it records that before editing). With
   * `run`, the last poll, and those after it, say how the run came out (the bot records that after its edit).
   */
  async function botAnswering(
    reply: unknown,
    polls: ReturnType<typeof edit>[][],
    { refusedLate = false, run }: { refusedLate?: boolean; run?: ManualRunResult } = {},
  ): Promise<void> {
    let gets = 0;
    const info = {
      sandbox: true,
      applicationId: APPLICATION_ID,
      now: '2026-12-02T10:00:00.000Z',
      server: sampleServerInfo(),
      scheduler: { armed: 0, fired: 0, inFlight: 0 },
    };
    bot = await startControlStandIn(
      (method, route): ControlAnswer => {
        if (method === 'GET' && route === 'info') return { status: 200, body: info };
        if (method === 'GET' && route.startsWith('interactions/')) {
          const edits = polls[Math.min(gets, polls.length - 1)] ?? [];
          const result = run && gets >= polls.length - 1 ? { run } : {};
          gets += 1;
          const rejected = refusedLate && edits.length > 0 ? { rejected: true } : {};
          const type = (reply as { type: number }).type;
          return { status: 200, body: { type, ...rejected, ...result, edits } };
        }
        return { status: 404, body: { error: 'unknown route' } };
      },
      () => ({ status: 200, body: reply }),
    );
    await writeStateFile(join(dataDir, 'runtime.json'), bot.bot().runtime);
    await writeStateFile(join(dataDir, 'sandbox.json'), {
      applicationId: APPLICATION_ID,
      privateKey: exportPrivateKey(generateSigningKeys()),
      clockOffsetMs: 0,
    });
  }
  const output = () => captured.stdout();
  const errors = () => captured.stderr;
  const deferral = {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    data: { flags: MessageFlags.Ephemeral },
  };
  const answered = {
    type: InteractionResponseType.ChannelMessageWithSource,
    data: { content: STARTED, flags: MessageFlags.Ephemeral },
  };

  it('prints a deferred run’s "Started a run" answer, then its result when the second edit comes', async () => {
    await botAnswering(deferral, [[], [edit(STARTED)], [edit(STARTED)], [edit(STARTED), edit(RESULT)]], {
      run: SUCCEEDED,
    });
    expect(await runDiscord(['/schedule run task:Daily digest'])).toBe(0);
    expect(output()).toBe(`(the bot is thinking…)\n${STARTED}\n\n(edited:)\n${RESULT}\n`);
  });

  it('prints a run answered at once, then its result from the first edit', async () => {
    await botAnswering(answered, [[], [edit(RESULT)]], { run: SUCCEEDED });
    expect(await runDiscord(['/schedule run task:Daily digest', '--wait', '60'])).toBe(0);
    expect(output()).toBe(`${STARTED}\n(only you can see this)\n\n(edited:)\n${RESULT}\n`);
  });

  it('exits 1 with the reason on stderr when the run it started ran and failed', async () => {
    const failed = '❌ The run failed: the bot cannot read any of the channels (123).';
    await botAnswering(answered, [[], [edit(failed)]], {
      run: { status: 'failed', problem: 'the run failed: the bot cannot read any of the channels (123)' },
    });
    expect(await runDiscord(['/schedule run task:Daily digest'])).toBe(1);
    expect(output()).toBe(`${STARTED}\n(only you can see this)\n\n(edited:)\n${failed}\n`);
    expect(errors().join('')).toBe(
      'discord: the run failed: the bot cannot read any of the channels (123)\n',
    );
  });

  it('exits 1 for a run that delivered to only some of its destinations, and says which failed', async () => {
    const problem = 'the run delivered to 1 of 2 destinations (webhook: HTTP 404)';
    await botAnswering(answered, [[edit('⚠️ Summarized 3 messages; delivered to 1 of 2 destinations.')]], {
      run: { status: 'partial', problem },
    });
    expect(await runDiscord(['/schedule run task:Daily digest', '--json'])).toBe(1);
    expect(JSON.parse(output())).toMatchObject({ rejected: false, run: { status: 'partial', problem } });
    expect(errors().join('')).toBe(`discord: ${problem}\n`);
  });

  it('says why a run that failed before it could edit its reply failed, waiting for no edit', async () => {
    const problem = 'the run failed: internal error (StoreError)';
    await botAnswering(answered, [[]], { run: { status: 'failed', problem } });
    expect(await runDiscord(['/schedule run task:Daily digest', '--wait', '60'])).toBe(1);
    expect(output()).toBe(`${STARTED}\n(only you can see this)\n`);
    expect(errors().join('')).toBe(`discord: ${problem}\n`);
  });

  it('exits 0 for a run its task skipped for too few messages, as the task asks', async () => {
    await botAnswering(answered, [[edit('⏭️ Skipped: no new messages.')]], { run: { status: 'skipped' } });
    expect(await runDiscord(['/schedule run task:Daily digest'])).toBe(0);
    expect(errors()).toEqual([]);
  });

  it('shows the answer of a deferred run whose result never comes, says so by --wait, and exits 1', async () => {
    await botAnswering(deferral, [[edit(STARTED)]]);
    expect(await runDiscord(['/schedule run task:Daily digest', '--wait', '1'])).toBe(1);
    expect(output()).toBe(
      `(the bot is thinking…)\n${STARTED}\nNo run result within 1 s; the run may still finish (see the bot's output).\n`,
    );
  });

  it('prints the refusal of a run refused after its deferral, waits for no run result, and exits 1', async () => {
    await botAnswering(deferral, [[], [edit(NOT_FOUND)]], { refusedLate: true });
    expect(await runDiscord(['/schedule run task:Weekly digest', '--wait', '2'])).toBe(1);
    expect(output()).toBe(`(the bot is thinking…)\n${NOT_FOUND}\n`);
  });

  it('exits 1 for any other command refused after its deferral', async () => {
    await botAnswering(deferral, [[], [edit(NOT_FOUND)]], { refusedLate: true });
    expect(await runDiscord(['/schedule pause task:Weekly digest'])).toBe(1);
    expect(output()).toBe(`(the bot is thinking…)\n${NOT_FOUND}\n`);
  });

  it('says a late refusal in --json', async () => {
    await botAnswering(deferral, [[edit(NOT_FOUND)]], { refusedLate: true });
    expect(await runDiscord(['/schedule run task:Weekly digest', '--json', '--wait', '2'])).toBe(1);
    expect(JSON.parse(output())).toMatchObject({ edit: { content: NOT_FOUND }, rejected: true });
  });
});
