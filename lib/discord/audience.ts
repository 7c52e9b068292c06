import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import {
  ALL_PERMISSIONS,
  canView,
  computeBasePermissions,
  computeOverwrites,
  type GuildLike,
  type GuildMemberLike,
  type OverwriteLike,
  permissionBits,
} from './permissions.ts';

/**
 * The audience rule, pure: content of source channel X may go to destination channel Y only if everyone who
 * can view Y can also read X. Discord gives no list of a channel's viewers without the privileged members
 * intent, so viewers are modelled as principals: a member with only @everyone, with each role alone, with
 * each pair of roles (two roles can together grant what neither does, or one's overwrite can deny what the
 * other's allows), and each member named by a member overwrite of X or Y (alone and with each role). Each
 * principal's permissions are computed as Discord documents them (permissions.ts); a principal that views Y
 * must read X (View Channel and Read Message History). Threads are the caller's: pass the parent's overwrites.
 */

/** One channel as the rule reads it: its id and its effective overwrites (a thread's are its parent's). */
export interface AudienceChannel {
  id: string;
  overwrites: readonly OverwriteLike[];
}

/** Why a source may not go to a destination, with who can read the source (for the reply). */
export type AudienceVerdict =
  | { ok: true }
  | {
      ok: false;
      /** Ids of the roles that alone let a member read the source (@everyone never among them). */
      readers: string[];
      /** A principal who would see the destination but cannot read the source. */
      exposedTo: GuildMemberLike;
    };

/** No member has this id: role principals match no member overwrite. */
const NOBODY = '';

const VIEW = PermissionFlagsBits.ViewChannel;

/** Whether everyone who can view `destination` can read `source`; when not, who can read the source. */
export function audienceAllows(
  guild: GuildLike,
  source: AudienceChannel,
  destination: AudienceChannel,
): AudienceVerdict {
  if (source.id === destination.id) return { ok: true };
  const roleBits = new Map(guild.roles.map((r) => [r.id, permissionBits(r.permissions)]));
  const everyone = roleBits.get(guild.id) ?? 0n;
  const roleIds = guild.roles.map((r) => r.id).filter((id) => id !== guild.id);
  const permissionsIn = (member: GuildMemberLike, channel: AudienceChannel): bigint => {
    if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
    let base = everyone;
    for (const id of member.roles) base |= roleBits.get(id) ?? 0n;
    if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
    return computeOverwrites(base, guild.id, member, channel.overwrites);
  };
  const seesDestination = (member: GuildMemberLike) => (permissionsIn(member, destination) & VIEW) === VIEW;
  const readsSource = (member: GuildMemberLike) => canView(permissionsIn(member, source));
  let exposedTo: GuildMemberLike | undefined;
  for (const member of principals(roleIds, [source, destination])) {
    if (seesDestination(member) && !readsSource(member)) {
      exposedTo = member;
      break;
    }
  }
  if (!exposedTo) return { ok: true };
  return { ok: false, readers: readersOf(guild, source), exposedTo };
}

/** Ids of the roles that alone let a member read the channel (@everyone left out): who it is private to. */
export function readersOf(guild: GuildLike, channel: AudienceChannel): string[] {
  return guild.roles
    .filter((r) => r.id !== guild.id)
    .map((r) => r.id)
    .filter((id) => canView(memberPermissions(guild, { userId: NOBODY, roles: [id] }, channel)));
}

/** A member's permissions in a channel (owner and Administrator have all); time-outs do not narrow audiences. */
function memberPermissions(guild: GuildLike, member: GuildMemberLike, channel: AudienceChannel): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const base = computeBasePermissions(guild, member);
  if ((base & PermissionFlagsBits.Administrator) !== 0n) return ALL_PERMISSIONS;
  return computeOverwrites(base, guild.id, member, channel.overwrites);
}

/** Whether a member with only @everyone can read the channel: what webhook, e-mail and file delivery need. */
export function isPublic(guild: GuildLike, channel: AudienceChannel): boolean {
  return canView(memberPermissions(guild, { userId: NOBODY, roles: [] }, channel));
}

/** Who the rule asks about, lazily: @everyone alone, each role, each pair, each overwritten member. */
function* principals(
  roleIds: readonly string[],
  channels: readonly AudienceChannel[],
): Generator<GuildMemberLike> {
  yield { userId: NOBODY, roles: [] };
  for (const id of roleIds) yield { userId: NOBODY, roles: [id] };
  for (let i = 0; i < roleIds.length; i++)
    for (let j = i + 1; j < roleIds.length; j++)
      yield { userId: NOBODY, roles: [roleIds[i] as string, roleIds[j] as string] };
  const members = new Set(
    channels.flatMap((c) => c.overwrites.filter((o) => o.type === OverwriteType.Member).map((o) => o.id)),
  );
  for (const userId of members) {
    yield { userId, roles: [] };
    for (const id of roleIds) yield { userId, roles: [id] };
  }
}

/** The reply's words for a source left out: "<#X> is private to <@&A>, <@&B>". */
export function describePrivate(sourceId: string, readers: readonly string[]): string {
  const who = readers.length > 0 ? readers.map((id) => `<@&${id}>`).join(', ') : 'a few members';
  return `<#${sourceId}> is private to ${who}`;
}
