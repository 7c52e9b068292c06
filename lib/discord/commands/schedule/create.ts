import { type ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { PermissionError, ValidationError } from '../../../errors.ts';
import { describeNoticeTarget, noticeTarget } from '../../../execution/notice-target.ts';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { defaultTaskName } from '../../../tasks/describe.ts';
import { taskIdentityKey } from '../../../tasks/same-task.ts';
import type { ScheduleSpec } from '../../../tasks/schedule-spec.ts';
import type { Destination } from '../../../tasks/task.ts';
import type { CommandContext } from '../../context.ts';
import { customIdFor } from '../../custom-ids.ts';
import { requireManager } from '../../guards.ts';
import { formatTimeOfDay, type TimeOfDay } from '../../input/time.ts';
import type { KeysOf, OptionReader, OptionsIn } from '../../options.ts';
import { canView } from '../../permissions.ts';
import { type ActionRow, ephemeral, formatTask, type Reply, taskButtons } from '../../replies.ts';
import { holdsOnlyThreads } from '../../thread-access.ts';
import {
  checkedDestination,
  parseDays,
  parseEmails,
  parseFilePrefix,
  parseMonthDay,
  parseWebhookUrl,
} from '../../values.ts';
import { defineGroup, defineOptions, defineSubcommand, S, TEXT_CHANNELS, unitChoices } from '../define.ts';
import {
  type Noted,
  noteLines,
  readCron,
  readOnceAt,
  readTime,
  readZone,
  surpriseNotes,
} from '../typed-input.ts';
import { audienceChecked } from './audience.ts';
import * as cleanup from './create-cleanup.ts';
import {
  includePrivateOption,
  postableChannel,
  readableSourceChannels,
  readIncludePrivate,
  readSummaryOptions,
  summaryStyle,
} from './task-options.ts';
import { checkThreadDestinations, knownPermissions, threadNotes } from './thread-destinations.ts';

const time = {
  type: S.String,
  name: 'time',
  description: 'Time of day, e.g. 09:30, 9am, 9:30 pm or 21h',
  required: true,
  max_length: 20,
} as const;

/** Options every `/schedule create <kind>` shares (all optional, so they follow the required ones). */
const createCommon = defineOptions([
  { type: S.String, name: 'name', description: 'Task name', max_length: 100 },
  {
    type: S.Channel,
    name: 'channel',
    description: 'Channel to summarize (default: this one)',
    channel_types: TEXT_CHANNELS,
  },
  // More channels are channel options, not free text: Discord resolves them within this server and with
  // the member's permissions in each, so nobody schedules a channel they cannot read (or another server's).
  {
    type: S.Channel,
    name: 'channel2',
    description: 'Another channel',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.Channel,
    name: 'channel3',
    description: 'A third channel',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.String,
    name: 'timezone',
    description: "City, country or IANA zone (default: the server's)",
    autocomplete: true,
    max_length: 50,
  },
  {
    type: S.Channel,
    name: 'post_to',
    description: 'Post here (default: this channel)',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.String,
    name: 'webhook',
    description: 'Also send to this https:// webhook',
    max_length: 2048,
  },
  {
    type: S.String,
    name: 'email',
    description: 'Also e-mail these, comma-separated',
    max_length: 1000,
  },
  {
    type: S.String,
    name: 'file',
    description: 'Also save files in this folder, e.g. summaries',
    max_length: 200,
  },
  includePrivateOption,
  ...summaryStyle,
]);

const once = defineSubcommand({
  type: S.Subcommand,
  name: 'once',
  description: 'Run once at a date and time',
  options: [
    {
      type: S.String,
      name: 'date',
      description: 'Date, e.g. today, tomorrow, friday, in 2 days or 2026-12-24',
      required: true,
      max_length: 40,
    },
    time,
    ...createCommon,
  ],
});

const daily = defineSubcommand({
  type: S.Subcommand,
  name: 'daily',
  description: 'Run every day',
  options: [time, ...createCommon],
});

const weekly = defineSubcommand({
  type: S.Subcommand,
  name: 'weekly',
  description: 'Run on some days of the week',
  options: [
    {
      type: S.String,
      name: 'days',
      description: 'Days, e.g. mon,wed,fri',
      required: true,
      max_length: 60,
    },
    time,
    ...createCommon,
  ],
});

const monthly = defineSubcommand({
  type: S.Subcommand,
  name: 'monthly',
  description: 'Run on one day of the month',
  options: [
    {
      type: S.String,
      name: 'day',
      description: 'Day of the month 1-31, or last',
      required: true,
      max_length: 4,
    },
    time,
    ...createCommon,
  ],
});

const every = defineSubcommand({
  type: S.Subcommand,
  name: 'every',
  description: 'Run every N minutes, hours or days',
  options: [
    {
      type: S.Integer,
      name: 'value',
      description: 'How many units between runs',
      required: true,
      min_value: 1,
      max_value: 100_000,
    },
    { type: S.String, name: 'unit', description: 'Unit', required: true, choices: unitChoices },
    ...createCommon,
  ],
});

const cron = defineSubcommand({
  type: S.Subcommand,
  name: 'cron',
  description: 'Run on an EventBridge cron expression',
  options: [
    {
      type: S.String,
      name: 'expression',
      description: 'Six fields, e.g. 0 9 ? * MON-FRI *',
      required: true,
      max_length: 256,
    },
    ...createCommon,
  ],
});

/** `/schedule create <kind>`: one subcommand per kind of schedule, and one for cleanup tasks. */
export const definition = defineGroup({
  type: S.SubcommandGroup,
  name: 'create',
  description: 'Create a scheduled summary',
  options: [once, daily, weekly, monthly, every, cron, cleanup.definition],
});

type Reader<D extends { readonly options?: readonly unknown[] }> = OptionReader<OptionsIn<D>>;
type CommonReader = OptionReader<KeysOf<(typeof createCommon)[number]>>;
type TimeReader = OptionReader<{ type: ApplicationCommandOptionType.String; name: 'time' }>;

function readTimeOption(opts: TimeReader): Noted<TimeOfDay> {
  return readTime('time', opts.requiredString('time', 'expected a time of day, for example 09:30 or 9am'));
}

/** A schedule read from the options, what to tell about how it was read, and a cron conversion to accept. */
interface SpecReading {
  spec: ScheduleSpec;
  notes: string[];
  conversion?: string;
}

/** The schedule of a kind that runs at a time of day, with the time's note. */
function atTime(opts: TimeReader, build: (time: string) => ScheduleSpec): SpecReading {
  const time = readTimeOption(opts);
  return { spec: build(formatTimeOfDay(time.value)), notes: time.notes };
}

/**
 * The channels to summarize: the channel options (default: this channel), each one the member can read.
 * For the current channel the interaction carries the member's permissions.
 */
function readableChannels(ctx: CommandContext, opts: CommonReader): string[] {
  const ids = readableSourceChannels(opts);
  if (!opts.has('channel')) {
    const here = ctx.channelId;
    if (!here) throw new ValidationError('channel', 'expected a channel to summarize');
    const permissions = ctx.interaction.channel?.permissions ?? ctx.interaction.member?.permissions;
    if (!canView(permissions)) {
      throw new PermissionError(`You cannot read <#${here}>, so it cannot be summarized for you.`);
    }
    ids.unshift(here);
  }
  return [...new Set(ids)];
}

/** Destinations from the options, each checked and named after its option. */
function destinationsFrom(ctx: CommandContext, opts: CommonReader): Destination[] {
  // Embeds by default; /schedule settings format: changes it (kept off create: each option here counts six times).
  const format = 'embed';
  const destinations: Destination[] = [];
  const chosen = postableChannel(opts.channel('post_to'));
  const postTo = chosen?.id ?? ctx.channelId;
  // A forum or media channel holds only threads: a digest there is a new post each run.
  const thread = holdsOnlyThreads(chosen?.type);
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  const file = opts.string('file');
  // The channel is the default destination; another destination alone replaces it only if post_to is unset.
  if (opts.has('post_to') || !(webhook || email || file)) {
    if (!postTo) throw new ValidationError('post_to', 'expected a channel to post summaries in');
    destinations.push(
      checkedDestination('post_to', {
        type: 'discord_channel',
        channelId: postTo,
        format,
        ...(thread ? { thread } : {}),
      }),
    );
  }
  if (webhook) {
    const url = parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks);
    destinations.push(checkedDestination('webhook', { type: 'webhook', url }));
  }
  if (email) {
    destinations.push(checkedDestination('email', { type: 'email', addresses: parseEmails('email', email) }));
  }
  if (file) {
    destinations.push(checkedDestination('file', { type: 'file', prefix: parseFilePrefix('file', file) }));
  }
  return destinations;
}

