/**
 * Subscribers' DMs (#18, `/subscribe`): each run also sends the digest to every subscriber by DM (Create DM,
 * then the digest as to a Discord channel), cut to the channels that member can read at that run. The
 * executor runs for real against the Discord stand-in over HTTP (@discordjs/rest) and the embedded DynamoDB.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ExtractiveSummarizer } from '../../../lib/summarization/extractive.ts';
import type { SummaryTask } from '../../../lib/tasks/task.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  GENERAL,
  GUILD,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';
import {
  addModeratorsRole,
  hiddenFromEveryone,
  MODS,
  MODS_SECRET,
  shownTo,
  shownToBot,
} from '../../support/overwrites.ts';

const STAFF = '200000000000000021';
const SCHEDULED = '2026-11-27T08:00:00.000Z';
const user = (id: string, name: string) => ({ id, username: name, global_name: name });
const MOD = user('400000000000000011', 'mod');
const PLAIN = user('400000000000000012', 'plain');
const CLOSED = user('400000000000000013', 'closed');
const GONE = user('400000000000000014', 'gone');

const since = '2026-11-20T00:00:00.000Z';
/** The digest's participants line for the three #staff messages: only a digest with #staff in it has it. */
const FROM_STAFF = 'mod: 3 messages';

describe('TaskExecutor: subscribers get the digest by DM, cut to what each can read', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  /** #staff, which only the Moderators role reads. */
  const addStaffChannel = () => {
    addModeratorsRole(h.standIn, GUILD);
    h.standIn.addChannel({
      id: STAFF,
      guildId: GUILD,
      name: 'staff',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(MODS), shownToBot(h.standIn)],
    });
  };
  beforeEach(() => {
    addStaffChannel();
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    for (let i = 0; i < 3; i++)
      h.standIn.addMessage({
        channelId: STAFF,
        author: MOD,
        content: i === 0 ? MODS_SECRET : `Moderation note ${i}: the appeal queue is at ${i * 3} open cases.`,
        timestamp: new Date(Date.parse(SCHEDULED) - (10 + i) * 60_000),
      });
    h.standIn.setMember(GUILD, MOD, [MODS]);
    h.standIn.setMember(GUILD, PLAIN);
    h.standIn.setMember(GUILD, CLOSED);
    h.standIn.setDmsClosed(CLOSED.id, true);
  });

  const run = () => h.executor.execute(scheduledRun(SCHEDULED));
  const dms = (userId: string) => JSON.stringify(h.standIn.directMessages(userId));
  const subscribed = (...ids: string[]) => ids.map((userId) => ({ userId, since }));
  // A staff digest posted to #staff: both channels' moderators read it there.
  const staffDigest = (subscribers: SummaryTask['subscribers']) =>
    summaryTask({
      channelIds: [GENERAL, STAFF],
      destinations: [{ type: 'discord_channel', channelId: STAFF, format: 'embed' }],
      ...(subscribers ? { subscribers } : {}),
    });

  it('sends each subscriber only the channels they can read, records every outcome, and the run succeeds', async () => {
    await db.store.createTask(staffDigest(subscribed(MOD.id, PLAIN.id, CLOSED.id, GONE.id)));
    const outcome = await run();
    expect(outcome.status).toBe('succeeded');

    // Create DM, as Discord documents it: POST /users/@me/channels {recipient_id}.
    // (one per member still in the server; the one who left is not written to).
    const opened = h.standIn.requests.filter((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    expect(opened).toHaveLength(3);

    // The moderator reads both channels: the whole digest, the private channel's messages included.
    expect(dms(MOD.id)).toContain(FROM_STAFF);
    // A member without the role gets a digest of #general only: nothing of #staff reaches them.
    expect(dms(PLAIN.id)).not.toContain(FROM_STAFF);
    expect(dms(PLAIN.id)).not.toContain(`/${STAFF}/`);
    expect(dms(PLAIN.id)).not.toMatch(/appeal/i);
    expect(dms(PLAIN.id)).toMatch(/ARM/);
    expect(dms(PLAIN.id)).toContain('1 channel of this digest is left out: you cannot read it.');
    expect(dms(PLAIN.id)).toContain('/unsubscribe stops it');
    expect(h.standIn.directMessages(CLOSED.id)).toEqual([]);

    const record = await db.store.getRun('task0000001', SCHEDULED);
    const byUser = Object.fromEntries((record?.subscribers ?? []).map((s) => [s.userId, s]));
    expect(byUser[MOD.id]).toMatchObject({ status: 'delivered' });
    expect(byUser[MOD.id]?.location).toMatch(/^https:\/\/discord\.com\/channels\/@me\/\d+\/\d+$/);
    expect(byUser[PLAIN.id]).toMatchObject({ status: 'delivered', leftOut: ['#staff'] });
    expect(byUser[CLOSED.id]).toMatchObject({ status: 'dm_closed' });
    expect(byUser[GONE.id]).toMatchObject({ status: 'left_server' });

    // Closed DMs are counted, not retried, and are no failure of the task; a member who left is dropped.
    const closedPosts = h.standIn.requests.filter(
      (r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 403,
    );
    expect(closedPosts).toHaveLength(1);
    const task = (await db.store.getTask(GUILD, 'task0000001')) as SummaryTask;
    expect(task.state).toBe('active');
    expect(task.metadata).toMatchObject({ successCount: 1, failureCount: 0, consecutiveFailures: 0 });
    expect(task.subscribers?.map((s) => s.userId)).toEqual([MOD.id, PLAIN.id, CLOSED.id]);
  });

  it('sends nothing to a subscriber who can read none of the channels, and names them on the record', async () => {
    await db.store.createTask(
      summaryTask({
        channelIds: [STAFF],
        destinations: [{ type: 'discord_channel', channelId: STAFF, format: 'embed' }],
        subscribers: subscribed(PLAIN.id, MOD.id),
      }),
    );
    expect((await run()).status).toBe('succeeded');
    expect(h.standIn.directMessages(PLAIN.id)).toEqual([]);
    expect(dms(MOD.id)).toContain(FROM_STAFF);
    const record = await db.store.getRun('task0000001', SCHEDULED);
    expect(record?.subscribers).toEqual([
      { userId: PLAIN.id, status: 'no_access', leftOut: ['#staff'] },
      expect.objectContaining({ userId: MOD.id, status: 'delivered' }),
    ]);
  });

  it('a member who lost the role since subscribing no longer gets the private channel', async () => {
    await db.store.createTask(staffDigest(subscribed(MOD.id)));
    h.standIn.setMember(GUILD, MOD, []);
    await run();
    expect(dms(MOD.id)).not.toContain(FROM_STAFF);
    expect(dms(MOD.id)).not.toMatch(/appeal/i);
    expect(dms(MOD.id)).toMatch(/ARM/);
    const record = await db.store.getRun('task0000001', SCHEDULED);
    expect(record?.subscribers).toEqual([
      expect.objectContaining({ status: 'delivered', leftOut: ['#staff'] }),
    ]);
  });

  it("a whole-server digest's DM has one section per channel the member can read, and only those", async () => {
    await db.store.createTask(
      summaryTask({
        source: 'server',
        channelIds: [GENERAL],
        destinations: [{ type: 'discord_channel', channelId: STAFF, format: 'embed' }],
        subscribers: subscribed(MOD.id, PLAIN.id),
      }),
    );
    expect((await run()).status).toBe('succeeded');
    const sections = (userId: string) =>
      h.standIn
        .directMessages(userId)
        .flatMap((m) => m.embeds.flatMap((e) => (e.fields ?? []).map((f) => f.name)));
    expect(sections(MOD.id)).toEqual(expect.arrayContaining(['#staff', '#general']));
    expect(sections(PLAIN.id)).toContain('#general');
    expect(sections(PLAIN.id)).not.toContain('#staff');
    expect(dms(PLAIN.id)).not.toContain(FROM_STAFF);
  });

  it("counts the tokens of a subscriber's own digest in the run's usage", async () => {
    const extractive = new ExtractiveSummarizer();
    // A summarizer that reports tokens like an LLM: 100 in and 10 out per call.
    await h.restart({
      summarizer: () => ({
        name: 'counting',
        summarize: async (messages, options) => ({
          ...(await extractive.summarize(messages, options)),
          usage: { model: 'test/model', inputTokens: 100, outputTokens: 10, estimatedCostUsd: 0.5 },
        }),
      }),
    });
    addStaffChannel();
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    h.standIn.setMember(GUILD, MOD, [MODS]);
    h.standIn.setMember(GUILD, PLAIN);
    await db.store.createTask(staffDigest(subscribed(MOD.id, PLAIN.id)));
    await run();
    const record = await db.store.getRun('task0000001', SCHEDULED);
    // The task's digest (which the moderator also gets) and the #general-only one of the plain member.
    expect(record?.usage).toEqual({
      model: 'test/model',
      inputTokens: 200,
      outputTokens: 20,
      estimatedCostUsd: 1,
    });
  });

  it('a retried run does not DM a subscriber the failed attempt already reached', async () => {
    await db.store.createTask(staffDigest(subscribed(MOD.id)));
    await run();
    const first = h.standIn.directMessages(MOD.id).length;
    expect(first).toBeGreaterThan(0);
    const record = await db.store.getRun('task0000001', SCHEDULED);
    // The run is retried as if its last write had failed after the DMs went out.
    await db.store.putRun({ ...record!, status: 'failed', retryable: true });
    h.standIn.clearRequests();
    await h.executor.execute(scheduledRun(SCHEDULED, { attempt: 2 }));
    expect(h.standIn.directMessages(MOD.id)).toHaveLength(first);
    expect(h.standIn.requests.filter((r) => r.path === '/users/@me/channels')).toEqual([]);
    const retried = await db.store.getRun('task0000001', SCHEDULED);
    expect(retried).toMatchObject({ attempt: 2, subscribers: [{ userId: MOD.id, status: 'delivered' }] });
  });
});
