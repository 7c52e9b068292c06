import { ApplicationCommandType } from 'discord-api-types/v10';
import { ValidationError } from '../../errors.ts';
import { escapeMarkdown } from '../../shared/markdown.ts';
import { DailyTokenBudget } from '../../tasks/guild-config.ts';
import { SUMMARY_STYLE_MAX, summaryStyleProblem } from '../../tasks/summary-style.ts';
import { DEFAULT_MAX_CHANNELS_PER_TASK, MAX_CHANNELS_PER_TASK } from '../../tasks/task-source.ts';
import type { CommandContext } from '../context.ts';
import { requireManager, requireServerManager } from '../guards.ts';
import { describeNow } from '../input/date.ts';
import type { OptionReader, OptionsIn } from '../options.ts';
import { ephemeral, type Reply } from '../replies.ts';
import { defineCommand, defineSubcommand, guildOnly, manageServer, S, TEXT_CHANNELS } from './define.ts';
import { noteLines, readZone } from './typed-input.ts';

const timezone = defineSubcommand({
  type: S.Subcommand,
  name: 'timezone',
  description: 'Default time zone for new tasks',
  options: [
    // Named like /schedule create's and edit's option, so the same word sets a zone everywhere.
    {
      type: S.String,
      name: 'timezone',
      description: 'Time zone: a city, country or IANA name (e.g. Berlin, Europe/Berlin)',
      required: true,
      autocomplete: true,
      max_length: 50,
    },
  ],
});

const notifyChannel = defineSubcommand({
  type: S.Subcommand,
  name: 'notify-channel',
  description: 'Where failure notices go (omit to clear)',
  options: [
    {
      type: S.Channel,
      name: 'channel',
      description: 'Channel for notices',
      channel_types: TEXT_CHANNELS,
    },
  ],
});

const managerRole = defineSubcommand({
  type: S.Subcommand,
  name: 'manager-role',
  description: 'A role that may manage schedules without Manage Server (omit to clear)',
  options: [{ type: S.Role, name: 'role', description: 'The manager role' }],
});

const llmBudget = defineSubcommand({
  type: S.Subcommand,
  name: 'llm-budget',
  description: 'LLM tokens this server may spend on summaries per day (omit for the default)',
  options: [
    {
      type: S.Integer,
      name: 'tokens',
      description: 'Tokens per UTC day, scheduled runs and /summarize together; 0 turns LLM summaries off',
      min_value: 0,
      max_value: 1_000_000_000,
    },
  ],
});

const summaryStyle = defineSubcommand({
  type: S.Subcommand,
  name: 'summary-style',
  description: 'How AI summaries should read, as a preference (omit to clear)',
  options: [
    {
      type: S.String,
      name: 'text',
      description: 'e.g. Short bullet points, friendly tone, who decided what',
      max_length: SUMMARY_STYLE_MAX,
    },
  ],
});

const channelLimit = defineSubcommand({
  type: S.Subcommand,
  name: 'channel-limit',
  description: 'Most channels a category or whole-server task reads a run (omit for the default)',
  options: [
    {
      type: S.Integer,
      name: 'channels',
      description: 'The most recently active are read; the digest names those cut',
      min_value: 1,
      max_value: MAX_CHANNELS_PER_TASK,
    },
  ],
});

const tokens = new Intl.NumberFormat('en-US');

const show = defineSubcommand({
  type: S.Subcommand,
  name: 'show',
  description: "Show this server's settings",
});

/** `/config`: this server's defaults for scheduled summaries. */
export const definition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'config',
  description: "This server's defaults for scheduled summaries",
  default_member_permissions: manageServer,
  ...guildOnly,
  options: [timezone, notifyChannel, managerRole, llmBudget, summaryStyle, channelLimit, show],
});

/** A style note as the reply shows it: quoted, its Markdown shown as typed. */
function quoted(style: string): string {
  return `“${escapeMarkdown(style)}”`;
}

