import { ValidationError } from '../../../errors.ts';
import type { Destination } from '../../../tasks/task.ts';
import { applyAudienceRule } from '../../audience-check.ts';
import type { CommandContext } from '../../context.ts';
import type { GuildReads } from '../../guild-reads.ts';

/** The option each off-Discord destination came from, to name in a refusal. */
const FIELD_OF: Record<Exclude<Destination['type'], 'discord_channel'>, string> = {
  webhook: 'webhook',
  email: 'email',
  file: 'file',
};

/** How a refusal names what to change: the options of create and edit, or the fields of an import file. */
export interface AudienceFields {
  /** The field of the source channels (no source left). */
  channels: string;
  /** The field of the off-Discord destination a private source may not reach. */
  offDiscord: (destination: Destination | undefined, index: number) => string;
  /** How the member gives the consent that lets private channels leave Discord. */
  consent: string;
}

/** The options of /schedule create and edit. */
const OPTION_FIELDS: AudienceFields = {
  channels: 'channel',
  offDiscord: (destination) =>
    destination && destination.type !== 'discord_channel' ? FIELD_OF[destination.type] : 'channel',
  consent: 'add include_private:true',
};

/** What the audience rule kept, and what to tell: each source left out, each private one leaving Discord. */
export interface AudienceChecked {
  channelIds: string[];
  /** The reply's lines ("left out: …", the include_private warning). */
  notes: string[];
  /** Why each source was left out ("<#X> is private to <@&A>"). */
  leftOut: string[];
  /** Kept sources that are not public and go off Discord because of include_private, with why. */
  exposed: string[];
}

/**
 * The audience rule at /schedule create, edit and import: sources a destination channel's viewers cannot
 * all read are left out and named in the reply ("left out: <#X> is private to <@&A>"); if none is left, or a
 * private source would go to a webhook, e-mail or file (whose readers Discord does not know) without the
 * creator's explicit `include_private:true`, the command is refused and nothing changes. With it, the reply
 * warns which private channels leave Discord. Without Discord reads (unit tests only: every runtime
 * provides them) the channels are taken as they are.
 */
export async function audienceChecked(
  ctx: CommandContext,
  guildId: string,
  channelIds: readonly string[],
  destinations: readonly Destination[],
  includePrivate = false,
  fields: AudienceFields = OPTION_FIELDS,
  // An import passes the reads its access check used: they cache, so each channel is read once per import.
  reads: GuildReads | undefined = ctx.guildReads?.(),
): Promise<AudienceChecked> {
  if (!reads) return { channelIds: [...channelIds], notes: [], leftOut: [], exposed: [] };
  const outcome = await applyAudienceRule({
    guildId,
    sources: channelIds,
    destinations,
    reads,
    includePrivate,
  });
  const offDiscord = outcome.leftOut.find((l) => l.offDiscord);
  if (offDiscord) {
    const index = destinations.findIndex((d) => d.type !== 'discord_channel');
    throw new ValidationError(
      fields.offDiscord(destinations[index], index),
      `expected channels everyone in the server can read for webhook, e-mail and file delivery; ${offDiscord.reason}, so its messages are not sent outside Discord. Post its digest to a channel with the same audience instead, or ${fields.consent} if its messages may leave Discord`,
    );
  }
  const leftOut = [
    ...outcome.leftOut.map((l) => l.reason),
    // The access check refuses these first; a channel deleted in between is still named, never read.
    ...outcome.unseen.map((u) => `<#${u.channelId}> is not a channel the bot can see in this server`),
  ];
  if (outcome.kept.length === 0) {
    throw new ValidationError(
      fields.channels,
      `expected a channel everyone who sees the destination can read; ${leftOut.join('; ')} (post to a channel with the same audience, or pick another channel)`,
    );
  }
  const notes = leftOut.map((reason) => `left out: ${reason}`);
  const exposed = outcome.privateOffDiscord.map((l) => l.reason);
  if (exposed.length > 0) {
    notes.push(
      `⚠️ include_private: ${exposed.join('; ')}, and its messages go to the webhook, e-mail and file destinations too, where Discord does not check who reads them`,
    );
  }
  return { channelIds: outcome.kept, notes, leftOut, exposed };
}
