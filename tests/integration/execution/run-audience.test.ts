/**
 * The audience rule at every run (#18): roles and overwrites are read again before a run reads a message,
 * so a channel that became private after the task was created is left out of a more public digest, named
 * on the run record and in the footer, and never read. The executor runs for real, against the Discord
 * stand-in over HTTP (@discordjs/rest) and the embedded DynamoDB.
 */
import { type APIOverwrite, OverwriteType } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunFailedError } from '../../../lib/errors.ts';
import { EXTRACTIVE_FOOTER } from '../../../lib/summarization/extractive.ts';
import type { Destination } from '../../../lib/tasks/destination.ts';
import { SummaryOptions } from '../../../lib/tasks/summary-options.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  DIGEST,
  GENERAL,
  GUILD,
  RANDOM,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';
import {
  addModeratorsRole,
  deniedTo,
  hiddenFromEveryone,
  MODS,
  MODS_SECRET,
  shownTo,
  shownToBot,
} from '../../support/overwrites.ts';

const HELPERS = '500000000000000002';
const GUEST = '400000000000000099';
const MOD_WITHOUT_STAFF = '400000000000000098';
const STAFF = '200000000000000021';
const MODS_DIGEST = '200000000000000022';
const STAFF_DIGEST = '200000000000000023';
const MODS_AND_GUEST = '200000000000000024';
const SCHEDULED = '2026-11-27T08:00:00.000Z';

const post = (channelId: string): Destination => ({ type: 'discord_channel', channelId, format: 'markdown' });

