import { type ApplicationCommandOptionType, ChannelType } from 'discord-api-types/v10';
import { ValidationError } from '../../../errors.ts';
import { describeNoticeTarget, noticeTarget } from '../../../execution/notice-target.ts';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { defaultTaskName } from '../../../tasks/describe.ts';
import { taskIdentityKey } from '../../../tasks/same-task.ts';
import type { ScheduleSpec } from '../../../tasks/schedule-spec.ts';
import { DEFAULT_MAX_CHANNELS_PER_TASK } from '../../../tasks/task-source.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager } from '../../guards.ts';
import { formatTimeOfDay, type TimeOfDay } from '../../input/time.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { canManage } from '../../permissions.ts';
import { ephemeral, formatTask, type Reply, taskButtons } from '../../replies.ts';
import { parseDays, parseMonthDay } from '../../values.ts';
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
import { destinationsFrom, readableChannels } from './create-destinations.ts';
import type { CommonReader, cron, daily, definition, every, monthly, once, weekly } from './create-kinds.ts';
import { holdButtons } from './hold-buttons.ts';
import { sourcePreview } from './source-preview.ts';
import { readIncludePrivate, readSummaryOptions } from './task-options.ts';
import { checkThreadDestinations, knownPermissions, threadNotes } from './thread-destinations.ts';

/** The handlers of `/schedule create <kind>`: each reads its schedule, then all create the task alike. */

type Reader<D extends { readonly options?: readonly unknown[] }> = OptionReader<OptionsIn<D>>;
type TimeReader = OptionReader<{ type: ApplicationCommandOptionType.String; name: 'time' }>;

/** The `time` option, read as a time of day with what to tell about how it was read. */
function readTimeOption(opts: TimeReader): Noted<TimeOfDay> {
  return readTime('time', opts.requiredString('time', 'expected a time of day, for example 09:30 or 9am'));
}

/** A schedule read from the options, what to tell about how it was read, and a cron conversion to accept. */
interface SpecReading {
  spec: ScheduleSpec;
  notes: string[];
  conversion?: string;
}

/** How a kind reads its schedule. */
interface ScheduleReader {
  /** Reads the schedule in the task's time zone. */
  read(zone: string): SpecReading;
  /**
   * Only for a kind whose schedule depends on the zone (`once`'s date): checks what `read` checks before it
   * needs the zone. Without it, `read` ignores the zone.
   */
  beforeZone?: () => void;
}

/** The schedule of a kind that runs at a time of day, with the time's note. */
function atTime(opts: TimeReader, build: (time: string) => ScheduleSpec): SpecReading {
  const time = readTimeOption(opts);
  return { spec: build(formatTimeOfDay(time.value)), notes: time.notes };
}

/**
 * Reads every option (each error names its option), creates the task, shows it with its next runs and what
 * was understood. The scheduler checks the schedule as a whole (a run in the future, the expression); the
 * router names the option of such an error. A cron expression in another dialect is converted, and the task
 * is created paused until the admin accepts the conversion.
 */
async function createTask(ctx: CommandContext, opts: CommonReader, schedule: ScheduleReader): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
  const zoneOption = opts.string('timezone');
  const zone = zoneOption
    ? readZone('timezone', zoneOption, ctx.now)
    : { value: config?.timeZone ?? 'UTC', notes: [] };
  const timeZone = zone.value;
  const reading = schedule.read(timeZone);
  const spec = reading.spec;
  const { readable, category, destinations } = readPlaces(ctx, opts);
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
    ...(category ? { source: 'category' as const } : {}),
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
  if (category) {
    notes.push(
      `Each run reads every text channel in <#${channelIds[0]}> and their active threads as they are then, the most recently active ${config?.maxChannelsPerTask ?? DEFAULT_MAX_CHANNELS_PER_TASK} at most (/config channel-limit); a channel not everyone who sees the digest can read is left out and named.`,
    );
    if (task.kind === 'summary') notes.push(...(await sourcePreview(ctx, task, config?.maxChannelsPerTask)));
  }
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

/** The channels a new task reads and where it posts, from the options and the payload alone (no reads). */
function readPlaces(ctx: CommandContext, opts: CommonReader) {
  const readable = readableChannels(ctx, opts);
  // A category is read as a whole: every text channel in it, found again at each run.
  const category = opts.channel('channel')?.type === ChannelType.GuildCategory;
  if (category) {
    const more = (['channel2', 'channel3'] as const).find((name) => opts.has(name));
    if (more)
      throw new ValidationError(
        more,
        'expected no other channel beside a category: the task reads every channel in it',
      );
  }
  return { readable, category, destinations: destinationsFrom(ctx, opts) };
}

