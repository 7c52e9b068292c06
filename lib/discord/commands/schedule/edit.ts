import { ValidationError } from '../../../errors.ts';
import type { TaskChanges } from '../../../scheduling/new-task.ts';
import type { ScheduleSpec } from '../../../tasks/schedule-spec.ts';
import type { Destination } from '../../../tasks/task.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { ephemeral, formatTask, type Reply, taskButtons } from '../../replies.ts';
import {
  checkedDestination,
  parseCronOption,
  parseDate,
  parseDays,
  parseEmails,
  parseMonthDay,
  parseTime,
  parseTimeZone,
  parseWebhookUrl,
} from '../../values.ts';
import { defineSubcommand, S, TEXT_CHANNELS, unitChoices } from '../define.ts';
import {
  postableChannel,
  readFormat,
  readSummaryOptions,
  readTaskRef,
  summaryStyle,
  taskOption,
} from './task-options.ts';

/** `/schedule edit`: change any part of a task but its kind of schedule. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'edit',
  description: 'Change a task',
  options: [
    taskOption,
    { type: S.String, name: 'name', description: 'New name', max_length: 100 },
    {
      type: S.String,
      name: 'time',
      description: 'New time HH:MM (daily, weekly, monthly, once)',
      max_length: 5,
    },
    { type: S.String, name: 'date', description: 'New date YYYY-MM-DD (once)', max_length: 10 },
    { type: S.String, name: 'days', description: 'New days, e.g. mon,wed,fri (weekly)', max_length: 60 },
    {
      type: S.String,
      name: 'day',
      description: 'New day of the month 1-31 or last (monthly)',
      max_length: 4,
    },
    { type: S.String, name: 'expression', description: 'New cron expression (cron)', max_length: 256 },
    {
      type: S.Integer,
      name: 'every',
      description: 'New number of units between runs (every)',
      min_value: 1,
      max_value: 100_000,
    },
    { type: S.String, name: 'unit', description: 'New unit (every)', choices: unitChoices },
    {
      type: S.String,
      name: 'timezone',
      description: 'New IANA time zone',
      autocomplete: true,
      max_length: 50,
    },
    {
      type: S.Channel,
      name: 'post_to',
      description: 'Replace the Discord destination with this channel',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.String,
      name: 'webhook',
      description: 'Replace webhook destinations (none to remove)',
      max_length: 2048,
    },
    {
      type: S.String,
      name: 'email',
      description: 'Replace e-mail destinations (none to remove)',
      max_length: 1000,
    },
    ...summaryStyle,
    {
      type: S.Integer,
      name: 'lookback_hours',
      description: 'Fixed window of hours (0: since the last run)',
      min_value: 0,
      max_value: 720,
    },
  ],
});

type EditReader = OptionReader<OptionsIn<typeof definition>>;

/** `/schedule edit`: builds `changes` from the options given; the rest of the task stays as it is. */
export async function handle(ctx: CommandContext, opts: EditReader): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, readTaskRef(opts));
  if (task.kind !== 'summary') throw new ValidationError('task', 'expected a summary task');
  const changes: TaskChanges = {};

  const name = opts.string('name');
  if (name) changes.name = name;
  const zone = opts.string('timezone');
  if (zone) changes.timeZone = parseTimeZone('timezone', zone);

  const schedule = editedSpec(task.schedule, opts);
  if (schedule) changes.schedule = schedule;

  const format = readFormat(opts);
  const postTo = postableChannel(opts.channel('post_to'))?.id;
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  if (format || postTo || webhook || email) {
    const next: Destination[] = [];
    for (const d of task.destinations) {
      if (d.type === 'discord_channel') {
        if (postTo) continue;
        next.push({ ...d, format: format ?? d.format });
      } else if ((d.type === 'webhook' && webhook) || (d.type === 'email' && email)) {
        // replaced below
      } else {
        next.push(d);
      }
    }
    if (postTo) {
      next.unshift(
        checkedDestination('post_to', {
          type: 'discord_channel',
          channelId: postTo,
          format: format ?? 'embed',
        }),
      );
    }
    if (webhook && webhook.toLowerCase() !== 'none') {
      const url = parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks);
      next.push(checkedDestination('webhook', { type: 'webhook', url }));
    }
    if (email && email.toLowerCase() !== 'none') {
      next.push(checkedDestination('email', { type: 'email', addresses: parseEmails('email', email) }));
    }
    if (next.length === 0)
      throw new ValidationError('webhook', 'a task needs at least one destination; keep one or add post_to');
    changes.destinations = next;
  }

  const options = readSummaryOptions(opts);
  if (Object.keys(options).length > 0) changes.options = options;

  if (Object.keys(changes).length === 0)
    throw new ValidationError('task', 'expected at least one option to change');
  const updated = await ctx.scheduler.updateTask(guildId, task.id, changes, task.version);
  const status = await ctx.scheduler.getStatus(guildId, updated.id, { runs: 0, nextRuns: 3 });
  return ephemeral(
    `Updated ✅\n${formatTask(status.task, status.description, status.nextRuns)}`,
    taskButtons(status.task),
  );
}

/** The schedule with the given options applied; an option for another kind of schedule is refused. */
function editedSpec(current: ScheduleSpec, opts: EditReader): ScheduleSpec | undefined {
  const given = (['time', 'date', 'days', 'day', 'expression', 'every', 'unit'] as const).filter((n) =>
    opts.has(n),
  );
  if (given.length === 0) return undefined;
  const applies: Record<ScheduleSpec['type'], readonly string[]> = {
    once: ['time', 'date'],
    daily: ['time'],
    weekly: ['time', 'days'],
    monthly: ['time', 'day'],
    every: ['every', 'unit'],
    cron: ['expression'],
  };
  const wrong = given.find((n) => !applies[current.type].includes(n));
  if (wrong)
    throw new ValidationError(
      wrong,
      `does not apply to this ${current.type} schedule; create a new task to change the kind`,
    );
  const rawTime = opts.string('time');
  const time = rawTime ? parseTime('time', rawTime) : undefined;
  switch (current.type) {
    case 'once': {
      const [date, oldTime] = current.at.split('T');
      const newDate = opts.string('date');
      return {
        type: 'once',
        at: `${newDate ? parseDate('date', newDate) : date}T${time ?? oldTime?.slice(0, 5)}`,
      };
    }
    case 'daily':
      return { ...current, time: time ?? current.time };
    case 'weekly': {
      const days = opts.string('days');
      return {
        ...current,
        time: time ?? current.time,
        days: days ? parseDays('days', days) : current.days,
      };
    }
    case 'monthly': {
      const day = opts.string('day');
      return {
        ...current,
        time: time ?? current.time,
        day: day ? parseMonthDay('day', day) : current.day,
      };
    }
    case 'cron': {
      const expression = opts.string('expression');
      return expression ? { type: 'cron', expression: parseCronOption(expression) } : current;
    }
    case 'every': {
      const unit = opts.string('unit');
      return {
        ...current,
        value: opts.integer('every') ?? current.value,
        unit: unit === 'minutes' || unit === 'hours' || unit === 'days' ? unit : current.unit,
      };
    }
  }
}
