import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunFailedError, RunInProgressError } from '../../../lib/errors.ts';
import { describeFailingDestinations } from '../../../lib/execution/destination-health.ts';
import { validateMessageBody } from '../../../lib/local/sandbox/message-limits.ts';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  RANDOM,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';

const SCHEDULED = '2026-11-27T08:00:00.000Z';
const scheduled = (overrides: Record<string, unknown> = {}) => ({
  type: 'scheduled' as const,
  taskId: 'task0000001',
  guildId: GUILD,
  scheduledTime: SCHEDULED,
  executionId: 'exec-1',
  attempt: 1,
  ...overrides,
});

describe('TaskExecutor: a scheduled run', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));

  it('reads the channel, summarizes and delivers to a channel, a webhook and a file, then records the run', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(
      summaryTask({
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'embed' },
          { type: 'webhook', url: h.webhook.url, secret: 'a-very-long-signing-secret' },
          { type: 'file', prefix: 'digests' },
        ],
      }),
    );
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status === 'succeeded' || outcome.status === 'partial').toBe(true);

    const posted = h.standIn.postedMessages(DIGEST);
    expect(posted.length).toBeGreaterThan(0);
    expect(JSON.stringify(posted)).toContain('ARM');
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.messageCount).toBe(10);
    expect(run?.channels).toEqual([{ channelId: GENERAL, status: 'read', messages: 10 }]);
    expect(run?.destinations?.find((d) => d.type === 'discord_channel')?.status).toBe('delivered');
    expect(run?.destinations?.find((d) => d.type === 'file')?.status).toBe('delivered');

    const files = await readdir(join(h.dataDir, 'files', 'digests', GUILD, GENERAL));
    expect(files.some((f) => f.endsWith('.md'))).toBe(true);
    expect(files.some((f) => f.endsWith('.json'))).toBe(true);

    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata.runCount).toBe(1);
    expect(task?.metadata.lastRun?.scheduledTime).toBe(SCHEDULED);
    expect(task?.metadata.nextRunAt).toBe('2026-11-28T08:00:00.000Z'); // 09:00 in Berlin
    expect(task?.kind === 'summary' && task.cursors[GENERAL]).toBe(h.standIn.messages(GENERAL).at(-1)?.id);
  });

  it('posts nothing twice when EventBridge delivers the same scheduled time twice', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask());
    await h.executor.execute(scheduled());
    const afterFirst = h.standIn.postedMessages(DIGEST).length;
    const second = await h.executor.execute(scheduled({ executionId: 'exec-2' }));
    expect(second.status).toBe('duplicate');
    expect(h.standIn.postedMessages(DIGEST).length).toBe(afterFirst);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.runCount).toBe(1);
  });

  it('starts the next run after the cursor, so a message is summarized once', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask({ options: SummaryOptions.parse({ minMessages: 1 }) }));
    await h.executor.execute(scheduled());
    h.standIn.addMessage({
      channelId: GENERAL,
      author: { id: '400000000000000009', username: 'dora' },
      content: 'One new message after the digest about the migration window.',
      timestamp: new Date('2026-11-27T12:00:00.000Z'),
    });
    h.clock.current = new Date('2026-11-28T08:00:10.000Z');
    await h.executor.execute(scheduled({ scheduledTime: '2026-11-28T08:00:00.000Z' }));
    const run = await db.store.getRun('task0000001', '2026-11-28T08:00:00.000Z');
    expect(run?.messageCount).toBe(1);
    // The window is what this run read: from the last message the previous run summarized, not 30 days.
    const previousLast = h.standIn.messages(GENERAL).at(-2);
    expect(run?.window?.from).toBe(previousLast?.timestamp && new Date(previousLast.timestamp).toISOString());
    expect(run?.window?.to).toBe('2026-11-28T08:00:00.000Z');
  });

  it('records a run with too few messages as skipped and posts nothing', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED), 2);
    await db.store.createTask(summaryTask({ options: SummaryOptions.parse({ minMessages: 5 }) }));
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status).toBe('skipped');
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(0);
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata.skipCount).toBe(1);
    expect(task?.metadata.consecutiveFailures).toBe(0);
  });

  it('posts a quiet-period note for a skipped run when the task asks for it', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED), 1);
    await db.store.createTask(
      summaryTask({ options: SummaryOptions.parse({ minMessages: 5, postWhenQuiet: true }) }),
    );
    await h.executor.execute(scheduled());
    expect(JSON.stringify(h.standIn.postedMessages(DIGEST))).toContain('Quiet period');
  });

  it('ignores a run of a paused task', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask({ state: 'paused' }));
    const outcome = await h.executor.execute(scheduled());
    expect(outcome).toEqual({ status: 'ignored', reason: 'task is paused' });
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(0);
    expect(await db.store.getRun('task0000001', SCHEDULED)).toBeUndefined();
  });

  it('skips a channel the bot cannot read, names it, and still summarizes the others', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.standIn.forbid(RANDOM);
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, RANDOM] }));
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status).toBe('succeeded');
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.channels).toContainEqual({ channelId: RANDOM, status: 'forbidden', messages: 0 });
    // In words: an embed footer shows a channel mention as typed.
    expect(JSON.stringify(h.standIn.postedMessages(DIGEST))).toContain(
      `Not readable by the bot: channel ${RANDOM}.`,
    );
  });

  it('reports a missing Message Content intent as a configuration error instead of summarizing silence', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.standIn.setMessageContentIntent(false);
    await db.store.createTask(summaryTask());
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status).toBe('failed');
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.error).toMatch(/Message Content/i);
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(0);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(1);
  });

  it('records a partial failure when one destination of two fails for good', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.webhook.failNext(404);
    await db.store.createTask(
      summaryTask({
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'markdown' },
          { type: 'webhook', url: h.webhook.url },
        ],
      }),
    );
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status).toBe('partial');
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.destinations?.map((d) => d.status)).toEqual(['delivered', 'failed']);
    for (const message of h.standIn.postedMessages(DIGEST))
      expect(message.content.length).toBeLessThanOrEqual(2000);
  });

  it('asks a failing webhook only as often as the webhook deliverer retries, not again for each of its tries', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.webhook.failNext(...Array(20).fill(503));
    await db.store.createTask(
      summaryTask({
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'markdown' },
          { type: 'webhook', url: h.webhook.url },
        ],
      }),
    );
    const outcome = await h.executor.execute(scheduled()).catch((error: unknown) => error);
    // The harness's webhook deliverer tries twice (retries: 1); the executor adds no tries of its own.
    expect(h.webhook.attempts).toBe(2);
    expect(outcome).toBeDefined();
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.destinations?.map((d) => d.status)).toEqual(['delivered', 'failed']);
  });

  it('counts a destination that fails run after run and alerts once, while the others deliver', async () => {
    await db.store.createTask(
      summaryTask({
        options: SummaryOptions.parse({ minMessages: 1, lookback: { mode: 'fixed', hours: 24 } }),
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'markdown' },
          { type: 'webhook', url: h.webhook.url },
        ],
      }),
    );
    const host = new URL(h.webhook.url).host;
    for (let day = 0; day < 6; day += 1) {
      const at = new Date(Date.parse(SCHEDULED) + day * 86_400_000).toISOString();
      seedConversation(h.standIn, GENERAL, new Date(at));
      h.webhook.failNext(404);
      const outcome = await h.executor.execute(scheduled({ scheduledTime: at, executionId: `exec-${day}` }));
      expect(outcome.status).toBe('partial');
    }
    const task = await db.store.getTask(GUILD, 'task0000001');
    // A partial run resets the task's own count; the destination's count keeps the failure visible.
    expect(task?.metadata.consecutiveFailures).toBe(0);
    expect(task && describeFailingDestinations(task)).toEqual([
      `the webhook on ${host} failed the last 6 runs`,
    ]);
    const notices = h.standIn
      .postedMessages(DIGEST)
      .filter((m) => m.content.startsWith('⚠️'))
      .map((m) => m.content);
    expect(notices).toEqual([
      `⚠️ The scheduled summary **Daily digest** (\`task0000001\`) could not deliver to the webhook on ${host} in the last 5 runs; its other destinations still receive it.\n` +
        `Last error: webhook ${new URL(h.webhook.url).origin} answered HTTP 404\n` +
        'Fix it, or change the destinations with `/schedule edit task:task0000001`.',
    ]);

    seedConversation(h.standIn, GENERAL, new Date(Date.parse(SCHEDULED) + 6 * 86_400_000));
    await h.executor.execute(
      scheduled({
        scheduledTime: new Date(Date.parse(SCHEDULED) + 6 * 86_400_000).toISOString(),
        executionId: 'ok',
      }),
    );
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.destinationFailures).toBeUndefined();
  });

  it('throws for Lambda to retry when every destination failed transiently, and the retry delivers', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.standIn.failNext(/POST \/channels\/\d+\/messages/, Array(20).fill({ status: 503 }));
    await db.store.createTask(summaryTask());
    await expect(h.executor.execute(scheduled())).rejects.toBeInstanceOf(RunFailedError);
    expect((await db.store.getRun('task0000001', SCHEDULED))?.status).toBe('failed');
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(0);

    h.standIn.clearFaults();
    // Lambda's async retry: the same event again.
    const retry = await h.executor.execute(scheduled({ attempt: 1 }));
    expect(retry.status).toBe('succeeded');
    expect(h.standIn.postedMessages(DIGEST).length).toBeGreaterThan(0);
  });

  it('resumes an attempt that died between deliveries without delivering twice', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(
      summaryTask({
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'embed' },
          { type: 'file', prefix: 'digests' },
        ],
      }),
    );
    // The first attempt delivered to Discord, wrote that down, and died before the file.
    await db.store.putRun({
      taskId: 'task0000001',
      guildId: GUILD,
      scheduledTime: SCHEDULED,
      trigger: 'schedule',
      attempt: 1,
      status: 'running',
      startedAt: '2026-11-27T07:40:00.000Z',
      leaseUntil: '2026-11-27T07:55:00.000Z',
      destinations: [{ index: 0, type: 'discord_channel', status: 'delivered', location: 'earlier' }],
      expiresAt: 1_900_000_000,
    });
    const outcome = await h.executor.execute(scheduled());
    expect(outcome.status).toBe('succeeded');
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(0);
    const files = await readdir(join(h.dataDir, 'files', 'digests', GUILD, GENERAL));
    expect(files.length).toBeGreaterThan(0);
  });

  it('leaves a run another invocation is working on to that invocation, and fails so Lambda tries again', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask());
    await db.store.putRun({
      taskId: 'task0000001',
      guildId: GUILD,
      scheduledTime: SCHEDULED,
      trigger: 'schedule',
      attempt: 1,
      status: 'running',
      startedAt: '2026-11-27T08:00:05.000Z',
      leaseUntil: '2026-11-27T08:02:05.000Z',
      expiresAt: 1_900_000_000,
    });
    await expect(h.executor.execute(scheduled({ executionId: 'exec-dup' }))).rejects.toBeInstanceOf(
      RunInProgressError,
    );
    expect(h.standIn.postedMessages(DIGEST)).toHaveLength(0);
    // Once that lease ran out (its invocation died), Lambda's retry takes the run over.
    h.clock.current = new Date('2026-11-27T08:03:00.000Z');
    expect((await h.executor.execute(scheduled({ executionId: 'exec-dup' }))).status).toBe('succeeded');
  });

  it('never runs a counted failure again when EventBridge delivers the same time twice', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.standIn.forbid(GENERAL);
    await db.store.createTask(summaryTask());
    expect((await h.executor.execute(scheduled())).status).toBe('failed');
    expect((await h.executor.execute(scheduled({ executionId: 'exec-2' }))).status).toBe('duplicate');
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata.consecutiveFailures).toBe(1);
    expect(task?.metadata.runCount).toBe(1);
  });

  it('moves the cursor past thread messages too, so a thread is summarized once', async () => {
    seedConversation(h.standIn, GENERAL, new Date('2026-11-27T06:00:00.000Z'), 3);
    const thread = h.standIn.addChannel({
      guildId: GUILD,
      name: 'release-thread',
      type: 11,
      parentId: GENERAL,
      threadMetadata: { create_timestamp: '2026-11-27T07:00:00.000Z' },
    });
    h.standIn.addMessage({
      channelId: thread.id,
      author: { id: '400000000000000002', username: 'ben' },
      content: 'Thread only: the migration rehearsal passed on staging.',
      timestamp: new Date('2026-11-27T07:30:00.000Z'),
    });
    await db.store.createTask(summaryTask());
    await h.executor.execute(scheduled());
    expect((await db.store.getRun('task0000001', SCHEDULED))?.messageCount).toBe(4);
    h.clock.current = new Date('2026-11-28T08:00:10.000Z');
    const next = await h.executor.execute(scheduled({ scheduledTime: '2026-11-28T08:00:00.000Z' }));
    expect(next.status).toBe('skipped');
    expect((await db.store.getRun('task0000001', '2026-11-28T08:00:00.000Z'))?.messageCount).toBe(0);
  });

  it('completes a one-time task after its run', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask({ schedule: { type: 'once', at: '2026-11-27T09:00' } }));
    await h.executor.execute(scheduled());
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.state).toBe('completed');
    expect(task?.metadata.nextRunAt).toBeUndefined();
  });

  it('never lets a summary ping anyone', async () => {
    h.standIn.addMessage({
      channelId: GENERAL,
      author: { id: '400000000000000001', username: 'ana' },
      content:
        '@everyone @here <@&500000000000000001> <@400000000000000002> the deploy is broken, we decided to roll back',
      timestamp: new Date('2026-11-27T07:00:00.000Z'),
    });
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(
      summaryTask({ destinations: [{ type: 'discord_channel', channelId: DIGEST, format: 'markdown' }] }),
    );
    await h.executor.execute(scheduled());
    const mentions = h.standIn.requests.filter((r) => r.method === 'POST');
    expect(mentions.length).toBeGreaterThan(0);
    for (const message of h.standIn.postedMessages(DIGEST)) {
      expect(message.mention_everyone).toBe(false);
      expect(message.mentions).toEqual([]);
      expect(message.mention_roles).toEqual([]);
    }
  });

  it('writes e-mail as .eml files in the local runtime', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(
      summaryTask({ destinations: [{ type: 'email', addresses: ['team@example.com'] }] }),
    );
    expect((await h.executor.execute(scheduled())).status).toBe('succeeded');
    const outbox = await readdir(join(h.dataDir, 'outbox'));
    expect(outbox).toHaveLength(1);
    const eml = await readFile(join(h.dataDir, 'outbox', outbox[0]!), 'utf8');
    expect(eml).toMatch(/^To: team@example.com/m);
  });

  it('checks every posted body against Discord limits', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED), 60);
    await db.store.createTask(summaryTask({ options: SummaryOptions.parse({ length: 'comprehensive' }) }));
    await h.executor.execute(scheduled());
    for (const message of h.standIn.postedMessages(DIGEST)) {
      expect(validateMessageBody({ content: message.content, embeds: message.embeds })).toEqual([]);
    }
  });

  it('edits the run-now reply with the outcome', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask());
    const outcome = await h.executor.execute({
      type: 'manual',
      taskId: 'task0000001',
      guildId: GUILD,
      requestedBy: ADMIN,
      requestedAt: '2026-11-27T08:00:20.000Z',
      reply: { applicationId: h.standIn.applicationId, token: 'run-now-token' },
    });
    expect(outcome.status).toBe('succeeded');
    const replies = h.standIn.interactionResponses('run-now-token');
    expect(JSON.stringify(replies.at(-1)?.body)).toContain('Summarized 10 message');
  });
});

