import { MessageFlags, OverwriteType } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  bool,
  CHANNEL,
  chan,
  command,
  file,
  GUILD,
  resolvedChannels,
  str,
} from '../../../support/interaction-payloads.ts';
import { hiddenFromEveryone, shownTo, shownToBot } from '../../../support/overwrites.ts';

const { state, send, discord } = useInteractionHarness();

const MODS = '539082325061836101';
const HELPERS = '539082325061836102';
const OUTSIDER = '53908232506183611';
const MODS_CHANNEL = '845027906669510701';
const MODS_LOUNGE = '845027906669510702';
const STAFF = '845027906669510703';
const LOUNGE_PLUS_ONE = '845027906669510704';

const hidden = hiddenFromEveryone(GUILD);

beforeAll(() => {
  const standIn = discord();
  // The bot was let into each private channel: the scenarios are about who else sees them.
  const bot = shownToBot(standIn);
  standIn.setRole(GUILD, { id: MODS, name: 'Moderators', permissions: 0n });
  standIn.setRole(GUILD, { id: HELPERS, name: 'Helpers', permissions: 0n });
  standIn.addChannel({
    id: MODS_CHANNEL,
    guildId: GUILD,
    name: 'mods',
    permissionOverwrites: [hidden, shownTo(MODS), bot],
  });
  standIn.addChannel({
    id: MODS_LOUNGE,
    guildId: GUILD,
    name: 'mods-lounge',
    permissionOverwrites: [hidden, shownTo(MODS), bot],
  });
  standIn.addChannel({
    id: STAFF,
    guildId: GUILD,
    name: 'staff',
    permissionOverwrites: [hidden, shownTo(MODS), shownTo(HELPERS), bot],
  });
  standIn.addChannel({
    id: LOUNGE_PLUS_ONE,
    guildId: GUILD,
    name: 'lounge-and-a-guest',
    permissionOverwrites: [hidden, shownTo(MODS), shownTo(OUTSIDER, OverwriteType.Member), bot],
  });
});

const everywhere = resolvedChannels({
  [CHANNEL]: ADMIN,
  [MODS_CHANNEL]: ADMIN,
  [MODS_LOUNGE]: ADMIN,
  [STAFF]: ADMIN,
  [LOUNGE_PLUS_ONE]: ADMIN,
});
const create = (options: ReturnType<typeof str | typeof bool>[]) =>
  send(
    command('schedule create daily', [str('time', '09:00'), str('name', 'digest'), ...options], {
      resolved: everywhere,
    }),
  );

describe('/schedule create keeps private channels out of more public digests (audience rule)', () => {
  it('leaves a private source out of a digest posted to a public channel and names it in the reply', async () => {
    const res = await create([chan('channel', CHANNEL), chan('channel2', MODS_CHANNEL)]);
    expect(res.json.data.content).toMatch(/^Created/);
    expect(res.json.data.content).toContain(`left out: <#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task).toMatchObject({ channelIds: [CHANNEL] });
  });

  it('keeps a private source when the destination has the same audience', async () => {
    const res = await create([chan('channel', MODS_CHANNEL), chan('post_to', MODS_LOUNGE)]);
    expect(res.json.data.content).toMatch(/^Created/);
    expect(res.json.data.content).not.toContain('left out');
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task).toMatchObject({ channelIds: [MODS_CHANNEL] });
  });

  it.each([
    ['a destination a second role also sees (overlapping roles)', STAFF],
    ['a destination one more member sees (a member overwrite)', LOUNGE_PLUS_ONE],
    ['a public destination', CHANNEL],
  ])('refuses a task whose only source would reach %s, and writes nothing', async (_, destination) => {
    const res = await create([chan('channel', MODS_CHANNEL), chan('post_to', destination)]);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    expect(res.json.data.content).not.toMatch(/^Created/);
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('refuses to send a private channel to a webhook without include_private, naming the option', async () => {
    const res = await create([
      chan('channel', MODS_CHANNEL),
      chan('post_to', MODS_LOUNGE),
      str('webhook', 'https://hooks.example.com/digest'),
    ]);
    expect(res.json.data.content).toContain('webhook');
    expect(res.json.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    expect(res.json.data.content).toContain('include_private:true');
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('sends a private channel to a webhook with include_private:true, warns, and stores the consent', async () => {
    const res = await create([
      chan('channel', MODS_CHANNEL),
      chan('post_to', MODS_LOUNGE),
      str('webhook', 'https://hooks.example.com/digest'),
      bool('include_private', true),
    ]);
    expect(res.json.data.content).toMatch(/^Created/);
    expect(res.json.data.content).toContain(
      `⚠️ include_private: <#${MODS_CHANNEL}> is private to <@&${MODS}>, and its messages go to the webhook`,
    );
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task).toMatchObject({ channelIds: [MODS_CHANNEL], options: { includePrivate: true } });
  });

  it('keeps the audience rule for Discord channels even with include_private:true', async () => {
    const res = await create([
      chan('channel', CHANNEL),
      chan('channel2', MODS_CHANNEL),
      str('email', 'mods@example.com'),
      bool('include_private', true),
    ]);
    // No post_to: the digest goes to e-mail only, so #mods may go with consent.
    expect(res.json.data.content).toMatch(/^Created/);
    const withPublicPost = await create([
      chan('channel', CHANNEL),
      chan('channel2', MODS_CHANNEL),
      chan('post_to', CHANNEL),
      str('email', 'mods@example.com'),
      bool('include_private', true),
    ]);
    expect(withPublicPost.json.data.content).toContain(
      `left out: <#${MODS_CHANNEL}> is private to <@&${MODS}>`,
    );
    const tasks = await state.scheduler.listTasks(GUILD);
    expect(tasks.map((t) => (t.kind === 'summary' ? t.channelIds : [])).sort()).toEqual([
      [CHANNEL],
      [CHANNEL, MODS_CHANNEL],
    ]);
  });
});

