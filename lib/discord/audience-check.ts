import { ChannelType } from 'discord-api-types/v10';
import { DiscordAccessError } from '../errors.ts';
import type { Destination } from '../tasks/destination.ts';
import { type AudienceChannel, audienceAllows, describePrivate, isPublic, readersOf } from './audience.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import { isThread } from './permissions.ts';

/** A source channel the audience rule keeps out of a task's digests, and why, in words for the reply. */
export interface LeftOut {
  channelId: string;
  /** "<#X> is private to <@&A>": for replies, where Discord shows mentions as names. */
  reason: string;
  /** "#mods is private to Moderators": for digest footers and run records, which show no mentions. */
  plain: string;
  /** Whether a webhook, e-mail or file destination (not a Discord channel) is what it may not reach. */
  offDiscord: boolean;
}

/** The sources a task may read for its destinations, and those left out. */
export interface AudienceOutcome {
  kept: string[];
  leftOut: LeftOut[];
  /**
   * Kept sources that are not public yet go to a webhook, e-mail or file because the task has
   * `include_private`: what the creator is warned about.
   */
  privateOffDiscord: LeftOut[];
  /**
   * Sources the bot cannot see (403), or that are no channel of this server (deleted, another server's): not
   * checked, so never read; the run records them as unreadable. Create and edit refuse these before this rule.
   */
  unseen: { channelId: string; status: 'forbidden' | 'not_found' }[];
}

/**
 * Applies the audience rule (audience.ts) to a task's sources and destinations from fresh Discord reads
 * (the guild's roles, each channel's overwrites; a thread's come from its parent). A source is left out
 * when some destination channel shows to someone who cannot read it, or when it is not public and the task
 * also delivers off Discord (webhook, e-mail, file), whose readers Discord does not know, unless the task's
 * creator chose `include_private`.
 */
export async function applyAudienceRule(input: {
  guildId: string;
  sources: readonly string[];
  destinations: readonly Destination[];
  reads: GuildReads;
  /** The creator's explicit consent to send sources that are not public to webhooks, e-mail and files. */
  includePrivate?: boolean;
}): Promise<AudienceOutcome> {
  const { guildId, reads } = input;
  // A digest posted only back into the channel it reads reaches that channel's own members, whom the
  // channel's access check already covers: no Discord reads for the commonest task, so a busy create path
  // does not spend the bot's REST rate limit (tests/reliability/load.test.ts).
  const intoItself = (sourceId: string) =>
    input.destinations.length > 0 &&
    input.destinations.every((d) => d.type === 'discord_channel' && d.channelId === sourceId);
  if (input.sources.every(intoItself))
    return { kept: [...input.sources], leftOut: [], privateOffDiscord: [], unseen: [] };
  const guild = await reads.guild(guildId);
  const roleNames = new Map(guild.roles.map((r) => [r.id, r.name ?? `role ${r.id}`]));
  const channelNames = new Map<string, string>();
  type Effective = (AudienceChannel & { privateThread: boolean }) | 'forbidden' | 'not_found';
  const lookup = async (channelId: string): Promise<ChannelLike | 'forbidden' | undefined> => {
    try {
      return await reads.channel(channelId);
    } catch (error) {
      // A channel the bot may not see has no audience it can compute: it is neither read nor posted to.
      if (error instanceof DiscordAccessError && error.reason === 'forbidden') return 'forbidden';
      throw error;
    }
  };
  const effective = async (channelId: string): Promise<Effective> => {
    const channel = await lookup(channelId);
    if (channel === 'forbidden') return channel;
    if (!channel || channel.guildId !== guildId) return 'not_found';
    if (channel.name) channelNames.set(channel.id, channel.name);
    const privateThread = channel.type === ChannelType.PrivateThread;
    if (!isThread(channel.type)) return { id: channel.id, overwrites: channel.overwrites, privateThread };
    const parent = channel.parentId ? await lookup(channel.parentId) : undefined;
    if (parent === 'forbidden') return parent;
    if (!parent || parent.guildId !== guildId) return 'not_found';
    return { id: channel.id, overwrites: parent.overwrites, privateThread };
  };
  // A destination the bot cannot see is one it cannot post to either (that delivery fails on its own).
  const discordTargets = (
    await Promise.all(
      input.destinations.flatMap((d) => (d.type === 'discord_channel' ? [effective(d.channelId)] : [])),
    )
  ).flatMap((target) => (typeof target === 'string' ? [] : [target]));
  const offDiscord = input.destinations.some((d) => d.type !== 'discord_channel');
  const channelWord = (id: string) => `#${channelNames.get(id) ?? id}`;
  const privateTo = (sourceId: string, readers: readonly string[], offDiscordToo: boolean): LeftOut => ({
    channelId: sourceId,
    reason: describePrivate(sourceId, readers),
    plain: `${channelWord(sourceId)} is private to ${readers.length > 0 ? readers.map((id) => roleNames.get(id) ?? id).join(', ') : 'a few members'}`,
    offDiscord: offDiscordToo,
  });
  const kept: string[] = [];
  const leftOut: LeftOut[] = [];
  const privateOffDiscord: LeftOut[] = [];
  const unseen: AudienceOutcome['unseen'] = [];
  for (const sourceId of input.sources) {
    const source = await effective(sourceId);
    // A channel that is gone, elsewhere or hidden is the access check's to name; here it is simply not read.
    if (typeof source === 'string') {
      unseen.push({ channelId: sourceId, status: source });
      continue;
    }
    // A private thread shows only to its members, whom the bot does not read: only its own thread may get it.
    if (source.privateThread && discordTargets.some((t) => t.id !== source.id)) {
      leftOut.push({
        channelId: sourceId,
        reason: `<#${sourceId}> is a private thread`,
        plain: `${channelWord(sourceId)} is a private thread`,
        offDiscord: false,
      });
      continue;
    }
    const refusal = discordTargets
      .map((target) => audienceAllows(guild, source, target))
      .find((verdict) => !verdict.ok);
    if (refusal && !refusal.ok) {
      leftOut.push(privateTo(sourceId, refusal.readers, false));
      continue;
    }
    if (offDiscord && (source.privateThread || !isPublic(guild, source))) {
      const exposed = privateTo(sourceId, readersOf(guild, source), true);
      if (!input.includePrivate) {
        leftOut.push(exposed);
        continue;
      }
      privateOffDiscord.push(exposed);
    }
    kept.push(sourceId);
  }
  return { kept, leftOut, privateOffDiscord, unseen };
}
