/**
 * Category and whole-server tasks through signed interactions (#18): `channel:` takes a category (read as a
 * whole at each run), `/schedule settings scope:` switches a task to the whole server and back, and
 * `/config channel-limit` sets how many channels such a task reads a run.
 */
import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SummaryTask } from '../../../../lib/tasks/task.ts';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import { ADMIN, CHANNEL, chan, command, GUILD, int, str } from '../../../support/interaction-payloads.ts';
import { shownToBot } from '../../../support/overwrites.ts';

const { state, send, discord } = useInteractionHarness();

const PROJECTS = '845027906669510750';
const BUILDS = '845027906669510751';
/** In the Projects category: one channel everyone reads, and one hidden from @everyone (not the bot). */
const DEPLOYS = '845027906669510752';
const ONCALL = '845027906669510753';

beforeAll(() => {
  discord().addChannel({ id: PROJECTS, guildId: GUILD, name: 'Projects', type: ChannelType.GuildCategory });
  discord().addChannel({ id: BUILDS, guildId: GUILD, name: 'builds', type: ChannelType.GuildText });
  discord().addChannel({
    id: DEPLOYS,
    guildId: GUILD,
    name: 'deploys',
    type: ChannelType.GuildText,
    parentId: PROJECTS,
  });
  discord().addChannel({
    id: ONCALL,
    guildId: GUILD,
    name: 'oncall',
    type: ChannelType.GuildText,
    parentId: PROJECTS,
    // Hidden from @everyone; the bot was let in, so the audience rule, not Discord, keeps it out.
    permissionOverwrites: [
      { id: GUILD, type: OverwriteType.Role, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) },
      shownToBot(discord()),
    ],
  });
});

/** The channels of the interaction as Discord resolves them: here a category and a text channel. */
const resolved = {
  channels: {
    [PROJECTS]: { id: PROJECTS, name: 'Projects', type: ChannelType.GuildCategory, permissions: ADMIN },
    [BUILDS]: { id: BUILDS, name: 'builds', type: ChannelType.GuildText, permissions: ADMIN },
    [CHANNEL]: { id: CHANNEL, name: 'general', type: ChannelType.GuildText, permissions: ADMIN },
  },
};

const create = (options: ReturnType<typeof str>[]) =>
  send(
    command('schedule create daily', [str('time', '09:00'), str('name', 'Projects digest'), ...options], {
      resolved,
    }),
  );

async function onlyTask(): Promise<SummaryTask> {
  const [task] = await state.scheduler.listTasks(GUILD);
  if (task?.kind !== 'summary') throw new Error('expected one summary task');
  return task;
}

describe('/schedule create with a category', () => {
  it('reads every channel in the category, found again at each run', async () => {
    const res = await create([chan('channel', PROJECTS)]);
    const content = String(res.json.data.content);
    expect(content).toMatch(/^Created ✅/);
    expect(content).toContain(`Reads: every channel in <#${PROJECTS}>`);
    expect(content).toContain(
      `Each run reads every text channel in <#${PROJECTS}> and their active threads as they are then, the most recently active 50 at most (/config channel-limit)`,
    );
    expect(await onlyTask()).toMatchObject({ channelIds: [PROJECTS], source: 'category' });
    // What a run would read now, as /schedule settings scope: says it: #deploys, not the hidden #oncall.
    expect(content).toContain('\nA run now would read 1 channel\n');
    expect(content).toMatch(/\nLeft out: #oncall is private to [^\n]+ \(checked again at every run\)/);
    const list = await send(command('schedule list'));
    expect(list.json.data.content).toContain(`of every channel in <#${PROJECTS}>: daily 09:00`);
  });

  it('refuses another channel beside a category, naming it, and writes nothing', async () => {
    const res = await create([chan('channel', PROJECTS), chan('channel2', BUILDS)]);
    expect(res.json.data.content).toContain('channel2');
    expect(res.json.data.content).toContain('expected no other channel beside a category');
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });
});

describe('/schedule edit to a category', () => {
  it('says what a run would read now, as create does', async () => {
    await create([chan('channel', BUILDS)]);
    const task = await onlyTask();
    const res = await send(
      command('schedule edit', [str('task', task.id), chan('channel', PROJECTS)], { resolved }),
    );
    const content = String(res.json.data.content);
    expect(content).toMatch(/^Updated ✅/);
    expect(content).toContain('\nA run now would read 1 channel\n');
    expect(content).toMatch(/\nLeft out: #oncall is private to [^\n]+ \(checked again at every run\)/);
    expect(await onlyTask()).toMatchObject({ channelIds: [PROJECTS], source: 'category' });
  });

  it('says nothing of the kind for a task of listed channels', async () => {
    await create([chan('channel', PROJECTS)]);
    const task = await onlyTask();
    const res = await send(
      command('schedule edit', [str('task', task.id), chan('channel', BUILDS)], { resolved }),
    );
    expect(String(res.json.data.content)).not.toContain('A run now would read');
  });
});

describe('/schedule settings scope', () => {
  it('switches a task to the whole server, shows it, and back to its channels', async () => {
    await create([chan('channel', BUILDS)]);
    const task = await onlyTask();
    const res = await send(command('schedule settings', [str('task', task.id), str('scope', 'server')]));
    const content = String(res.json.data.content);
    expect(content).toMatch(/^Updated ✅ Settings of \*\*Projects digest\*\*/);
    expect(content).toContain(
      '• Reads the whole server: every text channel and active thread the bot can read there at each run, the most recently active 50 at most, one section each; a channel not everyone who sees the digest can read is left out and named',
    );
    // What a run would read now, as each run expands it: the hidden #mods is named as left out.
    expect(content).toMatch(/• A run now would read \d+ channels/);
    expect(content).toMatch(/• Left out: #mods is private to [^\n]+ \(checked again at every run\)/);
    expect(await onlyTask()).toMatchObject({ channelIds: [BUILDS], source: 'server' });
    const list = await send(command('schedule list'));
    expect(list.json.data.content).toContain('of the whole server: daily 09:00');

    const back = await send(command('schedule settings', [str('task', task.id), str('scope', 'channels')]));
    expect(back.json.data.content).toContain(`• Reads <#${BUILDS}>`);
    expect((await onlyTask()).source).toBeUndefined();
  });

  it('takes a category task back to its category', async () => {
    await create([chan('channel', PROJECTS)]);
    const task = await onlyTask();
    await send(command('schedule settings', [str('task', task.id), str('scope', 'server')]));
    const back = await send(command('schedule settings', [str('task', task.id), str('scope', 'channels')]));
    expect(back.json.data.content).toContain(`• Reads every channel in <#${PROJECTS}>:`);
    expect((await onlyTask()).source).toBe('category');
  });

  it("the server's channel limit is a /config setting the settings reply shows", async () => {
    const set = await send(command('config channel-limit', [int('channels', 10)]));
    expect(set.json.data.content).toBe(
      'A category or whole-server task now reads at most **10 channels** a run: the most recently active, and its digest names those cut.',
    );
    await create([chan('channel', PROJECTS)]);
    const shown = await send(command('schedule settings', [str('task', (await onlyTask()).id)]));
    expect(shown.json.data.content).toContain('the most recently active 10 at most');
    const config = await send(command('config show'));
    expect(config.json.data.content).toContain('• Channels a category or whole-server task reads a run: 10');
  });
});
