import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  bool,
  button,
  CHANNEL,
  chan,
  command,
  file,
  GUILD,
  int,
  MANAGER_ROLE,
  OTHER_CHANNEL,
  OTHER_GUILD,
  READER,
  resolvedChannels,
  role,
  str,
} from '../../../support/interaction-payloads.ts';

const { db, state, send } = useInteractionHarness();

const customIds = (json: { data: { components?: { components: { custom_id: string }[] }[] } }) =>
  (json.data.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

async function createDaily(extra: ReturnType<typeof str>[] = [], name = 'Standup digest') {
  const res = await send(
    command('schedule create daily', [str('time', '09:30'), str('name', name), ...extra]),
  );
  expect(res.status).toBe(200);
  const [task] = (await state.scheduler.listTasks(GUILD)).filter((t) => t.name === name);
  if (!task) throw new Error(`not created: ${res.json.data.content}`);
  return { res, task };
}

describe('/schedule create', () => {
  it('creates a daily task here and replies privately with its schedule, next three runs and buttons', async () => {
    const { res, task } = await createDaily();
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.allowed_mentions).toEqual({ parse: [] });
    const content: string = res.json.data.content;
    expect(content).toContain('Standup digest');
    expect(content).toContain(task.id);
    expect(content).toMatch(/09:30/);
    expect(content.match(/<t:\d+:F> \(<t:\d+:R>\)/g)).toHaveLength(3);
    // 09:30 UTC on 2026-03-02 is after the clock's 08:00, so that is the first run.
    expect(content).toContain(`<t:${Date.parse('2026-03-02T09:30:00Z') / 1000}:F>`);
    expect(content).toContain('UTC was used');
    expect(customIds(res.json)).toEqual([
      `task:pause:${task.id}`,
      `task:run:${task.id}`,
      `task:cancel:${task.id}`,
    ]);
    expect(task).toMatchObject({
      guildId: GUILD,
      channelIds: [CHANNEL],
      schedule: { type: 'daily', time: '09:30' },
      timeZone: 'UTC',
      state: 'active',
      destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
    });
  });

  it('takes every kind of schedule, zones, extra channels and every kind of destination', async () => {
    const cases = [
      command('schedule create once', [str('date', '2026-04-01'), str('time', '18:00'), str('name', 'once')]),
      command('schedule create weekly', [
        str('days', 'mon,wed-fri'),
        str('time', '7:05'),
        str('name', 'weekly'),
        str('timezone', 'Europe/Berlin'),
      ]),
      command('schedule create monthly', [str('day', 'last'), str('time', '17:00'), str('name', 'monthly')]),
      command('schedule create every', [int('value', 6), str('unit', 'hours'), str('name', 'every')]),
      command('schedule create cron', [str('expression', '0 9 ? * MON-FRI *'), str('name', 'cron')]),
      command(
        'schedule create daily',
        [
          str('time', '08:00'),
          str('name', 'everywhere'),
          chan('post_to', OTHER_CHANNEL),
          chan('channel2', OTHER_CHANNEL),
          chan('channel3', '945027906669510660'),
          str('webhook', 'https://hooks.example.com/summary/abc'),
          str('email', 'a@example.com, b@example.org'),
          str('file', 'summaries/daily'),
          str('length', 'brief'),
        ],
        { resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN, '945027906669510660': READER }) },
      ),
    ];
    for (const payload of cases) {
      const res = await send(payload);
      expect(res.json.data.content, res.json.data.content).toMatch(/^Created/);
    }
    const byName = new Map((await state.scheduler.listTasks(GUILD)).map((t) => [t.name, t]));
    expect(byName.get('once')?.schedule).toEqual({ type: 'once', at: '2026-04-01T18:00' });
    expect(byName.get('weekly')).toMatchObject({
      schedule: { type: 'weekly', days: ['MON', 'WED', 'THU', 'FRI'], time: '07:05' },
      timeZone: 'Europe/Berlin',
    });
    expect(byName.get('monthly')?.schedule).toEqual({ type: 'monthly', day: 'last', time: '17:00' });
    expect(byName.get('every')?.schedule).toEqual({ type: 'every', value: 6, unit: 'hours' });
    expect(byName.get('cron')?.schedule).toEqual({ type: 'cron', expression: 'cron(0 9 ? * MON-FRI *)' });
    expect(byName.get('everywhere')).toMatchObject({
      channelIds: [CHANNEL, OTHER_CHANNEL, '945027906669510660'],
      destinations: [
        { type: 'discord_channel', channelId: OTHER_CHANNEL, format: 'embed' },
        { type: 'webhook', url: 'https://hooks.example.com/summary/abc' },
        { type: 'email', addresses: ['a@example.com', 'b@example.org'] },
        { type: 'file', prefix: 'summaries/daily' },
      ],
      options: { length: 'brief' },
    });
  });

  it("defaults the zone to the server's configured one", async () => {
    await state.scheduler.updateGuildConfig(GUILD, { timeZone: 'America/New_York' });
    const { res, task } = await createDaily();
    expect(task.timeZone).toBe('America/New_York');
    expect(res.json.data.content).not.toContain('UTC was used');
  });

  const invalid: [string, ReturnType<typeof command>, string][] = [
    [
      'a time that is not HH:MM',
      command('schedule create daily', [str('time', '25:00')]),
      '**time**: `25:00` is not a time of day (hours go from 0 to 23); for example 09:30, 9am',
    ],
    [
      'an impossible date',
      command('schedule create once', [str('date', '2026-02-30'), str('time', '10:00')]),
      '**date**: `2026-02-30` does not exist: February 2026 has 28 days',
    ],
    [
      'a one-time schedule in the past',
      command('schedule create once', [str('date', '2020-01-01'), str('time', '10:00')]),
      '**date**',
    ],
    [
      'unknown days',
      command('schedule create weekly', [str('days', 'mon,funday'), str('time', '10:00')]),
      '**days**',
    ],
    [
      'a month day out of range',
      command('schedule create monthly', [str('day', '32'), str('time', '10:00')]),
      '**day**',
    ],
    [
      'an unknown zone',
      command('schedule create daily', [str('time', '10:00'), str('timezone', 'Mars/Olympus')]),
      '**timezone**: `Mars/Olympus` is not a time zone, city or country I know',
    ],
    [
      'a cron EventBridge rejects',
      command('schedule create cron', [str('expression', '0 9 * * MON *')]),
      '**expression**',
    ],
    [
      'an http webhook',
      command('schedule create daily', [str('time', '10:00'), str('webhook', 'http://hooks.example.com/x')]),
      '**webhook**: expected a public https:// URL',
    ],
    [
      'a private webhook address',
      command('schedule create daily', [str('time', '10:00'), str('webhook', 'https://10.1.2.3/hook')]),
      '**webhook**',
    ],
    [
      'a loopback webhook',
      command('schedule create daily', [str('time', '10:00'), str('webhook', 'https://localhost/hook')]),
      '**webhook**',
    ],
    [
      'the metadata address',
      command('schedule create daily', [
        str('time', '10:00'),
        str('webhook', 'https://169.254.169.254/latest'),
      ]),
      '**webhook**',
    ],
    [
      'an e-mail that is not an address',
      command('schedule create daily', [str('time', '10:00'), str('email', 'a@example.com, nobody')]),
      '**email**: expected e-mail addresses separated by commas; "nobody"',
    ],
    [
      'a file outside the root',
      command('schedule create daily', [str('time', '10:00'), str('file', '../etc')]),
      '**file**',
    ],
    [
      'a channel the member cannot read',
      command('schedule create daily', [str('time', '10:00'), chan('channel2', '945027906669510660')], {
        resolved: resolvedChannels({ '945027906669510660': '0' }),
      }),
      'You cannot read <#945027906669510660>',
    ],
  ];
  it.each(invalid)(
    'refuses %s with a private message naming the option, and writes nothing',
    async (_, payload, expected) => {
      const res = await send(payload);
      expect(res.status).toBe(200);
      expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
      expect(res.json.data.content).toContain(expected);
      expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
    },
  );

  it('refuses a member without Manage Server, and writes nothing', async () => {
    const res = await send(command('schedule create daily', [str('time', '10:00')], { permissions: READER }));
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toContain('Manage Server');
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('lets a member with the configured manager role manage schedules', async () => {
    await state.scheduler.updateGuildConfig(GUILD, { managerRoleId: MANAGER_ROLE });
    const res = await send(
      command('schedule create daily', [str('time', '10:00')], {
        permissions: READER,
        roles: [MANAGER_ROLE],
      }),
    );
    expect(res.json.data.content).toMatch(/^Created/);
  });

  it('refuses management in a direct message', async () => {
    const res = await send(command('schedule list', [], { guildId: null }));
    expect(res.json.data.content).toContain('inside a server');
  });
});

