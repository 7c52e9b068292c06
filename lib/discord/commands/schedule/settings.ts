import { randomBytes } from 'node:crypto';
import { ChannelType } from 'discord-api-types/v10';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../delivery/webhook.ts';
import { ValidationError } from '../../../errors.ts';
import { describeNoticeTarget, noticeTarget } from '../../../execution/notice-target.ts';
import type { TaskChanges } from '../../../scheduling/new-task.ts';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { plural } from '../../../shared/words.ts';
import { languageName } from '../../../summarization/llm/prompt.ts';
import { describeSources } from '../../../tasks/describe.ts';
import type { Destination } from '../../../tasks/destination.ts';
import type { SummaryOptions } from '../../../tasks/summary-options.ts';
import { failureLimitOf, type SummaryTask, type Task } from '../../../tasks/task.ts';
import { DEFAULT_MAX_CHANNELS_PER_TASK, type TaskSource } from '../../../tasks/task-source.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { describeDestination, ephemeral, type Reply } from '../../replies.ts';
import { defineSubcommand, languageOption, readLanguage, S, TEXT_CHANNELS } from '../define.ts';
import { sourcePreview } from './source-preview.ts';
import { digestAudience, linkLines, linkOptions, readAfter, readDigestOf } from './task-links.ts';
import { postableChannel, readTaskRef, taskOption } from './task-options.ts';
import { threadedDestinations } from './thread-destinations.ts';

/**
 * `/schedule settings`: how a task reads, skips and posts, beyond what create and edit offer, in one
 * subcommand. The options of /schedule create are repeated in each of its six kinds, and Discord counts
 * them all against one command's 8,000 characters, so what admins rarely change lives here, once.
 * Without options it shows the task's settings.
 */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'settings',
  description: "Show or change a task's other settings",
  options: [
    taskOption,
    {
      type: S.String,
      name: 'format',
      description: 'How summaries look in Discord',
      choices: [
        { name: 'embed', value: 'embed' },
        { name: 'markdown', value: 'markdown' },
      ],
    },
    { ...languageOption, description: "Language of AI summaries, e.g. de or pt-BR (none: the server's)" },
    {
      type: S.Integer,
      name: 'lookback_hours',
      description: 'Hours each run reads (0: since the last run)',
      min_value: 0,
      max_value: 720,
    },
    {
      type: S.Integer,
      name: 'min_messages',
      description: 'Skip a run with fewer messages than this',
      min_value: 0,
      max_value: 10_000,
    },
    {
      type: S.String,
      name: 'exclude_users',
      description: 'Leave out these members, e.g. @ana @ben (none: nobody)',
      max_length: 2000,
    },
    { type: S.Boolean, name: 'include_bots', description: "Summarize bots' messages too" },
    { type: S.Boolean, name: 'include_threads', description: "Read the channels' threads too" },
    { type: S.Boolean, name: 'quiet_note', description: 'Post a short note when a run is skipped' },
    {
      type: S.Integer,
      name: 'max_messages',
      description: 'Read at most this many messages a run',
      min_value: 1,
      max_value: 50_000,
    },
    {
      type: S.Integer,
      name: 'failure_limit',
      description: 'Turn the task off after this many failed runs in a row (0: default)',
      min_value: 0,
      max_value: 100,
    },
    {
      type: S.Channel,
      name: 'notify_channel',
      description: "Send this task's failure notices here",
      channel_types: TEXT_CHANNELS,
    },
    { type: S.Boolean, name: 'thread', description: "Start a new thread for each run's digest" },
    {
      type: S.String,
      name: 'scope',
      description: 'Read the whole server, or the channels the task names',
      choices: [
        { name: 'whole server', value: 'server' },
        { name: 'its channels', value: 'channels' },
      ],
    },
    ...linkOptions,
    {
      type: S.String,
      name: 'webhook_secret',
      description: 'Sign webhook deliveries with a new secret, shown once',
      choices: [
        { name: 'new secret', value: 'new' },
        { name: 'stop signing', value: 'none' },
      ],
    },
  ],
});

