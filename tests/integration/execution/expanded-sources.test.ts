/**
 * Category and whole-server tasks (#18): the source is expanded into channels at each run (the server's
 * channels and active threads as Discord lists them now), the audience rule is applied to each, and the
 * digest has one section per channel with something new. The executor runs for real, against the Discord
 * stand-in over HTTP and the embedded DynamoDB.
 */
import { ChannelType } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  DIGEST,
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

const PROJECTS = '200000000000000030';
const DEV = '200000000000000031';
const MODS_CHANNEL = '200000000000000032';
const QUIET = '200000000000000033';
const THREAD = '200000000000000034';
const SCHEDULED = '2026-11-27T08:00:00.000Z';

describe('TaskExecutor: category and whole-server tasks', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  beforeEach(() => {
    addModeratorsRole(h.standIn, GUILD);
    h.standIn.addChannel({ id: PROJECTS, guildId: GUILD, name: 'Projects', type: ChannelType.GuildCategory });
    h.standIn.addChannel({
      id: DEV,
      guildId: GUILD,
      name: 'dev',
      parentId: PROJECTS,
      type: ChannelType.GuildText,
    });
    h.standIn.addChannel({
      id: MODS_CHANNEL,
      guildId: GUILD,
      name: 'mods',
      parentId: PROJECTS,
      type: ChannelType.GuildText,
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(MODS), shownToBot(h.standIn)],
    });
    h.standIn.addChannel({
      id: QUIET,
      guildId: GUILD,
      name: 'quiet',
      parentId: PROJECTS,
      type: ChannelType.GuildText,
    });
    h.standIn.addChannel({ id: THREAD, guildId: GUILD, name: 'release-plan', parentId: DEV });
    const end = new Date(SCHEDULED);
    seedConversation(h.standIn, DEV, end, 6);
    h.standIn.addMessage({
      channelId: THREAD,
      author: { id: '400000000000000005', username: 'dana', global_name: 'Dana' },
      content: 'The release plan thread: we ship version 2.4 on Thursday after the freeze.',
      timestamp: new Date(end.getTime() - 20 * 60_000),
    });
    h.standIn.addMessage({
      channelId: MODS_CHANNEL,
      author: { id: '400000000000000007', username: 'mod', global_name: 'Mod' },
      content: MODS_SECRET,
      timestamp: new Date(end.getTime() - 10 * 60_000),
    });
  });

  const run = () => h.executor.execute(scheduledRun(SCHEDULED));
  const posted = () =>
    h.standIn
      .postedMessages(DIGEST)
      .map((m) => String(m.content))
      .join('\n');
  /** The server's limit set to 1 channel per task, and #general made the most recently active channel. */
  const limitToOneChannelWithNewestInGeneral = async () => {
    await db.store.putGuildConfig(
      { guildId: GUILD, maxChannelsPerTask: 1, updatedAt: h.clock.now().toISOString(), version: 1 },
      0,
    );
    h.standIn.addMessage({
      channelId: GENERAL,
      author: { id: '400000000000000006', username: 'eve', global_name: 'Eve' },
      content: 'The newest message of the server is here in general.',
      timestamp: new Date(Date.parse(SCHEDULED) - 60_000),
    });
  };
  const readsOf = (channelId: string) =>
    h.standIn.requests.filter((r) => r.path === `/channels/${channelId}/messages` && r.method === 'GET');
  const markdown = { type: 'discord_channel' as const, channelId: DIGEST, format: 'markdown' as const };

  it('reads every channel of a category and its active threads, one section each, leaving out a private one and the quiet one', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED), 4);
    await db.store.createTask(
      summaryTask({ channelIds: [PROJECTS], source: 'category', destinations: [markdown] }),
    );

    const outcome = await run();

    expect(outcome.status).toBe('succeeded');
    const text = posted();
    expect(text).toContain('### #dev\n');
    expect(text).toContain('### #release-plan in #dev\n- 1 new message from Dana');
    // #dev's section: its own key points, or (as here, the extractive summary put them under Decisions) a line.
    expect(text).toContain('### #dev\n- 6 new messages from Ana, Ben and Chloé');
    // Quiet: no section. Outside the category: not read at all.
    expect(text).not.toContain('#quiet');
    expect(text).not.toContain('### #general');
    expect(readsOf(GENERAL)).toEqual([]);
    // Private to Moderators, posted where everyone reads: left out, named, never read.
    expect(text).toContain('Left out: #mods is private to Moderators.');
    expect(text).not.toContain('Ban appeal');
    expect(readsOf(MODS_CHANNEL)).toEqual([]);
    const record = await db.store.getRun('task0000001', SCHEDULED);
    expect(record?.leftOut).toEqual([{ channelId: MODS_CHANNEL, reason: '#mods is private to Moderators' }]);
    expect(record?.channels?.map((c) => c.channelId).sort()).toEqual([DEV, QUIET, THREAD].sort());
  });

  it('reads the whole server: every channel and active thread the bot can read, one section each', async () => {
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED), 4);
    await db.store.createTask(
      summaryTask({ channelIds: [GENERAL], source: 'server', destinations: [markdown] }),
    );

    expect((await run()).status).toBe('succeeded');
    const text = posted();
    expect(text).toContain('### #general\n');
    expect(text).toContain('### #dev\n');
    expect(text).toContain('### #release-plan in #dev\n- 1 new message from Dana');
    expect(text).not.toContain('Ban appeal');
    expect(text).toContain('Left out: #mods is private to Moderators.');
    expect(text).not.toContain('Not read this run');
  });

  it("reads at most the server's channel limit per task, the most recently active, and says which were cut", async () => {
    await limitToOneChannelWithNewestInGeneral();
    await db.store.createTask(
      summaryTask({ channelIds: [GENERAL], source: 'server', destinations: [markdown] }),
    );

    expect((await run()).status).toBe('succeeded');
    const text = posted();
    expect(text).toContain('### #general\n');
    expect(text).not.toContain('### #dev');
    // The footer (Markdown, escaped) names what was cut, the least recently active.
    expect(text).toContain("this server's limit is 1 channel per task; the least recently active were cut");
    expect(text).toMatch(/were cut\\\): #dev, #release-plan in #dev, /);
    expect(text).toContain('#dev');
    expect(readsOf(DEV)).toEqual([]);
  });

  describe('cursors', () => {
    /** A cursor an hour before the run: a snowflake of that time. */
    const CURSOR = String((BigInt(Date.parse(SCHEDULED) - 3_600_000 - 1_420_070_400_000) << 22n) | 1n);
    const GONE = '200000000000000099';
    const storedCursors = async () => {
      const task = await db.store.getTask(GUILD, 'task0000001');
      return task?.kind === 'summary' ? task.cursors : undefined;
    };

    it('drops the cursors of channels deleted, moved out of the category or hidden, and keeps the rest', async () => {
      await db.store.createTask(
        summaryTask({
          channelIds: [PROJECTS],
          source: 'category',
          destinations: [markdown],
          // GONE was deleted, GENERAL is outside Projects (moved out), #mods is now private to Moderators.
          cursors: { [DEV]: CURSOR, [GONE]: CURSOR, [GENERAL]: CURSOR, [MODS_CHANNEL]: CURSOR },
        }),
      );

      expect((await run()).status).toBe('succeeded');
      const cursors = await storedCursors();
      // #dev and the thread read (#quiet has no message to put a cursor at); the other three are gone.
      expect(Object.keys(cursors ?? {}).sort()).toEqual([DEV, THREAD].sort());
      expect(BigInt(cursors?.[DEV] ?? '0')).toBeGreaterThan(BigInt(CURSOR));
    });

    it("keeps the cursor of a channel the server's channel limit cut this run", async () => {
      await limitToOneChannelWithNewestInGeneral();
      await db.store.createTask(
        summaryTask({
          channelIds: [GENERAL],
          source: 'server',
          destinations: [markdown],
          cursors: { [DEV]: CURSOR, [GONE]: CURSOR },
        }),
      );

      expect((await run()).status).toBe('succeeded');
      expect(readsOf(DEV)).toEqual([]);
      const cursors = await storedCursors();
      expect(cursors?.[DEV]).toBe(CURSOR);
      expect(cursors?.[GONE]).toBeUndefined();
      expect(cursors?.[GENERAL]).toBeDefined();
    });
  });
});