/**
 * Throws what createTask would refuse before its first read, in the same order and words; returns when it
 * cannot tell without one. A member who manages through the manager role needs the stored settings read
 * first, as does `once`'s date without `timezone:` (the server's zone); past those, the checks that read
 * Discord (thread destinations, the audience rule) come after every option check.
 */
function checkInput(ctx: CommandContext, opts: CommonReader, schedule: ScheduleReader): void {
  if (!ctx.guildId || !canManage(ctx.interaction.member)) return;
  const zoneOption = opts.string('timezone');
  const zone = zoneOption ? readZone('timezone', zoneOption, ctx.now).value : undefined;
  if (zone === undefined && schedule.beforeZone) {
    schedule.beforeZone();
    return;
  }
  // Without `beforeZone` the reading ignores the zone: any stands in for the server's.
  schedule.read(zone ?? 'UTC');
  readPlaces(ctx, opts);
}

/** How each kind reads its schedule from its options. */
const schedules = {
  once: (ctx: CommandContext, opts: Reader<typeof once>): ScheduleReader => ({
    read: (zone) => {
      const time = readTimeOption(opts);
      const at = readOnceAt(
        'date',
        opts.requiredString('date', 'expected a date, for example tomorrow or 2026-12-24'),
        time.value,
        zone,
        ctx.now,
      );
      return { spec: { type: 'once', at: at.value }, notes: [...at.notes, ...time.notes] };
    },
    beforeZone: () => {
      readTimeOption(opts);
    },
  }),
  daily: (opts: Reader<typeof daily>): ScheduleReader => ({
    read: () => atTime(opts, (time) => ({ type: 'daily', time })),
  }),
  weekly: (opts: Reader<typeof weekly>): ScheduleReader => ({
    read: () => {
      const days = parseDays('days', opts.requiredString('days', 'expected days such as mon,wed,fri'));
      return atTime(opts, (time) => ({ type: 'weekly', days, time }));
    },
  }),
  monthly: (opts: Reader<typeof monthly>): ScheduleReader => ({
    read: () => {
      const day = parseMonthDay('day', opts.requiredString('day', 'expected 1-31 or last'));
      return atTime(opts, (time) => ({ type: 'monthly', day, time }));
    },
  }),
  every: (opts: Reader<typeof every>): ScheduleReader => ({
    read: () => {
      const value = opts.integer('value');
      const unit = opts.string('unit');
      if (value === undefined || value < 1)
        throw new ValidationError('value', 'expected a whole number of at least 1');
      if (unit !== 'minutes' && unit !== 'hours' && unit !== 'days')
        throw new ValidationError('unit', 'expected minutes, hours or days');
      return { spec: { type: 'every', value, unit }, notes: [] };
    },
  }),
  cron: (opts: Reader<typeof cron>): ScheduleReader => ({
    read: () => {
      const { expression, conversion } = readCron(
        'expression',
        opts.requiredString('expression', 'expected six cron fields, e.g. 0 9 ? * MON-FRI *'),
      );
      return { spec: { type: 'cron', expression }, notes: [], ...(conversion ? { conversion } : {}) };
    },
  }),
};

/** Each `/schedule create <kind>` reading its schedule, then handing it to `finish` with its options. */
function perKind<R>(finish: (ctx: CommandContext, opts: CommonReader, schedule: ScheduleReader) => R) {
  return {
    once: (ctx: CommandContext, opts: Reader<typeof once>) => finish(ctx, opts, schedules.once(ctx, opts)),
    daily: (ctx: CommandContext, opts: Reader<typeof daily>) => finish(ctx, opts, schedules.daily(opts)),
    weekly: (ctx: CommandContext, opts: Reader<typeof weekly>) => finish(ctx, opts, schedules.weekly(opts)),
    monthly: (ctx: CommandContext, opts: Reader<typeof monthly>) =>
      finish(ctx, opts, schedules.monthly(opts)),
    every: (ctx: CommandContext, opts: Reader<typeof every>) => finish(ctx, opts, schedules.every(opts)),
    cron: (ctx: CommandContext, opts: Reader<typeof cron>) => finish(ctx, opts, schedules.cron(opts)),
  };
}

/** The handler of each `/schedule create <kind>`: reads its schedule, then creates the task. */
export const handlers = {
  ...perKind(createTask),
  cleanup: cleanup.handle,
} satisfies Record<(typeof definition.options)[number]['name'], unknown>;

/**
 * Each `/schedule create <kind>`'s refusals that need no read (checkInput): the AWS endpoint answers them at
 * once rather than handing the command off. `cleanup` is never handed off.
 */
export const inputChecks = perKind(checkInput);
