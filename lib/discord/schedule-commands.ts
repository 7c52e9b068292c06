import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { ConfigError, PermissionError, ValidationError } from '../errors.ts';
import type { ChannelReference } from '../tasks/channel-references.ts';
import type { ScheduleSpec } from '../tasks/schedule-spec.ts';
import type { Destination, GuildConfig, RunRecord, SummaryOptions, Task } from '../tasks/task.ts';
import { checkChannelAccess } from './channel-access.ts';
import type { CommandPath } from './commands.ts';
import type { CommandContext } from './context.ts';
import { customIdFor } from './custom-ids.ts';
import { requireManager, resolveTask } from './guards.ts';
import type { OptionReader } from './options.ts';
import { canPost, canView, isThread } from './permissions.ts';
import {
  type ActionRow,
  discordTime,
  ephemeral,
  ephemeralWithFile,
  escapeMarkdown,
  formatTask,
  type Reply,
  taskButtons,
  updateMessage,
} from './replies.ts';
import {
  checkSpec,
  parseCronOption,
  parseDate,
  parseDays,
  parseEmails,
  parseFilePrefix,
  parseMonthDay,
  parseTime,
  parseTimeZone,
  parseWebhookUrl,
} from './values.ts';

export type CreatePath = Extract<CommandPath, `schedule create ${string}`>;
/** Every create subcommand shares these options; `cron` has nothing else but its expression. */
type Common = OptionReader<'schedule create cron'>;

/** Maps a field named by the scheduler (`schedule.time`, `destinations[1].url`) to the option a user typed. */
export function optionForField(field: string, destinationOptions: readonly string[] = []): string {
  const dest = /^destinations\[(\d+)\]/.exec(field);
  if (dest) return destinationOptions[Number(dest[1])] ?? 'destinations';
  const table: [RegExp, string][] = [
    [/^schedule\.at/, 'date'],
    [/^schedule\.time/, 'time'],
    [/^schedule\.days/, 'days'],
    [/^schedule\.day/, 'day'],
    [/^schedule\.value/, 'value'],
    [/^schedule\.unit/, 'unit'],
    [/^schedule(\.expression)?$/, 'expression'],
    [/^timeZone/, 'timezone'],
    [/^channelIds/, 'channel'],
    [/^options\.minMessages/, 'min_messages'],
    [/^options\.lookback/, 'lookback_hours'],
    [/^options\.length/, 'length'],
    [/^options\.focus/, 'focus'],
    [/^notifyChannelId/, 'notify_channel'],
  ];
  return table.find(([re]) => re.test(field))?.[1] ?? field;
}

function rethrowNamed(error: unknown, destinationOptions: readonly string[] = []): never {
  if (error instanceof ValidationError) {
    throw new ValidationError(optionForField(error.field, destinationOptions), error.expected, {
      cause: error,
    });
  }
  throw error;
}

function specFor(kind: string, opts: OptionReader<CreatePath>): ScheduleSpec {
  const o = opts as unknown as OptionReader<'schedule create once'> &
    OptionReader<'schedule create weekly'> &
    OptionReader<'schedule create monthly'> &
    OptionReader<'schedule create every'> &
    OptionReader<'schedule create cron'>;
  const time = () => parseTime('time', o.requiredString('time', 'expected a 24-hour time HH:MM'));
  switch (kind) {
    case 'once':
      return {
        type: 'once',
        at: `${parseDate('date', o.requiredString('date', 'expected a date YYYY-MM-DD'))}T${time()}`,
      };
    case 'daily':
      return { type: 'daily', time: time() };
    case 'weekly':
      return {
        type: 'weekly',
        days: parseDays('days', o.requiredString('days', 'expected days such as mon,wed,fri')),
        time: time(),
      };
    case 'monthly':
      return {
        type: 'monthly',
        day: parseMonthDay('day', o.requiredString('day', 'expected 1-31 or last')),
        time: time(),
      };
    case 'every': {
      const value = o.integer('value');
      const unit = o.string('unit');
      if (value === undefined || value < 1)
        throw new ValidationError('value', 'expected a whole number of at least 1');
      if (unit !== 'minutes' && unit !== 'hours' && unit !== 'days')
        throw new ValidationError('unit', 'expected minutes, hours or days');
      return { type: 'every', value, unit };
    }
    case 'cron':
      return {
        type: 'cron',
        expression: parseCronOption(
          o.requiredString('expression', 'expected six cron fields, e.g. 0 9 ? * MON-FRI *'),
        ),
      };
    default:
      throw new ValidationError('schedule', 'expected once, daily, weekly, monthly, every or cron');
  }
}