/**
 * Reads every option (each error names its option), creates the task, shows it with its next runs and what
 * was understood. The scheduler checks the schedule as a whole (a run in the future, the expression); the
 * router names the option of such an error. A cron expression in another dialect is converted, and the task
 * is created paused until the admin accepts the conversion.
 */
async function createTask(
  ctx: CommandContext,
  opts: CommonReader,
  readSpec: (zone: string) => SpecReading,
): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
  const zoneOption = opts.string('timezone');
  const zone = zoneOption
    ? readZone('timezone', zoneOption, ctx.now)
    : { value: config?.timeZone ?? 'UTC', notes: [] };
  const timeZone = zone.value;
  const reading = readSpec(timeZone);
  const spec = reading.spec;
  const readable = readableChannels(ctx, opts);
  const destinations = destinationsFrom(ctx, opts);
  await checkThreadDestinations(
    ctx,
    guildId,
    destinations,
    'post_to',
    knownPermissions(opts.channel('post_to')),
  );
  const includePrivate = readIncludePrivate(opts) ?? false;
  const audience = await audienceChecked(ctx, guildId, readable, destinations, includePrivate);
  const channelIds = audience.channelIds;
  const name = opts.string('name') ?? defaultTaskName(spec);

  let task = await ctx.scheduler.createTask({
    guildId,
    kind: 'summary',
    name,
    channelIds,
    schedule: spec,
    timeZone,
    destinations,
    options: { ...readSummaryOptions(opts), ...(includePrivate ? { includePrivate } : {}) },
    createdBy: ctx.userId,
  });
  // Unix and EventBridge number the days of the week differently: a conversion is never taken silently;
  // nor is a second copy of a task that exists already (the admin likely meant to edit it).
  const twin = (await ctx.scheduler.listTasks(guildId)).find(
    (t) => t.id !== task.id && taskIdentityKey(t) === taskIdentityKey(task),
  );
  if (reading.conversion || twin) task = await ctx.scheduler.pauseTask(guildId, task.id);
  const status = ctx.scheduler.describeTask(task);
  const notes = [
    ...threadNotes(task.destinations),
    ...audience.notes,
    ...reading.notes,
    ...zone.notes,
    ...surpriseNotes(task.schedule, timeZone, ctx.now),
  ];
  if (!zoneOption && !config?.timeZone) {
    notes.push('This server has no time zone set, so UTC was used; see /config timezone.');
  }
  notes.push(`Failure notices go to ${describeNoticeTarget(noticeTarget(task, config?.notifyChannelId))}.`);
  const held = reading.conversion !== undefined || twin !== undefined;
  const shown = formatTask(status.task, status.description, held ? [] : status.nextRuns);
  if (reading.conversion) {
    return ephemeral(
      `${reading.conversion}\nCreated paused until you accept the conversion: **Use it** starts the task, **Discard** deletes it.\n${shown}${noteLines(notes)}`,
      holdButtons(task.id, 'Use it'),
    );
  }
  if (twin) {
    return ephemeral(
      `**${escapeMarkdown(twin.name)}** \`${twin.id}\` already summarizes the same channels to the same places on the same schedule.\nThis copy is created paused: **Create anyway** starts it, **Discard** deletes it.\n${shown}${noteLines(notes)}`,
      holdButtons(task.id, 'Create anyway'),
    );
  }
  return ephemeral(`Created ✅\n${shown}${noteLines(notes)}`, taskButtons(status.task));
}

