import { describe, expect, it } from 'vitest';
import { advanceClock } from '../../lib/local/control-client.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { SAMPLE_CHANNELS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import type { RunRecord } from '../../lib/tasks/run-record.ts';
import { useSandboxPerTest } from '../support/sandbox-runtime.ts';
import { until } from '../support/until.ts';
import { recordFigures } from './figures.ts';

/**
 * "Run now" whose every attempt fails, with a restart in between (issue #11): a manual run's retries used to
 * claim as attempt 1 each time, so the record never said how much of the 3-attempt budget was spent and a
 * restart granted a fresh one.
 */
describe('a manual run retried across a restart', () => {
  const sandbox = useSandboxPerTest('summary-bot-manual-retry-');

  /**
   * Starts the sandbox runtime with Discord answering 503 to every post in #digest: transient, so each
   * attempt ends in a retryable failure. (Discord rather than a webhook: @discordjs/rest retries a 5xx at
   * once, while the webhook deliverer backs off inside each of the executor's backed-off tries, which made
   * every attempt wait 20-30 s; the attempt counting under test is the same.)
   */
  const start = (lines: string[]): Promise<LocalRuntime> =>
    sandbox.start({
      report: (line) => lines.push(line),
      // Before the start resumes the unfinished run: set after it, a quick resumed attempt could post first.
      prepareStandIn: (standIn) =>
        standIn.failNext(
          new RegExp(`POST \\S*/channels/${SAMPLE_CHANNELS.digest}/messages`),
          Array(1_000).fill({ status: 503 }),
        ),
    });

  it('counts its attempts on from the record, so a restart has only what is left of the budget', async () => {
    const lines: string[] = [];
    await start(lines);
    const info = sampleServerInfo();
    const send = async (line: string) => {
      const { answer } = await sandbox.command(line);
      return String(answer.json.data?.content ?? '');
    };
    await send(
      `/schedule create daily name:manual-retry channel:#general time:09:00 timezone:UTC post_to:#digest`,
    );
    // Read from the store: on a loaded machine the reply may be deferred ("thinking…") and edited later.
    const taskId = await until(async () => {
      const tasks = await sandbox.runtime.scheduler.listTaskSummaries(info.guild.id);
      return tasks.find((t) => t.name === 'manual-retry' && t.state === 'active')?.id;
    }, 'the task was created');
    await send(`/schedule run task:${taskId}`);

    const store = () => sandbox.runtime.store;
    /** The manual run's record once an attempt after `finished` has failed. */
    const failedAfter = (finished: string | undefined) =>
      until(async () => {
        const [run] = await store().listRuns(taskId);
        return run?.status === 'failed' && run.finishedAt !== finished ? run : undefined;
      }, 'the attempt failed');
    const first: RunRecord = await failedAfter(undefined);
    expect(first).toMatchObject({ trigger: 'manual', attempt: 1, retryable: true });
    // Lambda's first retry waits about a minute (the invoker's clock is the sandbox's).
    await advanceClock(sandbox.bot, '90s');
    const second = await failedAfter(first.finishedAt);
    expect(second).toMatchObject({ attempt: 2, retryable: true });

    // Stopped while the last retry waits in memory: the next start owes the run its one attempt left.
    await sandbox.runtime.stop();
    await start(lines);
    expect(lines.join('\n')).toMatch(/Unfinished runs from before: 1 resumed, 0 dead-lettered/);
    const last = await until(async () => {
      const [run] = await store().listRuns(taskId);
      return run?.status === 'failed' && run.retryable !== true ? run : undefined;
    }, 'the run was dead-lettered');
    expect(last.attempt).toBe(3);
    expect(last.error).toMatch(/^dead-lettered: /);
    expect(await store().listRuns(taskId)).toHaveLength(1);
    const deadLetters = (await store().listDeadLetters()).filter((d) => d.taskId === taskId);
    expect(deadLetters).toHaveLength(1);
    recordFigures('manual-retry.restart', {
      attempts: last.attempt,
      restarts: 1,
      deadLetters: deadLetters.length,
    });
  });
});