const specOptionNames: Record<string, string> = {
  at: 'date',
  time: 'time',
  days: 'days',
  day: 'day',
  value: 'value',
  unit: 'unit',
  expression: 'expression',
};

function summaryOptions(opts: Common): Partial<SummaryOptions> {
  const options: Partial<SummaryOptions> = {};
  const length = opts.string('length');
  if (length) options.length = length as SummaryOptions['length'];
  const focus = opts.string('focus');
  if (focus) options.focus = focus as SummaryOptions['focus'];
  const min = opts.integer('min_messages');
  if (min !== undefined) options.minMessages = min;
  const lookback = opts.integer('lookback_hours');
  if (lookback !== undefined) options.lookback = { mode: 'fixed', hours: lookback };
  return options;
}

/**
 * The channels to summarize: the channel options (default: this channel), each one the member can read.
 * Discord resolves channel options with the member's permissions there; for the current channel the
 * interaction carries them. A channel the member cannot read is refused, so the bot never reads it for them.
 */
function readableChannels(ctx: CommandContext, opts: Common): string[] {
  const ids: string[] = [];
  for (const name of ['channel', 'channel2', 'channel3'] as const) {
    const chosen = opts.channel(name);
    if (!chosen) continue;
    if (!canView(chosen.permissions)) {
      throw new PermissionError(`You cannot read <#${chosen.id}>, so it cannot be summarized for you.`);
    }
    ids.push(chosen.id);
  }
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

/** A channel option the member can post in: summaries are never posted where their author could not post. */
function visibleChannel<
  C extends { id: string; permissions?: string | undefined; type?: number | undefined },
>(chosen: C | undefined): C | undefined {
  if (chosen && !canPost(chosen.permissions, isThread(chosen.type))) {
    throw new PermissionError(
      `You cannot post in <#${chosen.id}>, so summaries cannot be posted there for you.`,
    );
  }
  return chosen;
}

/** Destinations from the options, with the option name of each (to name the right one on an error). */
function destinationsFrom(
  ctx: CommandContext,
  opts: Common,
): { destinations: Destination[]; names: string[] } {
  const format = (opts.string('format') ?? 'embed') as 'embed' | 'markdown';
  const destinations: Destination[] = [];
  const names: string[] = [];
  const postTo = visibleChannel(opts.channel('post_to'))?.id ?? ctx.channelId;
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  const file = opts.string('file');
  // The channel is the default destination; another destination alone replaces it only if post_to is unset.
  if (opts.has('post_to') || !(webhook || email || file)) {
    if (!postTo) throw new ValidationError('post_to', 'expected a channel to post summaries in');
    destinations.push({ type: 'discord_channel', channelId: postTo, format });
    names.push('post_to');
  }
  if (webhook) {
    destinations.push({
      type: 'webhook',
      url: parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks),
    });
    names.push('webhook');
  }
  if (email) {
    destinations.push({ type: 'email', addresses: parseEmails('email', email) });
    names.push('email');
  }
  if (file) {
    destinations.push({ type: 'file', prefix: parseFilePrefix('file', file) });
    names.push('file');
  }
  return { destinations, names };
}

function defaultName(spec: ScheduleSpec): string {
  switch (spec.type) {
    case 'once':
      return `One-time summary ${spec.at.replace('T', ' ')}`;
    case 'every':
      return spec.value === 1
        ? `Summary every ${spec.unit.slice(0, -1)}`
        : `Summary every ${spec.value} ${spec.unit}`;
    case 'cron':
      return 'Cron summary';
    default:
      return `${spec.type[0]?.toUpperCase()}${spec.type.slice(1)} summary at ${spec.time}`;
  }
}

/** `/schedule create <kind>`: validates every option, creates the task, shows it with its next runs. */
export async function createSchedule(
  ctx: CommandContext,
  kind: string,
  opts: OptionReader<CreatePath>,
): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const common = opts as unknown as Common;
  const spec = checkSpec(specFor(kind, opts), (f) => specOptionNames[f] ?? 'expression');
  const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
  const zoneOption = common.string('timezone');
  const timeZone = zoneOption ? parseTimeZone('timezone', zoneOption) : (config?.timeZone ?? 'UTC');
  const channelIds = readableChannels(ctx, common);
  const { destinations, names } = destinationsFrom(ctx, common);
  const name = common.string('name') ?? defaultName(spec);

  let task: Task;
  try {
    task = await ctx.scheduler.createTask({
      guildId,
      kind: 'summary',
      name,
      channelIds,
      schedule: spec,
      timeZone,
      destinations,
      options: summaryOptions(common),
      createdBy: ctx.userId,
    });
  } catch (error) {
    rethrowNamed(error, names);
  }
  const status = await ctx.scheduler.getStatus(guildId, task.id, { runs: 0, nextRuns: 3 });
  const zoneNote =
    zoneOption || config?.timeZone
      ? ''
      : '\n(This server has no time zone set, so UTC was used; see /config timezone.)';
  return ephemeral(
    `Created ✅\n${formatTask(status.task, status.description, status.nextRuns)}${zoneNote}`,
    taskButtons(status.task),
  );
}

