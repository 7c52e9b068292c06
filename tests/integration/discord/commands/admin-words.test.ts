import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../lib/tasks/run-record.ts';
import type { Task } from '../../../../lib/tasks/task.ts';
import { type Sent, useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  autocomplete,
  bool,
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

// The words audit of #16: a scripted session of an admin, through signed interactions, and every reply,
// button label and autocomplete choice it produced scanned for words of the code rather than of people.
const { db, state, send } = useInteractionHarness();

/** What a reader must never see: stored names, arrows, "(s)" plurals, "1 minutes", raw states and instants. */
const INTERNAL_WORDS: [RegExp, string][] = [
  [/\(s\)/, 'a "(s)" plural'],
  [/discord_channel|\bwebhook ✅|\bemail ✅|→/, 'a stored destination type or an arrow'],
  [/\b1 (minutes|hours|days|runs|messages|tasks|failures|failed runs|members)\b/, 'a plural after 1'],
  [/\bevery 1 |\blast 1 run/, '"every 1 …", "the last 1 run"'],
  [/`[0-9A-Za-z]{12}` (active|pending|paused|disabled|completed)\b/, 'a raw state after an id'],
  [/\((active|pending|disabled|completed)[,)]/, 'a raw state in parentheses'],
  [/\b(schedule|manual|missed) \*\*/, 'a raw run trigger'],
  [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, 'an ISO instant (Discord timestamps render in the reader’s zone)'],
  [/\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/, 'a JavaScript value'],
];

const seen: { step: string; text: string }[] = [];

function record(step: string, res: Sent): Sent {
  const data = res.json?.data ?? {};
  if (typeof data.content === 'string') seen.push({ step, text: data.content });
  for (const row of data.components ?? [])
    for (const c of row.components ?? []) if (c.label) seen.push({ step, text: c.label });
  for (const choice of data.choices ?? []) seen.push({ step, text: choice.name });
  return res;
}

async function step(name: string, payload: unknown): Promise<Sent> {
  return record(name, await send(payload));
}

const here = { resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }) };

async function taskNamed(name: string): Promise<Task> {
  const task = (await state.scheduler.listTasks(GUILD)).find((t) => t.name === name);
  if (!task) throw new Error(`no task ${name}: ${seen.map((s) => s.text).join('\n')}`);
  return task;
}

