/**
 * Defence in depth (#11): a task whose channels name another server the bot is in (an item written before
 * imports were checked, or edited by hand in the table) never posts there. The executor runs for real,
 * against the Discord stand-in over HTTP and the embedded DynamoDB.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';

const OTHER_GUILD = '100000000000000009';
const FOREIGN = '200000000000000009';
const FOREIGN_NOTICES = '200000000000000010';
const AT = '2026-11-27T08:00:00.000Z';

describe('TaskExecutor: channels of another server', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  beforeEach(() => {
    h.standIn.addGuild({ id: OTHER_GUILD, name: 'Stranger' });
    h.standIn.addChannel({ id: FOREIGN, guildId: OTHER_GUILD, name: 'general' });
    h.standIn.addChannel({ id: FOREIGN_NOTICES, guildId: OTHER_GUILD, name: 'mods' });
  });

  const channelLookups = (id: string) =>
    h.standIn.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/channels/${id}`)).length;

  it('"Run now" fails a destination in another server with a clear message, counts it, and never posts there', async () => {
    seedConversation(h.standIn, GENERAL, new Date(AT));
    await db.store.createTask(
      summaryTask({
        destinations: [
          { type: 'discord_channel', channelId: DIGEST, format: 'markdown' },
          { type: 'discord_channel', channelId: FOREIGN, format: 'markdown' },
          { type: 'discord_channel', channelId: FOREIGN, format: 'embed' },
        ],
      }),
    );
    const outcome = await h.executor.execute({
      type: 'manual',
      taskId: 'task0000001',
      guildId: GUILD,
      requestedBy: ADMIN,
      requestedAt: '2026-11-27T08:00:20.000Z',
    });
    expect(outcome.status).toBe('partial');
    const run = 'run' in outcome ? outcome.run : undefined;
    expect(run?.destinations?.map((d) => [d.status, d.error])).toEqual([
      ['delivered', undefined],
      [
        'failed',
        `channel ${FOREIGN} is not in this server (it belongs to another server); nothing was posted there`,
      ],
      [
        'failed',
        `channel ${FOREIGN} is not in this server (it belongs to another server); nothing was posted there`,
      ],
    ]);
    expect(h.standIn.postedMessages(FOREIGN)).toEqual([]);
    expect(h.standIn.postedMessages(DIGEST).length).toBeGreaterThan(0);
    expect(h.metrics.counts['DeliveriesFailed.discord_channel']).toBe(2);
    // Looked up once by the run's audience check and once by its server check, though two destinations name it.
    expect(channelLookups(FOREIGN)).toBe(2);
  });

  it('never reads a source channel of another server', async () => {
    seedConversation(h.standIn, FOREIGN, new Date(AT));
    seedConversation(h.standIn, GENERAL, new Date(AT));
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, FOREIGN] }));
    await h.executor.execute({
      type: 'manual',
      taskId: 'task0000001',
      guildId: GUILD,
      requestedBy: ADMIN,
      requestedAt: '2026-11-27T08:00:20.000Z',
    });
    const run = (await db.store.listRuns('task0000001'))[0];
    expect(run?.channels).toContainEqual({ channelId: FOREIGN, status: 'not_found', messages: 0 });
    expect(h.standIn.requests.filter((r) => r.path.includes(`/channels/${FOREIGN}/messages`))).toEqual([]);
  });

  it('sends no failure notice to a notify channel of another server', async () => {
    await db.store.createTask(
      summaryTask({
        notifyChannelId: FOREIGN_NOTICES,
        options: SummaryOptions.parse({ minMessages: 1, lookback: { mode: 'fixed', hours: 24 } }),
        destinations: [{ type: 'discord_channel', channelId: DIGEST, format: 'markdown' }],
      }),
    );
    // Every run fails (the bot lost access to its one destination) until the task is turned off after 5.
    h.standIn.forbid(DIGEST);
    for (let day = 0; day < 5; day += 1) {
      const at = new Date(Date.parse(AT) + day * 86_400_000).toISOString();
      seedConversation(h.standIn, GENERAL, new Date(at));
      await h.executor.execute(scheduledRun(at, { executionId: `exec-${day}` }));
    }
    expect(h.disabled).toEqual(['task0000001']);
    expect(h.standIn.postedMessages(FOREIGN_NOTICES)).toEqual([]);
    expect(h.logger.lines.some((line) => line.message === 'could not notify admins of a disabled task')).toBe(
      true,
    );
  });
});