const PAGE_SIZE = 10;

function shortSchedule(spec: ScheduleSpec): string {
  switch (spec.type) {
    case 'once':
      return `once ${spec.at.replace('T', ' ')}`;
    case 'daily':
      return `daily ${spec.time}`;
    case 'weekly':
      return `${spec.days.join(',')} ${spec.time}`;
    case 'monthly':
      return `monthly day ${spec.day} ${spec.time}`;
    case 'every':
      return `every ${spec.value} ${spec.unit}`;
    case 'cron':
      return spec.expression; // stored as `cron(...)` already
  }
}

/** One page of the task list, with prev/next buttons when there is more than one page. */
export async function renderTaskList(
  ctx: CommandContext,
  guildId: string,
  page: number,
  channelId?: string,
): Promise<{ content: string; components: ActionRow[] }> {
  const tasks = await ctx.scheduler.listTaskSummaries(guildId, channelId ? { channelId } : undefined);
  if (tasks.length === 0)
    return { content: 'No scheduled summaries yet. Create one with /schedule create.', components: [] };
  const pages = Math.ceil(tasks.length / PAGE_SIZE);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const lines = tasks.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((t) => {
    const next =
      t.nextRunAt && t.state === 'active' ? `, next <t:${Math.floor(Date.parse(t.nextRunAt) / 1000)}:R>` : '';
    return `• **${escapeMarkdown(t.name)}** \`${t.id}\` ${t.state}: ${shortSchedule(t.schedule)} ${t.timeZone}${next}`;
  });
  const filter = channelId ? { channelId } : {};
  const header = `Scheduled summaries (${tasks.length})${pages > 1 ? `, page ${current + 1} of ${pages}` : ''}:`;
  const components: ActionRow[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Previous',
                custom_id: customIdFor({ kind: 'list-page', page: Math.max(current - 1, 0), ...filter }),
                disabled: current === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Next',
                custom_id: customIdFor({ kind: 'list-page', page: current + 1, ...filter }),
                disabled: current >= pages - 1,
              },
            ],
          },
        ]
      : [];
  return { content: [header, ...lines].join('\n'), components };
}

export async function listSchedules(
  ctx: CommandContext,
  opts: OptionReader<'schedule list'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const { content, components } = await renderTaskList(ctx, guildId, 0, opts.channel('channel')?.id);
  return ephemeral(content, components);
}

/** A list page from a button: the same checks, the message replaced in place. */
export async function listPage(ctx: CommandContext, page: number, channelId?: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const { content, components } = await renderTaskList(ctx, guildId, page, channelId);
  return updateMessage(content, components);
}

function formatRun(run: RunRecord): string {
  const delivered = (run.destinations ?? [])
    .map((d) => `${d.type} ${d.status === 'delivered' ? '✅' : '❌'}`)
    .join(', ');
  const detail =
    run.skipReason ?? run.error ?? (run.messageCount !== undefined ? `${run.messageCount} messages` : '');
  return `• ${discordTime(new Date(run.scheduledTime))} ${run.trigger} **${run.status}**${detail ? ` (${detail.slice(0, 120)})` : ''}${delivered ? ` → ${delivered}` : ''}`;
}

/** The status view shared by `/schedule status` and the status button. */
export async function renderStatus(
  ctx: CommandContext,
  guildId: string,
  taskId: string,
): Promise<{ content: string; components: ActionRow[] }> {
  const status = await ctx.scheduler.getStatus(guildId, taskId, { runs: 5, nextRuns: 3 });
  const m = status.task.metadata;
  const lines = [
    formatTask(status.task, status.description, status.nextRuns),
    `Runs: ${m.runCount} (${m.successCount} ok, ${m.failureCount} failed, ${m.skipCount} skipped)${m.consecutiveFailures > 0 ? `, ${m.consecutiveFailures} failures in a row` : ''}`,
  ];
  if (status.recentRuns.length > 0) lines.push('Recent runs:', ...status.recentRuns.map(formatRun));
  return { content: lines.join('\n'), components: taskButtons(status.task) };
}

