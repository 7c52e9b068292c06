import { ChannelType } from 'discord-api-types/v10';
import { DiscordAccessError } from '../errors.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import { canView, computeChannelPermissions, type GuildMemberLike, isThread } from './permissions.ts';

/** Which of a task's source channels one member can read, and which not (with their names, for replies). */
export interface MemberSources {
  readable: string[];
  /** `botCannotSee`: Discord keeps the channel from the bot (403), so no digest has it, whoever asks. */
  hidden: { channelId: string; name?: string; botCannotSee?: true }[];
}

/**
 * The audience rule for one member, as a subscriber's DM needs it: of `channelIds`, those the member can
 * read (View Channel and Read Message History), computed from the guild's roles, the member's roles and each
 * channel's overwrites as Discord documents it (permissions.ts); a thread by its parent's. A private thread
 * shows only to its members, which the bot does not read, and a channel the bot cannot see or that is not
 * in this server has no audience it can compute: both count as hidden.
 */
export async function memberSources(input: {
  guildId: string;
  member: GuildMemberLike;
  channelIds: readonly string[];
  reads: GuildReads;
  now: Date;
}): Promise<MemberSources> {
  const { guildId, member, reads, now } = input;
  const guild = await reads.guild(guildId);
  const lookup = async (channelId: string): Promise<ChannelLike | 'forbidden' | undefined> => {
    try {
      const channel = await reads.channel(channelId);
      return channel?.guildId === guildId ? channel : undefined;
    } catch (error) {
      if (error instanceof DiscordAccessError && error.reason === 'forbidden') return 'forbidden';
      throw error;
    }
  };
  const verdicts = await Promise.all(
    input.channelIds.map(async (channelId) => {
      const channel = await lookup(channelId);
      if (channel === 'forbidden') return { channelId, readable: false, botCannotSee: true as const };
      if (!channel) return { channelId, readable: false };
      const name = channel.name;
      if (channel.type === ChannelType.PrivateThread) return { channelId, name, readable: false };
      const source = isThread(channel.type)
        ? channel.parentId
          ? await lookup(channel.parentId)
          : undefined
        : channel;
      if (source === 'forbidden') return { channelId, name, readable: false, botCannotSee: true as const };
      if (!source) return { channelId, name, readable: false };
      const permissions = computeChannelPermissions({ guild, member, overwrites: source.overwrites, now });
      return { channelId, name, readable: canView(permissions) };
    }),
  );
  return {
    readable: verdicts.filter((v) => v.readable).map((v) => v.channelId),
    hidden: verdicts
      .filter((v) => !v.readable)
      .map((v) => ({
        channelId: v.channelId,
        ...(v.name ? { name: v.name } : {}),
        ...('botCannotSee' in v ? { botCannotSee: v.botCannotSee } : {}),
      })),
  };
}
