import { ChannelType } from 'discord-api-types/v10';
import type { Destination } from '../tasks/task.ts';
import { type AudienceChannel, audienceAllows, describePrivate, isPublic, readersOf } from './audience.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import { isThread } from './permissions.ts';

/** A source channel the audience rule keeps out of a task's digests, and why, in words for the reply. */
export interface LeftOut {
  channelId: string;
  /** "<#X> is private to <@&A>" */
  reason: string;
  /** Whether a webhook, e-mail or file destination (not a Discord channel) is what it may not reach. */
  offDiscord: boolean;
}

/** The sources a task may read for its destinations, and those left out. */
export interface AudienceOutcome {
  kept: string[];
  leftOut: LeftOut[];
}

/**
 * Applies the audience rule (audience.ts) to a task's sources and destinations from fresh Discord reads
 * (the guild's roles, each channel's overwrites; a thread's come from its parent). A source is left out
 * when some destination channel shows to someone who cannot read it, or when it is not public and the task
 * also delivers off Discord (webhook, e-mail, file), whose readers Discord does not know.
 */
export async function applyAudienceRule(input: {
  guildId: string;
  sources: readonly string[];
  destinations: readonly Destination[];
  reads: GuildReads;
}): Promise<AudienceOutcome> {
  const { guildId, reads } = input;
  // A digest posted only back into the channel it reads reaches that channel's own members, whom the
  // channel's access check already covers: no Discord reads for the commonest task, so a busy create path
  // does not spend the bot's REST rate limit (tests/reliability/load.test.ts).
  const intoItself = (sourceId: string) =>
    input.destinations.length > 0 &&
    input.destinations.every((d) => d.type === 'discord_channel' && d.channelId === sourceId);
  if (input.sources.every(intoItself)) return { kept: [...input.sources], leftOut: [] };
  const guild = await reads.guild(guildId);
  const effective = async (
    channelId: string,
  ): Promise<(AudienceChannel & { privateThread: boolean }) | undefined> => {
    const channel: ChannelLike | undefined = await reads.channel(channelId);
    if (!channel || channel.guildId !== guildId) return undefined;
    const privateThread = channel.type === ChannelType.PrivateThread;
    if (!isThread(channel.type)) return { id: channel.id, overwrites: channel.overwrites, privateThread };
    const parent = channel.parentId ? await reads.channel(channel.parentId) : undefined;
    if (!parent || parent.guildId !== guildId) return undefined;
    return { id: channel.id, overwrites: parent.overwrites, privateThread };
  };
  const discordTargets = await Promise.all(
    input.destinations.flatMap((d) => (d.type === 'discord_channel' ? [effective(d.channelId)] : [])),
  );
  const offDiscord = input.destinations.some((d) => d.type !== 'discord_channel');
  const kept: string[] = [];
  const leftOut: LeftOut[] = [];
  for (const sourceId of input.sources) {
    const source = await effective(sourceId);
    // A channel that is gone or elsewhere is the access check's to name; here it is simply not delivered.
    if (!source) {
      leftOut.push({
        channelId: sourceId,
        reason: `<#${sourceId}> is not a channel of this server`,
        offDiscord: false,
      });
      continue;
    }
    // A private thread shows only to its members, whom the bot does not read: only its own thread may get it.
    if (source.privateThread && discordTargets.some((t) => t?.id !== source.id)) {
      leftOut.push({ channelId: sourceId, reason: `<#${sourceId}> is a private thread`, offDiscord: false });
      continue;
    }
    const refusal = discordTargets
      .map((target) => (target ? audienceAllows(guild, source, target) : undefined))
      .find((verdict) => verdict !== undefined && !verdict.ok);
    if (refusal && !refusal.ok) {
      leftOut.push({
        channelId: sourceId,
        reason: describePrivate(sourceId, refusal.readers),
        offDiscord: false,
      });
      continue;
    }
    if (offDiscord && (source.privateThread || !isPublic(guild, source))) {
      const readers = readersOf(guild, source);
      leftOut.push({ channelId: sourceId, reason: describePrivate(sourceId, readers), offDiscord: true });
      continue;
    }
    kept.push(sourceId);
  }
  return { kept, leftOut };
}