export async function statusSchedule(
  ctx: CommandContext,
  opts: OptionReader<'schedule status'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, opts.requiredString('task', 'expected a task'));
  const { content, components } = await renderStatus(ctx, guildId, task.id);
  return ephemeral(content, components);
}

/** Pause, resume, run now, cancel (asks first): shared by the commands and the buttons. */
export async function taskAction(
  ctx: CommandContext,
  action: 'pause' | 'resume' | 'run' | 'cancel' | 'status',
  ref: string,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, ref);
  const name = `**${escapeMarkdown(task.name)}**`;
  switch (action) {
    case 'pause': {
      const paused = await ctx.scheduler.pauseTask(guildId, task.id);
      return ephemeral(`Paused ${name}. It will not run until resumed.`, taskButtons(paused));
    }
    case 'resume': {
      const resumed = await ctx.scheduler.resumeTask(guildId, task.id);
      return ephemeral(`Resumed ${name}.`, taskButtons(resumed));
    }
    case 'run': {
      if (!ctx.applicationId || !ctx.interaction.token)
        throw new Error('interaction has no application id or token');
      await ctx.executor.invoke({
        type: 'manual',
        taskId: task.id,
        guildId,
        requestedBy: ctx.userId,
        requestedAt: ctx.now.toISOString(),
        reply: { applicationId: ctx.applicationId, token: ctx.interaction.token },
      });
      return ephemeral(`Started a run of ${name}; this message shows the result when it is done.`);
    }
    case 'cancel':
      return ephemeral(`Delete ${name} \`${task.id}\` and its schedule? This cannot be undone.`, [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Danger,
              label: 'Delete task',
              custom_id: customIdFor({ kind: 'cancel-confirm', taskId: task.id }),
            },
          ],
        },
      ]);
    case 'status': {
      const { content, components } = await renderStatus(ctx, guildId, task.id);
      return ephemeral(content, components);
    }
  }
}

/** The confirm button of a cancel. */
export async function confirmCancel(ctx: CommandContext, taskId: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await ctx.scheduler.getTask(guildId, taskId);
  await ctx.scheduler.cancelTask(guildId, task.id);
  return updateMessage(`Deleted **${escapeMarkdown(task.name)}** \`${task.id}\`.`);
}

/** `/schedule edit`: builds `changes` from the options given; the rest of the task stays as it is. */
export async function editSchedule(ctx: CommandContext, opts: OptionReader<'schedule edit'>): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, opts.requiredString('task', 'expected a task'));
  if (task.kind !== 'summary') throw new ValidationError('task', 'expected a summary task');
  const changes: Record<string, unknown> = {};
  const destinationNames: string[] = [];

  const name = opts.string('name');
  if (name) changes.name = name;
  const zone = opts.string('timezone');
  if (zone) changes.timeZone = parseTimeZone('timezone', zone);

  const schedule = editedSpec(task.schedule, opts);
  if (schedule) changes.schedule = checkSpec(schedule, (f) => specOptionNames[f] ?? 'expression');

  const format = opts.string('format') as 'embed' | 'markdown' | undefined;
  const postTo = visibleChannel(opts.channel('post_to'))?.id;
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  if (format || postTo || webhook || email) {
    const next: Destination[] = [];
    for (const d of task.destinations) {
      if (d.type === 'discord_channel') {
        if (postTo) continue;
        next.push({ ...d, format: format ?? d.format });
        destinationNames.push('post_to');
      } else if ((d.type === 'webhook' && webhook) || (d.type === 'email' && email)) {
        // replaced below
      } else {
        next.push(d);
        destinationNames.push(d.type);
      }
    }
    if (postTo) {
      next.unshift({ type: 'discord_channel', channelId: postTo, format: format ?? 'embed' });
      destinationNames.unshift('post_to');
    }
    if (webhook && webhook.toLowerCase() !== 'none') {
      next.push({ type: 'webhook', url: parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks) });
      destinationNames.push('webhook');
    }
    if (email && email.toLowerCase() !== 'none') {
      next.push({ type: 'email', addresses: parseEmails('email', email) });
      destinationNames.push('email');
    }
    if (next.length === 0)
      throw new ValidationError('webhook', 'a task needs at least one destination; keep one or add post_to');
    changes.destinations = next;
  }

  const options: Partial<SummaryOptions> = {};
  const length = opts.string('length');
  if (length) options.length = length as SummaryOptions['length'];
  const focus = opts.string('focus');
  if (focus) options.focus = focus as SummaryOptions['focus'];
  const min = opts.integer('min_messages');
  if (min !== undefined) options.minMessages = min;
  const lookback = opts.integer('lookback_hours');
  if (lookback !== undefined) {
    options.lookback =
      lookback === 0 ? { mode: 'since_last_run', initialHours: 24 } : { mode: 'fixed', hours: lookback };
  }
  if (Object.keys(options).length > 0) changes.options = options;

  if (Object.keys(changes).length === 0)
    throw new ValidationError('task', 'expected at least one option to change');
  let updated: Task;
  try {
    updated = await ctx.scheduler.updateTask(guildId, task.id, changes, task.version);
  } catch (error) {
    rethrowNamed(error, destinationNames);
  }
  const status = await ctx.scheduler.getStatus(guildId, updated.id, { runs: 0, nextRuns: 3 });
  return ephemeral(
    `Updated ✅\n${formatTask(status.task, status.description, status.nextRuns)}`,
    taskButtons(status.task),
  );
}

