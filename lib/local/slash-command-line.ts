import { randomBytes } from 'node:crypto';
import {
  type APIApplicationCommandOption,
  type APIAttachment,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import { commands } from '../discord/commands/index.ts';
import { ValidationError } from '../errors.ts';
import { snowflakeFromTime } from '../shared/snowflake.ts';
import { leadingWords, splitOptions } from './slash-line-text.ts';

/**
 * Turns what a person types in Discord's message box (`/schedule create daily channel:#general
 * time:09:00`) into the interaction Discord would send the bot: subcommands nested as options, values
 * typed from the command definitions, channel mentions resolved with the member's permissions. Pure: the
 * CLI signs and sends the result.
 */

/** Who clicks or types: an admin has Administrator and Manage Server, a member only reads and writes. */
export type MemberRole = 'admin' | 'member';

const P = PermissionFlagsBits;
const MEMBER_PERMISSIONS = P.ViewChannel | P.SendMessages | P.ReadMessageHistory | P.UseApplicationCommands;
const ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | P.Administrator | P.ManageGuild;

/** The decimal permission bitfield a member of that role has in every sample channel. */
export function permissionsFor(role: MemberRole): string {
  return (role === 'admin' ? ADMIN_PERMISSIONS : MEMBER_PERMISSIONS).toString();
}

/** The server the interaction happens in, as the CLI learned it from the running sandbox. */
export interface InteractionSetting {
  applicationId: string;
  guildId: string;
  channels: { id: string; name: string; type: number; parentId?: string }[];
  user: { id: string; username: string; global_name?: string | null };
  role: MemberRole;
  /** The channel the command is typed in. */
  channelId: string;
  now?: Date;
  /** Files attached to the command (uploaded to the stand-in first), for its attachment options. */
  attachments?: APIAttachment[];
  /** The server's members, so an `@name` typed into text becomes a mention as Discord's message box makes it. */
  members?: { id: string; username: string; global_name?: string | null }[];
}

interface CommandOptionOut {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  options?: CommandOptionOut[];
  focused?: true;
}

type Definition = { name: string; options?: readonly APIApplicationCommandOption[] };

/** A member named by username or display name, in any letter case. */
function findMember<M extends { username: string; global_name?: string | null }>(
  members: readonly M[],
  name: string,
): M | undefined {
  const wanted = name.toLowerCase();
  return members.find((m) => m.username.toLowerCase() === wanted || m.global_name?.toLowerCase() === wanted);
}

/** A channel named `#general`, `general`, `<#id>` or by id. */
export function findChannel(
  channels: InteractionSetting['channels'],
  ref: string,
): InteractionSetting['channels'][number] | undefined {
  const text = ref.trim();
  const mention = /^<#(\d+)>$/.exec(text);
  const id = mention ? mention[1] : /^\d{5,20}$/.test(text) ? text : undefined;
  if (id) return channels.find((c) => c.id === id);
  const name = text.replace(/^#/, '').toLowerCase();
  return channels.find((c) => c.name.toLowerCase() === name);
}

/** The command and its leaf options, following subcommand groups and subcommands by name. */
function resolvePath(words: string[]): {
  root: Definition;
  path: string[];
  leaf: readonly APIApplicationCommandOption[];
} {
  const [rootName, ...rest] = words;
  const root = commands.find((c) => c.name === rootName) as Definition | undefined;
  if (!root) {
    throw new ValidationError('command', `expected one of ${commands.map((c) => `/${c.name}`).join(', ')}`);
  }
  const path: string[] = [root.name];
  let current: Definition = root;
  for (const word of rest) {
    const sub = (current.options ?? []).find(
      (o) =>
        o.name === word &&
        (o.type === ApplicationCommandOptionType.Subcommand ||
          o.type === ApplicationCommandOptionType.SubcommandGroup),
    ) as Definition | undefined;
    if (!sub) break;
    path.push(sub.name);
    current = sub;
  }
  if (path.length !== words.length) {
    const next = subcommandNames(current);
    throw new ValidationError(
      words[path.length] ?? 'command',
      next.length > 0 ? `expected one of ${next.join(', ')} after /${path.join(' ')}` : 'unknown subcommand',
    );
  }
  const next = subcommandNames(current);
  if (next.length > 0) {
    throw new ValidationError('command', `expected one of ${next.join(', ')} after /${path.join(' ')}`);
  }
  return { root, path, leaf: current.options ?? [] };
}

function subcommandNames(definition: Definition): string[] {
  return (definition.options ?? [])
    .filter(
      (o) =>
        o.type === ApplicationCommandOptionType.Subcommand ||
        o.type === ApplicationCommandOptionType.SubcommandGroup,
    )
    .map((o) => o.name);
}

/** A fresh interaction id (a snowflake of now) and token, as Discord issues them. */
function newIds(now: Date): { id: string; token: string } {
  const base = BigInt(snowflakeFromTime(now)) | BigInt(randomBytes(2).readUInt16BE() & 0xfff);
  return { id: base.toString(), token: `sandbox.${randomBytes(48).toString('base64url')}` };
}

function baseInteraction(setting: InteractionSetting, type: InteractionType) {
  const now = setting.now ?? new Date();
  const { id, token } = newIds(now);
  const permissions = permissionsFor(setting.role);
  const channel = setting.channels.find((c) => c.id === setting.channelId);
  return {
    id,
    token,
    type,
    version: 1,
    application_id: setting.applicationId,
    guild_id: setting.guildId,
    channel_id: setting.channelId,
    channel: {
      id: setting.channelId,
      type: channel?.type ?? ChannelType.GuildText,
      name: channel?.name ?? 'unknown',
      guild_id: setting.guildId,
      permissions,
    },
    member: {
      user: {
        id: setting.user.id,
        username: setting.user.username,
        global_name: setting.user.global_name ?? null,
        discriminator: '0',
        avatar: null,
      },
      roles: [] as string[],
      permissions,
      nick: null,
      joined_at: '2024-01-01T00:00:00.000000+00:00',
      deaf: false,
      mute: false,
      flags: 0,
    },
    app_permissions: permissionsFor('admin'),
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': setting.guildId },
    context: 0,
  };
}

/**
 * Parses `/schedule create daily channel:#general time:09:00 ...` into an APPLICATION_COMMAND interaction.
 * Throws ValidationError naming the word or option that does not fit the command definitions.
 */
export function commandInteraction(line: string, setting: InteractionSetting) {
  return buildCommand(line, setting, false);
}

/**
 * What Discord sends while a member types `/schedule status task:Dai`: an APPLICATION_COMMAND_AUTOCOMPLETE
 * interaction whose last option is the focused one, its value the text typed so far.
 */
export function autocompleteInteraction(line: string, setting: InteractionSetting) {
  return buildCommand(line, setting, true);
}

function buildCommand(line: string, setting: InteractionSetting, autocomplete: boolean) {
  const text = line.trim().replace(/^\//, '');
  const { words, rest } = leadingWords(text);
  const { root, path, leaf } = resolvePath(words);
  const known = leaf.map((o) => o.name);
  const pairs = splitOptions(rest, known);
  const focusedName = autocomplete ? pairs.at(-1)?.[0] : undefined;
  if (autocomplete) {
    const focused = leaf.find((o) => o.name === focusedName);
    if (!focused || !('autocomplete' in focused) || !focused.autocomplete) {
      const offered = leaf.filter((o) => 'autocomplete' in o && o.autocomplete).map((o) => `${o.name}:`);
      throw new ValidationError(
        focusedName ?? 'option',
        offered.length > 0
          ? `expected the option being typed last, one of ${offered.join(', ')}`
          : `expected an option with choices; /${path.join(' ')} offers none`,
      );
    }
  }
  const resolvedChannels: Record<string, object> = {};
  const resolvedAttachments: Record<string, APIAttachment> = {};
  const values: CommandOptionOut[] = [];
  for (const [name, raw] of pairs) {
    const definition = leaf.find((o) => o.name === name) as APIApplicationCommandOption;
    if (values.some((v) => v.name === name)) throw new ValidationError(name, 'expected the option once');
    if (name === focusedName) {
      // Discord sends what is typed so far as a string, whatever the option's type.
      values.push({ name, type: definition.type, value: raw, focused: true });
      continue;
    }
    values.push({
      name,
      type: definition.type,
      value: typedValue(definition, raw, setting, resolvedChannels, resolvedAttachments),
    });
  }
  // A file attached with the command fills its attachment option, as dropping a file on it does.
  const unused = (setting.attachments ?? []).filter((a) => !(a.id in resolvedAttachments));
  for (const option of leaf) {
    if (option.type !== ApplicationCommandOptionType.Attachment) continue;
    if (values.some((v) => v.name === option.name)) continue;
    const file = unused.shift();
    if (!file) continue;
    resolvedAttachments[file.id] = file;
    values.push({ name: option.name, type: option.type, value: file.id });
  }
  if (!autocomplete) {
    for (const option of leaf) {
      if ('required' in option && option.required && !values.some((v) => v.name === option.name)) {
        const hint =
          option.type === ApplicationCommandOptionType.Attachment ? ' (attach one with --attach FILE)' : '';
        throw new ValidationError(option.name, `expected a value (required by /${path.join(' ')})${hint}`);
      }
    }
  }
  // Subcommands nest: the leaf's values sit inside the subcommand, inside the group.
  let options: CommandOptionOut[] = values;
  for (let i = path.length - 1; i >= 1; i--) {
    const type =
      i === path.length - 1
        ? ApplicationCommandOptionType.Subcommand
        : ApplicationCommandOptionType.SubcommandGroup;
    options = [{ name: path[i] as string, type, ...(options.length > 0 ? { options } : {}) }];
  }
  const base = baseInteraction(
    setting,
    autocomplete ? InteractionType.ApplicationCommandAutocomplete : InteractionType.ApplicationCommand,
  );
  const resolved = {
    ...(Object.keys(resolvedChannels).length > 0 ? { channels: resolvedChannels } : {}),
    ...(Object.keys(resolvedAttachments).length > 0 ? { attachments: resolvedAttachments } : {}),
  };
  return {
    ...base,
    data: {
      id: commandIdFor(root.name),
      name: root.name,
      type: ApplicationCommandType.ChatInput,
      guild_id: setting.guildId,
      options,
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    },
  };
}

/** A MESSAGE_COMPONENT interaction: a click on button `customId` of message `messageId`. */
export function componentInteraction(
  setting: InteractionSetting,
  message: { id: string; content?: string; components?: unknown[] },
  customId: string,
) {
  const base = baseInteraction(setting, InteractionType.MessageComponent);
  return {
    ...base,
    message: {
      id: message.id,
      channel_id: setting.channelId,
      content: message.content ?? '',
      components: message.components ?? [],
      author: {
        id: setting.applicationId,
        username: 'summary-bot',
        discriminator: '0',
        avatar: null,
        bot: true,
      },
    },
    data: { custom_id: customId, component_type: ComponentType.Button },
  };
}

function typedValue(
  definition: APIApplicationCommandOption,
  raw: string,
  setting: InteractionSetting,
  resolvedChannels: Record<string, object>,
  resolvedAttachments: Record<string, APIAttachment>,
): string | number | boolean {
  const name = definition.name;
  switch (definition.type) {
    case ApplicationCommandOptionType.String: {
      const choices = 'choices' in definition ? definition.choices : undefined;
      if (choices && choices.length > 0 && !choices.some((c) => String(c.value) === raw)) {
        throw new ValidationError(name, `expected one of ${choices.map((c) => c.value).join(', ')}`);
      }
      // Discord's message box turns a #channel or @member typed into any text into a mention: `<#id>`, `<@id>`.
      return raw
        .replace(/(^|[\s,;])#([\w-]{1,100})/g, (whole, before: string, channelName: string) => {
          const channel = findChannel(setting.channels, channelName);
          return channel ? `${before}<#${channel.id}>` : whole;
        })
        .replace(/(^|[\s,;])@([\w.-]{1,32})/g, (whole, before: string, memberName: string) => {
          const member = findMember(setting.members ?? [], memberName);
          return member ? `${before}<@${member.id}>` : whole;
        });
    }
    case ApplicationCommandOptionType.Integer: {
      if (!/^-?\d+$/.test(raw)) throw new ValidationError(name, 'expected a whole number');
      return Number(raw);
    }
    case ApplicationCommandOptionType.Number: {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n)) throw new ValidationError(name, 'expected a number');
      return n;
    }
    case ApplicationCommandOptionType.Boolean: {
      const v = raw.toLowerCase();
      if (['true', 'yes', '1'].includes(v)) return true;
      if (['false', 'no', '0'].includes(v)) return false;
      throw new ValidationError(name, 'expected true or false');
    }
    case ApplicationCommandOptionType.Channel: {
      const channel = findChannel(setting.channels, raw);
      if (!channel) {
        throw new ValidationError(
          name,
          `expected a channel of this server (${setting.channels.map((c) => `#${c.name}`).join(', ')})`,
        );
      }
      resolvedChannels[channel.id] = {
        id: channel.id,
        name: channel.name,
        type: channel.type,
        permissions: permissionsFor(setting.role),
        ...(channel.parentId ? { parent_id: channel.parentId } : {}),
      };
      return channel.id;
    }
    case ApplicationCommandOptionType.Role: {
      const m = /^(?:<@&)?(\d{5,20})>?$/.exec(raw);
      if (!m) throw new ValidationError(name, 'expected a role id or <@&id>');
      return m[1] as string;
    }
    case ApplicationCommandOptionType.Attachment: {
      const file = (setting.attachments ?? []).find((a) => a.filename === raw || a.id === raw);
      if (!file) throw new ValidationError(name, `expected a file attached with --attach ${raw || 'FILE'}`);
      resolvedAttachments[file.id] = file;
      return file.id;
    }
    default:
      throw new ValidationError(name, 'this option type is not supported by the CLI');
  }
}

/** Stable per command name, like the ids Discord assigns at registration. */
function commandIdFor(name: string): string {
  const index = commands.findIndex((c) => c.name === name);
  return (1190000000000001000n + BigInt(index)).toString();
}
