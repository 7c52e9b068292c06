import type { Destination } from '../../../tasks/destination.ts';
import { type AudienceChecked, type AudienceFields, checkAudience } from '../../audience-review.ts';
import type { CommandContext } from '../../context.ts';
import type { GuildReads } from '../../guild-reads.ts';

export type { AudienceChecked, AudienceFields };

/** The option each off-Discord destination came from, to name in a refusal. */
const FIELD_OF: Record<Exclude<Destination['type'], 'discord_channel'>, string> = {
  webhook: 'webhook',
  email: 'email',
  file: 'file',
};

/** The options of /schedule create and edit. */
const OPTION_FIELDS: AudienceFields = {
  channels: 'channel',
  offDiscord: (destination) =>
    destination && destination.type !== 'discord_channel' ? FIELD_OF[destination.type] : 'channel',
  consent: 'add include_private:true',
};

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
  return checkAudience({ guildId, channelIds, destinations, includePrivate, fields, reads });
}