describe('the words of a scripted admin session', () => {
  it('never show internal words, in any reply, label or choice', async () => {
    await step('config timezone', command('config timezone', [str('timezone', 'berlin')]));
    await step('config show', command('config show'));
    await step(
      'create daily',
      command(
        'schedule create daily',
        [
          str('time', '9am'),
          str('name', 'Daily'),
          str('webhook', 'https://hooks.example.com/in/abc'),
          chan('post_to', OTHER_CHANNEL),
        ],
        here,
      ),
    );
    await step(
      'create duplicate',
      command(
        'schedule create daily',
        [
          str('time', '09:00'),
          str('name', 'Twin'),
          str('webhook', 'https://hooks.example.com/in/abc'),
          chan('post_to', OTHER_CHANNEL),
        ],
        here,
      ),
    );
    await step(
      'create weekly',
      command('schedule create weekly', [str('days', 'mon-fri'), str('time', '2:30 am')]),
    );
    await step(
      'create monthly',
      command('schedule create monthly', [str('day', '31'), str('time', '17:00')]),
    );
    await step(
      'create every',
      command('schedule create every', [int('value', 1), str('unit', 'hours'), str('name', 'Hourly')]),
    );
    await step(
      'create every minute',
      command('schedule create every', [int('value', 1), str('unit', 'minutes')]),
    );
    await step('create cron', command('schedule create cron', [str('expression', '0 9 * * 1-5')]));
    await step('create once', command('schedule create once', [str('date', 'tomorrow'), str('time', '5pm')]));
    await step('create cleanup', command('schedule create cleanup', [int('keep_days', 1)]));
    await step('create bad time', command('schedule create daily', [str('time', '25:00')]));
    await step(
      'create bad zone',
      command('schedule create daily', [str('time', '9'), str('timezone', 'EST')]),
    );

    const daily = await taskNamed('Daily');
    // A partly delivered run, and the webhook failing one run in a row while the channel still receives it.
    const run: RunRecord = {
      taskId: daily.id,
      guildId: GUILD,
      scheduledTime: '2026-03-02T08:00:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'partial',
      startedAt: '2026-03-02T08:00:00.000Z',
      finishedAt: '2026-03-02T08:00:03.000Z',
      messageCount: 1,
      destinations: [
        { index: 0, type: 'discord_channel', status: 'delivered' },
        { index: 1, type: 'webhook', status: 'failed', error: 'the webhook answered 503' },
      ],
      expiresAt: 1_900_000_000,
    };
    await db.store.putRun(run);
    await db.store.putRun({
      ...run,
      scheduledTime: '2026-03-01T08:00:00.000Z',
      trigger: 'missed',
      status: 'missed',
      missedCount: 1,
      destinations: [],
      messageCount: 0,
    });
    await db.store.updateTask(
      {
        ...daily,
        metadata: {
          ...daily.metadata,
          runCount: 1,
          failureCount: 1,
          consecutiveFailures: 1,
          destinationFailures: { 'webhook:https://hooks.example.com/in/abc': 1 },
        },
      },
      daily.version,
    );

    await step('list', command('schedule list'));
    await step('status', command('schedule status', [str('task', daily.id)]));
    await step('stats', command('schedule stats'));
    await step('autocomplete', autocomplete('schedule status', [str('task', 'd', true)]));
    await step('settings', command('schedule settings', [str('task', daily.id)]));
    await step(
      'settings change',
      command('schedule settings', [
        str('task', daily.id),
        int('failure_limit', 1),
        int('max_messages', 1),
        bool('quiet_note', true),
        str('webhook_secret', 'new'),
      ]),
    );
    await step('pause', command('schedule pause', [str('task', daily.id)]));
    await step('pause again', command('schedule pause', [str('task', daily.id)]));
    await step('list paused', command('schedule list'));
    await step('resume', command('schedule resume', [str('task', daily.id)]));
    await step('run now', command('schedule run', [str('task', daily.id)]));
    await step('edit', command('schedule edit', [str('task', daily.id), str('time', '8am')]));
    await step('edit nothing', command('schedule edit', [str('task', daily.id)]));
    const hourly = await taskNamed('Hourly');
    await step('cancel', command('schedule cancel', [str('task', hourly.id)]));
    await step('keep', button(`cancel:keep:${hourly.id}`));
    await step('cancel confirm', button(`cancel:confirm:${hourly.id}`));
    await step('status of a missing task', command('schedule status', [str('task', 'nosuchtask00')]));

    const url = 'https://cdn.discordapp.com/attachments/1/2/tasks.json';
    state.attachments.set(url, JSON.stringify(await state.scheduler.exportTasks(GUILD)));
    const attachment = { id: '111111111111111111', filename: 'tasks.json', size: 10, url };
    await step(
      'import',
      command('schedule import', [file('file', attachment.id)], {
        resolved: { attachments: { [attachment.id]: attachment } },
      }),
    );
    await step(
      'summarize',
      command('summarize', [str('since', '2d'), chan('channel', CHANNEL)], {
        resolved: resolvedChannels({ [CHANNEL]: ADMIN }),
      }),
    );

    expect(seen.length).toBeGreaterThan(30);
    const found = seen.flatMap(({ step: where, text }) =>
      INTERNAL_WORDS.filter(([re]) => re.test(text)).map(
        ([, what]) => `${where}: ${what} in ${JSON.stringify(text)}`,
      ),
    );
    expect(found).toEqual([]);
  });
});
