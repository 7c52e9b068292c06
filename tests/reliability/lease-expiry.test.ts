/**
 * A run whose lease runs out while it is still running (issue #11): the attempt stalled (a call that hung,
 * a process paused) past its lease, so another attempt may take the run over. The run is neither lost nor
 * done twice: the attempt holding it now delivers once and settles the record; the stalled one, when it
 * wakes, finds the run taken over at its next write and stops before it posts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advanceClock, callControl } from '../../lib/local/control-client.ts';
import { sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { ExtractiveSummarizer } from '../../lib/summarization/extractive.ts';
import type { Summarizer } from '../../lib/summarization/summarizer.ts';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import {
  DIGEST,
  GENERAL,
  GUILD,
  seedConversation,
  summaryTask,
  useHarness,
} from '../support/executor-harness.ts';
import { citingAnswer, type LlmReply, type LlmStandIn, startLlmStandIn } from '../support/llm-stand-in.ts';
import { useSandboxPerTest } from '../support/sandbox-runtime.ts';
import { until } from '../support/until.ts';
import { recordFigures } from './figures.ts';

const SCHEDULED = '2026-11-27T08:00:00.000Z';
const event = (executionId: string) => ({
  type: 'scheduled' as const,
  taskId: 'task0000001',
  guildId: GUILD,
  scheduledTime: SCHEDULED,
  executionId,
  attempt: 1,
});

/** The extractive summarizer, whose first call waits until the test lets it go: the stalled attempt. */
function stallingFirstCall(): { summarizer: Summarizer; entered: Promise<void>; release: () => void } {
  const inner = new ExtractiveSummarizer();
  let release: () => void = () => undefined;
  let enter: () => void = () => undefined;
  const entered = new Promise<void>((resolve) => {
    enter = resolve;
  });
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  return {
    summarizer: {
      name: 'stalling extractive',
      summarize: async (messages, options) => {
        if (calls++ === 0) {
          enter();
          await gate;
        }
        return inner.summarize(messages, options);
      },
    },
    entered,
    release,
  };
}

describe('the AWS executor: an invocation that outlived its lease', () => {
  const db = useEmbeddedStore();
  let stall: ReturnType<typeof stallingFirstCall>;
  // Before the harness starts: it builds its summarizer from this test's stall.
  beforeEach(() => {
    stall = stallingFirstCall();
  });
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'), {
    summarizer: () => stall.summarizer,
  });

  it('is taken over by a duplicate delivery, which posts once; the stalled one posts nothing when it wakes', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask());
    // Invocation A claims the run and stalls in the summarizer.
    const stalled = h.executor.execute(event('exec-a'));
    await stall.entered;
    const claimedByA = await db.store.getRun('task0000001', SCHEDULED);
    expect(claimedByA).toMatchObject({ status: 'running', attempt: 1 });

    // Past A's lease (2 minutes): EventBridge's at-least-once delivery of the same time takes the run over.
    h.clock.current = new Date(Date.parse(claimedByA?.leaseUntil as string) + 60_000);
    const takeover = await h.executor.execute(event('exec-b'));
    expect(takeover.status).toBe('succeeded');
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(1);

    // A wakes up: it finds the run taken over before it posts, and leaves the record as B wrote it.
    stall.release();
    const late = await stalled;
    expect(late.status).toBe('superseded');
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(1);
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2, executionId: 'exec-b' });
    expect(run?.destinations).toEqual([expect.objectContaining({ status: 'delivered' })]);
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata).toMatchObject({ runCount: 1, successCount: 1, failureCount: 0 });

    recordFigures('lease-expiry.aws-duplicate', {
      invocations: 2,
      posts: h.standIn.postedMessages(DIGEST).length,
      attemptRecorded: run?.attempt ?? 0,
      runCount: task?.metadata.runCount ?? 0,
    });
  });
});

