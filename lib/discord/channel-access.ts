import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordAccessError, ValidationError } from '../errors.ts';
import type { ChannelReference } from '../tasks/channel-references.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import {
  ALL_PERMISSIONS,
  canPost,
  canView,
  computeChannelPermissions,
  type GuildMemberLike,
  isThread,
  permissionBits,
} from './permissions.ts';

/** Who the channels are checked for: the member creating the tasks, as the interaction names them. */
export interface AccessMember extends GuildMemberLike {
  /** The member's permissions in the interaction's channel (the payload's `member.permissions`). */
  permissions?: string | undefined;
}

/** The interaction's member as the access check reads it. */
export function accessMemberOf(member: {
  user: { id: string };
  roles: string[];
  permissions?: string | undefined;
  communication_disabled_until?: string | null | undefined;
}): AccessMember {
  return {
    userId: member.user.id,
    roles: member.roles,
    permissions: member.permissions,
    communicationDisabledUntil: member.communication_disabled_until,
  };
}

export interface AccessCheck {
  guildId: string;
  /** Without a member (the CLI, run by the operator) only that each channel belongs to the server is checked. */
  member?: AccessMember;
  /** Permissions Discord already resolved for the member, by channel id (the interaction's channel). */
  known?: ReadonlyMap<string, string>;
  reads: GuildReads;
  now: Date;
}

/**
 * Checks every channel a set of tasks names: each belongs to the server; with a member, the member can read
 * every source and post in every destination and notice channel. The member's permissions come from the
 * payload where Discord resolved them, else are computed as Discord documents it from REST reads (cached by
 * `reads` for the request). Throws ValidationError naming the first failing field, in the given order.
 */
export async function checkChannelAccess(
  references: readonly ChannelReference[],
  check: AccessCheck,
): Promise<void> {
  const verdicts = new Map<string, Promise<ChannelVerdict>>();
  const verdictOf = (channelId: string) => {
    let verdict = verdicts.get(channelId);
    if (!verdict) {
      verdict = judgeChannel(channelId, check);
      verdicts.set(channelId, verdict);
    }
    return verdict;
  };
  // All channels are looked up at once (a command has 3 s); the first failure in file order is reported.
  const judged = await Promise.all(
    references.map(async (r) => ({ r, verdict: await verdictOf(r.channelId) })),
  );
  for (const { r, verdict } of judged) {
    const problem = problemWith(r, verdict, check.member !== undefined);
    if (problem) throw new ValidationError(r.field, problem);
  }
}

type ChannelVerdict =
  | { kind: 'elsewhere' }
  | { kind: 'hidden' }
  | { kind: 'here'; permissions: bigint; thread: boolean; privateThread: boolean };

function problemWith(r: ChannelReference, verdict: ChannelVerdict, forMember: boolean): string | undefined {
  const channel = `<#${r.channelId}>`;
  if (verdict.kind === 'elsewhere')
    return `expected a channel of this server; ${channel} is not one (deleted, or in another server)`;
  if (verdict.kind === 'hidden')
    return `expected a channel the bot can see; give it View Channel in ${channel}, then try again`;
  if (!forMember) return undefined;
  const { permissions } = verdict;
  // A private thread shows only to its members and thread managers; membership is not read here.
  const managesThreads =
    (permissions & PermissionFlagsBits.ManageThreads) === PermissionFlagsBits.ManageThreads;
  if (verdict.privateThread && !managesThreads)
    return `expected a channel you can see; ${channel} is a private thread`;
  if (r.use === 'read')
    return canView(permissions)
      ? undefined
      : `expected a channel you can read; you cannot read ${channel}, so it cannot be summarized for you`;
  return canPost(permissions, verdict.thread)
    ? undefined
    : `expected a channel you can post in; you cannot post in ${channel}, so the bot will not post there for you`;
}

async function judgeChannel(channelId: string, check: AccessCheck): Promise<ChannelVerdict> {
  let channel: ChannelLike | undefined;
  try {
    channel = await check.reads.channel(channelId);
  } catch (error) {
    if (error instanceof DiscordAccessError && error.reason === 'forbidden') return { kind: 'hidden' };
    throw error;
  }
  if (!channel || channel.guildId !== check.guildId) return { kind: 'elsewhere' };
  const thread = isThread(channel.type);
  const privateThread = channel.type === ChannelType.PrivateThread;
  if (!check.member) return { kind: 'here', permissions: 0n, thread, privateThread };
  return {
    kind: 'here',
    permissions: await permissionsIn(channel, check.member, check),
    thread,
    privateThread,
  };
}

async function permissionsIn(
  channel: ChannelLike,
  member: AccessMember,
  check: AccessCheck,
): Promise<bigint> {
  const known = check.known?.get(channel.id);
  if (known !== undefined) return permissionBits(known);
  // Administrator overrides every overwrite, so the payload's bit holds in every channel of the server.
  const payload = permissionBits(member.permissions);
  if ((payload & PermissionFlagsBits.Administrator) === PermissionFlagsBits.Administrator)
    return ALL_PERMISSIONS;
  // Threads take their permissions from the parent channel (permissions.mdx, "Inherited Permissions").
  let source: ChannelLike | undefined = channel;
  if (isThread(channel.type)) {
    source = channel.parentId ? await check.reads.channel(channel.parentId) : undefined;
    if (!source || source.guildId !== check.guildId) return 0n;
  }
  const guild = await check.reads.guild(check.guildId);
  return computeChannelPermissions({ guild, member, overwrites: source.overwrites, now: check.now });
}
