/**
 * Who may view a channel, as Discord's permission overwrites say it: overwrites that hide a channel from
 * @everyone and show it to a role, a member or the bot, for the audience-rule tests; and the executor
 * harness server's Moderators role with a message only moderators may read.
 */
import { type APIOverwrite, OverwriteType, PermissionFlagsBits as P } from 'discord-api-types/v10';
import type { DiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';

/** The Moderators role's id in the executor harness's server. */
export const MODS = '500000000000000001';

/** What a moderators-only channel says: a digest that quotes it where others read has broken the rule. */
export const MODS_SECRET = 'Ban appeal of user 42: we keep the ban until the review on Monday.';

/** Hides a channel from @everyone of server `guildId` (the role whose id is the server's). */
export function hiddenFromEveryone(guildId: string): APIOverwrite {
  return { id: guildId, type: OverwriteType.Role, allow: '0', deny: String(P.ViewChannel) };
}

/** Shows a channel to a role, or (with `OverwriteType.Member`) to one member. */
export function shownTo(id: string, type = OverwriteType.Role): APIOverwrite {
  return { id, type, allow: String(P.ViewChannel), deny: '0' };
}

/**
 * Lets the bot into a channel hidden from @everyone, as an admin does (a member overwrite for the bot): the
 * stand-in hides from the bot, as Discord does, every channel it may not view.
 */
export function shownToBot(standIn: Pick<DiscordStandIn, 'botUser'>): APIOverwrite {
  return {
    id: standIn.botUser.id,
    type: OverwriteType.Member,
    allow: String(P.ViewChannel | P.ReadMessageHistory),
    deny: '0',
  };
}

/** Hides a channel from one member, whatever their roles show them. */
export function deniedTo(memberId: string): APIOverwrite {
  return { id: memberId, type: OverwriteType.Member, allow: '0', deny: String(P.ViewChannel) };
}

/** Adds the Moderators role to server `guildId`: no permissions of its own, only overwrites show it channels. */
export function addModeratorsRole(standIn: DiscordStandIn, guildId: string): void {
  standIn.setRole(guildId, { id: MODS, name: 'Moderators', permissions: 0n });
}