describe('TaskExecutor: the audience rule at every run', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  beforeEach(() => {
    addModeratorsRole(h.standIn, GUILD);
    h.standIn.setRole(GUILD, { id: HELPERS, name: 'Helpers', permissions: 0n });
    const channel = (id: string, name: string, overwrites: APIOverwrite[]) =>
      h.standIn.addChannel({ id, guildId: GUILD, name, permissionOverwrites: overwrites });
    channel(STAFF, 'staff', [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownTo(HELPERS),
      shownToBot(h.standIn),
    ]);
    channel(MODS_DIGEST, 'mods-digest', [hiddenFromEveryone(GUILD), shownTo(MODS), shownToBot(h.standIn)]);
    channel(STAFF_DIGEST, 'staff-digest', [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownTo(HELPERS),
      shownToBot(h.standIn),
    ]);
    channel(MODS_AND_GUEST, 'mods-and-guest', [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownTo(GUEST, OverwriteType.Member),
      shownToBot(h.standIn),
    ]);
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
  });

  const run = () => h.executor.execute(scheduledRun(SCHEDULED));
  const said = (channelId: string) => JSON.stringify(h.standIn.postedMessages(channelId));
  const readsOf = (channelId: string) =>
    h.standIn.requests.filter((r) => r.path === `/channels/${channelId}/messages` && r.method === 'GET');
  const secretIn = (channelId: string) =>
    h.standIn.addMessage({
      channelId,
      author: { id: '400000000000000007', username: 'mod', global_name: 'Mod' },
      content: MODS_SECRET,
      timestamp: new Date(Date.parse(SCHEDULED) - 10 * 60_000),
    });

  it('leaves out a channel that became private after the task was created, names it, and never reads it', async () => {
    secretIn(RANDOM);
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, RANDOM] }));
    // Created while #random was public; a moderator then hid it from @everyone, keeping the bot in.
    h.standIn.setPermissionOverwrites(RANDOM, [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownToBot(h.standIn),
    ]);

    const outcome = await run();

    expect(outcome.status).toBe('succeeded');
    const record = await db.store.getRun('task0000001', SCHEDULED);
    expect(record?.leftOut).toEqual([{ channelId: RANDOM, reason: '#random is private to Moderators' }]);
    const [posted] = h.standIn.postedMessages(DIGEST);
    expect(posted?.embeds.at(-1)?.footer?.text).toBe(
      `${EXTRACTIVE_FOOTER}. Left out: #random is private to Moderators. · Daily digest`,
    );
    expect(said(DIGEST)).not.toContain('Ban appeal');
    expect(readsOf(RANDOM)).toEqual([]);
    expect(readsOf(GENERAL).length).toBeGreaterThan(0);
  });

  it('names a channel the bot was not let into in words a footer shows, after the summarizer says who made it', async () => {
    secretIn(RANDOM);
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, RANDOM] }));
    // A moderator hides #random from @everyone without letting the bot in: Discord now hides it from the bot.
    h.standIn.setPermissionOverwrites(RANDOM, [hiddenFromEveryone(GUILD), shownTo(MODS)]);

    expect((await run()).status).toBe('succeeded');
    expect((await db.store.getRun('task0000001', SCHEDULED))?.channels).toContainEqual({
      channelId: RANDOM,
      status: 'forbidden',
      messages: 0,
    });
    const [posted] = h.standIn.postedMessages(DIGEST);
    expect(posted?.embeds.at(-1)?.footer?.text).toBe(
      `${EXTRACTIVE_FOOTER}. Not readable by the bot: channel ${RANDOM}. · Daily digest`,
    );
    expect(said(DIGEST)).not.toContain('Ban appeal');
  });

  it('sees a channel hidden between two runs at the very next run, however soon it comes', async () => {
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, RANDOM] }));
    expect((await run()).status).toBe('succeeded');
    expect((await db.store.getRun('task0000001', SCHEDULED))?.leftOut).toBeUndefined();

    // Moments later (no time passes on the run's clock, nor seconds in real time) a moderator hides
    // #random and says something there; the task's next run comes now.
    h.standIn.setPermissionOverwrites(RANDOM, [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownToBot(h.standIn),
    ]);
    const NEXT = '2026-11-27T09:00:00.000Z';
    h.standIn.addMessage({
      channelId: RANDOM,
      author: { id: '400000000000000007', username: 'mod', global_name: 'Mod' },
      content: MODS_SECRET,
      timestamp: new Date(Date.parse(NEXT) - 10 * 60_000),
    });
    seedConversation(h.standIn, GENERAL, new Date(NEXT));
    h.clock.set('2026-11-27T09:00:20.000Z');
    const readsBefore = readsOf(RANDOM).length;

    expect((await h.executor.execute(scheduledRun(NEXT, { executionId: 'exec-2' }))).status).toBe(
      'succeeded',
    );
    expect((await db.store.getRun('task0000001', NEXT))?.leftOut).toEqual([
      { channelId: RANDOM, reason: '#random is private to Moderators' },
    ]);
    expect(said(DIGEST)).not.toContain('Ban appeal');
    expect(readsOf(RANDOM)).toHaveLength(readsBefore);
  });

  it('keeps a source every viewer of the destination can read, with overlapping roles', async () => {
    secretIn(STAFF);
    // #staff shows to Moderators and Helpers; #mods-digest only to Moderators, who all read #staff.
    await db.store.createTask(summaryTask({ channelIds: [STAFF], destinations: [post(MODS_DIGEST)] }));
    expect((await run()).status).toBe('succeeded');
    expect(said(MODS_DIGEST)).toContain('Ban appeal');
    expect((await db.store.getRun('task0000001', SCHEDULED))?.leftOut).toBeUndefined();
  });

  it.each([
    ['a second role also sees the destination (overlapping roles)', STAFF_DIGEST, [MODS]],
    ['one more member sees the destination (a member overwrite)', MODS_AND_GUEST, [MODS]],
  ])('leaves out a Moderators-only source when %s', async (_, destination, readers) => {
    h.standIn.addChannel({
      id: '200000000000000025',
      guildId: GUILD,
      name: 'mods',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(readers[0] as string), shownToBot(h.standIn)],
    });
    secretIn('200000000000000025');
    await db.store.createTask(
      summaryTask({ channelIds: [GENERAL, '200000000000000025'], destinations: [post(destination)] }),
    );
    expect((await run()).status).toBe('succeeded');
    expect(said(destination)).toContain('Left out: #mods is private to Moderators.');
    expect(said(destination)).not.toContain('Ban appeal');
  });

  it('leaves out a source a member overwrite hides from one moderator who sees the destination', async () => {
    // #staff as it stands, except that one moderator is denied it by name.
    h.standIn.setPermissionOverwrites(STAFF, [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownTo(HELPERS),
      deniedTo(MOD_WITHOUT_STAFF),
      shownToBot(h.standIn),
    ]);
    secretIn(STAFF);
    await db.store.createTask(
      summaryTask({ channelIds: [GENERAL, STAFF], destinations: [post(MODS_DIGEST)] }),
    );
    expect((await run()).status).toBe('succeeded');
    expect(said(MODS_DIGEST)).not.toContain('Ban appeal');
    expect((await db.store.getRun('task0000001', SCHEDULED))?.leftOut).toEqual([
      { channelId: STAFF, reason: '#staff is private to Moderators, Helpers' },
    ]);
  });

  it('fails the run, counted and not retried, when every source is left out, and posts nothing', async () => {
    secretIn(RANDOM);
    await db.store.createTask(summaryTask({ channelIds: [RANDOM] }));
    h.standIn.setPermissionOverwrites(RANDOM, [
      hiddenFromEveryone(GUILD),
      shownTo(MODS),
      shownToBot(h.standIn),
    ]);
    const outcome = await run();
    expect(outcome.status).toBe('failed');
    const record = await db.store.getRun('task0000001', SCHEDULED);
    expect(record?.error).toContain(
      'every channel of the task was left out: #random is private to Moderators',
    );
    expect(record?.retryable).toBeUndefined();
    expect(h.standIn.postedMessages(DIGEST)).toEqual([]);
    expect(readsOf(RANDOM)).toEqual([]);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(1);
  });

  it('sends a private source to a webhook only with include_private, and always keeps it from public channels', async () => {
    secretIn(STAFF);
    const destinations: Destination[] = [post(DIGEST), { type: 'webhook', url: h.webhook.url }];
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, STAFF], destinations }));
    await run();
    expect(h.webhook.received.map((r) => r.body).join()).not.toContain('Ban appeal');

    // With include_private the webhook may get #staff, but a digest posted to #digest (public) still may not.
    h.webhook.received.length = 0;
    await db.store.deleteRun('task0000001', SCHEDULED);
    const task = await db.store.getTask(GUILD, 'task0000001');
    if (task?.kind !== 'summary') throw new Error('no task');
    await db.store.updateTask(
      {
        ...task,
        destinations: [{ type: 'webhook', url: h.webhook.url }],
        options: SummaryOptions.parse({ includePrivate: true }),
      },
      task.version,
    );
    expect((await run()).status).toBe('succeeded');
    expect(h.webhook.received.map((r) => r.body).join()).toContain('Ban appeal');
  });

  it('fails the run for a retry, reading nothing, when Discord cannot answer the check', async () => {
    secretIn(RANDOM);
    await db.store.createTask(summaryTask({ channelIds: [GENERAL, RANDOM] }));
    h.standIn.failNext(
      `GET /guilds/${GUILD}`,
      Array.from({ length: 40 }, () => ({ status: 503 })),
    );
    await expect(run()).rejects.toBeInstanceOf(RunFailedError);
    expect(readsOf(GENERAL)).toEqual([]);
    expect(h.standIn.postedMessages(DIGEST)).toEqual([]);
    expect((await db.store.getRun('task0000001', SCHEDULED))?.retryable).toBe(true);
  });
});