describe('TaskExecutor: /summarize', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));

  /** A `/summarize` of #general over `window`, answered through the interaction `token`. */
  const adhoc = (window: { hours: number }, token: string) => ({
    type: 'adhoc' as const,
    guildId: GUILD,
    channelIds: [GENERAL],
    requestedBy: ADMIN,
    requestedAt: '2026-11-27T08:00:20.000Z',
    window,
    length: 'brief' as const,
    focus: 'general' as const,
    maxMessages: 2000,
    ephemeral: true,
    reply: { applicationId: h.standIn.applicationId, token },
  });

  it('edits the deferred reply with the summary of the last hours', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    const outcome = await h.executor.execute(adhoc({ hours: 24 }, 'interaction-token'));
    expect(outcome).toEqual({ status: 'adhoc', messages: 10 });
    const replies = h.standIn.interactionResponses('interaction-token');
    expect(replies[0]?.kind).toBe('edit_original');
    expect(JSON.stringify(replies[0]?.body)).toContain('embeds');
  });

  it('says so when there is nothing to summarize', async () => {
    await h.executor.execute(adhoc({ hours: 1 }, 'empty-token'));
    expect(JSON.stringify(h.standIn.interactionResponses('empty-token')[0]?.body)).toContain('No messages');
  });
});
