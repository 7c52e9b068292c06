import { MessageFlags } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUBSCRIBERS_PER_TASK as MAX_SUBSCRIBERS_PER_TASK } from '../../../../lib/tasks/subscribers.ts';
import { THIRD_CHANNEL, useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  autocomplete,
  CHANNEL,
  command,
  GUILD,
  READER,
  SECRET_CHANNEL,
  str,
  USER,
} from '../../../support/interaction-payloads.ts';
import { hiddenFromEveryone, shownTo, shownToBot } from '../../../support/overwrites.ts';

const { db, state, send, discord } = useInteractionHarness();

const MODS = '539082325061836201';
const MODS_ONLY = '845027906669510801';

beforeAll(() => {
  const standIn = discord();
  standIn.setRole(GUILD, { id: MODS, name: 'Moderators', permissions: 0n });
  standIn.addChannel({
    id: MODS_ONLY,
    guildId: GUILD,
    name: 'mods-only',
    permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(MODS), shownToBot(standIn)],
  });
});

/** A plain member: no roles, no Manage Server. */
const member = { permissions: READER };
const moderator = { permissions: READER, roles: [MODS] };

function digest(name: string, channelIds: string[], kind: 'summary' | 'cleanup' = 'summary') {
  return state.scheduler.createTask(
    kind === 'summary'
      ? {
          guildId: GUILD,
          kind,
          name,
          channelIds,
          schedule: { type: 'daily', time: '09:00' },
          timeZone: 'UTC',
          destinations: [{ type: 'discord_channel', channelId: MODS_ONLY, format: 'embed' }],
          createdBy: '53908232506183699',
        }
      : {
          guildId: GUILD,
          kind,
          name,
          retentionDays: 30,
          schedule: { type: 'daily', time: '03:00' },
          timeZone: 'UTC',
          createdBy: '53908232506183699',
        },
  );
}

const subscribe = (task: string, who: object = member) =>
  send(command('subscribe', [str('task', task)], who));
const unsubscribe = (task: string, who: object = member) =>
  send(command('unsubscribe', [str('task', task)], who));

