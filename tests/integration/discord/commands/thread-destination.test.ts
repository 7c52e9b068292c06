/**
 * Delivery into a thread through signed interactions (#18): `/schedule settings thread:` and a forum channel
 * as `post_to`, with the member's and the bot's thread permissions checked as Discord computes them
 * (CREATE_PUBLIC_THREADS, SEND_MESSAGES in forums, SEND_MESSAGES_IN_THREADS) against the Discord stand-in.
 */
import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SummaryTask } from '../../../../lib/tasks/task.ts';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  APP,
  bool,
  CHANNEL,
  chan,
  command,
  file,
  GUILD,
  str,
} from '../../../support/interaction-payloads.ts';

// The bot's user id is its application's (APP), as for every app made since bots and apps share ids.
const { state, send, discord } = useInteractionHarness({ botUserId: APP });

const FORUM = '945027906669510700';
const CLOSED = '945027906669510701';
const BOT_ROLE = '945027906669510702';
const BOT_CLOSED = '945027906669510703';
// What a member typically has in a channel: the payload's ADMIN set, and posting in threads.
const IN_THREADS = (BigInt(ADMIN) | PermissionFlagsBits.SendMessagesInThreads).toString();
const deny = (id: string, flag: bigint) => [
  { id, type: OverwriteType.Role, allow: '0', deny: flag.toString() },
];

beforeAll(() => {
  const standIn = discord();
  standIn.addChannel({ id: FORUM, guildId: GUILD, name: 'digests', type: ChannelType.GuildForum });
  // Nobody may start threads here.
  standIn.addChannel({
    id: CLOSED,
    guildId: GUILD,
    name: 'closed',
    permissionOverwrites: deny(GUILD, PermissionFlagsBits.CreatePublicThreads),
  });
  // Members may; the bot's role may not.
  standIn.setRole(GUILD, { id: BOT_ROLE, name: 'Summary Bot', permissions: 0n });
  standIn.setBotRoles(GUILD, [BOT_ROLE]);
  standIn.addChannel({
    id: BOT_CLOSED,
    guildId: GUILD,
    name: 'bot-closed',
    permissionOverwrites: deny(BOT_ROLE, PermissionFlagsBits.CreatePublicThreads),
  });
});

async function createDigest(postTo?: { id: string; type: number }) {
  const res = await send(
    command(
      'schedule create daily',
      [str('time', '09:00'), str('name', 'Digest'), ...(postTo ? [chan('post_to', postTo.id)] : [])],
      postTo
        ? {
            resolved: {
              channels: {
                [postTo.id]: { id: postTo.id, name: 'c', type: postTo.type, permissions: IN_THREADS },
              },
            },
          }
        : {},
    ),
  );
  const [task] = await state.scheduler.listTasks(GUILD);
  if (!task) throw new Error(res.json.data.content);
  return { task: task as SummaryTask, content: res.json.data.content as string };
}

describe('/schedule settings thread:', () => {
  it("starts a new thread for each run's digest, and says so", async () => {
    const { task } = await createDigest();
    const res = await send(command('schedule settings', [str('task', task.id), bool('thread', true)]));
    expect(res.json.data.content).toContain(
      `• Each run starts a new thread in <#${CHANNEL}>, named after the hours it covers`,
    );
    const stored = (await state.scheduler.getTask(GUILD, task.id)) as SummaryTask;
    expect(stored.destinations).toEqual([
      { type: 'discord_channel', channelId: CHANNEL, format: 'embed', thread: true },
    ]);
    const off = await send(command('schedule settings', [str('task', task.id), bool('thread', false)]));
    expect(off.json.data.content).not.toContain('new thread');
    expect(((await state.scheduler.getTask(GUILD, task.id)) as SummaryTask).destinations).toEqual([
      { type: 'discord_channel', channelId: CHANNEL, format: 'embed' },
    ]);
  });

  it('refuses a channel where the member may not start threads, and changes nothing', async () => {
    const { task } = await createDigest({ id: CLOSED, type: ChannelType.GuildText });
    const res = await send(command('schedule settings', [str('task', task.id), bool('thread', true)]));
    expect(res.json.data.content).toBe(
      `You cannot start threads in <#${CLOSED}> (Create Public Threads and Send Messages in Threads), so the bot will not start them there for you.`,
    );
    expect((await state.scheduler.getTask(GUILD, task.id)).version).toBe(task.version);
  });

  it('refuses a channel where the bot may not start threads, saying what to give it', async () => {
    const { task } = await createDigest({ id: BOT_CLOSED, type: ChannelType.GuildText });
    const res = await send(command('schedule settings', [str('task', task.id), bool('thread', true)]));
    expect(res.json.data.content).toBe(
      `**thread**: expected a channel where the bot can start threads; give it Create Public Threads and Send Messages in Threads in <#${BOT_CLOSED}>, then try again`,
    );
    expect((await state.scheduler.getTask(GUILD, task.id)).version).toBe(task.version);
  });
});

describe('a forum channel as post_to', () => {
  it('makes each run a new post there, and cannot be turned into plain messages', async () => {
    const { task, content } = await createDigest({ id: FORUM, type: ChannelType.GuildForum });
    expect(task.destinations).toEqual([
      { type: 'discord_channel', channelId: FORUM, format: 'embed', thread: true },
    ]);
    expect(content).toContain(
      `Each run starts a new thread in <#${FORUM}>, named after the hours it covers.`,
    );
    const res = await send(command('schedule settings', [str('task', task.id), bool('thread', false)]));
    expect(res.json.data.content).toBe(
      `**thread**: expected a text or announcement channel to post in without a thread; <#${FORUM}> is a forum channel, which holds only posts, so each run's digest there is a new post`,
    );
  });
});

describe('/schedule import of thread:true destinations', () => {
  let uploads = 0;
  /** `/schedule import` of a file whose one task posts to `channelId` with thread:true; the reply text. */
  async function importThreaded(channelId: string): Promise<string> {
    uploads += 1;
    const url = `https://cdn.discordapp.com/attachments/3/${uploads}/tasks.json`;
    const text = JSON.stringify({
      format: 'summary-bot-tasks',
      version: 1,
      tasks: [
        {
          kind: 'summary',
          name: 'Threaded digest',
          channelIds: [CHANNEL],
          schedule: { type: 'daily', time: '09:00' },
          timeZone: 'UTC',
          destinations: [{ type: 'discord_channel', channelId, format: 'embed', thread: true }],
        },
      ],
    });
    state.attachments.set(url, text);
    const attachment = { id: '111111111111111113', filename: 'tasks.json', size: text.length, url };
    const res = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    return String(res.json.data.content);
  }

  it('refuses, as create does, a channel where the member may not start threads, and writes nothing', async () => {
    const before = (await state.scheduler.listTasks(GUILD)).length;
    expect(await importThreaded(CLOSED)).toBe(
      `You cannot start threads in <#${CLOSED}> (Create Public Threads and Send Messages in Threads), so the bot will not start them there for you.`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(before);
  });

  it('refuses a channel where the bot may not start threads, naming the entry and what to give it', async () => {
    const before = (await state.scheduler.listTasks(GUILD)).length;
    expect(await importThreaded(BOT_CLOSED)).toBe(
      `**file: tasks[0].destinations[0]**: expected a channel where the bot can start threads; give it Create Public Threads and Send Messages in Threads in <#${BOT_CLOSED}>, then try again`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(before);
  });

  it('imports a forum destination where both may post', async () => {
    expect(await importThreaded(FORUM)).toMatch(/^Imported 1 task\./);
  });
});
