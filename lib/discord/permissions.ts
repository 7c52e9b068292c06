import { PermissionFlagsBits } from 'discord-api-types/v10';

/** The parts of an interaction's `member` that permission checks read. */
export interface MemberLike {
  /** The member's permissions in the interaction's channel, as a decimal bitfield string. */
  permissions?: string | undefined;
  roles?: readonly string[] | undefined;
}

function bits(permissions: string | undefined): bigint {
  if (!permissions || !/^\d{1,40}$/.test(permissions)) return 0n;
  return BigInt(permissions);
}

function has(set: bigint, flag: bigint): boolean {
  return (set & flag) === flag;
}

/**
 * Whether a member may manage the server's schedules: Manage Server or Administrator from the payload,
 * or the server's configured manager role. Re-checked on every command and click, because server admins
 * can override a command's `default_member_permissions`.
 */
export function canManage(member: MemberLike | undefined, managerRoleId?: string): boolean {
  if (!member) return false;
  const set = bits(member.permissions);
  if (has(set, PermissionFlagsBits.Administrator) || has(set, PermissionFlagsBits.ManageGuild)) return true;
  return managerRoleId !== undefined && (member.roles ?? []).includes(managerRoleId);
}

/** Whether a permission set (a member's, in one channel) can read that channel's history. */
export function canView(permissions: string | undefined): boolean {
  const set = bits(permissions);
  if (has(set, PermissionFlagsBits.Administrator)) return true;
  return has(set, PermissionFlagsBits.ViewChannel) && has(set, PermissionFlagsBits.ReadMessageHistory);
}