describe('/subscribe and /unsubscribe (signed interactions, any member)', () => {
  it('subscribes a member without Manage Server, privately, and stores it on the task', async () => {
    const task = await digest('Daily digest', [CHANNEL, THIRD_CHANNEL]);
    const res = await subscribe(task.id);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toMatch(
      /^Subscribed to \*\*Daily digest\*\*: each run's digest also comes to you by direct message \(next run <t:\d+:F>/,
    );
    expect(res.json.data.content).not.toContain('Left out');
    const stored = await state.scheduler.getTask(GUILD, task.id);
    expect(stored).toMatchObject({ subscribers: [{ userId: USER, since: '2026-03-02T08:00:00.000Z' }] });
  });

  it('takes the task by name too, and a second /subscribe says it is already there', async () => {
    await digest('Daily digest', [CHANNEL]);
    await subscribe('daily digest');
    const again = await subscribe('Daily digest');
    expect(again.json.data.content).toMatch(/^You are already subscribed to \*\*Daily digest\*\*\./);
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task?.kind === 'summary' && task.subscribers).toHaveLength(1);
  });

  it('warns about the channels the member cannot read, naming them', async () => {
    const task = await digest('Staff digest', [CHANNEL, MODS_ONLY]);
    const res = await subscribe(task.id);
    expect(res.json.data.content).toMatch(/^Subscribed to \*\*Staff digest\*\*/);
    expect(res.json.data.content).toContain(
      `⚠️ Left out of your digest: <#${MODS_ONLY}> (you cannot read it). This is checked again at every run.`,
    );
  });

  it('gives a member whose role can read every channel no warning', async () => {
    const task = await digest('Staff digest', [CHANNEL, MODS_ONLY]);
    const res = await subscribe(task.id, moderator);
    expect(res.json.data.content).toMatch(/^Subscribed/);
    expect(res.json.data.content).not.toContain('Left out');
  });

  it('refuses a member who can read none of the channels, naming them, and stores nothing', async () => {
    const task = await digest('Mods digest', [MODS_ONLY, SECRET_CHANNEL]);
    const res = await subscribe(task.id);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toBe(
      `You cannot read <#${MODS_ONLY}>, <#${SECRET_CHANNEL}>, the channels **Mods digest** summarizes, so it has nothing to send you.`,
    );
    const stored = await state.scheduler.getTask(GUILD, task.id);
    expect(stored).not.toHaveProperty('subscribers');
  });

  it('says a channel the bot was not let into is in no digest, rather than that the member cannot read it', async () => {
    const LOUNGE = '845027906669510802';
    discord().addChannel({
      id: LOUNGE,
      guildId: GUILD,
      name: 'mods-lounge',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownTo(MODS)],
    });
    const task = await digest('Lounge digest', [CHANNEL, LOUNGE]);
    const res = await subscribe(task.id, moderator);
    expect(res.json.data.content).toMatch(/^Subscribed to \*\*Lounge digest\*\*/);
    expect(res.json.data.content).toContain(
      `⚠️ Left out of every digest: the bot cannot read <#${LOUNGE}> (an admin can give it View Channel there).`,
    );
    expect(res.json.data.content).not.toContain('you cannot read');

    const only = await digest('Lounge only', [LOUNGE, MODS_ONLY]);
    const refused = await subscribe(only.id);
    expect(refused.json.data.content).toBe(
      `**Lounge only** has nothing to send you: you cannot read <#${MODS_ONLY}>, and the bot cannot read <#${LOUNGE}> (an admin can give it View Channel there).`,
    );
  });

  it('subscribes to a whole-server digest, whose channels are checked at each run', async () => {
    const task = await state.scheduler.createTask({
      guildId: GUILD,
      kind: 'summary',
      source: 'server',
      name: 'Server digest',
      channelIds: [MODS_ONLY],
      schedule: { type: 'daily', time: '09:00' },
      timeZone: 'UTC',
      destinations: [{ type: 'discord_channel', channelId: MODS_ONLY, format: 'embed' }],
      createdBy: '53908232506183699',
    });
    const res = await subscribe(task.id);
    expect(res.json.data.content).toMatch(/^Subscribed to \*\*Server digest\*\*/);
    expect(res.json.data.content).toContain(
      'It summarizes the whole server: your digest has only the channels you can read, checked at every run.',
    );
  });

  it('refuses a cleanup task, saying why', async () => {
    const task = await digest('Cleanup', [], 'cleanup');
    const res = await subscribe(task.id);
    expect(res.json.data.content).toContain('a cleanup task sends no digest to subscribe to');
  });

  it(`refuses subscriber number ${MAX_SUBSCRIBERS_PER_TASK + 1} with the limit in words`, async () => {
    const task = await digest('Popular', [CHANNEL]);
    const full = Array.from({ length: MAX_SUBSCRIBERS_PER_TASK }, (_, i) => ({
      userId: String(400000000000000000n + BigInt(i)),
      since: '2026-03-01T00:00:00.000Z',
    }));
    const current = await state.scheduler.getTask(GUILD, task.id);
    await db.store.updateTask({ ...current, subscribers: full } as typeof current, current.version);
    const res = await subscribe(task.id);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toBe(
      `**Popular** already has ${MAX_SUBSCRIBERS_PER_TASK} subscribers, and at most ${MAX_SUBSCRIBERS_PER_TASK} are allowed (each run sends every subscriber a direct message). Ask a manager to post its digest to a channel you can read instead; whoever runs the bot can raise the limit with MAX_SUBSCRIBERS_PER_TASK (CDK context maxSubscribersPerTask).`,
    );
    const stored = await state.scheduler.getTask(GUILD, task.id);
    expect(stored.kind === 'summary' && stored.subscribers).toHaveLength(MAX_SUBSCRIBERS_PER_TASK);
  });

  it('/unsubscribe removes the subscription; a second one says the member is not subscribed', async () => {
    const task = await digest('Daily digest', [CHANNEL]);
    await subscribe(task.id);
    const res = await unsubscribe(task.id);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toBe(
      'Unsubscribed from **Daily digest**: its digest no longer comes to you by direct message.',
    );
    expect(await state.scheduler.getTask(GUILD, task.id)).not.toHaveProperty('subscribers');
    const again = await unsubscribe(task.id);
    expect(again.json.data.content).toBe(
      'You are not subscribed to **Daily digest**, so there is nothing to stop.',
    );
  });

  it('an unknown task is not found', async () => {
    const res = await subscribe('nothing-like-it');
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toMatch(/not found/i);
  });

  it('/schedule list and /schedule status count the subscribers and say how the last DMs went', async () => {
    const task = await digest('Daily digest', [CHANNEL]);
    await subscribe(task.id);
    await subscribe(task.id, { permissions: READER, roles: [MODS] });
    const list = await send(command('schedule list'));
    expect(list.json.data.content).toContain(`**Daily digest** \`${task.id}\``);
    expect(list.json.data.content).toMatch(/, 1 subscriber/);
    await db.store.putRun({
      taskId: task.id,
      guildId: GUILD,
      scheduledTime: '2026-03-02T07:00:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'succeeded',
      startedAt: '2026-03-02T07:00:01.000Z',
      finishedAt: '2026-03-02T07:00:09.000Z',
      messageCount: 12,
      subscribers: [
        { userId: USER, status: 'delivered' },
        { userId: '53908232506183611', status: 'dm_closed' },
        { userId: '53908232506183612', status: 'dm_closed' },
      ],
      expiresAt: Math.floor(Date.parse('2036-01-01T00:00:00Z') / 1000),
    });
    const status = await send(command('schedule status', [str('task', task.id)]));
    expect(status.json.data.content).toContain(
      'By DM: 1 subscriber, each with only the channels they can read',
    );
    expect(status.json.data.content).toContain(
      'DMs to subscribers: 1 sent, 2 not sent: DMs closed (Discord 50007)',
    );
  });

  it('autocomplete offers a member only tasks that read a channel they can read; unsubscribe only theirs', async () => {
    const open = await digest('Daily digest', [CHANNEL]);
    const hidden = await digest('Mods digest', [MODS_ONLY]);
    const offered = await send(autocomplete('subscribe', [str('task', '', true)], member));
    expect(offered.json.data.choices).toEqual([{ name: `Daily digest (${open.id})`, value: open.id }]);
    const forMods = await send(autocomplete('subscribe', [str('task', 'digest', true)], moderator));
    expect(forMods.json.data.choices.map((c: { value: string }) => c.value).sort()).toEqual(
      [open.id, hidden.id].sort(),
    );
    expect(
      (await send(autocomplete('unsubscribe', [str('task', '', true)], member))).json.data.choices,
    ).toEqual([]);
    await subscribe(open.id);
    const mine = await send(autocomplete('unsubscribe', [str('task', 'dai', true)], member));
    expect(mine.json.data.choices).toEqual([
      { name: `Daily digest (subscribed, 1 subscribed, ${open.id})`, value: open.id },
    ]);
  });

  it('warns when a task with subscribers becomes a digest of digests, which sends them nothing', async () => {
    const daily = await digest('Standup digest', [CHANNEL]);
    const weekly = await digest('Weekly roll-up', [CHANNEL]);
    await subscribe(weekly.id);
    const res = await send(
      command('schedule settings', [str('task', weekly.id), str('digest_of', daily.id)]),
    );
    expect(res.json.data.content).toContain(
      '⚠️ Its 1 subscriber gets no direct message while it digests other tasks; they can /subscribe to the tasks it digests instead.',
    );
  });
});
