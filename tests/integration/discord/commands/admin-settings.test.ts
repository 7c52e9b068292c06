import { describe, expect, it } from 'vitest';
import type { SummaryTask } from '../../../../lib/tasks/task.ts';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  ADMIN,
  bool,
  CHANNEL,
  chan,
  command,
  GUILD,
  int,
  OTHER_CHANNEL,
  resolvedChannels,
  str,
} from '../../../support/interaction-payloads.ts';

// Option parity (#16): everything an import file can set is also a slash option, through signed interactions.
const { state, send } = useInteractionHarness();

const ANA = '153908232506183681';
const BEN = '153908232506183682';

async function createDigest(extra: Parameters<typeof str>[] = []) {
  const res = await send(
    command('schedule create daily', [
      str('time', '09:00'),
      str('name', 'Digest'),
      ...extra.map((e) => str(...e)),
    ]),
  );
  const [task] = await state.scheduler.listTasks(GUILD);
  if (!task) throw new Error(res.json.data.content);
  return task as SummaryTask;
}

describe('/schedule settings', () => {
  it('shows every setting in words when given only the task', async () => {
    const task = await createDigest();
    const res = await send(command('schedule settings', [str('task', task.id)]));
    expect(res.json.data.content).toBe(
      [
        `Settings of **Digest** \`${task.id}\`:`,
        '• Posts in Discord as an embed',
        `• Reads <#${CHANNEL}>`,
        "• Language of AI summaries: the server's",
        '• Each run reads what is new since the last run (the first run: the last 24 hours)',
        '• A run with no new messages is skipped and posts nothing',
        '• Members left out: nobody',
        "• Bots' messages: left out",
        '• Threads: read',
        '• Reads at most 1,000 messages a run',
        "• Turned off after 5 failed runs in a row (this bot's default)",
        `• Failure notices go to <#${CHANNEL}> (where it posts, as no notify channel is set; see /config notify-channel)`,
      ].join('\n'),
    );
  });

  it('sets excluded members, bots, threads, the quiet note, the message cap, the failure limit and the notice channel', async () => {
    const task = await createDigest();
    const res = await send(
      command(
        'schedule settings',
        [
          str('task', 'Digest'),
          str('exclude_users', `<@${ANA}> <@!${BEN}>`),
          bool('include_bots', true),
          bool('include_threads', false),
          bool('quiet_note', true),
          int('max_messages', 300),
          int('failure_limit', 2),
          chan('notify_channel', OTHER_CHANNEL),
        ],
        { resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }) },
      ),
    );
    expect(res.json.data.content).toBe(
      [
        `Updated ✅ Settings of **Digest** \`${task.id}\`:`,
        '• Posts in Discord as an embed',
        `• Reads <#${CHANNEL}>`,
        "• Language of AI summaries: the server's",
        '• Each run reads what is new since the last run (the first run: the last 24 hours)',
        '• A run with no new messages is skipped and posts a short quiet-period note',
        `• Members left out: <@${ANA}>, <@${BEN}>`,
        "• Bots' messages: included",
        '• Threads: not read',
        '• Reads at most 300 messages a run',
        '• Turned off after 2 failed runs in a row',
        `• Failure notices go to <#${OTHER_CHANNEL}> (the task's notify channel)`,
      ].join('\n'),
    );
    const stored = (await state.scheduler.getTask(GUILD, task.id)) as SummaryTask;
    expect(stored.options).toMatchObject({
      excludedUserIds: [ANA, BEN],
      includeBots: true,
      includeThreads: false,
      postWhenQuiet: true,
      maxMessages: 300,
      // what create set is kept
      length: task.options.length,
    });
    expect(stored.failureLimit).toBe(2);
    expect(stored.notifyChannelId).toBe(OTHER_CHANNEL);

    const reset = await send(
      command('schedule settings', [
        str('task', task.id),
        int('failure_limit', 0),
        str('exclude_users', 'none'),
      ]),
    );
    expect(reset.json.data.content).toContain(
      "• Turned off after 5 failed runs in a row (this bot's default)",
    );
    expect(reset.json.data.content).toContain('• Members left out: nobody');
    expect((await state.scheduler.getTask(GUILD, task.id)).failureLimit).toBeUndefined();
  });

  it('sets the Discord format, the language, the window and the skip threshold, which create leaves out', async () => {
    const task = await createDigest();
    const res = await send(
      command('schedule settings', [
        str('task', task.id),
        str('format', 'markdown'),
        str('language', 'pt-br'),
        int('lookback_hours', 12),
        int('min_messages', 5),
      ]),
    );
    const content: string = res.json.data.content;
    expect(content).toContain(
      [
        `Updated ✅ Settings of **Digest** \`${task.id}\`:`,
        '• Posts in Discord as markdown',
        `• Reads <#${CHANNEL}>`,
        '• Language of AI summaries: Brazilian Portuguese (pt-BR)',
        '• Each run reads the last 12 hours',
        '• A run with fewer than 5 new messages is skipped and posts nothing',
      ].join('\n'),
    );
    const stored = (await state.scheduler.getTask(GUILD, task.id)) as SummaryTask;
    expect(stored.destinations).toEqual([
      { type: 'discord_channel', channelId: CHANNEL, format: 'markdown' },
    ]);
    expect(stored.options).toMatchObject({
      language: 'pt-BR',
      lookback: { mode: 'fixed', hours: 12 },
      minMessages: 5,
    });

    // 0 hours goes back to reading since the last run; 0 messages never skips.
    const back = await send(
      command('schedule settings', [str('task', task.id), int('lookback_hours', 0), int('min_messages', 0)]),
    );
    expect(back.json.data.content).toContain(
      '• Each run reads what is new since the last run (the first run: the last 24 hours)\n• A run posts a summary even with no new messages',
    );
  });

  it('format on a task that posts in no Discord channel says how to add one, and changes nothing', async () => {
    const webhookOnly = await send(
      command('schedule create daily', [
        str('time', '10:00'),
        str('name', 'Hook only'),
        str('webhook', 'https://hooks.example.com/in/only'),
      ]),
    );
    const hook = (await state.scheduler.listTasks(GUILD)).find((t) => t.name === 'Hook only');
    if (!hook) throw new Error(webhookOnly.json.data.content);
    const res = await send(command('schedule settings', [str('task', hook.id), str('format', 'markdown')]));
    expect(res.json.data.content).toBe(
      '**format**: this task posts in no Discord channel; add one with /schedule edit post_to:',
    );
    expect((await state.scheduler.getTask(GUILD, hook.id)).version).toBe(hook.version);
  });

  it('refuses what is not a member, naming the option and the word', async () => {
    const task = await createDigest();
    const res = await send(
      command('schedule settings', [str('task', task.id), str('exclude_users', '@ana')]),
    );
    expect(res.json.data.content).toBe(
      '**exclude_users**: expected members as mentions (@ana) or ids; "@ana" is neither',
    );
  });

  it('generates a webhook signing secret, shows it once, privately, never again', async () => {
    const task = await createDigest([['webhook', 'https://hooks.example.com/in/abc']]);
    const res = await send(
      command('schedule settings', [str('task', task.id), str('webhook_secret', 'new')]),
    );
    expect(res.json.data.flags).toBe(64);
    const content: string = res.json.data.content;
    const secret = /Signing secret for the webhook on hooks\.example\.com: `([A-Za-z0-9_-]{43})`/.exec(
      content,
    )?.[1];
    expect(secret).toBeDefined();
    expect(content).toContain('• Webhook deliveries: signed');
    expect(content).toContain(
      'Shown only this once: keep it with your receiver. Each delivery carries `x-summary-bot-timestamp` and `x-summary-bot-signature: sha256=<HMAC-SHA256 of "<timestamp>.<body>">`.',
    );
    const stored = await state.scheduler.getTask(GUILD, task.id);
    const webhook = stored.destinations.find((d) => d.type === 'webhook');
    expect(webhook).toMatchObject({ secret });

    // Never shown again: the status and the settings name only that deliveries are signed.
    const status = await send(command('schedule status', [str('task', task.id)]));
    expect(status.json.data.content).not.toContain(secret);
    const again = await send(command('schedule settings', [str('task', task.id)]));
    expect(again.json.data.content).not.toContain(secret);
    expect(again.json.data.content).toContain('• Webhook deliveries: signed');

    const stop = await send(
      command('schedule settings', [str('task', task.id), str('webhook_secret', 'none')]),
    );
    expect(stop.json.data.content).toContain('• Webhook deliveries: not signed');
  });

  it('a secret for a task without a webhook says how to add one', async () => {
    const task = await createDigest();
    const res = await send(
      command('schedule settings', [str('task', task.id), str('webhook_secret', 'new')]),
    );
    expect(res.json.data.content).toBe(
      '**webhook_secret**: this task delivers to no webhook; add one with /schedule edit webhook:',
    );
  });
});

