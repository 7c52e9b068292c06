import {
  type APIApplicationCommandBasicOption,
  type ApplicationCommandOptionAllowedChannelType,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';

/**
 * The slash commands, defined once. The router, the option parser's types and `register-commands` all
 * read these definitions. `const` inference keeps every name a literal type.
 */
function defineCommand<const T extends RESTPostAPIChatInputApplicationCommandsJSONBody>(command: T): T {
  return command;
}

function defineOptions<const T extends APIApplicationCommandBasicOption[]>(options: T): T {
  return options;
}

const S = ApplicationCommandOptionType;
const TEXT_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
  ChannelType.GuildVoice,
  ChannelType.GuildForum,
];

const manageServer = PermissionFlagsBits.ManageGuild.toString();
const guildOnly = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

const lengthChoices = [
  { name: 'brief', value: 'brief' },
  { name: 'detailed', value: 'detailed' },
  { name: 'comprehensive', value: 'comprehensive' },
];
const focusChoices = [
  { name: 'general', value: 'general' },
  { name: 'developer', value: 'developer' },
  { name: 'executive', value: 'executive' },
];
const formatChoices = [
  { name: 'embed', value: 'embed' },
  { name: 'markdown', value: 'markdown' },
];

const time = {
  type: S.String,
  name: 'time',
  description: 'Time of day, 24-hour HH:MM (e.g. 09:30)',
  required: true,
  min_length: 4,
  max_length: 5,
} as const;
const taskOption = {
  type: S.String,
  name: 'task',
  description: 'The task (name or id)',
  required: true,
  autocomplete: true,
  max_length: 100,
} as const;

/** Options every `/schedule create <kind>` shares (all optional, so they follow the required ones). */
/** How a summary looks and when a run is skipped: the same options on create and edit. */
const summaryStyle = defineOptions([
  { type: S.String, name: 'format', description: 'Discord message format', choices: formatChoices },
  { type: S.String, name: 'length', description: 'Summary length', choices: lengthChoices },
  { type: S.String, name: 'focus', description: 'Summary focus', choices: focusChoices },
  {
    type: S.Integer,
    name: 'min_messages',
    description: 'Skip a run with fewer messages',
    min_value: 0,
    max_value: 10_000,
  },
]);

const createCommon = defineOptions([
  { type: S.String, name: 'name', description: 'A name for the task', max_length: 100 },
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
    description: 'Another channel to include',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.Channel,
    name: 'channel3',
    description: 'A third channel to include',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.String,
    name: 'timezone',
    description: "IANA time zone (default: the server's)",
    autocomplete: true,
    max_length: 50,
  },
  {
    type: S.Channel,
    name: 'post_to',
    description: 'Deliver to this channel (default: this one)',
    channel_types: TEXT_CHANNELS,
  },
  {
    type: S.String,
    name: 'webhook',
    description: 'Also deliver to this https:// webhook URL',
    max_length: 2048,
  },
  {
    type: S.String,
    name: 'email',
    description: 'Also e-mail these addresses (comma-separated)',
    max_length: 1000,
  },
  {
    type: S.String,
    name: 'file',
    description: 'Also write a file under this folder (e.g. summaries/weekly)',
    max_length: 200,
  },
  ...summaryStyle,
  {
    type: S.Integer,
    name: 'lookback_hours',
    description: 'Read a fixed window of hours (default: since the last run)',
    min_value: 1,
    max_value: 720,
  },
]);

export const summarizeCommand = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'summarize',
  description: 'Summarize a channel now (only you see it unless public is set)',
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
  options: [
    {
      type: S.Channel,
      name: 'channel',
      description: 'Channel to summarize (default: this one)',
      channel_types: TEXT_CHANNELS,
    },
    {
      type: S.Integer,
      name: 'hours',
      description: 'Summarize the last N hours (1-720, default 24)',
      min_value: 1,
      max_value: 720,
    },
    {
      type: S.String,
      name: 'since',
      description: "Start: ISO time or YYYY-MM-DD HH:MM in the server's zone",
      max_length: 40,
    },
    { type: S.String, name: 'length', description: 'Summary length', choices: lengthChoices },
    { type: S.String, name: 'focus', description: 'Summary focus', choices: focusChoices },
    { type: S.Boolean, name: 'public', description: 'Post the summary for everyone in the channel' },
  ],
});

