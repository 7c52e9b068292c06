import { ChannelType } from 'discord-api-types/v10';
import { ValidationError } from '../../../errors.ts';
import type { TaskChanges } from '../../../scheduling/new-task.ts';
import { defaultTaskName } from '../../../tasks/describe.ts';
import type { Destination } from '../../../tasks/destination.ts';
import type { ScheduleSpec } from '../../../tasks/schedule-spec.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import { formatTimeOfDay } from '../../input/time.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { ephemeral, formatTask, type Reply, taskButtons } from '../../replies.ts';
import { holdsOnlyThreads } from '../../thread-access.ts';
import {
  checkedDestination,
  parseDays,
  parseEmails,
  parseFilePrefix,
  parseMonthDay,
  parseWebhookUrl,
} from '../../values.ts';
import { defineSubcommand, S, TEXT_CHANNELS, unitChoices } from '../define.ts';
import { noteLines, readCron, readOnceAt, readTime, readZone, surpriseNotes } from '../typed-input.ts';
import { audienceChecked } from './audience.ts';
import { holdButtons } from './hold-buttons.ts';
import { sourcePreview } from './source-preview.ts';
import {
  includePrivateOption,
  postableChannel,
  readableSourceChannels,
  readIncludePrivate,
  readSummaryOptions,
  readTaskRef,
  summaryStyle,
  taskOption,
} from './task-options.ts';
import { checkThreadDestinations, knownPermissions, threadNotes } from './thread-destinations.ts';

/** `/schedule edit`: change any part of a task but its kind of schedule. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'edit',
  description: 'Change a task',
  options: [
    taskOption,
    { type: S.String, name: 'name', description: 'New name', max_length: 100 },
    // The channels to summarize, given together: they replace the task's channels.
    {
      type: S.Channel,
      name: 'channel',
      description: 'Summarize this channel instead (replaces the channels)',
      // A category: every channel in it, expanded at each run.
      channel_types: [...TEXT_CHANNELS, ChannelType.GuildCategory],
    },
    {
      type: S.Channel,
      name: 'channel2',
      description: 'And this channel (with channel)',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.Channel,
      name: 'channel3',
      description: 'And a third channel (with channel)',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.String,
      name: 'time',
      description: 'New time, e.g. 08:00 or 8am (daily, weekly, monthly, once)',
      max_length: 20,
    },
    {
      type: S.String,
      name: 'date',
      description: 'New date, e.g. tomorrow, friday or 2026-12-24 (once)',
      max_length: 40,
    },
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
      description: 'New time zone: a city, country or IANA name',
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
    {
      type: S.String,
      name: 'file',
      description: 'Replace file destinations: a folder (none to remove)',
      max_length: 200,
    },
    includePrivateOption,
    ...summaryStyle,
  ],
});

type EditReader = OptionReader<OptionsIn<typeof definition>>;

/** `/schedule edit`: builds `changes` from the options given; the rest of the task stays as it is. */
export async function handle(ctx: CommandContext, opts: EditReader): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, readTaskRef(opts));
  if (task.kind !== 'summary') throw new ValidationError('task', 'expected a summary task');
  const changes: TaskChanges = {};

  const notes: string[] = [];

  const name = opts.string('name');
  if (name) changes.name = name;
  if (opts.has('channel2') || opts.has('channel3')) {
    if (!opts.has('channel'))
      throw new ValidationError(
        'channel',
        'give the first channel too: channel, channel2 and channel3 replace the channels together',
      );
  }
  const channelIds = readableSourceChannels(opts);
  if (channelIds.length > 0) {
    changes.channelIds = channelIds;
    // New channels are what the task reads from now on (a whole-server task reads them instead).
    const category = opts.channel('channel')?.type === ChannelType.GuildCategory;
    if (category && channelIds.length > 1)
      throw new ValidationError(
        opts.has('channel2') ? 'channel2' : 'channel3',
        'expected no other channel beside a category: the task reads every channel in it',
      );
    changes.source = category ? 'category' : 'channel';
  }
  const zoneText = opts.string('timezone');
  const zone = zoneText ? readZone('timezone', zoneText, ctx.now) : undefined;
  if (zone) {
    changes.timeZone = zone.value;
    notes.push(...zone.notes);
  }

  const edited = editedSpec(task.schedule, opts, zone?.value ?? task.timeZone, ctx.now);
  if (edited) {
    changes.schedule = edited.spec;
    notes.push(...edited.notes);
  }
  // A name the bot made up follows the schedule it describes; a name the admin chose is theirs.
  if (edited && !name && task.name === defaultTaskName(task.schedule)) {
    const renamed = defaultTaskName(edited.spec);
    if (renamed !== task.name) changes.name = renamed;
  }

  const chosen = postableChannel(opts.channel('post_to'));
  const postTo = chosen?.id;
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  const file = opts.string('file');
  if (postTo || webhook || email || file) {
    const next: Destination[] = [];
    for (const d of task.destinations) {
      if (d.type === 'discord_channel') {
        if (postTo) continue;
        next.push(d);
      } else if (
        (d.type === 'webhook' && webhook) ||
        (d.type === 'email' && email) ||
        (d.type === 'file' && file)
      ) {
        // replaced below
      } else {
        next.push(d);
      }
    }
    if (postTo) {
      // A new channel keeps the format and thread setting the old one had (/schedule settings changes
      // them); a forum or media channel holds only threads, so a digest there is a new post each run.
      const previous = task.destinations.find((d) => d.type === 'discord_channel');
      const format = previous?.type === 'discord_channel' ? previous.format : 'embed';
      const thread =
        holdsOnlyThreads(chosen?.type) || (previous?.type === 'discord_channel' && previous.thread === true);
      next.unshift(
        checkedDestination('post_to', {
          type: 'discord_channel',
          channelId: postTo,
          format,
          ...(thread ? { thread } : {}),
        }),
      );
      await checkThreadDestinations(ctx, guildId, next, 'post_to', knownPermissions(chosen));
      notes.push(...threadNotes(next));
    }
    if (webhook && webhook.toLowerCase() !== 'none') {
      const url = parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks);
      next.push(checkedDestination('webhook', { type: 'webhook', url }));
    }
    if (email && email.toLowerCase() !== 'none') {
      next.push(checkedDestination('email', { type: 'email', addresses: parseEmails('email', email) }));
    }
    if (file && file.toLowerCase() !== 'none') {
      next.push(checkedDestination('file', { type: 'file', prefix: parseFilePrefix('file', file) }));
    }
    if (next.length === 0)
      throw new ValidationError('webhook', 'a task needs at least one destination; keep one or add post_to');
    changes.destinations = next;
  }

  const options = readSummaryOptions(opts);
  const includePrivate = readIncludePrivate(opts);
  if (includePrivate !== undefined) options.includePrivate = includePrivate;
  if (Object.keys(options).length > 0) changes.options = options;

  if (Object.keys(changes).length === 0)
    throw new ValidationError('task', 'expected at least one option to change');
  // The audience rule holds for the task as edited: a source its destinations' viewers cannot all read goes.
  if (changes.channelIds || changes.destinations || includePrivate !== undefined) {
    const audience = await audienceChecked(
      ctx,
      guildId,
      changes.channelIds ?? task.channelIds,
      changes.destinations ?? task.destinations,
      includePrivate ?? task.options.includePrivate,
    );
    if (audience.notes.length > 0) changes.channelIds = audience.channelIds;
    notes.push(...audience.notes);
  }
  let updated = await ctx.scheduler.updateTask(guildId, task.id, changes, task.version);
  // As at create: a cron expression of another dialect is converted, never taken silently; the task waits,
  // paused, until the admin accepts the conversion ([Use it] resumes it).
  if (edited?.conversion && updated.state === 'active')
    updated = await ctx.scheduler.pauseTask(guildId, task.id);
  const status = ctx.scheduler.describeTask(updated);
  if (edited || zone) notes.push(...surpriseNotes(updated.schedule, updated.timeZone, ctx.now));
  // A category or whole-server task whose channels or destinations changed: what a run would read now.
  const reread = changes.channelIds || changes.destinations || includePrivate !== undefined;
  if (reread && updated.kind === 'summary' && updated.source && updated.source !== 'channel') {
    const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
    notes.push(...(await sourcePreview(ctx, updated, config?.maxChannelsPerTask)));
  }
  if (edited?.conversion) {
    return ephemeral(
      `${edited.conversion}\nUpdated, and paused until you accept the conversion: **Use it** resumes the task; to change the expression, run /schedule edit again.\n${formatTask(status.task, status.description, [])}${noteLines(notes)}`,
      holdButtons(task.id, 'Use it').map((row) => ({ ...row, components: row.components.slice(0, 1) })),
    );
  }
  return ephemeral(
    `Updated ✅\n${formatTask(status.task, status.description, status.nextRuns)}${noteLines(notes)}`,
    taskButtons(status.task),
  );
}

