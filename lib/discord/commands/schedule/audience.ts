import { ValidationError } from '../../../errors.ts';
import type { Destination } from '../../../tasks/task.ts';
import { applyAudienceRule } from '../../audience-check.ts';
import type { CommandContext } from '../../context.ts';

/** The option each off-Discord destination came from, to name in a refusal. */
const FIELD_OF: Record<Exclude<Destination['type'], 'discord_channel'>, string> = {
  webhook: 'webhook',
  email: 'email',
  file: 'file',
};

/**
 * The audience rule at /schedule create and edit: sources a destination channel's viewers cannot all read
 * are left out and named in the reply ("left out: <#X> is private to <@&A>"); if none is left, or a private
 * source would go to a webhook, e-mail or file (whose readers Discord does not know) without the creator's
 * explicit `include_private:true`, the command is refused and nothing changes. With it, the reply warns
 * which private channels leave Discord. Without Discord reads (unit tests only: every runtime provides
 * them) the channels are taken as they are.
 */
export async function audienceChecked(
  ctx: CommandContext,
  guildId: string,
  channelIds: readonly string[],
  destinations: readonly Destination[],
  includePrivate = false,
): Promise<{ channelIds: string[]; notes: string[] }> {
  if (!ctx.guildReads) return { channelIds: [...channelIds], notes: [] };
  const outcome = await applyAudienceRule({
    guildId,
    sources: channelIds,
    destinations,
    reads: ctx.guildReads(),
    includePrivate,
  });
  const offDiscord = outcome.leftOut.find((l) => l.offDiscord);
  if (offDiscord) {
    const target = destinations.find((d) => d.type !== 'discord_channel');
    const field = target ? FIELD_OF[target.type] : 'channel';
    throw new ValidationError(
      field,
      `expected channels everyone in the server can read for webhook, e-mail and file delivery; ${offDiscord.reason}, so its messages are not sent outside Discord. Post its digest to a channel with the same audience instead, or add include_private:true if its messages may leave Discord`,
    );
  }
  const leftOut = [
    ...outcome.leftOut.map((l) => l.reason),
    // The access check refuses these first; a channel deleted in between is still named, never read.
    ...outcome.unseen.map((u) => `<#${u.channelId}> is not a channel the bot can see in this server`),
  ];
  if (outcome.kept.length === 0) {
    throw new ValidationError(
      'channel',
      `expected a channel everyone who sees the destination can read; ${leftOut.join('; ')} (post to a channel with the same audience, or pick another channel)`,
    );
  }
  const notes = leftOut.map((reason) => `left out: ${reason}`);
  if (outcome.privateOffDiscord.length > 0) {
    const exposed = outcome.privateOffDiscord.map((l) => l.reason).join('; ');
    notes.push(
      `⚠️ include_private: ${exposed}, and its messages go to the webhook, e-mail and file destinations too, where Discord does not check who reads them`,
    );
  }
  return { channelIds: outcome.kept, notes };
}