type SettingsReader = OptionReader<OptionsIn<typeof definition>>;

const MENTION_OR_ID = /^(?:<@!?(\d{17,20})>|(\d{17,20}))$/;

/** Members from `@ana @ben` as Discord sends typed mentions (`<@123>`), or ids; `none` is nobody. */
function parseUsers(text: string): string[] {
  if (text.toLowerCase() === 'none') return [];
  const ids: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    const match = MENTION_OR_ID.exec(part);
    const id = match?.[1] ?? match?.[2];
    if (!id)
      throw new ValidationError(
        'exclude_users',
        `expected members as mentions (@ana) or ids; "${part.slice(0, 40)}" is neither`,
      );
    ids.push(id);
  }
  if (ids.length === 0) throw new ValidationError('exclude_users', 'expected members as mentions, or none');
  if (ids.length > 100) throw new ValidationError('exclude_users', 'expected at most 100 members');
  return [...new Set(ids)];
}

/** A webhook signing secret: 32 random bytes, URL-safe (43 characters). */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The webhook destinations with a new secret each (returned beside them) or without their secrets. */
function resignedWebhooks(
  destinations: readonly Destination[],
  how: 'new' | 'none',
): { destinations: Destination[]; secrets: { url: string; secret: string }[] } {
  const secrets: { url: string; secret: string }[] = [];
  const next = destinations.map((d): Destination => {
    if (d.type !== 'webhook') return d;
    const { secret: _old, ...rest } = d;
    if (how === 'none') return rest;
    const secret = newSecret();
    secrets.push({ url: d.url, secret });
    return { ...rest, secret };
  });
  return { destinations: next, secrets };
}