describe('/schedule list, status and the task buttons', () => {
  it('pages a long list with buttons, and a page click replaces the message', async () => {
    for (let i = 0; i < 12; i++) {
      await state.scheduler.createTask({
        guildId: GUILD,
        kind: 'summary',
        name: `task ${String(i).padStart(2, '0')}`,
        channelIds: [CHANNEL],
        schedule: { type: 'daily', time: '09:00' },
        timeZone: 'UTC',
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
        createdBy: '53908232506183680',
      });
    }
    const first = await send(command('schedule list'));
    expect(first.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(first.json.data.content).toContain('page 1 of 2');
    expect(first.json.data.content).toContain('task 00');
    expect(first.json.data.content).not.toContain('task 11');
    expect(customIds(first.json)).toEqual(['list:page:0', 'list:page:1']);
    const second = await send(button('list:page:1'));
    expect(second.json.type).toBe(InteractionResponseType.UpdateMessage);
    expect(second.json.data.content).toContain('page 2 of 2');
    expect(second.json.data.content).toContain('task 11');
    const refused = await send(button('list:page:1', { permissions: READER }));
    expect(refused.json.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(refused.json.data.content).toContain('Manage Server');
  });

  it('keeps the channel filter when paging a filtered list', async () => {
    for (let i = 0; i < 14; i++) {
      await state.scheduler.createTask({
        guildId: GUILD,
        kind: 'summary',
        name: `${i % 2 ? 'other' : 'here'} ${String(i).padStart(2, '0')}`,
        channelIds: [i % 2 ? OTHER_CHANNEL : CHANNEL],
        schedule: { type: 'daily', time: '09:00' },
        timeZone: 'UTC',
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
        createdBy: '53908232506183680',
      });
    }
    for (let i = 0; i < 6; i++) {
      await state.scheduler.createTask({
        guildId: GUILD,
        kind: 'summary',
        name: `here extra ${i}`,
        channelIds: [CHANNEL],
        schedule: { type: 'daily', time: '10:00' },
        timeZone: 'UTC',
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
        createdBy: '53908232506183680',
      });
    }
    const first = await send(command('schedule list', [chan('channel', CHANNEL)]));
    expect(first.json.data.content).toContain('Scheduled summaries (13), page 1 of 2');
    const next = customIds(first.json)[1]!;
    expect(next).toBe(`list:page:1:${CHANNEL}`);
    const second = await send(button(next));
    expect(second.json.data.content).toContain('Scheduled summaries (13), page 2 of 2');
    expect(second.json.data.content).not.toContain('other');
  });

  it('shows status by id or by name, and a task of another server is not found', async () => {
    const { task } = await createDaily();
    const byId = await send(command('schedule status', [str('task', task.id)]));
    expect(byId.json.data.content).toContain('Standup digest');
    expect(byId.json.data.content).toContain('Runs: 0');
    const byName = await send(command('schedule status', [str('task', 'standup DIGEST')]));
    expect(byName.json.data.content).toContain(task.id);
    const elsewhere = await send(
      command('schedule status', [str('task', task.id)], { guildId: OTHER_GUILD }),
    );
    expect(elsewhere.json.data.content).toBe('Task not found in this server.');
    const pauseElsewhere = await send(button(`task:pause:${task.id}`, { guildId: OTHER_GUILD }));
    expect(pauseElsewhere.json.data.content).toBe('Task not found in this server.');
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
  });

  it('shows the tokens and estimated cost of a run an LLM summarized', async () => {
    const { task } = await createDaily();
    await db.store.putRun({
      taskId: task.id,
      guildId: GUILD,
      scheduledTime: '2026-03-02T07:00:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'succeeded',
      startedAt: '2026-03-02T07:00:01.000Z',
      finishedAt: '2026-03-02T07:00:09.000Z',
      messageCount: 42,
      usage: {
        model: 'anthropic/claude-haiku-4-5',
        inputTokens: 3_600,
        outputTokens: 180,
        estimatedCostUsd: 0.0045,
      },
      expiresAt: 1_900_000_000,
    });
    const status = await send(command('schedule status', [str('task', task.id)]));
    expect(status.json.data.content).toContain(
      '**succeeded** (42 messages, 3,780 tokens (3,600 in, 180 out), about $0.0045)',
    );
  });

  it('names a destination that keeps failing while the others deliver, and each run where it went', async () => {
    const created = await send(
      command(
        'schedule create daily',
        [
          str('time', '09:30'),
          str('name', 'Two places'),
          chan('post_to', CHANNEL),
          str('webhook', 'https://hooks.example.com/in/abc'),
        ],
        { resolved: resolvedChannels({ [CHANNEL]: ADMIN }) },
      ),
    );
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error(created.json.data.content);
    // What two partly delivered runs leave: the webhook's own count (the task's count was reset by them).
    await db.store.updateTask(
      {
        ...task,
        metadata: {
          ...task.metadata,
          runCount: 2,
          successCount: 2,
          destinationFailures: { 'webhook:https://hooks.example.com/in/abc': 2 },
        },
      },
      task.version,
    );
    await db.store.putRun({
      taskId: task.id,
      guildId: GUILD,
      scheduledTime: '2026-03-02T07:30:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'partial',
      startedAt: '2026-03-02T07:30:01.000Z',
      finishedAt: '2026-03-02T07:30:04.000Z',
      messageCount: 12,
      destinations: [
        { index: 0, type: 'discord_channel', status: 'delivered' },
        { index: 1, type: 'webhook', status: 'failed', error: 'the webhook answered 503' },
      ],
      expiresAt: 1_900_000_000,
    });
    const status = await send(command('schedule status', [str('task', task.id)]));
    const lines: string[] = status.json.data.content.split('\n');
    const runs = lines.findIndex((line) => line.startsWith('Runs: '));
    expect(lines.slice(runs)).toEqual([
      'Runs: 2 runs (2 succeeded, 0 failed, 0 skipped)',
      '⚠️ The webhook on hooks.example.com failed the last 2 runs.',
      'Recent runs:',
      `• <t:${Date.parse('2026-03-02T07:30:00Z') / 1000}:F> (<t:${Date.parse('2026-03-02T07:30:00Z') / 1000}:R>): **partly delivered** (12 messages); delivered to <#${CHANNEL}>; not delivered to the webhook on hooks.example.com`,
    ]);
  });

  it('pauses and resumes by command and by button', async () => {
    const { task } = await createDaily();
    const paused = await send(command('schedule pause', [str('task', task.id)]));
    expect(paused.json.data.content).toContain('Paused');
    expect(customIds(paused.json)[0]).toBe(`task:resume:${task.id}`);
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('paused');
    await send(button(`task:resume:${task.id}`));
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
    await send(button(`task:pause:${task.id}`));
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('paused');
    await send(command('schedule resume', [str('task', task.id)]));
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
  });

  it('refuses a button click from a member who may not manage schedules', async () => {
    const { task } = await createDaily();
    const res = await send(button(`task:pause:${task.id}`, { permissions: READER }));
    expect(res.json.data.content).toContain('Manage Server');
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
  });

  it('runs a task now through the executor with the interaction token, by command and by button', async () => {
    const { task } = await createDaily();
    const res = await send(command('schedule run', [str('task', task.id)]));
    expect(res.json.data.content).toContain('Started a run');
    await send(button(`task:run:${task.id}`));
    expect(state.executor.inputs).toHaveLength(2);
    expect(state.executor.inputs[0]).toMatchObject({
      type: 'manual',
      taskId: task.id,
      guildId: GUILD,
      requestedBy: '53908232506183680',
      requestedAt: '2026-03-02T08:00:00.000Z',
      reply: { applicationId: '290926444748734465' },
    });
    expect((state.executor.inputs[0] as { reply: { token: string } }).reply.token).toMatch(/^token-/);
  });

  it('cancels only after the confirm button', async () => {
    const { task } = await createDaily();
    const ask = await send(command('schedule cancel', [str('task', task.id)]));
    expect(ask.json.data.content).toContain('cannot be undone');
    expect(customIds(ask.json)).toEqual([`cancel:confirm:${task.id}`, `cancel:keep:${task.id}`]);
    expect((await state.scheduler.listTasks(GUILD)).length).toBe(1);
    const viaButton = await send(button(`task:cancel:${task.id}`));
    expect(customIds(viaButton.json)).toEqual([`cancel:confirm:${task.id}`, `cancel:keep:${task.id}`]);
    const refused = await send(button(`cancel:confirm:${task.id}`, { permissions: READER }));
    expect(refused.json.data.content).toContain('Manage Server');
    const done = await send(button(`cancel:confirm:${task.id}`));
    expect(done.json.type).toBe(InteractionResponseType.UpdateMessage);
    expect(done.json.data.content).toContain('Deleted');
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('answers a button it did not make with a private notice', async () => {
    const res = await send(button('something:else'));
    expect(res.json.data.content).toBe('This button is no longer valid.');
  });
});

describe('/schedule edit', () => {
  it('changes the time, zone, options and destinations it is given and keeps the rest', async () => {
    const { task } = await createDaily();
    const res = await send(
      command('schedule edit', [
        str('task', task.id),
        str('time', '10:15'),
        str('timezone', 'Asia/Tokyo'),
        str('length', 'comprehensive'),
        str('focus', 'developer'),
        str('webhook', 'https://hooks.example.com/new'),
      ]),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    const updated = await state.scheduler.getTask(GUILD, task.id);
    expect(updated).toMatchObject({
      schedule: { type: 'daily', time: '10:15' },
      timeZone: 'Asia/Tokyo',
      name: 'Standup digest',
      options: { length: 'comprehensive', focus: 'developer', minMessages: 1 },
      destinations: [
        { type: 'discord_channel', channelId: CHANNEL, format: 'embed' },
        { type: 'webhook', url: 'https://hooks.example.com/new' },
      ],
    });
  });

  it('refuses an option that does not fit the schedule kind, and writes nothing', async () => {
    const { task } = await createDaily();
    const res = await send(command('schedule edit', [str('task', task.id), str('days', 'mon')]));
    expect(res.json.data.content).toContain('**days**: does not apply to this daily schedule');
    expect((await state.scheduler.getTask(GUILD, task.id)).version).toBe(task.version);
  });

  it('changes how often an "every N" task runs', async () => {
    await send(
      command('schedule create every', [int('value', 6), str('unit', 'hours'), str('name', 'Six-hourly')]),
    );
    const [task] = (await state.scheduler.listTasks(GUILD)).filter((t) => t.name === 'Six-hourly');
    if (!task) throw new Error('not created');
    const res = await send(
      command('schedule edit', [str('task', task.id), int('every', 2), str('unit', 'days')]),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    expect((await state.scheduler.getTask(GUILD, task.id)).schedule).toEqual({
      type: 'every',
      value: 2,
      unit: 'days',
    });
    const wrong = await send(command('schedule edit', [str('task', task.id), str('time', '09:00')]));
    expect(wrong.json.data.content).toContain('**time**: does not apply to this every schedule');
  });

  it('refuses an edit with nothing to change', async () => {
    const { task } = await createDaily();
    const res = await send(command('schedule edit', [str('task', task.id)]));
    expect(res.json.data.content).toContain('**task**: expected at least one option to change');
  });
});

describe('/schedule export and import', () => {
  it('exports as a JSON attachment in a multipart response', async () => {
    await createDaily();
    const res = await send(command('schedule export'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(res.body, {
      headers: { 'content-type': res.headers['content-type'] ?? '' },
    }).formData();
    const payload = JSON.parse(String(form.get('payload_json')));
    expect(payload.data.flags).toBe(MessageFlags.Ephemeral);
    expect(payload.data.attachments).toEqual([{ id: '0', filename: `summary-bot-tasks-${GUILD}.json` }]);
    const attached = form.get('files[0]');
    expect(attached).toBeInstanceOf(Blob);
    const exported = JSON.parse(await (attached as Blob).text());
    expect(JSON.stringify(exported)).toContain('Standup digest');
  });

  it('re-imports an export into its own server without doubling it, all or nothing', async () => {
    await createDaily();
    const exportRes = await send(command('schedule export'));
    const form = await new Response(exportRes.body, {
      headers: { 'content-type': exportRes.headers['content-type'] ?? '' },
    }).formData();
    const text = await (form.get('files[0]') as Blob).text();
    const url = 'https://cdn.discordapp.com/attachments/1/2/tasks.json';
    state.attachments.set(url, text);
    const attachment = {
      id: '111111111111111111',
      filename: 'tasks.json',
      size: text.length,
      url,
      content_type: 'application/json',
    };
    const res = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    // Its one task exists here already, so it is skipped, not doubled.
    expect(res.json.data.content).toContain('Imported 0 tasks.\nSkipped 1 task that already exists here');
    expect((await state.scheduler.listTasks(GUILD)).map((t) => t.name)).toEqual(['Standup digest']);

    const broken = JSON.parse(text);
    broken.tasks.push({ ...broken.tasks[0], name: 'second', schedule: { type: 'daily', time: '99:00' } });
    state.attachments.set(url, JSON.stringify(broken));
    const bad = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    expect(bad.json.data.content).toMatch(/^\*\*file: tasks\[1\]/);
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(1);
  });

  it('is a faithful backup: a server emptied and restored from its export has the same tasks, states and settings', async () => {
    const { task: daily } = await createDaily();
    await send(
      command('schedule create every', [int('value', 6), str('unit', 'hours'), str('name', 'Six-hourly')]),
    );
    const every = (await state.scheduler.listTasks(GUILD)).find((t) => t.name === 'Six-hourly');
    if (!every) throw new Error('not created');
    await send(command('schedule pause', [str('task', every.id)]));
    await send(
      command('schedule settings', [
        str('task', daily.id),
        int('failure_limit', 2),
        bool('include_bots', true),
      ]),
    );
    // Links between tasks travel by name (ids belong to one table) and come back to the new ids.
    await send(
      command('schedule settings', [
        str('task', every.id),
        str('digest_of', daily.id),
        str('after', 'Standup digest'),
      ]),
    );
    const before = await state.scheduler.listTasks(GUILD);
    expect(before.find((t) => t.id === every.id)).toMatchObject({
      digestOf: [{ taskId: daily.id, name: 'Standup digest' }],
      after: { taskId: daily.id, name: 'Standup digest' },
    });

    const exportRes = await send(command('schedule export'));
    const form = await new Response(exportRes.body, {
      headers: { 'content-type': exportRes.headers['content-type'] ?? '' },
    }).formData();
    const text = await (form.get('files[0]') as Blob).text();
    for (const task of before) await send(button(`cancel:confirm:${task.id}`));
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);

    const url = 'https://cdn.discordapp.com/attachments/1/2/backup.json';
    state.attachments.set(url, text);
    const attachment = { id: '111111111111111112', filename: 'backup.json', size: text.length, url };
    const res = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    const after = await state.scheduler.listTasks(GUILD);
    const byName = (name: string) => after.find((t) => t.name === name);
    expect(res.json.data.content).toBe(
      [
        'Imported 2 tasks.',
        `• **Six-hourly** \`${byName('Six-hourly')?.id}\` (paused)`,
        `• **Standup digest** \`${byName('Standup digest')?.id}\``,
      ].join('\n'),
    );
    const names = new Map([...before, ...after].map((t) => [t.id, t.name]));
    const same = (tasks: typeof before) =>
      tasks.map(({ id: _i, version: _v, updatedAt: _u, metadata: { nextRunAt: _n, ...m }, ...t }) => ({
        ...t,
        ...('after' in t && t.after ? { after: names.get(t.after.taskId) } : {}),
        ...('digestOf' in t && t.digestOf ? { digestOf: t.digestOf.map((l) => names.get(l.taskId)) } : {}),
        metadata: m,
      }));
    expect(same(after)).toEqual(same(before));
    const follower = byName('Six-hourly');
    expect(follower?.kind === 'summary' && follower.after?.taskId).toBe(byName('Standup digest')?.id);
  });

  it('refuses a file that is not JSON', async () => {
    const url = 'https://cdn.discordapp.com/attachments/1/2/tasks.json';
    state.attachments.set(url, 'not json');
    const attachment = { id: '111111111111111111', filename: 'tasks.json', size: 8, url };
    const res = await send(
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    expect(res.json.data.content).toContain('**file**: expected a JSON file');
  });
});

describe('/config', () => {
  it('sets and shows the time zone, notify channel and manager role', async () => {
    expect(
      (await send(command('config timezone', [str('timezone', 'Europe/Paris')]))).json.data.content,
    ).toContain('Europe/Paris');
    await send(command('config notify-channel', [chan('channel', OTHER_CHANNEL)]));
    await send(command('config manager-role', [role('role', MANAGER_ROLE)]));
    expect(await state.scheduler.getGuildConfig(GUILD)).toMatchObject({
      timeZone: 'Europe/Paris',
      notifyChannelId: OTHER_CHANNEL,
      managerRoleId: MANAGER_ROLE,
    });
    const shown = await send(command('config show'));
    expect(shown.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(shown.json.data.content).toContain(`<#${OTHER_CHANNEL}>`);
    expect(shown.json.data.content).toContain(`<@&${MANAGER_ROLE}>`);
    await send(command('config manager-role'));
    expect((await state.scheduler.getGuildConfig(GUILD))?.managerRoleId).toBeUndefined();
  });

  it("sets the server's daily LLM token budget, shows it, and clears it back to the deployment's default", async () => {
    const set = await send(command('config llm-budget', [int('tokens', 50_000)]));
    expect(set.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(set.json.data.content).toContain('**50,000 LLM tokens a day**');
    expect((await state.scheduler.getGuildConfig(GUILD))?.llmDailyTokenBudget).toBe(50_000);
    expect((await send(command('config show'))).json.data.content).toContain(
      '• LLM token budget: 50,000 tokens a day',
    );
    expect((await send(command('config llm-budget', [int('tokens', 0)]))).json.data.content).toContain(
      'LLM summaries are off for this server',
    );
    expect((await state.scheduler.getGuildConfig(GUILD))?.llmDailyTokenBudget).toBe(0);
    const cleared = await send(command('config llm-budget'));
    expect(cleared.json.data.content).toContain("the deployment's default");
    expect((await state.scheduler.getGuildConfig(GUILD))?.llmDailyTokenBudget).toBeUndefined();
    expect((await send(command('config show'))).json.data.content).toContain(
      "• LLM token budget: not set (the deployment's default)",
    );
  });

  it('refuses a budget Discord would not send and a member without Manage Server, writing nothing', async () => {
    // Discord enforces min_value and max_value; a forged payload is refused by the bot all the same.
    const forged = await send(command('config llm-budget', [int('tokens', -5)]));
    expect(forged.json.data.content).toContain('**tokens**');
    const member = await send(command('config llm-budget', [int('tokens', 10)], { permissions: READER }));
    expect(member.json.data.content).toContain('Manage Server');
    expect(await state.scheduler.getGuildConfig(GUILD)).toBeUndefined();
  });

  it('refuses an unknown zone and a member without Manage Server, writing nothing', async () => {
    expect(
      (await send(command('config timezone', [str('timezone', 'Nowhere/Land')]))).json.data.content,
    ).toContain('**timezone**');
    expect(
      (await send(command('config timezone', [str('timezone', 'UTC')], { permissions: READER }))).json.data
        .content,
    ).toContain('Manage Server');
    expect(await state.scheduler.getGuildConfig(GUILD)).toBeUndefined();
  });
});

describe('replayed interactions', () => {
  it('applies one /schedule create sent six times once, and answers the copies "already done"', async () => {
    const create = command('schedule create daily', [str('time', '09:30'), str('name', 'Replayed')]);
    const replies = [];
    for (let i = 0; i < 6; i++) replies.push(await send(create));
    expect(replies[0]?.json.data.content).toMatch(/^Created/);
    for (const copy of replies.slice(1)) {
      expect(copy.json.data.flags).toBe(MessageFlags.Ephemeral);
      expect(copy.json.data.content).toBe(
        'This request was already received and done; nothing was done again.',
      );
    }
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(1);
  });

  it('starts one run for a "Run now" click sent four times', async () => {
    const { task } = await createDaily();
    const click = button(`task:run:${task.id}`);
    for (let i = 0; i < 4; i++) await send(click);
    expect(state.executor.inputs.filter((input) => input.type === 'manual')).toHaveLength(1);
    // A new click is a new interaction (Discord gives it a new id): it runs.
    await send(button(`task:run:${task.id}`));
    expect(state.executor.inputs.filter((input) => input.type === 'manual')).toHaveLength(2);
  });

  it('remembers an interaction id in the task table for an hour (DynamoDB TTL)', async () => {
    const create = command('schedule create daily', [str('time', '09:30')]);
    const before = Math.floor(Date.now() / 1000);
    await send(create);
    const after = Math.floor(Date.now() / 1000);
    const { Item } = await db.documentClient.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: `INTERACTION#${create.id}`, sk: 'INTERACTION' } }),
    );
    expect(Item?.expiresAt).toBeGreaterThanOrEqual(before + 3600);
    expect(Item?.expiresAt).toBeLessThanOrEqual(after + 3600);
  });
});

describe('/config and the manager role', () => {
  it('refuses every /config change to a member who holds only the manager role, who still manages schedules', async () => {
    await send(command('config manager-role', [role('role', MANAGER_ROLE)]));
    const before = await state.scheduler.getGuildConfig(GUILD);
    const manager = { permissions: READER, roles: [MANAGER_ROLE] };
    const attempts = [
      // The reported attack: hand the role to a role everyone holds (@everyone's id is the guild's), or clear it.
      command('config manager-role', [role('role', GUILD)], manager),
      command('config manager-role', [], manager),
      command('config notify-channel', [chan('channel', OTHER_CHANNEL)], manager),
      command('config timezone', [str('timezone', 'Asia/Tokyo')], manager),
      command('config llm-budget', [int('tokens', 1)], manager),
    ];
    for (const attempt of attempts) {
      const res = await send(attempt);
      expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
      expect(res.json.data.content).toContain('Manage Server');
      expect(res.json.data.content).toContain('manages schedules only');
    }
    expect(await state.scheduler.getGuildConfig(GUILD)).toEqual(before);
    const created = await send(command('schedule create daily', [str('time', '10:00')], manager));
    expect(created.json.data.content).toMatch(/^Created/);
  });
});

describe('autocomplete', () => {
  it("offers the server's tasks by name to managers only, and time zones to anyone", async () => {
    const { task } = await createDaily();
    const { autocomplete } = await import('../../../support/interaction-payloads.ts');
    const tasks = await send(autocomplete('schedule status', [str('task', 'stand', true)]));
    expect(tasks.json).toEqual({
      type: InteractionResponseType.ApplicationCommandAutocompleteResult,
      data: { choices: [{ name: `Standup digest (daily 09:30, ${task.id})`, value: task.id }] },
    });
    const other = await send(
      autocomplete('schedule status', [str('task', '', true)], { guildId: OTHER_GUILD }),
    );
    expect(other.json.data.choices).toEqual([]);
    const reader = await send(
      autocomplete('schedule status', [str('task', 'stand', true)], { permissions: READER }),
    );
    expect(reader.json.data.choices).toEqual([]);
    const zones = await send(
      autocomplete('schedule create daily', [str('time', '10:00'), str('timezone', 'berl', true)]),
    );
    expect(zones.json.data.choices).toContainEqual({ name: 'Europe/Berlin', value: 'Europe/Berlin' });
    expect(zones.json.data.choices.length).toBeLessThanOrEqual(25);
    const many = await send(autocomplete('config timezone', [str('timezone', 'a', true)]));
    expect(many.json.data.choices).toHaveLength(25);
  });
});

describe('unexpected errors', () => {
  it('apologise with a reference id that is in the log, without internals', async () => {
    state.scheduler.listTaskSummaries = async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:8000 table secret-table');
    };
    const res = await send(command('schedule list'));
    expect(res.status).toBe(200);
    expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(res.json.data.content).toBe('Sorry, something went wrong (reference `ref1`).');
    expect(res.body).not.toContain('secret');
    expect(state.logs).toHaveLength(1);
    expect(state.logs[0]?.attributes.referenceId).toBe('ref1');
    expect(JSON.stringify(state.logs[0]?.attributes)).toContain('ECONNREFUSED');
  });
});
