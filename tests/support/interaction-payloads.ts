/**
 * Builds interaction payloads the way Discord does (see tests/fixtures/discord for the printed samples):
 * subcommands nest as options of type 1/2, channel options resolve with the member's permissions.
 */
import {
  ApplicationCommandOptionType,
  ComponentType,
  InteractionType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';

export const GUILD = '290926798626357999';
export const OTHER_GUILD = '390926798626357111';
export const CHANNEL = '645027906669510667';
export const OTHER_CHANNEL = '745027906669510668';
export const SECRET_CHANNEL = '845027906669510669';
export const USER = '53908232506183680';
export const APP = '290926444748734465';
export const MANAGER_ROLE = '539082325061836999';

const P = PermissionFlagsBits;
/** Can read channels. */
export const READER = (P.ViewChannel | P.ReadMessageHistory | P.SendMessages).toString();
/** Manage Server on top. */
export const ADMIN = (P.ViewChannel | P.ReadMessageHistory | P.SendMessages | P.ManageGuild).toString();

export interface Opt {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  focused?: boolean;
}

export const str = (name: string, value: string, focused?: boolean): Opt => ({
  name,
  type: ApplicationCommandOptionType.String,
  value,
  ...(focused ? { focused } : {}),
});
export const int = (name: string, value: number): Opt => ({
  name,
  type: ApplicationCommandOptionType.Integer,
  value,
});
export const bool = (name: string, value: boolean): Opt => ({
  name,
  type: ApplicationCommandOptionType.Boolean,
  value,
});
export const chan = (name: string, value: string): Opt => ({
  name,
  type: ApplicationCommandOptionType.Channel,
  value,
});
export const role = (name: string, value: string): Opt => ({
  name,
  type: ApplicationCommandOptionType.Role,
  value,
});
export const file = (name: string, value: string): Opt => ({
  name,
  type: ApplicationCommandOptionType.Attachment,
  value,
});

export interface Who {
  permissions?: string;
  roles?: string[];
  guildId?: string | null;
  channelPermissions?: string;
  resolved?: Record<string, unknown>;
}

let counter = 0;
function base(type: InteractionType, who: Who) {
  counter += 1;
  const guildId = who.guildId === undefined ? GUILD : who.guildId;
  return {
    id: String(900000000000000000n + BigInt(counter)),
    application_id: APP,
    type,
    token: `token-${counter}`,
    version: 1,
    ...(guildId ? { guild_id: guildId } : {}),
    channel_id: CHANNEL,
    channel: {
      id: CHANNEL,
      type: 0,
      ...(who.channelPermissions ? { permissions: who.channelPermissions } : {}),
    },
    ...(guildId
      ? {
          member: {
            user: { id: USER, username: 'Mason' },
            roles: who.roles ?? [],
            permissions: who.permissions ?? ADMIN,
          },
        }
      : { user: { id: USER, username: 'Mason' } }),
    app_permissions: READER,
    locale: 'en-US',
  };
}

function nest(path: string, leaf: Opt[]) {
  const [name, ...subs] = path.split(' ');
  let options: unknown[] = leaf;
  for (let i = subs.length - 1; i >= 0; i--) {
    const isGroup = i < subs.length - 1;
    options = [
      {
        name: subs[i],
        type: isGroup
          ? ApplicationCommandOptionType.SubcommandGroup
          : ApplicationCommandOptionType.Subcommand,
        options,
      },
    ];
  }
  return { name: name as string, options };
}

/** An APPLICATION_COMMAND for `path` (`schedule create daily`) with leaf options. */
export function command(path: string, leaf: Opt[] = [], who: Who = {}) {
  const { name, options } = nest(path, leaf);
  return {
    ...base(InteractionType.ApplicationCommand, who),
    data: {
      id: '771825006014889984',
      name,
      type: 1,
      options,
      ...(who.resolved ? { resolved: who.resolved } : {}),
    },
  };
}

/** An APPLICATION_COMMAND_AUTOCOMPLETE: the same data, one option `focused`. */
export function autocomplete(path: string, leaf: Opt[], who: Who = {}) {
  return { ...command(path, leaf, who), type: InteractionType.ApplicationCommandAutocomplete };
}

/** A MESSAGE_COMPONENT button click. */
export function button(customId: string, who: Who = {}) {
  return {
    ...base(InteractionType.MessageComponent, who),
    message: { id: '844397162624450620', channel_id: CHANNEL, content: '', components: [] },
    data: { custom_id: customId, component_type: ComponentType.Button },
  };
}

/** `resolved.channels` for channel options, with the invoking member's permissions in each. */
export function resolvedChannels(channels: Record<string, string>) {
  return {
    channels: Object.fromEntries(
      Object.entries(channels).map(([id, permissions]) => [id, { id, name: 'c', type: 0, permissions }]),
    ),
  };
}