function editedSpec(current: ScheduleSpec, opts: OptionReader<'schedule edit'>): ScheduleSpec | undefined {
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

/** `/schedule export`: the guild's tasks as a JSON attachment. */
export async function exportSchedules(ctx: CommandContext): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const data = await ctx.scheduler.exportTasks(guildId);
  const count = Array.isArray((data as { tasks?: unknown }).tasks)
    ? (data as { tasks: unknown[] }).tasks.length
    : undefined;
  return ephemeralWithFile(`Exported ${count ?? 'the'} task${count === 1 ? '' : 's'} of this server.`, {
    name: `summary-bot-tasks-${guildId}.json`,
    contentType: 'application/json',
    content: `${JSON.stringify(data, null, 2)}\n`,
  });
}

/** Attachments larger than this are refused before download. */
export const MAX_IMPORT_BYTES = 1_048_576;
/**
 * Imports run inline: each task is one conditional put and one CreateSchedule, and 25 of them finish well
 * inside Discord's 3 seconds; bigger files go through `summary-bot tasks import`.
 */
export const MAX_IMPORT_TASKS = 25;

/**
 * An import is held to what `/schedule create` enforces: every channel of every entry is in this server,
 * the member can read every source and post in every destination and notice channel.
 */
async function checkImportedChannels(
  ctx: CommandContext,
  guildId: string,
  references: readonly ChannelReference[],
): Promise<void> {
  if (references.length === 0) return;
  const member = ctx.interaction.member;
  if (!member) throw new PermissionError('Schedules are managed inside a server, not in direct messages.');
  if (!ctx.guildReads)
    throw new ConfigError('/schedule import cannot check channels: this runtime has no Discord reads');
  const here = ctx.interaction.channel;
  await checkChannelAccess(references, {
    guildId,
    member: {
      userId: member.user.id,
      roles: member.roles,
      permissions: member.permissions,
      communicationDisabledUntil: member.communication_disabled_until,
    },
    known: new Map(here?.permissions ? [[here.id, here.permissions]] : []),
    reads: ctx.guildReads(),
    now: ctx.now,
  });
}

/** `/schedule import`: validated entry by entry by the scheduler, channels checked here; all or nothing. */
export async function importSchedules(
  ctx: CommandContext,
  opts: OptionReader<'schedule import'>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const file = opts.attachment('file');
  if (!file) throw new ValidationError('file', 'expected a JSON file made by /schedule export');
  if (file.size > MAX_IMPORT_BYTES) throw new ValidationError('file', 'expected a file of at most 1024 KB');
  if (!file.filename.toLowerCase().endsWith('.json'))
    throw new ValidationError('file', 'expected a .json file made by /schedule export');
  const text = await ctx.fetchAttachment(file.url, MAX_IMPORT_BYTES);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ValidationError('file', 'expected a JSON file made by /schedule export');
  }
  const entries = (data as { tasks?: unknown } | null)?.tasks;
  if (Array.isArray(entries) && entries.length > MAX_IMPORT_TASKS) {
    throw new ValidationError(
      'file',
      `expected at most ${MAX_IMPORT_TASKS} tasks per import from Discord; use summary-bot tasks import for more`,
    );
  }
  let imported: Task[];
  try {
    imported = await ctx.scheduler.importTasks(guildId, data, ctx.userId, {
      checkChannels: (references) => checkImportedChannels(ctx, guildId, references),
    });
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError(`file: ${error.field}`, error.expected, { cause: error });
    throw error;
  }
  const lines = imported.slice(0, 20).map((t) => `• **${escapeMarkdown(t.name)}** \`${t.id}\``);
  if (imported.length > 20) lines.push(`… and ${imported.length - 20} more`);
  return ephemeral(
    [`Imported ${imported.length} task${imported.length === 1 ? '' : 's'}.`, ...lines].join('\n'),
  );
}

export type { GuildConfig };
