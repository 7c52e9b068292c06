import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  autocomplete,
  button,
  CHANNEL,
  chan,
  command,
  file,
  GUILD,
  int,
  OTHER_CHANNEL,
  resolvedChannels,
  str,
} from '../../../support/interaction-payloads.ts';

// Managing tasks through signed interactions: stats, lists and prompts that tell similar tasks apart.
const { state, send } = useInteractionHarness();

async function twoDigests() {
  await send(command('schedule create daily', [str('time', '09:00'), str('name', 'Digest')]));
  await send(
    command(
      'schedule create every',
      [int('value', 1), str('unit', 'hours'), str('name', 'Digest'), chan('channel', OTHER_CHANNEL)],
      {
        resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }),
      },
    ),
  );
  const tasks = await state.scheduler.listTasks(GUILD);
  const here = tasks.find((t) => t.kind === 'summary' && t.channelIds[0] === CHANNEL);
  const there = tasks.find((t) => t.kind === 'summary' && t.channelIds[0] === OTHER_CHANNEL);
  if (!here || !there) throw new Error('not created');
  return { here, there };
}

describe('/schedule stats', () => {
  it("counts this server's tasks by state and kind, and the runs of the last 24 hours", async () => {
    const { there } = await twoDigests();
    await send(command('schedule pause', [str('task', there.id)]));
    const res = await send(command('schedule stats'));
    expect(res.json.data.content).toBe(
      '**2 tasks** in this server: 1 active, 1 paused.\n• 2 summary tasks\n• Last 24 hours: 0 runs.',
    );
  });

  it('says there is nothing yet in a server without tasks', async () => {
    const res = await send(command('schedule stats'));
    expect(res.json.data.content).toBe('No scheduled summaries yet. Create one with /schedule create.');
  });
});

describe('telling similar tasks apart', () => {
  it("the list shows each task's channels, and never 'every 1 hours'", async () => {
    const { here, there } = await twoDigests();
    const res = await send(command('schedule list'));
    const content: string = res.json.data.content;
    expect(content).toContain(`**Digest** \`${here.id}\` of <#${CHANNEL}>: daily 09:00 UTC`);
    expect(content).toContain(`**Digest** \`${there.id}\` of <#${OTHER_CHANNEL}>: every hour UTC`);
  });

  it('a name two tasks share is answered with their ids and channels', async () => {
    const { here, there } = await twoDigests();
    const res = await send(command('schedule status', [str('task', 'digest')]));
    const content: string = res.json.data.content;
    expect(content).toMatch(/^\*\*task\*\*: 2 tasks have that name: /);
    expect(content).toContain(`\`${here.id}\` (<#${CHANNEL}>)`);
    expect(content).toContain(`\`${there.id}\` (<#${OTHER_CHANNEL}>)`);
    expect(content).toMatch(/; give the id of the one you mean, or pick it from the list$/);
  });

  it('autocomplete names the schedule and id of each task', async () => {
    const { here, there } = await twoDigests();
    const res = await send(autocomplete('schedule status', [str('task', 'dig', true)]));
    expect(res.json.data.choices).toEqual(
      expect.arrayContaining([
        { name: `Digest (daily 09:00, ${here.id})`, value: here.id },
        { name: `Digest (every hour, ${there.id})`, value: there.id },
      ]),
    );
  });
});

describe('duplicates', () => {
  it('a task identical to an existing one is held paused with [Create anyway] and [Discard]', async () => {
    await send(command('schedule create daily', [str('time', '09:00'), str('name', 'First')]));
    const res = await send(command('schedule create daily', [str('time', '9am'), str('name', 'Second')]));
    const [first, second] = ['First', 'Second'].map((n) =>
      state.scheduler.listTasks(GUILD).then((ts) => ts.find((t) => t.name === n)),
    );
    const [a, b] = [await first, await second];
    if (!a || !b) throw new Error(res.json.data.content);
    expect(res.json.data.content).toMatch(
      new RegExp(
        `^\\*\\*First\\*\\* \`${a.id}\` already summarizes the same channels to the same places on the same schedule\\.\\nThis copy is created paused: \\*\\*Create anyway\\*\\* starts it, \\*\\*Discard\\*\\* deletes it\\.`,
      ),
    );
    expect(b.state).toBe('paused');
    const buttons = res.json.data.components[0].components.map((c: { label: string; custom_id: string }) => [
      c.label,
      c.custom_id,
    ]);
    expect(buttons).toEqual([
      ['Create anyway', `task:resume:${b.id}`],
      ['Discard', `cancel:confirm:${b.id}`],
    ]);
    await send(button(`task:resume:${b.id}`));
    expect((await state.scheduler.getTask(GUILD, b.id)).state).toBe('active');
  });

  it('another time is not a duplicate', async () => {
    await send(command('schedule create daily', [str('time', '09:00')]));
    const res = await send(command('schedule create daily', [str('time', '10:00')]));
    expect(res.json.data.content).toMatch(/^Created/);
  });

  it('import skips tasks that already exist here and says so', async () => {
    await send(command('schedule create daily', [str('time', '09:00'), str('name', 'Standup')]));
    const exported = await state.scheduler.exportTasks(GUILD);
    const text = JSON.stringify({
      ...exported,
      tasks: [
        ...exported.tasks,
        { ...exported.tasks[0], name: 'Evening', schedule: { type: 'daily', time: '18:00' } },
      ],
    });
    const url = 'https://cdn.discordapp.com/attachments/1/2/tasks.json';
    state.attachments.set(url, text);
    const attachment = { id: '111111111111111111', filename: 'tasks.json', size: text.length, url };
    const res = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    const content: string = res.json.data.content;
    expect(content).toMatch(/^Imported 1 task\.\n• \*\*Evening\*\* `/);
    expect(content).toContain(
      'Skipped 1 task that already exists here (same channels, destinations and schedule): **Standup**.',
    );
    expect((await state.scheduler.listTasks(GUILD)).map((t) => t.name).sort()).toEqual([
      'Evening',
      'Standup',
    ]);
  });
});