/** `/schedule settings`: applies the options given and shows every setting of the task as it is now. */
export async function handle(ctx: CommandContext, opts: SettingsReader): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, readTaskRef(opts));
  const changes: TaskChanges = {};
  const options: Partial<SummaryOptions> = {};

  const summaryOnly = [
    'format',
    'language',
    'lookback_hours',
    'min_messages',
    'exclude_users',
    'include_bots',
    'include_threads',
    'quiet_note',
    'max_messages',
    'digest_of',
    'after',
    'scope',
  ] as const;
  const forSummaries = summaryOnly.find((name) => opts.has(name));
  if (forSummaries && task.kind !== 'summary')
    throw new ValidationError(forSummaries, 'applies to summary tasks; this is a cleanup task');
  const languageText = opts.string('language');
  if (languageText?.toLowerCase() === 'none') options.language = undefined;
  else if (languageText !== undefined) options.language = readLanguage(opts);
  const lookback = opts.integer('lookback_hours');
  if (lookback !== undefined) {
    options.lookback =
      lookback === 0 ? { mode: 'since_last_run', initialHours: 24 } : { mode: 'fixed', hours: lookback };
  }
  const min = opts.integer('min_messages');
  if (min !== undefined) options.minMessages = min;
  const excluded = opts.string('exclude_users');
  if (excluded !== undefined) options.excludedUserIds = parseUsers(excluded);
  const includeBots = opts.boolean('include_bots');
  if (includeBots !== undefined) options.includeBots = includeBots;
  const includeThreads = opts.boolean('include_threads');
  if (includeThreads !== undefined) options.includeThreads = includeThreads;
  const quiet = opts.boolean('quiet_note');
  if (quiet !== undefined) options.postWhenQuiet = quiet;
  const max = opts.integer('max_messages');
  if (max !== undefined) options.maxMessages = max;
  if (Object.keys(options).length > 0) changes.options = options;

  const digestOf = opts.string('digest_of');
  if (digestOf !== undefined) changes.digestOf = await readDigestOf(ctx, guildId, digestOf);
  const after = opts.string('after');
  if (after !== undefined) changes.after = await readAfter(ctx, guildId, after);

  const scope = opts.string('scope');
  if (scope !== undefined && task.kind === 'summary') changes.source = await readScope(ctx, task, scope);

  const limit = opts.integer('failure_limit');
  if (limit !== undefined) changes.failureLimit = limit === 0 ? null : limit;
  const notify = postableChannel(opts.channel('notify_channel'));
  if (notify) changes.notifyChannelId = notify.id;

  const format = opts.string('format');
  if (format === 'embed' || format === 'markdown') {
    if (!task.destinations.some((d) => d.type === 'discord_channel'))
      throw new ValidationError(
        'format',
        'this task posts in no Discord channel; add one with /schedule edit post_to:',
      );
    changes.destinations = task.destinations.map((d) =>
      d.type === 'discord_channel' ? { ...d, format } : d,
    );
  } else if (format !== undefined) {
    throw new ValidationError('format', 'expected embed or markdown');
  }

  const thread = opts.boolean('thread');
  if (thread !== undefined)
    changes.destinations = await threadedDestinations(
      ctx,
      guildId,
      changes.destinations ?? task.destinations,
      thread,
    );

  const signing = opts.string('webhook_secret');
  let secrets: { url: string; secret: string }[] = [];
  if (signing === 'new' || signing === 'none') {
    if (!task.destinations.some((d) => d.type === 'webhook'))
      throw new ValidationError(
        'webhook_secret',
        'this task delivers to no webhook; add one with /schedule edit webhook:',
      );
    const resigned = resignedWebhooks(changes.destinations ?? task.destinations, signing);
    changes.destinations = resigned.destinations;
    secrets = resigned.secrets;
  } else if (signing !== undefined) {
    throw new ValidationError('webhook_secret', 'expected new or none');
  }

  // The audience rule for a digest of digests: its lines come from its sources' channels.
  const audienceNotes =
    changes.digestOf && task.kind === 'summary'
      ? await digestAudience(ctx, guildId, changes.digestOf, changes.destinations ?? task.destinations, task)
      : [];

  const changed = Object.keys(changes).length > 0;
  const current = changed ? await ctx.scheduler.updateTask(guildId, task.id, changes, task.version) : task;
  const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
  const lines = [
    `${changed ? 'Updated ✅ ' : ''}Settings of **${escapeMarkdown(current.name)}** \`${current.id}\`:`,
    ...settingLines(
      current,
      ctx.failureLimit,
      config?.notifyChannelId,
      config?.maxChannelsPerTask ?? DEFAULT_MAX_CHANNELS_PER_TASK,
    ),
    ...audienceNotes.map((note) => `• Digests of tasks reading these are left out: ${note}`),
  ];
  if (changes.source !== undefined && current.kind === 'summary')
    lines.push(...(await sourcePreview(ctx, current, config?.maxChannelsPerTask)).map((line) => `• ${line}`));
  // Subscribers are sent a digest of the channels they can read; a digest of digests reads no channels.
  const subscribers = task.kind === 'summary' ? (task.subscribers?.length ?? 0) : 0;
  if (changes.digestOf && subscribers > 0)
    lines.push(
      `⚠️ Its ${plural(subscribers, 'subscriber')} ${subscribers === 1 ? 'gets' : 'get'} no direct message while it digests other tasks; they can /subscribe to the tasks it digests instead.`,
    );
  for (const { url, secret } of secrets) {
    lines.push(
      `Signing secret for the ${describeDestination({ type: 'webhook', url })}: \`${secret}\``,
      `Shown only this once: keep it with your receiver. Each delivery carries \`${TIMESTAMP_HEADER}\` and \`${SIGNATURE_HEADER}: sha256=<HMAC-SHA256 of "<timestamp>.<body>">\`.`,
    );
  }
  return ephemeral(lines.join('\n'));
}

/**
 * `scope:server` reads every channel of the server at each run; `scope:channels` the task's own channels
 * again (a category's channels when they are a category, as create stored it).
 */
