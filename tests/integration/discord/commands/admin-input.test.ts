import { InteractionResponseType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { useInteractionHarness } from '../../../support/interaction-harness.ts';
import {
  button,
  CHANNEL,
  command,
  GUILD,
  int,
  type Opt,
  str,
} from '../../../support/interaction-payloads.ts';

// What an admin types, through signed interactions, and the private reply as the admin reads it. The
// harness clock is Monday 2 March 2026, 08:00 UTC.
const { state, send } = useInteractionHarness();

const customIds = (json: { data: { components?: { components: { custom_id: string }[] }[] } }) =>
  (json.data.components ?? []).flatMap((row) => row.components.map((c) => c.custom_id));

async function create(path: string, options: Opt[]) {
  const res = await send(command(path, options));
  const content: string = res.json.data.content;
  const tasks = await state.scheduler.listTasks(GUILD);
  return { res, content, task: tasks.find((t) => content.includes(t.id)) };
}

describe('times people type', () => {
  it.each([
    ['9am', '09:00'],
    ['9:00 pm', '21:00'],
    ['21h', '21:00'],
    ['9', '09:00'],
  ])('reads %s as %s and says so', async (typed, stored) => {
    const { content, task } = await create('schedule create daily', [str('time', typed)]);
    expect(task?.schedule).toEqual({ type: 'daily', time: stored });
    expect(content).toMatch(/^Created/);
    expect(content).toContain(`\`${typed}\` is ${stored}.`);
    expect(content).toContain(`every day at ${stored}`);
  });

  it('repeats an impossible time with examples, and creates nothing', async () => {
    const { content } = await create('schedule create daily', [str('time', '25:00')]);
    expect(content).toBe(
      '**time**: `25:00` is not a time of day (hours go from 0 to 23); for example 09:30, 9am, 9:30 pm or 21h',
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });
});

describe('time zones people type', () => {
  it('reads a city in any case and says which zone it is', async () => {
    const { content, task } = await create('schedule create daily', [
      str('time', '09:00'),
      str('timezone', 'berlin'),
    ]);
    expect(task?.timeZone).toBe('Europe/Berlin');
    expect(content).toContain('`berlin` was read as Europe/Berlin.');
    expect(content).not.toContain('UTC was used');
  });

  it('asks "did you mean" for a misspelt zone, and creates nothing', async () => {
    const { content } = await create('schedule create daily', [
      str('time', '09:00'),
      str('timezone', 'Europe/Berln'),
    ]);
    expect(content).toBe(
      '**timezone**: `Europe/Berln` is not a time zone I know. Did you mean Europe/Berlin?',
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('takes a fixed-offset abbreviation with a warning and the zone that follows daylight saving', async () => {
    const { content, task } = await create('schedule create daily', [
      str('time', '09:00'),
      str('timezone', 'EST'),
    ]);
    expect(task?.timeZone).toBe('Etc/GMT+5');
    expect(content).toContain('`EST` (UTC-5) is a fixed offset: it never changes for daylight saving');
    expect(content).toContain('To follow daylight saving, use America/New_York');
  });

  it('/config timezone takes the same option name and words, and says what time it is there', async () => {
    const res = await send(command('config timezone', [str('timezone', 'new york')]));
    expect(res.json.data.content).toBe(
      'New tasks in this server now use **America/New_York** unless told otherwise (it is now 03:00 on Monday 2 March 2026 in America/New_York). Existing tasks keep their zone.\n`new york` was read as America/New_York.',
    );
    expect((await state.scheduler.getGuildConfig(GUILD))?.timeZone).toBe('America/New_York');
  });
});

describe('dates people type for a one-time summary', () => {
  it.each([
    ['tomorrow', '2026-03-03T09:00', 'Tuesday 3 March 2026'],
    ['friday', '2026-03-06T09:00', 'Friday 6 March 2026'],
    ['in 2 days', '2026-03-04T09:00', 'Wednesday 4 March 2026'],
    ['today', '2026-03-02T09:00', 'Monday 2 March 2026'],
  ])('reads %s and says which day it is', async (typed, at, words) => {
    const { content, task } = await create('schedule create once', [str('date', typed), str('time', '9am')]);
    expect(task?.schedule).toEqual({ type: 'once', at });
    expect(content).toContain(`\`${typed}\` is ${words}.`);
  });

  it('names an impossible date as such', async () => {
    const { content } = await create('schedule create once', [
      str('date', '2026-02-30'),
      str('time', '10:00'),
    ]);
    expect(content).toBe('**date**: `2026-02-30` does not exist: February 2026 has 28 days');
  });

  it('says what time it is now in the zone when the time has passed', async () => {
    const { content } = await create('schedule create once', [
      str('date', 'today'),
      str('time', '7am'),
      str('timezone', 'Europe/Berlin'),
    ]);
    expect(content).toBe(
      '**date**: Monday 2 March 2026 at 07:00 is in the past: it is now 09:00 on Monday 2 March 2026 in Europe/Berlin; pick a later date or time',
    );
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });
});

describe('cron expressions people type', () => {
  it('offers the 5-field Unix form converted, paused until the admin clicks Use it', async () => {
    const { res, content, task } = await create('schedule create cron', [
      str('expression', '0 9 * * 1-5'),
      str('name', 'Weekdays'),
    ]);
    expect(content).toMatch(
      /^`0 9 \* \* 1-5` is the 5-field Unix form\. In EventBridge's six fields it is `0 9 \? \* MON-FRI \*`\.\nCreated paused until you accept the conversion/,
    );
    if (!task) throw new Error(content);
    expect(task).toMatchObject({ state: 'paused', schedule: { expression: 'cron(0 9 ? * MON-FRI *)' } });
    expect(customIds(res.json)).toEqual([`task:resume:${task.id}`, `cancel:confirm:${task.id}`]);
    const labels = res.json.data.components[0].components.map((c: { label: string }) => c.label);
    expect(labels).toEqual(['Use it', 'Discard']);

    const accepted = await send(button(`task:resume:${task.id}`));
    expect(accepted.json.data.content).toBe(
      `Resumed **Weekdays**. Next run: <t:${Date.parse('2026-03-02T09:00:00Z') / 1000}:F> (<t:${Date.parse('2026-03-02T09:00:00Z') / 1000}:R>).`,
    );
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
  });

  it('/schedule edit offers the 5-field Unix form converted too, with [Use it], as create does', async () => {
    const { task } = await create('schedule create cron', [
      str('expression', '0 9 ? * MON *'),
      str('name', 'Mondays'),
    ]);
    if (!task) throw new Error('not created');
    const res = await send(
      command('schedule edit', [str('task', task.id), str('expression', '0 9 * * 1-5')]),
    );
    const content: string = res.json.data.content;
    expect(content).toMatch(
      /^`0 9 \* \* 1-5` is the 5-field Unix form\. In EventBridge's six fields it is `0 9 \? \* MON-FRI \*`\.\nUpdated, and paused until you accept the conversion: \*\*Use it\*\* resumes the task; to change the expression, run \/schedule edit again\./,
    );
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      state: 'paused',
      schedule: { expression: 'cron(0 9 ? * MON-FRI *)' },
    });
    const labels = res.json.data.components[0].components.map((c: { label: string }) => c.label);
    expect(labels).toEqual(['Use it']);
    expect(customIds(res.json)).toEqual([`task:resume:${task.id}`]);
    await send(button(`task:resume:${task.id}`));
    expect((await state.scheduler.getTask(GUILD, task.id)).state).toBe('active');
  });

  it('Discard deletes the converted task', async () => {
    const { task } = await create('schedule create cron', [str('expression', '30 18 * * 5')]);
    if (!task) throw new Error('not created');
    const discarded = await send(button(`cancel:confirm:${task.id}`));
    expect(discarded.json.type).toBe(InteractionResponseType.UpdateMessage);
    expect(await state.scheduler.listTasks(GUILD)).toEqual([]);
  });

  it('points rate(5 minutes) to /schedule create every', async () => {
    const { content } = await create('schedule create cron', [str('expression', 'rate(5 minutes)')]);
    expect(content).toBe(
      '**expression**: `rate(5 minutes)` is an interval, not a cron expression; use /schedule create every value:5 unit:minutes instead',
    );
  });

  it('takes named days with # (the third Friday)', async () => {
    const { content, task } = await create('schedule create cron', [str('expression', '0 9 ? * fri#3 *')]);
    expect(content).toMatch(/^Created/);
    expect(task).toMatchObject({ state: 'active', schedule: { expression: 'cron(0 9 ? * FRI#3 *)' } });
  });
});

describe('schedules that would surprise', () => {
  it('monthly day 31 names the months it skips and offers day:last', async () => {
    const { content } = await create('schedule create monthly', [str('day', '31'), str('time', '09:00')]);
    expect(content).toContain(
      '⚠️ Not every month has a 31st: it skips February, April, June, September and November. Use day:last',
    );
  });

  it('a daily time in the spring-forward gap says that day is skipped, at create and at edit', async () => {
    const { content, task } = await create('schedule create daily', [
      str('time', '02:30'),
      str('timezone', 'Europe/Berlin'),
    ]);
    expect(content).toContain('⚠️ 02:30 does not exist in Europe/Berlin on Sunday 29 March 2026');
    if (!task) throw new Error(content);
    const fine = await send(command('schedule edit', [str('task', task.id), str('time', '8am')]));
    expect(fine.json.data.content).not.toContain('⚠️');
    expect(fine.json.data.content).toContain('`8am` is 08:00.');
    const again = await send(command('schedule edit', [str('task', task.id), str('time', '2:15')]));
    expect(again.json.data.content).toContain('⚠️ 02:15 does not exist in Europe/Berlin');
  });
});

describe('edit reads what people type too', () => {
  it('moves a one-time summary to friday, in the new zone, and says which day that is', async () => {
    const { task } = await create('schedule create once', [str('date', 'tomorrow'), str('time', '9am')]);
    if (!task) throw new Error('not created');
    const res = await send(
      command('schedule edit', [str('task', task.id), str('date', 'friday'), str('timezone', 'tokyo')]),
    );
    expect(res.json.data.content).toMatch(/^Updated/);
    expect(res.json.data.content).toContain('`friday` is Friday 6 March 2026.');
    expect(await state.scheduler.getTask(GUILD, task.id)).toMatchObject({
      schedule: { type: 'once', at: '2026-03-06T09:00' },
      timeZone: 'Asia/Tokyo',
    });
  });
});

describe('pause, resume, cancel and notices in words', () => {
  it('pausing a paused task says it already is; resuming says when it runs next', async () => {
    const { task } = await create('schedule create daily', [str('time', '10:00'), str('name', 'Digest')]);
    if (!task) throw new Error('not created');
    await send(command('schedule pause', [str('task', task.id)]));
    const again = await send(command('schedule pause', [str('task', task.id)]));
    expect(again.json.data.content).toBe('**Digest** is already paused; Resume starts it again.');
    const resumed = await send(command('schedule resume', [str('task', task.id)]));
    const next = Date.parse('2026-03-02T10:00:00Z') / 1000;
    expect(resumed.json.data.content).toBe(`Resumed **Digest**. Next run: <t:${next}:F> (<t:${next}:R>).`);
    const running = await send(command('schedule resume', [str('task', task.id)]));
    expect(running.json.data.content).toBe(
      `**Digest** is not paused: it is running. Next run: <t:${next}:F> (<t:${next}:R>).`,
    );
  });

  it('cancel asks with Delete and Keep; Keep deletes nothing', async () => {
    const { task } = await create('schedule create daily', [str('time', '10:00'), str('name', 'Digest')]);
    if (!task) throw new Error('not created');
    const ask = await send(command('schedule cancel', [str('task', task.id)]));
    const labels = ask.json.data.components[0].components.map((c: { label: string }) => c.label);
    expect(labels).toEqual(['Delete', 'Keep']);
    const kept = await send(button(`cancel:keep:${task.id}`));
    expect(kept.json.type).toBe(InteractionResponseType.UpdateMessage);
    expect(kept.json.data.content).toBe(`Kept **Digest** \`${task.id}\`; nothing was deleted.`);
    expect(await state.scheduler.listTasks(GUILD)).toHaveLength(1);
  });

  it('create and /config show say where failure notices go when no notify channel is set', async () => {
    const { content } = await create('schedule create every', [int('value', 6), str('unit', 'hours')]);
    expect(content).toContain(
      `Failure notices go to <#${CHANNEL}> (where it posts, as no notify channel is set; see /config notify-channel).`,
    );
    const shown = await send(command('config show'));
    expect(shown.json.data.content).toContain(
      "• Failure notices: not set, so each task's notices go where it posts (or, if it posts nowhere in Discord, to the admin who created it as a direct message)",
    );
  });
});