/**
 * The schedule with the given options applied, and what to tell about how they were read; an option for
 * another kind of schedule is refused. A one-time date is read in `zone` (the task's, or its new one).
 */
function editedSpec(
  current: ScheduleSpec,
  opts: EditReader,
  zone: string,
  now: Date,
): { spec: ScheduleSpec; notes: string[]; conversion?: string } | undefined {
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
  const read = rawTime ? readTime('time', rawTime) : undefined;
  const notes = read?.notes ?? [];
  const time = read ? formatTimeOfDay(read.value) : undefined;
  switch (current.type) {
    case 'once': {
      const [date = '', oldTime = ''] = current.at.split('T');
      const [hour, minute] = oldTime.split(':').map(Number);
      const at = readOnceAt(
        'date',
        opts.string('date') ?? date,
        read?.value ?? { hour: hour ?? 0, minute: minute ?? 0 },
        zone,
        now,
      );
      return { spec: { type: 'once', at: at.value }, notes: [...at.notes, ...notes] };
    }
    case 'daily':
      return { spec: { ...current, time: time ?? current.time }, notes };
    case 'weekly': {
      const days = opts.string('days');
      return {
        spec: { ...current, time: time ?? current.time, days: days ? parseDays('days', days) : current.days },
        notes,
      };
    }
    case 'monthly': {
      const day = opts.string('day');
      return {
        spec: { ...current, time: time ?? current.time, day: day ? parseMonthDay('day', day) : current.day },
        notes,
      };
    }
    case 'cron': {
      const expression = opts.string('expression');
      if (!expression) return { spec: current, notes };
      const read = readCron('expression', expression);
      return {
        spec: { type: 'cron', expression: read.expression },
        notes,
        ...(read.conversion ? { conversion: read.conversion } : {}),
      };
    }
    case 'every': {
      const unit = opts.string('unit');
      return {
        spec: {
          ...current,
          value: opts.integer('every') ?? current.value,
          unit: unit === 'minutes' || unit === 'hours' || unit === 'days' ? unit : current.unit,
        },
        notes,
      };
    }
  }
}