async function readScope(ctx: CommandContext, task: SummaryTask, scope: string): Promise<TaskSource> {
  if (task.digestOf)
    throw new ValidationError('scope', 'a task that digests other tasks reads their digests, not channels');
  if (scope === 'server') return 'server';
  if (scope !== 'channels') throw new ValidationError('scope', 'expected server or channels');
  if (task.source !== 'server') return task.source ?? 'channel';
  const first = task.channelIds[0];
  const channel = first ? await ctx.guildReads?.().channel(first) : undefined;
  return channel?.type === ChannelType.GuildCategory ? 'category' : 'channel';
}

/** Every setting of a task in words, one line each. */
function settingLines(
  task: Task,
  deploymentLimit: number,
  serverNotify: string | undefined,
  channelLimit: number,
): string[] {
  const lines: string[] = [];
  if (task.kind === 'summary') {
    const o = task.options;
    const formats = [
      ...new Set(task.destinations.flatMap((d) => (d.type === 'discord_channel' ? [d.format] : []))),
    ];
    if (formats.length > 0)
      lines.push(
        `• Posts in Discord as ${formats.map((f) => (f === 'embed' ? 'an embed' : 'markdown')).join(' and ')}`,
      );
    for (const d of task.destinations)
      if (d.type === 'discord_channel' && d.thread)
        lines.push(`• Each run starts a new thread in <#${d.channelId}>, named after the hours it covers`);
    lines.push(
      `• Reads ${describeSources(task)}${task.source === 'server' || task.source === 'category' ? `: every text channel and active thread the bot can read there at each run, the most recently active ${channelLimit} at most, one section each; a channel not everyone who sees the digest can read is left out and named` : ''}`,
      `• Language of AI summaries: ${o.language ? languageName(o.language) : "the server's"}`,
      `• Each run reads ${windowWords(o.lookback)}`,
      `• ${quietWords(o.minMessages, o.postWhenQuiet)}`,
      `• Members left out: ${o.excludedUserIds.length > 0 ? o.excludedUserIds.map((id) => `<@${id}>`).join(', ') : 'nobody'}`,
      `• Bots' messages: ${o.includeBots ? 'included' : 'left out'}`,
      `• Threads: ${o.includeThreads ? 'read' : 'not read'}`,
      `• Reads at most ${o.maxMessages.toLocaleString('en-US')} ${o.maxMessages === 1 ? 'message' : 'messages'} a run`,
      ...linkLines(task),
    );
  }
  const limit = failureLimitOf(task, deploymentLimit);
  lines.push(
    `• Turned off after ${plural(limit, 'failed run')} in a row${task.failureLimit === undefined ? " (this bot's default)" : ''}`,
    `• Failure notices go to ${describeNoticeTarget(noticeTarget(task, serverNotify))}`,
  );
  const webhooks = task.destinations.filter((d) => d.type === 'webhook');
  if (webhooks.length > 0) {
    const signed = webhooks.filter((d) => d.type === 'webhook' && d.secret).length;
    lines.push(
      `• Webhook deliveries: ${signed === webhooks.length ? 'signed' : signed === 0 ? 'not signed' : `${signed} of ${webhooks.length} signed`}`,
    );
  }
  return lines;
}

/** What a run reads, in words. */
function windowWords(lookback: SummaryOptions['lookback']): string {
  if (lookback.mode === 'fixed') return `the last ${plural(lookback.hours, 'hour')}`;
  return `what is new since the last run (the first run: the last ${plural(lookback.initialHours, 'hour')})`;
}

/** When a run is skipped, and what it then posts. */
function quietWords(minMessages: number, postWhenQuiet: boolean): string {
  if (minMessages === 0) return 'A run posts a summary even with no new messages';
  const skipped = minMessages === 1 ? 'no new messages' : `fewer than ${plural(minMessages, 'new message')}`;
  return `A run with ${skipped} is skipped and ${postWhenQuiet ? 'posts a short quiet-period note' : 'posts nothing'}`;
}