/** The handler of each `/config` subcommand. */
export const handlers = {
  /** `/config timezone`: the default zone for new tasks and for `/summarize since:`. */
  async timezone(ctx: CommandContext, opts: OptionReader<OptionsIn<typeof timezone>>): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const { value: zone, notes } = readZone(
      'timezone',
      opts.requiredString('timezone', 'expected a time zone such as Europe/Berlin'),
      ctx.now,
    );
    await ctx.scheduler.updateGuildConfig(guildId, { timeZone: zone });
    return ephemeral(
      `New tasks in this server now use **${zone}** unless told otherwise (it is now ${describeNow(zone, ctx.now)}). Existing tasks keep their zone.${noteLines(notes)}`,
    );
  },

  /** `/config notify-channel`: where failure notices go; without a channel, clears it. */
  async 'notify-channel'(
    ctx: CommandContext,
    opts: OptionReader<OptionsIn<typeof notifyChannel>>,
  ): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const channelId = opts.channel('channel')?.id;
    await ctx.scheduler.updateGuildConfig(guildId, { notifyChannelId: channelId ?? null });
    return ephemeral(
      channelId ? `Failure notices go to <#${channelId}>.` : 'Failure notices channel cleared.',
    );
  },

  /** `/config manager-role`: members with this role may manage schedules; without a role, clears it. */
  async 'manager-role'(
    ctx: CommandContext,
    opts: OptionReader<OptionsIn<typeof managerRole>>,
  ): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const roleId = opts.role('role');
    await ctx.scheduler.updateGuildConfig(guildId, { managerRoleId: roleId ?? null });
    return ephemeral(
      roleId
        ? `Members with <@&${roleId}> may now manage schedules. Discord still hides /schedule from them unless you allow it under Server Settings → Integrations.`
        : 'Manager role cleared: only members with Manage Server manage schedules.',
    );
  },

  /**
   * `/config llm-budget`: the server's own daily LLM token budget; without a number, back to the
   * deployment's default (`LLM_DAILY_TOKEN_BUDGET`). The executor checks it before every model call.
   */
  async 'llm-budget'(ctx: CommandContext, opts: OptionReader<OptionsIn<typeof llmBudget>>): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const budget = opts.integer('tokens');
    if (budget !== undefined && !DailyTokenBudget.safeParse(budget).success) {
      throw new ValidationError('tokens', 'a whole number of tokens from 0 to 1,000,000,000');
    }
    await ctx.scheduler.updateGuildConfig(guildId, { llmDailyTokenBudget: budget ?? null });
    if (budget === undefined) {
      return ephemeral("LLM token budget cleared: this server uses the deployment's default again.");
    }
    if (budget === 0) {
      return ephemeral(
        'LLM summaries are off for this server: every summary is made by the built-in extractive summarizer.',
      );
    }
    return ephemeral(
      `This server may now spend **${tokens.format(budget)} LLM tokens a day** (UTC) on summaries, scheduled runs and /summarize together. Past it, summaries are made by the built-in extractive summarizer and say so.`,
    );
  },

  /**
   * `/config summary-style`: the server's style note for LLM summaries (at most 300 characters, one line,
   * no mentions, no links); without text, clears it. The LLM summarizer quotes it to the model as a
   * preference its rules outrank (lib/summarization/llm/prompt.ts); the extractive summarizer ignores it.
   */
  async 'summary-style'(
    ctx: CommandContext,
    opts: OptionReader<OptionsIn<typeof summaryStyle>>,
  ): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const text = opts.string('text');
    if (text === undefined) {
      await ctx.scheduler.updateGuildConfig(guildId, { summaryStyle: null });
      return ephemeral('Summary style cleared: AI summaries use their usual style.');
    }
    const problem = summaryStyleProblem(text);
    if (problem) throw new ValidationError('text', problem);
    const config = await ctx.scheduler.updateGuildConfig(guildId, { summaryStyle: text });
    const lines = [
      `AI summaries in this server now take this style as a preference: ${quoted(config.summaryStyle ?? text)}`,
      'It shapes tone and emphasis only: what a digest contains, its links and its safety rules stay as they are.',
    ];
    if (!ctx.llmSummaries)
      lines.push(
        'This bot has no AI summarizer configured, so its summaries come from the built-in extractive summarizer, which does not use a style; it applies once an AI summarizer is set up.',
      );
    return ephemeral(lines.join('\n'));
  },

  /**
   * `/config channel-limit`: how many channels a category or whole-server task reads a run (the most
   * recently active; the digest names the rest); without a number, back to the default.
   */
  async 'channel-limit'(
    ctx: CommandContext,
    opts: OptionReader<OptionsIn<typeof channelLimit>>,
  ): Promise<Reply> {
    const { guildId } = requireServerManager(ctx);
    const limit = opts.integer('channels');
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANNELS_PER_TASK))
      throw new ValidationError('channels', `a whole number of channels from 1 to ${MAX_CHANNELS_PER_TASK}`);
    await ctx.scheduler.updateGuildConfig(guildId, { maxChannelsPerTask: limit ?? null });
    return ephemeral(
      `A category or whole-server task now reads at most **${limit ?? DEFAULT_MAX_CHANNELS_PER_TASK} channels** a run${limit === undefined ? ' (the default)' : ''}: the most recently active, and its digest names those cut.`,
    );
  },

  /** `/config show`. */
  async show(ctx: CommandContext): Promise<Reply> {
    const { guildId } = await requireManager(ctx);
    const config = await ctx.scheduler.getGuildConfig(guildId);
    return ephemeral(
      [
        'Settings of this server:',
        `• Time zone: ${config?.timeZone ?? 'not set (UTC)'}`,
        `• Failure notices: ${config?.notifyChannelId ? `<#${config.notifyChannelId}>` : "not set, so each task's notices go where it posts (or, if it posts nowhere in Discord, to the admin who created it as a direct message)"}`,
        `• Manager role: ${config?.managerRoleId ? `<@&${config.managerRoleId}>` : 'not set (Manage Server only)'}`,
        `• LLM token budget: ${config?.llmDailyTokenBudget !== undefined ? `${tokens.format(config.llmDailyTokenBudget)} tokens a day` : "not set (the deployment's default)"}`,
        `• Summary style: ${config?.summaryStyle ? quoted(config.summaryStyle) : 'not set'}`,
        `• Channels a category or whole-server task reads a run: ${config?.maxChannelsPerTask ?? `${DEFAULT_MAX_CHANNELS_PER_TASK} (the default)`}`,
      ].join('\n'),
    );
  },
} satisfies Record<(typeof definition.options)[number]['name'], unknown>;