describe('/schedule create cleanup', () => {
  it("creates a daily cleanup in the server's zone that reports to a channel", async () => {
    const res = await send(
      command(
        'schedule create cleanup',
        [int('keep_days', 30), str('time', '4am'), chan('report_to', OTHER_CHANNEL)],
        { resolved: resolvedChannels({ [OTHER_CHANNEL]: ADMIN }) },
      ),
    );
    const [task] = await state.scheduler.listTasks(GUILD);
    if (task?.kind !== 'cleanup') throw new Error(res.json.data.content);
    expect(task).toMatchObject({
      name: 'Cleanup, keeping 30 days',
      retentionDays: 30,
      schedule: { type: 'daily', time: '04:00' },
      destinations: [{ type: 'discord_channel', channelId: OTHER_CHANNEL }],
    });
    const content: string = res.json.data.content;
    expect(content).toMatch(
      new RegExp(
        `^Created ✅\\n\\*\\*Cleanup, keeping 30 days\\*\\* \`${task.id}\`\\nSchedule: every day at 04:00`,
      ),
    );
    expect(content).toContain(
      `Each run removes run records and completed one-time tasks older than 30 days, and says what it removed in <#${OTHER_CHANNEL}>.`,
    );
    expect(content).toContain('`4am` is 04:00.');
  });

  it('runs at 03:00 by default, and keep_days is checked naming the option', async () => {
    await send(command('schedule create cleanup', [int('keep_days', 7)]));
    const [task] = await state.scheduler.listTasks(GUILD);
    expect(task?.schedule).toEqual({ type: 'daily', time: '03:00' });
    const bad = await send(command('schedule create cleanup', [int('keep_days', 0)]));
    expect(bad.json.data.content).toMatch(/^\*\*keep_days\*\*: /);
  });

  it('settings of a cleanup task refuse summary-only options and take a failure limit', async () => {
    await send(command('schedule create cleanup', [int('keep_days', 7)]));
    const [task] = await state.scheduler.listTasks(GUILD);
    if (!task) throw new Error('not created');
    const bad = await send(command('schedule settings', [str('task', task.id), bool('include_bots', true)]));
    expect(bad.json.data.content).toBe('**include_bots**: applies to summary tasks; this is a cleanup task');
    const ok = await send(command('schedule settings', [str('task', task.id), int('failure_limit', 3)]));
    expect(ok.json.data.content).toContain('• Turned off after 3 failed runs in a row');
  });
});