/** [Use it] / [Create anyway] resumes the held task (the route of its Resume button); [Discard] deletes it. */
export function holdButtons(taskId: string, accept: string): ActionRow[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Success,
          label: accept,
          custom_id: customIdFor({ kind: 'task', action: 'resume', taskId }),
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: 'Discard',
          custom_id: customIdFor({ kind: 'cancel-confirm', taskId }),
        },
      ],
    },
  ];
}

/** The handler of each `/schedule create <kind>`: reads its schedule, then creates the task. */
export const handlers = {
  once: (ctx: CommandContext, opts: Reader<typeof once>) =>
    createTask(ctx, opts, (zone) => {
      const time = readTimeOption(opts);
      const at = readOnceAt(
        'date',
        opts.requiredString('date', 'expected a date, for example tomorrow or 2026-12-24'),
        time.value,
        zone,
        ctx.now,
      );
      return { spec: { type: 'once', at: at.value }, notes: [...at.notes, ...time.notes] };
    }),
  daily: (ctx: CommandContext, opts: Reader<typeof daily>) =>
    createTask(ctx, opts, () => atTime(opts, (time) => ({ type: 'daily', time }))),
  weekly: (ctx: CommandContext, opts: Reader<typeof weekly>) =>
    createTask(ctx, opts, () => {
      const days = parseDays('days', opts.requiredString('days', 'expected days such as mon,wed,fri'));
      return atTime(opts, (time) => ({ type: 'weekly', days, time }));
    }),
  monthly: (ctx: CommandContext, opts: Reader<typeof monthly>) =>
    createTask(ctx, opts, () => {
      const day = parseMonthDay('day', opts.requiredString('day', 'expected 1-31 or last'));
      return atTime(opts, (time) => ({ type: 'monthly', day, time }));
    }),
  every: (ctx: CommandContext, opts: Reader<typeof every>) =>
    createTask(ctx, opts, () => {
      const value = opts.integer('value');
      const unit = opts.string('unit');
      if (value === undefined || value < 1)
        throw new ValidationError('value', 'expected a whole number of at least 1');
      if (unit !== 'minutes' && unit !== 'hours' && unit !== 'days')
        throw new ValidationError('unit', 'expected minutes, hours or days');
      return { spec: { type: 'every', value, unit }, notes: [] };
    }),
  cron: (ctx: CommandContext, opts: Reader<typeof cron>) =>
    createTask(ctx, opts, () => {
      const { expression, conversion } = readCron(
        'expression',
        opts.requiredString('expression', 'expected six cron fields, e.g. 0 9 ? * MON-FRI *'),
      );
      return { spec: { type: 'cron', expression }, notes: [], ...(conversion ? { conversion } : {}) };
    }),
  cleanup: cleanup.handle,
} satisfies Record<(typeof definition.options)[number]['name'], unknown>;