describe('/schedule edit keeps the audience rule', () => {
  it('refuses include_private:false while a private channel goes to a webhook, and changes nothing', async () => {
    await create([
      chan('channel', MODS_CHANNEL),
      chan('post_to', MODS_LOUNGE),
      str('webhook', 'https://hooks.example.com/digest'),
      bool('include_private', true),
    ]);
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error('not created');
    const res = await send(
      command('schedule edit', [str('task', task.id), bool('include_private', false)], {
        resolved: everywhere,
      }),
    );
    expect(res.json.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    expect(res.json.data.content).not.toMatch(/^Updated/);
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      options: { includePrivate: true },
      version: task.version,
    });
  });

  it('adds a webhook to a private digest only with include_private:true, and warns', async () => {
    await create([chan('channel', MODS_CHANNEL), chan('post_to', MODS_LOUNGE)]);
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error('not created');
    const hook = str('webhook', 'https://hooks.example.com/digest');
    const refused = await send(
      command('schedule edit', [str('task', task.id), hook], { resolved: everywhere }),
    );
    expect(refused.json.data.content).toContain('include_private:true');
    const res = await send(
      command('schedule edit', [str('task', task.id), hook, bool('include_private', true)], {
        resolved: everywhere,
      }),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    expect(res.json.data.content).toContain('⚠️ include_private');
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      channelIds: [MODS_CHANNEL],
      options: { includePrivate: true },
    });
  });

  it('refuses to move a private channel digest to a public channel, and changes nothing', async () => {
    await create([chan('channel', MODS_CHANNEL), chan('post_to', MODS_LOUNGE)]);
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error('not created');
    const res = await send(
      command('schedule edit', [str('task', task.id), chan('post_to', CHANNEL)], { resolved: everywhere }),
    );
    expect(res.json.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    expect(res.json.data.content).not.toMatch(/^Updated/);
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      channelIds: [MODS_CHANNEL],
      version: task.version,
    });
  });

  it('leaves out a private channel added beside a public one and names it', async () => {
    await create([chan('channel', CHANNEL)]);
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error('not created');
    const res = await send(
      command(
        'schedule edit',
        [str('task', task.id), chan('channel', CHANNEL), chan('channel2', MODS_CHANNEL)],
        {
          resolved: everywhere,
        },
      ),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    expect(res.json.data.content).toContain(`left out: <#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({ channelIds: [CHANNEL] });
  });
});

describe('/schedule settings digest_of: holds a digest of digests to the audience rule', () => {
  it('refuses digests of a private channel for a public channel, and names one kept out of a mixed set', async () => {
    await create([chan('channel', MODS_CHANNEL), chan('post_to', MODS_LOUNGE)]);
    const [mods] = await state.scheduler.listTasks(GUILD);
    await send(
      command(
        'schedule create daily',
        [str('time', '10:00'), str('name', 'public'), chan('channel', CHANNEL), chan('post_to', CHANNEL)],
        { resolved: everywhere },
      ),
    );
    await send(
      command(
        'schedule create weekly',
        [str('days', 'fri'), str('time', '11:00'), str('name', 'roll-up'), chan('post_to', CHANNEL)],
        { resolved: everywhere },
      ),
    );
    const tasks = await state.scheduler.listTasks(GUILD);
    const byName = (name: string) => tasks.find((t) => t.name === name)!;

    const refused = await send(
      command('schedule settings', [str('task', 'roll-up'), str('digest_of', mods!.id)]),
    );
    expect(refused.json.data.content).toContain('**digest_of**');
    expect(refused.json.data.content).toContain(`<#${MODS_CHANNEL}> is private to <@&${MODS}>`);
    const unchanged = await state.scheduler.getTask(GUILD, byName('roll-up').id);
    expect(unchanged.kind === 'summary' && unchanged.digestOf).toBeUndefined();

    const mixed = await send(
      command('schedule settings', [
        str('task', 'roll-up'),
        str('digest_of', `${byName('public').id}, ${mods!.id}`),
      ]),
    );
    expect(mixed.json.data.content).toContain('Updated ✅');
    expect(mixed.json.data.content).toContain(
      `• Digests of tasks reading these are left out: <#${MODS_CHANNEL}> is private to <@&${MODS}>`,
    );
  });
});

