import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type ApplicationCommandOptionAllowedChannelType,
  ApplicationCommandOptionType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import { ValidationError } from '../../errors.ts';
import { canonicalLanguage } from '../../tasks/language.ts';

/**
 * Helpers for writing command definitions. `const` inference keeps every name a literal type, so the
 * router, the option readers and `register-commands` all derive their types from the definitions.
 */
export function defineCommand<const T extends RESTPostAPIChatInputApplicationCommandsJSONBody>(
  command: T,
): T {
  return command;
}

/** A subcommand definition, kept literal. */
export function defineSubcommand<const T extends APIApplicationCommandSubcommandOption>(subcommand: T): T {
  return subcommand;
}

/** A subcommand group definition, kept literal. */
export function defineGroup<const T extends APIApplicationCommandSubcommandGroupOption>(group: T): T {
  return group;
}

/** A list of value options, kept literal (to spread into several subcommands). */
export function defineOptions<const T extends APIApplicationCommandBasicOption[]>(options: T): T {
  return options;
}

/** The option type enum, short: `S.String`, `S.Channel`. */
export const S = ApplicationCommandOptionType;

/** Channels a summary can read or post in. */
export const TEXT_CHANNELS: ApplicationCommandOptionAllowedChannelType[] = [
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
  ChannelType.GuildVoice,
  ChannelType.GuildForum,
];

/** `default_member_permissions` of the management commands. */
export const manageServer = PermissionFlagsBits.ManageGuild.toString();

/** Management commands exist only in servers the bot is installed in. */
export const guildOnly = {
  contexts: [InteractionContextType.Guild],
  integration_types: [ApplicationIntegrationType.GuildInstall],
};

/** Summary length choices (`/summarize`, `/schedule create`, `/schedule edit`). */
export const lengthChoices = [
  { name: 'brief', value: 'brief' },
  { name: 'detailed', value: 'detailed' },
  { name: 'comprehensive', value: 'comprehensive' },
];

/** The `language` option of `/summarize` and the task commands: what an LLM writes the summary in. */
export const languageOption = {
  type: ApplicationCommandOptionType.String,
  name: 'language',
  description: "Language of AI summaries, e.g. de or pt-BR (default: the server's)",
  max_length: 35,
} as const;

/** The `language` option given, canonical (`pt-br` is `pt-BR`); refused naming the option when unknown. */
export function readLanguage(opts: { string(name: 'language'): string | undefined }): string | undefined {
  const given = opts.string('language');
  if (given === undefined) return undefined;
  const language = canonicalLanguage(given);
  if (!language) throw new ValidationError('language', 'a language tag such as en, de, fr or pt-BR');
  return language;
}

/** Summary focus choices. */
export const focusChoices = [
  { name: 'general', value: 'general' },
  { name: 'developer', value: 'developer' },
  { name: 'executive', value: 'executive' },
  { name: 'support', value: 'support' },
  { name: 'moderation', value: 'moderation' },
  { name: 'community', value: 'community' },
];

/** Units of an `every` schedule. */
export const unitChoices = [
  { name: 'minutes', value: 'minutes' },
  { name: 'hours', value: 'hours' },
  { name: 'days', value: 'days' },
];
