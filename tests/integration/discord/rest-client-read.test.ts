import { ChannelType, MessageType, RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { DiscordAccessError } from '../../../lib/errors.ts';
import type { ReadWindow } from '../../../lib/execution/ports.ts';
import { timeFromSnowflake } from '../../../lib/shared/snowflake.ts';
import { alice, bob, CHANNEL_ID, GUILD_ID, helperBot, seedMessages, useRestHarness } from './fixtures.ts';

const START = new Date('2026-03-01T00:00:00.000Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);
const window = (overrides: Partial<ReadWindow> = {}): ReadWindow => ({
  from: START,
  to: minutes(24 * 60),
  limit: 1000,
  includeThreads: false,
  ...overrides,
});

describe('DiscordRestClient.readChannel', () => {
  const h = useRestHarness();

  it('pages through 250 messages oldest to newest with limit=100 and an after cursor', async () => {
    const seeded = seedMessages(h.standIn, CHANNEL_ID, START, 250);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    expect(history.messages.map((m) => m.id)).toEqual(seeded.map((m) => m.id));
    expect(history.truncated).toBe(false);
    expect(history.lastMessageId).toBe(seeded[249]!.id);
    const pages = h.standIn.requests.filter((r) => r.path === Routes.channelMessages(CHANNEL_ID));
    expect(pages).toHaveLength(3);
    expect(pages.every((r) => r.query['limit'] === '100' && r.query['after'] !== undefined)).toBe(true);
    expect(pages[1]!.query['after']).toBe(seeded[99]!.id);
    expect(pages[2]!.query['after']).toBe(seeded[199]!.id);
  });

  it('reads the newest messages of a window that holds more than the limit, paging backward', async () => {
    const seeded = seedMessages(h.standIn, CHANNEL_ID, minutes(-30), 330);
    const history = await h.client.readChannel(
      GUILD_ID,
      CHANNEL_ID,
      window({ to: minutes(249), limit: 120, keep: 'newest' }),
    );
    // Inside [from, to] are messages 30..279; the newest 120 of them are 160..279, oldest first.
    expect(history.messages.map((m) => m.content)).toEqual(seeded.slice(160, 280).map((m) => m.content));
    expect(history.truncated).toBe(true);
    expect(history.lastMessageId).toBe(seeded[279]!.id);
    const pages = h.standIn.requests.filter((r) => r.path === Routes.channelMessages(CHANNEL_ID));
    expect(pages.every((r) => r.query['before'] !== undefined)).toBe(true);
  });

  it('reads a whole window backward when it fits the limit', async () => {
    seedMessages(h.standIn, CHANNEL_ID, minutes(-30), 80);
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ keep: 'newest' }));
    expect(history.messages.map((m) => m.content)[0]).toBe('message 30');
    expect(history.messages).toHaveLength(50);
    expect(history.truncated).toBe(false);
  });

  it('keeps only messages inside [from, to] and stops paging at window.to', async () => {
    seedMessages(h.standIn, CHANNEL_ID, minutes(-30), 330);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ to: minutes(99) }));

    expect(history.messages).toHaveLength(100);
    expect(history.messages[0]!.content).toBe('message 30');
    expect(history.messages.at(-1)!.content).toBe('message 129');
    // The first request starts at `from`, and the page that crosses `to` is the last one read.
    const pages = h.standIn.requests.filter((r) => r.path === Routes.channelMessages(CHANNEL_ID));
    expect(timeFromSnowflake(pages[0]!.query['after']!).getTime()).toBe(START.getTime() - 1);
    expect(pages).toHaveLength(2);
  });

  it('includes a message sent at exactly window.from', async () => {
    const [first] = seedMessages(h.standIn, CHANNEL_ID, START, 1);
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());
    expect(history.messages.map((m) => m.id)).toEqual([first!.id]);
  });

  it('stops at window.limit and reports truncation, with the cursor at the last message returned', async () => {
    const seeded = seedMessages(h.standIn, CHANNEL_ID, START, 150);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ limit: 120 }));

    expect(history.messages).toHaveLength(120);
    expect(history.truncated).toBe(true);
    expect(history.lastMessageId).toBe(seeded[119]!.id);
  });

  it('does not report truncation when the window holds exactly window.limit messages', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 100);
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ limit: 100 }));
    expect(history.messages).toHaveLength(100);
    expect(history.truncated).toBe(false);
  });

  it('reads strictly after afterId when it is later than window.from', async () => {
    const seeded = seedMessages(h.standIn, CHANNEL_ID, START, 10);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ afterId: seeded[6]!.id }));

    expect(history.messages.map((m) => m.content)).toEqual(['message 7', 'message 8', 'message 9']);
  });

  it('accepts a window that starts before Discord existed', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 2);
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ from: new Date(0) }));
    expect(history.messages).toHaveLength(2);
  });

  it('returns an empty history without a cursor for a quiet channel', async () => {
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());
    expect(history).toEqual({ messages: [], truncated: false });
  });

  it('normalizes authors, bots, system messages, reactions, attachments and jump links', async () => {
    const human = h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: alice,
      content: 'see the plan',
      timestamp: minutes(1),
      attachments: [{ filename: 'plan.pdf', url: 'https://cdn.example/plan.pdf' }],
      reactions: [
        { emoji: '👍', count: 3 },
        { emoji: '🎉', count: 2 },
      ],
    });
    h.standIn.addMessage({ channelId: CHANNEL_ID, author: bob, content: 'ok', timestamp: minutes(2) });
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: helperBot,
      content: 'beep',
      timestamp: minutes(3),
    });
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: '',
      type: MessageType.UserJoin,
      timestamp: minutes(4),
    });
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: 'replying',
      type: MessageType.Reply,
      timestamp: minutes(5),
    });

    const { messages } = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    expect(messages[0]).toEqual({
      id: human.id,
      channelId: CHANNEL_ID,
      authorId: alice.id,
      authorName: 'Alice A.',
      isBot: false,
      isSystem: false,
      timestamp: minutes(1).toISOString(),
      content: 'see the plan',
      attachments: [{ name: 'plan.pdf', url: 'https://cdn.example/plan.pdf' }],
      reactionCount: 5,
      jumpLink: `https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/${human.id}`,
    });
    expect(messages.map((m) => [m.authorName, m.isBot, m.isSystem])).toEqual([
      ['Alice A.', false, false],
      ['bob', false, false],
      ['helper', true, false],
      ['bob', false, true],
      ['bob', false, false],
    ]);
  });

  it('carries the reply reference and the mentioned members, showing mentions as @name', async () => {
    const question = h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: alice,
      content: 'who can review the release notes?',
      timestamp: minutes(1),
    });
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: `<@${alice.id}> I can, tonight`,
      mentions: [alice],
      replyTo: question.id,
      timestamp: minutes(2),
    });
    // A pinned-message notice references a message too, but it is no reply.
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: '',
      type: MessageType.ChannelPinnedMessage,
      timestamp: minutes(3),
    });

    const { messages } = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    expect(messages[0]?.replyTo).toBeUndefined();
    expect(messages[1]).toMatchObject({
      content: '@Alice A. I can, tonight',
      replyTo: question.id,
      mentions: [{ id: alice.id, name: 'Alice A.' }],
    });
    expect(messages[2]?.replyTo).toBeUndefined();
  });

  it('reads active and archived threads of the channel, tags their messages and merges them by time', async () => {
    const other = h.standIn.addChannel({ guildId: GUILD_ID, name: 'random' });
    const active = h.standIn.addChannel({
      id: '900000000000000020',
      guildId: GUILD_ID,
      name: 'release plan',
      parentId: CHANNEL_ID,
      threadMetadata: { create_timestamp: minutes(-60).toISOString() },
    });
    const archived = h.standIn.addChannel({
      id: '900000000000000021',
      guildId: GUILD_ID,
      name: 'incident',
      parentId: CHANNEL_ID,
      threadMetadata: { archived: true, archive_timestamp: minutes(120).toISOString() },
    });
    const archivedLongAgo = h.standIn.addChannel({
      id: '900000000000000022',
      guildId: GUILD_ID,
      name: 'old news',
      parentId: CHANNEL_ID,
      threadMetadata: { archived: true, archive_timestamp: minutes(-600).toISOString() },
    });
    const elsewhere = h.standIn.addChannel({
      id: '900000000000000023',
      guildId: GUILD_ID,
      name: 'not ours',
      parentId: other.id,
    });
    const say = (channelId: string, content: string, at: number) =>
      h.standIn.addMessage({ channelId, author: alice, content, timestamp: minutes(at) });
    say(CHANNEL_ID, 'main 1', 1);
    say(active.id, 'thread a 1', 2);
    say(archived.id, 'thread b 1', 3);
    say(CHANNEL_ID, 'main 2', 4);
    say(archivedLongAgo.id, 'long ago', -700);
    say(elsewhere.id, 'elsewhere', 5);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ includeThreads: true }));

    expect(history.messages.map((m) => [m.content, m.threadName, m.channelId])).toEqual([
      ['main 1', undefined, CHANNEL_ID],
      ['thread a 1', 'release plan', active.id],
      ['thread b 1', 'incident', archived.id],
      ['main 2', undefined, CHANNEL_ID],
    ]);
    expect(history.lastMessageId).toBe(history.messages[3]!.id);
    expect(h.standIn.requests.some((r) => r.path === Routes.channelMessages(archivedLongAgo.id))).toBe(false);
    expect(h.standIn.requests.some((r) => r.path === Routes.channelMessages(elsewhere.id))).toBe(false);
  });

  it('leaves private threads out of the summary', async () => {
    const secret = h.standIn.addChannel({
      guildId: GUILD_ID,
      name: 'private talk',
      parentId: CHANNEL_ID,
      type: ChannelType.PrivateThread,
      threadMetadata: { create_timestamp: START.toISOString() },
    });
    h.standIn.addMessage({ channelId: secret.id, author: alice, content: 'just us', timestamp: minutes(1) });

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ includeThreads: true }));

    expect(history.messages).toEqual([]);
    expect(h.standIn.requests.some((r) => r.path === Routes.channelMessages(secret.id))).toBe(false);
  });

  it('skips a thread deleted between listing and reading', async () => {
    const thread = h.standIn.addChannel({
      guildId: GUILD_ID,
      name: 'gone',
      parentId: CHANNEL_ID,
      threadMetadata: { create_timestamp: START.toISOString() },
    });
    seedMessages(h.standIn, CHANNEL_ID, START, 2);
    h.standIn.failNext(`GET ${Routes.channelMessages(thread.id)}`, [
      { status: 404, code: RESTJSONErrorCodes.UnknownChannel, message: 'Unknown Channel' },
    ]);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window({ includeThreads: true }));

    expect(history.messages.map((m) => m.content)).toEqual(['message 0', 'message 1']);
  });

  it('does not list threads when includeThreads is false', async () => {
    h.standIn.addChannel({
      guildId: GUILD_ID,
      name: 'a thread',
      parentId: CHANNEL_ID,
      type: ChannelType.PublicThread,
    });
    await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());
    expect(h.standIn.requests.map((r) => r.path)).toEqual([
      Routes.channel(CHANNEL_ID),
      Routes.channelMessages(CHANNEL_ID),
    ]);
  });

  it('applies window.limit across the channel and its threads together', async () => {
    const thread = h.standIn.addChannel({
      guildId: GUILD_ID,
      name: 't',
      parentId: CHANNEL_ID,
      threadMetadata: { create_timestamp: START.toISOString() },
    });
    seedMessages(h.standIn, CHANNEL_ID, minutes(0), 5);
    seedMessages(h.standIn, thread.id, minutes(0.5), 5);

    const history = await h.client.readChannel(
      GUILD_ID,
      CHANNEL_ID,
      window({ includeThreads: true, limit: 4 }),
    );

    expect(history.messages.map((m) => [m.content, m.threadName])).toEqual([
      ['message 0', undefined],
      ['message 0', 't'],
      ['message 1', undefined],
      ['message 1', 't'],
    ]);
    expect(history.truncated).toBe(true);
  });

  it('throws DiscordAccessError forbidden for a channel the bot may not read', async () => {
    h.standIn.forbid(CHANNEL_ID);
    const read = h.client.readChannel(GUILD_ID, CHANNEL_ID, window());
    await expect(read).rejects.toBeInstanceOf(DiscordAccessError);
    await expect(read).rejects.toMatchObject({ channelId: CHANNEL_ID, reason: 'forbidden' });
  });

  it('throws DiscordAccessError not_found for an unknown channel', async () => {
    await expect(h.client.readChannel(GUILD_ID, '900000000000000999', window())).rejects.toMatchObject({
      name: 'DiscordAccessError',
      reason: 'not_found',
    });
  });

  it('detects a missing Message Content Intent and says how to enable it', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 3);
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: helperBot,
      content: 'bots keep text',
      timestamp: minutes(5),
    });
    h.standIn.setMessageContentIntent(false);

    const read = h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    await expect(read).rejects.toMatchObject({
      reason: 'missing_message_content_intent',
      channelId: CHANNEL_ID,
    });
    await expect(read).rejects.toThrow(/Message Content Intent/);
  });

  it('does not mistake mentions of the bot (which keep their text) for a working intent', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 2);
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: `<@${h.standIn.botUser.id}> hello`,
      mentions: [h.standIn.botUser],
      timestamp: minutes(3),
    });
    h.standIn.setMessageContentIntent(false);

    await expect(h.client.readChannel(GUILD_ID, CHANNEL_ID, window())).rejects.toMatchObject({
      reason: 'missing_message_content_intent',
    });
  });

  it('accepts a sticker-only message as content when the intent is present', async () => {
    h.standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: '',
      stickerIds: ['1'],
      timestamp: minutes(1),
    });
    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());
    expect(history.messages).toHaveLength(1);
  });

  it('waits out a 429 using retry_after and then succeeds', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 3);
    h.standIn.failNext(`GET ${Routes.channelMessages(CHANNEL_ID)}`, [{ status: 429, retryAfter: 0.05 }]);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    expect(history.messages).toHaveLength(3);
    const reads = h.standIn.requests.filter((r) => r.path === Routes.channelMessages(CHANNEL_ID));
    expect(reads.map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a 5xx on a read and then succeeds', async () => {
    seedMessages(h.standIn, CHANNEL_ID, START, 3);
    h.standIn.failNext(Routes.channelMessages(CHANNEL_ID), [{ status: 502 }, { status: 500 }]);

    const history = await h.client.readChannel(GUILD_ID, CHANNEL_ID, window());

    expect(history.messages).toHaveLength(3);
    const reads = h.standIn.requests.filter((r) => r.path === Routes.channelMessages(CHANNEL_ID));
    expect(reads.map((r) => r.status)).toEqual([502, 500, 200]);
  });

  it('never reads a channel of another server the bot is also in', async () => {
    h.standIn.addGuild({ id: '900000000000000999', name: 'Elsewhere' });
    const foreign = h.standIn.addChannel({ guildId: '900000000000000999', name: 'secret' });
    seedMessages(h.standIn, foreign.id, START, 3);
    const attempt = h.client.readChannel(GUILD_ID, foreign.id, window());
    await expect(attempt).rejects.toBeInstanceOf(DiscordAccessError);
    await expect(attempt).rejects.toMatchObject({ reason: 'not_found' });
    expect(h.standIn.requests.some((r) => r.path === Routes.channelMessages(foreign.id))).toBe(false);
  });
});
