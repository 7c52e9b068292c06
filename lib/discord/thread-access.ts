import { ChannelType, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordAccessError, PermissionError, ValidationError } from '../errors.ts';
import type { AccessMember } from './channel-access.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import { ALL_PERMISSIONS, computeChannelPermissions, permissionBits } from './permissions.ts';

const P = PermissionFlagsBits;

/** Channel types a digest thread is started in: text and announcement channels, forums and media channels. */
const THREAD_PARENTS: ReadonlySet<number> = new Set([
  ChannelType.GuildText,
  ChannelType.GuildAnnouncement,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
]);

/** Whether a channel type holds only threads (a forum or media channel): a digest there is always a post. */
export function holdsOnlyThreads(type: number | undefined): boolean {
  return type === ChannelType.GuildForum || type === ChannelType.GuildMedia;
}

/**
 * What starting a digest thread and posting it there takes (permissions.mdx): View Channel; Create Public
 * Threads in a text or announcement channel, Send Messages in a forum ("creating threads in a forum",
 * CREATE_PUBLIC_THREADS is ignored there); and Send Messages in Threads for the digest's other parts, since
 * Send Messages is not inherited into threads.
 */
function threadNeeds(type: number): { bits: bigint; words: string } {
  return holdsOnlyThreads(type)
    ? {
        bits: P.ViewChannel | P.SendMessages | P.SendMessagesInThreads,
        words: 'Send Messages and Send Messages in Threads',
      }
    : {
        bits: P.ViewChannel | P.CreatePublicThreads | P.SendMessagesInThreads,
        words: 'Create Public Threads and Send Messages in Threads',
      };
}

const has = (set: bigint, bits: bigint) =>
  (set & P.Administrator) === P.Administrator || (set & bits) === bits;

/** Who and where a thread destination is checked for. */
export interface ThreadCheck {
  guildId: string;
  reads: GuildReads;
  /** The member setting it up (create, edit, settings); the CLI's operator has none. */
  member?: AccessMember;
  /** Permissions Discord resolved for the member, by channel id (a channel option's `permissions`). */
  known?: ReadonlyMap<string, string>;
  /** The bot's user id (its application's id): the bot's own permissions are checked when it is a member. */
  botUserId?: string;
  now: Date;
}

/**
 * Checks that a digest can start a new thread in `channelId` each run: a text, announcement, forum or media
 * channel of this server where the member and the bot may start threads and post in them. Throws
 * ValidationError naming `field` (the channel, the bot), PermissionError for the member. The bot is checked
 * from its roles when Discord lists it as a member under its application's id (apps made before bot users
 * shared that id are left to the run, which fails that destination saying what is missing).
 */
export async function checkThreadDestination(
  field: string,
  channelId: string,
  check: ThreadCheck,
): Promise<void> {
  let channel: ChannelLike | undefined;
  try {
    channel = await check.reads.channel(channelId);
  } catch (error) {
    if (error instanceof DiscordAccessError && error.reason === 'forbidden')
      throw new ValidationError(
        field,
        `expected a channel the bot can see; give it View Channel in <#${channelId}>`,
      );
    throw error;
  }
  if (!channel || channel.guildId !== check.guildId)
    throw new ValidationError(field, `expected a channel of this server; <#${channelId}> is not one`);
  if (!THREAD_PARENTS.has(channel.type))
    throw new ValidationError(
      field,
      `expected a text, announcement or forum channel to start threads in; <#${channelId}> cannot hold a new thread (it is a thread or a voice channel)`,
    );
  const needs = threadNeeds(channel.type);
  if (check.member) {
    const known = check.known?.get(channelId);
    const permissions =
      known !== undefined ? permissionBits(known) : await permissionsOf(check.member, channel, check);
    if (!has(permissions, needs.bits))
      throw new PermissionError(
        `You cannot start threads in <#${channelId}> (${needs.words}), so the bot will not start them there for you.`,
      );
  }
  const bot =
    check.botUserId && check.reads.member
      ? await check.reads.member(check.guildId, check.botUserId)
      : undefined;
  if (bot && !has(await permissionsOf(bot, channel, check), needs.bits))
    throw new ValidationError(
      field,
      `expected a channel where the bot can start threads; give it ${needs.words} in <#${channelId}>, then try again`,
    );
}

async function permissionsOf(
  member: AccessMember,
  channel: ChannelLike,
  check: ThreadCheck,
): Promise<bigint> {
  // Administrator overrides every overwrite, so the payload's bit holds in every channel of the server.
  if (has(permissionBits(member.permissions), P.Administrator)) return ALL_PERMISSIONS;
  const guild = await check.reads.guild(check.guildId);
  return computeChannelPermissions({ guild, member, overwrites: channel.overwrites, now: check.now });
}