describe('/schedule import keeps the audience rule', () => {
  let uploads = 0;
  /** `/schedule import` of a file holding `tasks`, as /schedule export writes one; the reply text. */
  async function importFile(tasks: Record<string, unknown>[]): Promise<string> {
    uploads += 1;
    const url = `https://cdn.discordapp.com/attachments/2/${uploads}/tasks.json`;
    const text = JSON.stringify({ format: 'summary-bot-tasks', version: 1, tasks });
    state.attachments.set(url, text);
    const attachment = { id: '111111111111111112', filename: 'tasks.json', size: text.length, url };
    const res = await send(
      // A moderator imports: one who can read #mods, as the import's access check requires.
      command('schedule import', [file('file', attachment.id)], {
        roles: [MODS],
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    return String(res.json.data.content);
  }
  const entry = (over: Record<string, unknown>) => ({
    kind: 'summary',
    name: 'Imported digest',
    channelIds: [CHANNEL],
    schedule: { type: 'daily', time: '09:00' },
    timeZone: 'UTC',
    destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    ...over,
  });
  const webhook = { type: 'webhook', url: 'https://hooks.example.com/digest' };

  it('leaves a private source out of an imported digest posted to a public channel and names it', async () => {
    const reply = await importFile([entry({ channelIds: [CHANNEL, MODS_CHANNEL] })]);
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task).toMatchObject({ channelIds: [CHANNEL] });
    expect(reply).toBe(
      [
        'Imported 1 task.',
        `• **Imported digest** \`${task?.id}\``,
        `**Imported digest**: left out: <#${MODS_CHANNEL}> is private to <@&${MODS}>`,
      ].join('\n'),
    );
  });

  it('refuses a file whose only source is private to a public channel, naming the entry, and writes nothing', async () => {
    const reply = await importFile([entry({}), entry({ name: 'Mods digest', channelIds: [MODS_CHANNEL] })]);
    expect(reply).toBe(
      `**file: tasks[1].channelIds**: expected a channel everyone who sees the destination can read; <#${MODS_CHANNEL}> is private to <@&${MODS}> (post to a channel with the same audience, or pick another channel)`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it("refuses a private source going to a webhook without the file's includePrivate, and writes nothing", async () => {
    const reply = await importFile([entry({ channelIds: [MODS_CHANNEL], destinations: [webhook] })]);
    expect(reply).toBe(
      `**file: tasks[0].destinations[0]**: expected channels everyone in the server can read for webhook, e-mail and file delivery; <#${MODS_CHANNEL}> is private to <@&${MODS}>, so its messages are not sent outside Discord. Post its digest to a channel with the same audience instead, or set "includePrivate": true in its options if its messages may leave Discord`,
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it("takes a file's includePrivate: true only with a warning that names what leaves Discord", async () => {
    const reply = await importFile([
      entry({
        channelIds: [MODS_CHANNEL],
        destinations: [{ type: 'discord_channel', channelId: MODS_LOUNGE, format: 'embed' }, webhook],
        options: { includePrivate: true },
      }),
    ]);
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task).toMatchObject({ channelIds: [MODS_CHANNEL], options: { includePrivate: true } });
    expect(reply).toBe(
      [
        'Imported 1 task.',
        `• **Imported digest** \`${task?.id}\``,
        `⚠️ **Imported digest** takes include_private:true from the file: <#${MODS_CHANNEL}> is private to <@&${MODS}>, and its messages go to the webhook on hooks.example.com too, where Discord does not check who reads them. \`/schedule edit task:${task?.id} include_private:false\` stops that.`,
      ].join('\n'),
    );
  });

  it('warns about includePrivate: true even while every channel is public', async () => {
    const reply = await importFile([entry({ destinations: [webhook], options: { includePrivate: true } })]);
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(reply).toContain(
      `⚠️ **Imported digest** takes include_private:true from the file: channels not everyone in the server can read would go to the webhook on hooks.example.com too, where Discord does not check who reads them. \`/schedule edit task:${task?.id} include_private:false\` stops that.`,
    );
  });
});
