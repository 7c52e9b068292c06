import { ChannelType, OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';

/**
 * Discord permission math, pure: no I/O. `computeChannelPermissions` follows Discord's documented algorithm
 * (developers/topics/permissions.mdx, "Permission Overwrites" and "Permissions For Timed Out Members"):
 * the owner has everything; otherwise @everyone's role permissions OR the member's roles; Administrator
 * short-circuits to everything; then the channel's overwrites apply in order: @everyone (deny, then allow),
 * the member's roles combined (deny, then allow), the member (deny, then allow). A timed-out member keeps
 * only View Channel and Read Message History.
 */

/** The parts of an interaction's `member` that permission checks read. */
export interface MemberLike {
  /** The member's permissions in the interaction's channel, as a decimal bitfield string. */
  permissions?: string | undefined;
  roles?: readonly string[] | undefined;
}

/** A role as the guild lists it (`GET /guilds/{id}`): only what permission math reads. */
export interface RoleLike {
  id: string;
  /** Decimal bitfield string. */
  permissions: string;
  /** What a run footer calls it (embed footers show no mentions). */
  name?: string | undefined;
}

/** A guild's owner and roles; the @everyone role has the guild's id. */
export interface GuildLike {
  id: string;
  ownerId: string;
  roles: readonly RoleLike[];
}

/** A member of a guild: who, which roles, and whether timed out. */
export interface GuildMemberLike {
  userId: string;
  roles: readonly string[];
  /** ISO instant; a member is timed out until then. */
  communicationDisabledUntil?: string | null | undefined;
}

/** A channel permission overwrite: for a role (type 0) or a member (type 1). */
export interface OverwriteLike {
  id: string;
  type: OverwriteType;
  allow: string;
  deny: string;
}

/** Every permission flag Discord defines: what the owner and administrators have everywhere. */
export const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce(
  (all, flag) => all | flag,
  0n,
);

const P = PermissionFlagsBits;
const TIMED_OUT_KEEPS = P.ViewChannel | P.ReadMessageHistory;

/** A decimal bitfield string as a bigint; anything malformed is no permissions at all. */
export function permissionBits(permissions: string | undefined | null): bigint {
  if (!permissions || !/^\d{1,40}$/.test(permissions)) return 0n;
  return BigInt(permissions);
}

function has(set: bigint, flag: bigint): boolean {
  return (set & flag) === flag;
}

/** Guild-level permissions: owner and Administrator have everything (Discord's `compute_base_permissions`). */
export function computeBasePermissions(guild: GuildLike, member: GuildMemberLike): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const byId = new Map(guild.roles.map((r) => [r.id, permissionBits(r.permissions)]));
  let permissions = byId.get(guild.id) ?? 0n;
  for (const roleId of member.roles) permissions |= byId.get(roleId) ?? 0n;
  return has(permissions, P.Administrator) ? ALL_PERMISSIONS : permissions;
}

/** Applies a channel's overwrites to guild-level permissions (Discord's `compute_overwrites`). */
export function computeOverwrites(
  base: bigint,
  guildId: string,
  member: GuildMemberLike,
  overwrites: readonly OverwriteLike[],
): bigint {
  if (has(base, P.Administrator)) return ALL_PERMISSIONS;
  let permissions = base;
  const everyone = overwrites.find((o) => o.type === OverwriteType.Role && o.id === guildId);
  if (everyone) {
    permissions &= ~permissionBits(everyone.deny);
    permissions |= permissionBits(everyone.allow);
  }
  let allow = 0n;
  let deny = 0n;
  const roles = new Set(member.roles);
  for (const overwrite of overwrites) {
    if (overwrite.type !== OverwriteType.Role || overwrite.id === guildId || !roles.has(overwrite.id))
      continue;
    allow |= permissionBits(overwrite.allow);
    deny |= permissionBits(overwrite.deny);
  }
  permissions &= ~deny;
  permissions |= allow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === member.userId);
  if (own) {
    permissions &= ~permissionBits(own.deny);
    permissions |= permissionBits(own.allow);
  }
  return permissions;
}

/** A member's permissions in one channel of the guild, from the guild's roles and the channel's overwrites. */
export function computeChannelPermissions(input: {
  guild: GuildLike;
  member: GuildMemberLike;
  overwrites: readonly OverwriteLike[];
  now: Date;
}): bigint {
  const { guild, member, overwrites, now } = input;
  const base = computeBasePermissions(guild, member);
  if (has(base, P.Administrator)) return ALL_PERMISSIONS;
  const permissions = computeOverwrites(base, guild.id, member, overwrites);
  const until = member.communicationDisabledUntil
    ? Date.parse(member.communicationDisabledUntil)
    : Number.NaN;
  return until > now.getTime() ? permissions & TIMED_OUT_KEEPS : permissions;
}

/**
 * Whether a member may manage the server's schedules: Manage Server or Administrator from the payload,
 * or the server's configured manager role. Re-checked on every command and click, because server admins
 * can override a command's `default_member_permissions`.
 */
export function canManage(member: MemberLike | undefined, managerRoleId?: string): boolean {
  if (!member) return false;
  if (canManageServer(member)) return true;
  return managerRoleId !== undefined && (member.roles ?? []).includes(managerRoleId);
}

/** Manage Server (or Administrator) from the payload: what changing the server's bot settings needs. */
export function canManageServer(member: MemberLike | undefined): boolean {
  const set = permissionBits(member?.permissions);
  return has(set, P.Administrator) || has(set, P.ManageGuild);
}

/** Whether a permission set (a member's, in one channel) can read that channel's history. */
export function canView(permissions: string | bigint | undefined): boolean {
  const set = typeof permissions === 'bigint' ? permissions : permissionBits(permissions);
  if (has(set, P.Administrator)) return true;
  return has(set, P.ViewChannel) && has(set, P.ReadMessageHistory);
}

const THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** Whether a channel type is a thread (threads take their permissions from the parent channel). */
export function isThread(type: number | undefined): boolean {
  return type !== undefined && THREAD_TYPES.has(type);
}

/**
 * Whether a permission set can post in a channel: View Channel and Send Messages, or Send Messages in
 * Threads in a thread (Discord does not inherit Send Messages into threads).
 */
export function canPost(permissions: string | bigint | undefined, inThread = false): boolean {
  const set = typeof permissions === 'bigint' ? permissions : permissionBits(permissions);
  if (has(set, P.Administrator)) return true;
  return has(set, P.ViewChannel) && has(set, inThread ? P.SendMessagesInThreads : P.SendMessages);
}