export const scheduleCommand = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'schedule',
  description: 'Manage scheduled summaries',
  default_member_permissions: manageServer,
  ...guildOnly,
  options: [
    {
      type: S.SubcommandGroup,
      name: 'create',
      description: 'Create a scheduled summary',
      options: [
        {
          type: S.Subcommand,
          name: 'once',
          description: 'Run once at a date and time',
          options: [
            {
              type: S.String,
              name: 'date',
              description: 'Date YYYY-MM-DD',
              required: true,
              min_length: 10,
              max_length: 10,
            },
            time,
            ...createCommon,
          ],
        },
        { type: S.Subcommand, name: 'daily', description: 'Run every day', options: [time, ...createCommon] },
        {
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
        },
        {
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
        },
        {
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
            {
              type: S.String,
              name: 'unit',
              description: 'Unit',
              required: true,
              choices: [
                { name: 'minutes', value: 'minutes' },
                { name: 'hours', value: 'hours' },
                { name: 'days', value: 'days' },
              ],
            },
            ...createCommon,
          ],
        },
        {
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
        },
      ],
    },
    {
      type: S.Subcommand,
      name: 'list',
      description: "List this server's scheduled summaries",
      options: [
        {
          type: S.Channel,
          name: 'channel',
          description: 'Only tasks for this channel',
          channel_types: TEXT_CHANNELS,
        },
      ],
    },
    {
      type: S.Subcommand,
      name: 'status',
      description: 'Show a task, its next runs and recent runs',
      options: [taskOption],
    },
    { type: S.Subcommand, name: 'pause', description: 'Pause a task', options: [taskOption] },
    { type: S.Subcommand, name: 'resume', description: 'Resume a paused task', options: [taskOption] },
    { type: S.Subcommand, name: 'run', description: 'Run a task now', options: [taskOption] },
    {
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
        {
          type: S.String,
          name: 'unit',
          description: 'New unit (every)',
          choices: [
            { name: 'minutes', value: 'minutes' },
            { name: 'hours', value: 'hours' },
            { name: 'days', value: 'days' },
          ],
        },
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
    },
    {
      type: S.Subcommand,
      name: 'cancel',
      description: 'Delete a task (asks to confirm)',
      options: [taskOption],
    },
    { type: S.Subcommand, name: 'export', description: "Export this server's tasks as a JSON file" },
    {
      type: S.Subcommand,
      name: 'import',
      description: 'Import tasks from a JSON export (all or nothing)',
      options: [
        { type: S.Attachment, name: 'file', description: 'A file made by /schedule export', required: true },
      ],
    },
  ],
});

export const configCommand = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'config',
  description: "This server's defaults for scheduled summaries",
  default_member_permissions: manageServer,
  ...guildOnly,
  options: [
    {
      type: S.Subcommand,
      name: 'timezone',
      description: 'Default time zone for new tasks',
      options: [
        {
          type: S.String,
          name: 'zone',
          description: 'IANA time zone',
          required: true,
          autocomplete: true,
          max_length: 50,
        },
      ],
    },
    {
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
    },
    {
      type: S.Subcommand,
      name: 'manager-role',
      description: 'A role that may manage schedules without Manage Server (omit to clear)',
      options: [{ type: S.Role, name: 'role', description: 'The manager role' }],
    },
    { type: S.Subcommand, name: 'show', description: "Show this server's settings" },
  ],
});

/** Every command, in the body shape of the bulk-overwrite endpoint. */
export const commands = [
  summarizeCommand,
  scheduleCommand,
  configCommand,
] satisfies RESTPutAPIApplicationCommandsJSONBody;

type Commands = typeof commands;
type Opt = { type: ApplicationCommandOptionType; name: string; options?: readonly Opt[] };

type PathsOf<Prefix extends string, O> = O extends {
  type: ApplicationCommandOptionType.SubcommandGroup;
  name: infer N extends string;
  options: readonly (infer Sub)[];
}
  ? PathsOf<`${Prefix} ${N}`, Sub>
  : O extends { type: ApplicationCommandOptionType.Subcommand; name: infer N extends string }
    ? `${Prefix} ${N}`
    : never;

type CommandPaths<C> = C extends { name: infer N extends string; options?: readonly (infer O)[] }
  ? [PathsOf<N, O>] extends [never]
    ? N
    : PathsOf<N, O>
  : never;

/** Every invocable path: `summarize`, `schedule create daily`, `config show`, ... */
export type CommandPath = CommandPaths<Commands[number]>;

type Find<O, Name extends string> = O extends { name: Name } ? O : never;
type LeafOptions<O, Rest extends string> = Rest extends `${infer Head} ${infer Tail}`
  ? O extends { options?: readonly (infer Child)[] }
    ? LeafOptions<Find<Child, Head>, Tail>
    : never
  : O extends { options?: readonly (infer Child)[] }
    ? Find<Child, Rest> extends { options?: readonly (infer Leaf)[] }
      ? Leaf
      : never
    : never;

type ValueOptions<C, P extends string> = P extends `${infer Root} ${infer Rest}`
  ? LeafOptions<Find<C, Root>, Rest>
  : Find<C, P> extends { options?: readonly (infer Leaf)[] }
    ? Leaf
    : never;

/** The value options a command path accepts, with their option types. */
export type OptionsOf<P extends CommandPath> = Extract<ValueOptions<Commands[number], P>, Opt>;
/** The option names a command path accepts. */
export type OptionNameOf<P extends CommandPath> = OptionsOf<P>['name'];
