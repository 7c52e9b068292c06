import { ChannelType } from 'discord-api-types/v10';
import type { KeysOf, OptionReader } from '../../options.ts';
import { defineGroup, defineOptions, defineSubcommand, S, TEXT_CHANNELS, unitChoices } from '../define.ts';
import * as cleanup from './create-cleanup.ts';
import { includePrivateOption, summaryStyle } from './task-options.ts';

/** The definition of `/schedule create`: the options its six kinds of schedule share, and the kinds. */
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
    description: 'Channel or category to summarize (default: this one)',
    // A category: every channel in it, expanded at each run.
    channel_types: [...TEXT_CHANNELS, ChannelType.GuildCategory],
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

export const once = defineSubcommand({
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

export const daily = defineSubcommand({
  type: S.Subcommand,
  name: 'daily',
  description: 'Run every day',
  options: [time, ...createCommon],
});

export const weekly = defineSubcommand({
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

export const monthly = defineSubcommand({
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

export const every = defineSubcommand({
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

export const cron = defineSubcommand({
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

/** A reader of the options every kind shares. */
export type CommonReader = OptionReader<KeysOf<(typeof createCommon)[number]>>;
