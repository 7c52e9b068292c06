import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  CHANNEL,
  chan,
  command,
  GUILD,
  type Opt,
  OTHER_CHANNEL,
  READER,
  resolvedChannels,
  str,
} from '../../../support/interaction-payloads.ts';

// /schedule edit through signed interactions: what it changes, what it keeps, and the reply as read.
const { state, send } = useInteractionHarness();

const THIRD_CHANNEL = '945027906669510660';

async function createDaily(options: Opt[] = [], resolved?: Record<string, unknown>) {
  const res = await send(
    command('schedule create daily', [str('time', '09:00'), ...options], resolved ? { resolved } : {}),
  );
  const content: string = res.json.data.content;
  const task = (await state.scheduler.listTasks(GUILD)).find((t) => content.includes(t.id));
  if (task?.kind !== 'summary') throw new Error(content);
  return task;
}

describe('/schedule edit', () => {
  it('replaces the source channels with the ones given, each one the member can read', async () => {
    const task = await createDaily();
    const res = await send(
      command(
        'schedule edit',
        [str('task', task.id), chan('channel', OTHER_CHANNEL), chan('channel2', THIRD_CHANNEL)],
        {
          resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN, [THIRD_CHANNEL]: READER }),
        },
      ),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    expect(res.json.data.content).toContain(`Reads: <#${OTHER_CHANNEL}> and <#${THIRD_CHANNEL}>`);
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      channelIds: [OTHER_CHANNEL, THIRD_CHANNEL],
    });
  });

  it('refuses a channel the member cannot read, and a second channel without the first, changing nothing', async () => {
    const task = await createDaily();
    const hidden = await send(
      command('schedule edit', [str('task', task.id), chan('channel', THIRD_CHANNEL)], {
        resolved: resolvedChannels({ [THIRD_CHANNEL]: '0' }),
      }),
    );
    expect(hidden.json.data.content).toBe(
      `You cannot read <#${THIRD_CHANNEL}>, so it cannot be summarized for you.`,
    );
    const alone = await send(
      command('schedule edit', [str('task', task.id), chan('channel2', OTHER_CHANNEL)], {
        resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }),
      }),
    );
    expect(alone.json.data.content).toBe(
      '**channel**: give the first channel too: channel, channel2 and channel3 replace the channels together',
    );
    expect((await state.scheduler.getTask(GUILD, task.id)).version).toBe(task.version);
  });

  it('post_to keeps format:markdown and every other setting it was not asked to change', async () => {
    const task = await createDaily(
      [
        str('name', 'Standup'),
        chan('post_to', CHANNEL),
        str('length', 'brief'),
        str('timezone', 'Europe/Berlin'),
        str('webhook', 'https://hooks.example.com/a'),
      ],
      resolvedChannels({ [CHANNEL]: ADMIN }),
    );
    const styled = await send(
      command('schedule settings', [str('task', task.id), str('format', 'markdown')]),
    );
    expect(styled.json.data.content).toContain('• Posts in Discord as markdown');
    const res = await send(
      command('schedule edit', [str('task', task.id), chan('post_to', OTHER_CHANNEL)], {
        resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }),
      }),
    );
    expect(res.json.data.content).toContain(
      `Delivers to: <#${OTHER_CHANNEL}> (markdown); webhook on hooks.example.com`,
    );
    const updated = await state.scheduler.getTask(GUILD, task.id);
    expect(updated).toMatchObject({
      name: 'Standup',
      channelIds: [CHANNEL],
      schedule: task.schedule,
      timeZone: 'Europe/Berlin',
      options: task.options,
      destinations: [
        { type: 'discord_channel', channelId: OTHER_CHANNEL, format: 'markdown' },
        { type: 'webhook', url: 'https://hooks.example.com/a' },
      ],
    });
  });

  it('file replaces the file destination and none removes it, keeping the others', async () => {
    const task = await createDaily([str('file', 'summaries/daily')]);
    expect(task.destinations).toEqual([{ type: 'file', prefix: 'summaries/daily' }]);
    const added = await send(
      command(
        'schedule edit',
        [str('task', task.id), chan('post_to', CHANNEL), str('file', 'digests/team')],
        {
          resolved: resolvedChannels({ [CHANNEL]: ADMIN }),
        },
      ),
    );
    expect(added.json.data.content).toMatch(/^Updated/);
    expect((await state.scheduler.getTask(GUILD, task.id)).destinations).toEqual([
      { type: 'discord_channel', channelId: CHANNEL, format: 'embed' },
      { type: 'file', prefix: 'digests/team' },
    ]);
    const removed = await send(command('schedule edit', [str('task', task.id), str('file', 'none')]));
    expect(removed.json.data.content).toMatch(/^Updated/);
    expect((await state.scheduler.getTask(GUILD, task.id)).destinations).toEqual([
      { type: 'discord_channel', channelId: CHANNEL, format: 'embed' },
    ]);
    const bad = await send(command('schedule edit', [str('task', task.id), str('file', '../etc')]));
    expect(bad.json.data.content).toMatch(/^\*\*file\*\*: /);
  });

  it('renames a generated name with the schedule, and keeps a name the admin chose', async () => {
    const generated = await createDaily();
    expect(generated.name).toBe('Daily summary at 09:00');
    const res = await send(command('schedule edit', [str('task', generated.id), str('time', '8am')]));
    expect(res.json.data.content).toContain('**Daily summary at 08:00**');
    expect((await state.scheduler.getTask(GUILD, generated.id)).name).toBe('Daily summary at 08:00');

    const chosen = await createDaily([str('name', 'Morning digest')]);
    await send(command('schedule edit', [str('task', chosen.id), str('time', '07:30')]));
    expect((await state.scheduler.getTask(GUILD, chosen.id)).name).toBe('Morning digest');
  });
});
