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
 * source would go to a webhook, e-mail or file (whose readers Discord does not know; `include_private` is not
 * offered yet), the command is refused and nothing changes. Without Discord reads (unit tests only: every
 * runtime provides them) the channels are taken as they are.
 */
export async function audienceChecked(
  ctx: CommandContext,
  guildId: string,
  channelIds: readonly string[],
  destinations: readonly Destination[],
): Promise<{ channelIds: string[]; notes: string[] }> {
  if (!ctx.guildReads) return { channelIds: [...channelIds], notes: [] };
  const outcome = await applyAudienceRule({
    guildId,
    sources: channelIds,
    destinations,
    reads: ctx.guildReads(),
  });
  const offDiscord = outcome.leftOut.find((l) => l.offDiscord);
  if (offDiscord) {
    const target = destinations.find((d) => d.type !== 'discord_channel');
    const field = target ? FIELD_OF[target.type] : 'channel';
    throw new ValidationError(
      field,
      `expected channels everyone in the server can read for webhook, e-mail and file delivery; ${offDiscord.reason}, so its messages are not sent outside Discord (post its digest to a channel with the same audience instead)`,
    );
  }
  if (outcome.kept.length === 0) {
    const reasons = outcome.leftOut.map((l) => l.reason).join('; ');
    throw new ValidationError(
      'channel',
      `expected a channel everyone who sees the destination can read; ${reasons} (post to a channel with the same audience, or pick another channel)`,
    );
  }
  return { channelIds: outcome.kept, notes: outcome.leftOut.map((l) => `left out: ${l.reason}`) };
}