describe('/schedule settings digest_of: and after:', () => {
  async function create(name: string, kind = 'daily', extra: Parameters<typeof str>[] = [['time', '09:00']]) {
    await send(command(`schedule create ${kind}`, [str('name', name), ...extra.map((e) => str(...e))]));
    const task = (await state.scheduler.listTasks(GUILD)).find((t) => t.name === name);
    if (!task) throw new Error(`${name} not created`);
    return task;
  }

  it('chains a weekly roll-up to a daily digest, says what it understood, and refuses a cycle naming it', async () => {
    const daily = await create('Daily');
    const weekly = await create('Weekly', 'weekly', [
      ['days', 'fri'],
      ['time', '09:00'],
    ]);
    const res = await send(
      command('schedule settings', [
        str('task', 'Weekly'),
        str('digest_of', daily.id),
        str('after', 'Daily'),
      ]),
    );
    const text = res.json.data.content as string;
    expect(text).toContain('Updated ✅');
    expect(text).toContain(
      '• Summarizes the digests **Daily** posted since its last run, one line each with a link, instead of reading messages',
    );
    expect(text).toContain('• Runs right after **Daily**’s successful runs, once per its own schedule');
    const list = await send(command('schedule list', []));
    expect(list.json.data.content).toContain(
      `• **Weekly** \`${weekly.id}\` of <#${CHANNEL}>: right after **Daily**, once per FRI 09:00 UTC, next`,
    );

    const cycle = await send(command('schedule settings', [str('task', 'Daily'), str('after', weekly.id)]));
    expect(cycle.json.data.content).toContain('would close the chain Daily → Weekly → Daily');
    expect(cycle.json.data.content).toContain('**after**');
    const unchanged = await state.scheduler.getTask(GUILD, daily.id);
    expect(unchanged.kind === 'summary' && unchanged.after).toBeUndefined();

    const unknown = await send(command('schedule settings', [str('task', 'Weekly'), str('after', 'Nope')]));
    expect(unknown.json.data.content).toContain('there is no task “Nope” here');

    const off = await send(command('schedule settings', [str('task', 'Weekly'), str('after', 'none')]));
    expect(off.json.data.content).not.toContain('Runs right after');
  });
});
