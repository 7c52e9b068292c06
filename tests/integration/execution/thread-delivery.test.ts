/**
 * Delivery into a thread (#18): a `thread:true` Discord destination starts a new thread named after the
 * run's window (Start Thread without Message) or a forum post (Start Thread in Forum or Media Channel), and
 * posts the digest there. The executor runs for real against the Discord stand-in over HTTP and the
 * embedded DynamoDB.
 */
import { ChannelFlags, ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../../lib/execution/task-run.ts';
import type { Destination } from '../../../lib/tasks/destination.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  seedConversation,
  summaryTask,
  useHarness,
} from '../../support/executor-harness.ts';

const FORUM = '200000000000000020';
const OTHER_GUILD = '100000000000000009';
const FOREIGN = '200000000000000009';
const AT = '2026-11-27T08:00:20.000Z';
// The first run reads the 24 hours before "Run now", shown in the task's zone (Europe/Berlin).
const THREAD_NAME = 'Daily digest · Thu 26 Nov 09:00–Fri 27 Nov 09:00';

describe('TaskExecutor: delivery into a thread', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date(AT));
  beforeEach(() => {
    h.standIn.addChannel({ id: FORUM, guildId: GUILD, name: 'digests', type: ChannelType.GuildForum });
    seedConversation(h.standIn, GENERAL, new Date('2026-11-27T08:00:00.000Z'));
  });

  async function runNow(destinations: Destination[], name?: string): Promise<RunOutcome> {
    await db.store.createTask(summaryTask({ destinations, ...(name ? { name } : {}) }));
    return h.executor.execute({
      type: 'manual',
      taskId: 'task0000001',
      guildId: GUILD,
      requestedBy: ADMIN,
      requestedAt: AT,
    });
  }
  const runOf = (outcome: RunOutcome) => ('run' in outcome ? outcome.run : undefined);

  it('starts a public thread named after the window in a text channel and posts the digest only there', async () => {
    const outcome = await runNow([
      { type: 'discord_channel', channelId: DIGEST, format: 'embed', thread: true },
    ]);
    expect(outcome.status).toBe('succeeded');
    const threads = h.standIn.threadsOf(DIGEST);
    expect(threads.map((t) => [t.name, t.type, t.ownerId])).toEqual([
      [THREAD_NAME, ChannelType.PublicThread, h.standIn.botUser.id],
    ]);
    const thread = threads[0]!;
    expect(h.standIn.postedMessages(DIGEST)).toEqual([]);
    const posted = h.standIn.postedMessages(thread.id);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted[0]?.embeds[0]?.title).toBeTruthy();
    expect(runOf(outcome)?.destinations?.[0]?.location).toBe(
      `https://discord.com/channels/${GUILD}/${thread.id}`,
    );
    expect(thread.threadMetadata?.auto_archive_duration).toBe(10080);
  });

  it('makes a forum post whose first message is the digest', async () => {
    const outcome = await runNow([
      { type: 'discord_channel', channelId: FORUM, format: 'markdown', thread: true },
    ]);
    expect(outcome.status).toBe('succeeded');
    const [post, ...others] = h.standIn.threadsOf(FORUM);
    expect(others).toEqual([]);
    expect(post?.name).toBe(THREAD_NAME);
    const messages = h.standIn.messages(post!.id);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages[0]?.content).toContain('Daily digest');
    // Forum thread message params carry no nonce (channel.mdx): the starter message came with the thread.
    expect(messages[0]?.nonce).toBeUndefined();
    expect(h.standIn.postedMessages(FORUM)).toEqual([]);
  });

  it('keeps a thread name within Discord’s 100 characters, the window whole', async () => {
    const outcome = await runNow(
      [{ type: 'discord_channel', channelId: DIGEST, format: 'embed', thread: true }],
      `${'A very long task name '.repeat(4)}that goes on`,
    );
    expect(outcome.status).toBe('succeeded');
    const name = h.standIn.threadsOf(DIGEST)[0]!.name;
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name.endsWith('… · Thu 26 Nov 09:00–Fri 27 Nov 09:00')).toBe(true);
  });

  it('continues in the thread it started when a post there fails for a moment: one thread, each part once', async () => {
    h.standIn.failNext(/^POST \/channels\/\d+\/messages$/, [
      { status: 503 },
      { status: 503 },
      { status: 503 },
    ]);
    const outcome = await runNow([
      { type: 'discord_channel', channelId: DIGEST, format: 'embed', thread: true },
    ]);
    expect(outcome.status).toBe('succeeded');
    const threads = h.standIn.threadsOf(DIGEST);
    expect(threads).toHaveLength(1);
    const posted = h.standIn.postedMessages(threads[0]!.id);
    expect(new Set(posted.map((m) => m.id)).size).toBe(posted.length);
    const creates = h.standIn.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/channels/${DIGEST}/threads`),
    );
    expect(creates).toHaveLength(1);
    expect(h.standIn.requests.filter((r) => r.status === 503)).toHaveLength(3);
  });

  it('fails only that destination, clearly and counted, when the bot may not start threads there', async () => {
    h.standIn.setPermissionOverwrites(DIGEST, [
      {
        id: GUILD,
        type: OverwriteType.Role,
        allow: '0',
        deny: PermissionFlagsBits.CreatePublicThreads.toString(),
      },
    ]);
    const outcome = await runNow([
      { type: 'discord_channel', channelId: DIGEST, format: 'embed', thread: true },
      { type: 'discord_channel', channelId: GENERAL, format: 'markdown' },
    ]);
    expect(outcome.status).toBe('partial');
    expect(runOf(outcome)?.destinations?.map((d) => [d.status, d.error])).toEqual([
      [
        'failed',
        `the bot may not start a thread in channel ${DIGEST}: give it View Channel, Create Public Threads and Send Messages in Threads there`,
      ],
      ['delivered', undefined],
    ]);
    expect(h.standIn.threadsOf(DIGEST)).toEqual([]);
    expect(h.metrics.counts['DeliveriesFailed.discord_channel']).toBe(1);
  });

  it("files the post under the forum's digest tag, which a forum requiring tags needs", async () => {
    const tagged = '200000000000000021';
    h.standIn.addChannel({
      id: tagged,
      guildId: GUILD,
      name: 'tagged',
      type: ChannelType.GuildForum,
      flags: ChannelFlags.RequireTag,
      availableTags: [
        { id: '200000000000000031', name: 'Bug' },
        { id: '200000000000000032', name: 'Daily digest' },
      ],
    });
    const outcome = await runNow([
      { type: 'discord_channel', channelId: tagged, format: 'embed', thread: true },
    ]);
    expect(outcome.status).toBe('succeeded');
    expect(h.standIn.threadsOf(tagged).map((t) => [t.name, t.appliedTags])).toEqual([
      [THREAD_NAME, ['200000000000000032']],
    ]);
  });

  it('says which tag to add when a forum requires tags and has none for digests, and posts nothing', async () => {
    const tagged = '200000000000000022';
    h.standIn.addChannel({
      id: tagged,
      guildId: GUILD,
      name: 'tagged',
      type: ChannelType.GuildForum,
      flags: ChannelFlags.RequireTag,
      availableTags: [
        { id: '200000000000000033', name: 'Bug' },
        { id: '200000000000000034', name: 'Idea' },
      ],
    });
    const outcome = await runNow([
      { type: 'discord_channel', channelId: tagged, format: 'embed', thread: true },
    ]);
    expect(outcome.status).toBe('failed');
    expect(runOf(outcome)?.destinations?.[0]?.error).toBe(
      `forum channel ${tagged} requires a tag on every post and has none for digests (its tags: Bug, Idea); add a tag named "Digest" there (or turn off "Require people to select tags"), or post to a text channel`,
    );
    expect(h.standIn.threadsOf(tagged)).toEqual([]);
  });

  it('says how to deliver to a forum a task posts to without thread:true', async () => {
    const outcome = await runNow([{ type: 'discord_channel', channelId: FORUM, format: 'embed' }]);
    expect(outcome.status).toBe('failed');
    expect(runOf(outcome)?.destinations?.[0]?.error).toBe(
      `channel ${FORUM} is a forum channel, which holds only posts; turn on /schedule settings thread:true to post each digest as a new post there`,
    );
  });

  it('never starts a thread in a channel of another server', async () => {
    h.standIn.addGuild({ id: OTHER_GUILD, name: 'Stranger' });
    h.standIn.addChannel({ id: FOREIGN, guildId: OTHER_GUILD, name: 'general' });
    const outcome = await runNow([
      { type: 'discord_channel', channelId: FOREIGN, format: 'embed', thread: true },
      { type: 'discord_channel', channelId: DIGEST, format: 'embed' },
    ]);
    expect(outcome.status).toBe('partial');
    expect(runOf(outcome)?.destinations?.[0]?.error).toMatch(/is not in this server/);
    expect(h.standIn.threadsOf(FOREIGN)).toEqual([]);
    expect(
      h.standIn.requests.some((r) => r.method === 'POST' && r.path.includes(`/channels/${FOREIGN}/`)),
    ).toBe(false);
  });
});