describe('npm start (sandbox): a run that stalls past its lease while the bot runs', () => {
  let llm: LlmStandIn | undefined;
  // Registered before the sandbox's: after-each hooks run last-registered first, so the bot stops before
  // the model it talks to closes.
  afterEach(async () => {
    await llm?.close();
    llm = undefined;
  });
  const sandbox = useSandboxPerTest('summary-bot-lease-');

  it('is finished once by the attempt still working on it, through the lease watch and the daily sweep', async () => {
    llm = await startLlmStandIn();
    // The first call to the model stalls until the test lets it go (well inside the call's own timeout).
    let wake: (reply: LlmReply) => void = () => undefined;
    const woken = new Promise<LlmReply>((resolve) => {
      wake = resolve;
    });
    llm.script({ after: woken });
    const lines: string[] = [];
    const runtime = await sandbox.start({
      env: {
        SUMMARIZER: 'openai-compatible',
        SUMMARIZER_MODEL: 'llama3.1',
        SUMMARIZER_BASE_URL: `${llm.origin}/v1`,
        SUMMARIZER_TIMEOUT_SECONDS: '600',
      },
      report: (line) => lines.push(line),
    });
    const info = sampleServerInfo();
    const channel = (name: string) => info.channels.find((c) => c.name === name)?.id as string;
    const bot = sandbox.bot;
    // Every 7 days: no scheduled run of it is due in the day the test lets pass.
    await sandbox.command(
      '/schedule create every name:lease-stall value:7 unit:days channel:#general post_to:#digest',
    );
    // Read from the store: on a loaded machine the reply may be deferred ("thinking…") and edited later.
    const store = () => runtime.store;
    const taskId = await until(async () => {
      const tasks = await runtime.scheduler.listTaskSummaries(info.guild.id);
      return tasks.find((t) => t.name === 'lease-stall' && t.state === 'active')?.id;
    }, 'the task was created');
    const { payload: runNow } = await sandbox.command(`/schedule run task:${taskId}`);

    // Attempt 1 has read #general and waits on the model.
    await until(
      async () => ((llm as LlmStandIn).requests.length === 1 ? true : undefined),
      'the model was asked',
    );
    const [stalled] = await store().listRuns(taskId);
    expect(stalled).toMatchObject({ trigger: 'manual', status: 'running', attempt: 1 });

    // Its 2-minute lease runs out on the sandbox clock, and the day passes (the daily sweep of unfinished
    // runs): the attempt still works in this process, so neither takes the run over or runs it again.
    await advanceClock(bot, '1d');
    expect(lines.some((l) => /^Reconciled daily|^Unfinished runs found daily/.test(l))).toBe(false);
    expect(llm.requests).toHaveLength(1);
    expect((await store().listRuns(taskId))[0]).toMatchObject({ status: 'running', attempt: 1 });

    // The model answers at last: the run ends once, with one digest, and its message shows the result.
    wake(citingAnswer(llm.requests[0] as never));
    const run = await until(async () => {
      const [found] = await store().listRuns(taskId);
      return found?.status === 'succeeded' ? found : undefined;
    }, 'the run finished');
    expect(run.attempt).toBe(1);
    const digest = runtime.standIn?.postedMessages(channel('digest')) ?? [];
    expect(digest).toHaveLength(1);
    await until(async () => {
      const known = await callControl<{ edits: { kind: string; body: { content?: string } }[] }>(
        bot,
        'GET',
        `interactions/${runNow.token}`,
      );
      return known.edits.some((e) => /Summarized/.test(e.body.content ?? '')) ? true : undefined;
    }, 'the run-now message shows the result');
    expect(await store().listRuns(taskId)).toHaveLength(1);
    const task = await store().getTask(info.guild.id, taskId);
    expect(task?.metadata).toMatchObject({ runCount: 1, successCount: 1, failureCount: 0 });
    expect((await store().listDeadLetters()).filter((d) => d.taskId === taskId)).toEqual([]);

    recordFigures('lease-expiry.local-stall', {
      sandboxHoursPastLease: 24,
      attemptsRecorded: run.attempt,
      posts: digest.length,
      modelCalls: llm.requests.length,
      deadLetters: 0,
    });
  });
});
