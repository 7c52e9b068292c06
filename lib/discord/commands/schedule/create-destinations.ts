import { PermissionError, ValidationError } from '../../../errors.ts';
import type { Destination } from '../../../tasks/destination.ts';
import type { CommandContext } from '../../context.ts';
import { canView } from '../../permissions.ts';
import { holdsOnlyThreads } from '../../thread-access.ts';
import { checkedDestination, parseEmails, parseFilePrefix, parseWebhookUrl } from '../../values.ts';
import type { CommonReader } from './create-kinds.ts';
import { postableChannel, readableSourceChannels } from './task-options.ts';

/** Where a new task reads and sends: its source channels and its destinations, from create's options. */

/**
 * The channels to summarize: the channel options (default: this channel), each one the member can read.
 * For the current channel the interaction carries the member's permissions.
 */
export function readableChannels(ctx: CommandContext, opts: CommonReader): string[] {
  const ids = readableSourceChannels(opts);
  if (!opts.has('channel')) {
    const here = ctx.channelId;
    if (!here) throw new ValidationError('channel', 'expected a channel to summarize');
    const permissions = ctx.interaction.channel?.permissions ?? ctx.interaction.member?.permissions;
    if (!canView(permissions)) {
      throw new PermissionError(`You cannot read <#${here}>, so it cannot be summarized for you.`);
    }
    ids.unshift(here);
  }
  return [...new Set(ids)];
}

/** Destinations from the options, each checked and named after its option. */
export function destinationsFrom(ctx: CommandContext, opts: CommonReader): Destination[] {
  // Embeds by default; /schedule settings format: changes it (kept off create: each option here counts six times).
  const format = 'embed';
  const destinations: Destination[] = [];
  const chosen = postableChannel(opts.channel('post_to'));
  const postTo = chosen?.id ?? ctx.channelId;
  // A forum or media channel holds only threads: a digest there is a new post each run.
  const thread = holdsOnlyThreads(chosen?.type);
  const webhook = opts.string('webhook');
  const email = opts.string('email');
  const file = opts.string('file');
  // The channel is the default destination; another destination alone replaces it only if post_to is unset.
  if (opts.has('post_to') || !(webhook || email || file)) {
    if (!postTo) throw new ValidationError('post_to', 'expected a channel to post summaries in');
    destinations.push(
      checkedDestination('post_to', {
        type: 'discord_channel',
        channelId: postTo,
        format,
        ...(thread ? { thread } : {}),
      }),
    );
  }
  if (webhook) {
    const url = parseWebhookUrl('webhook', webhook, ctx.allowLoopbackWebhooks);
    destinations.push(checkedDestination('webhook', { type: 'webhook', url }));
  }
  if (email) {
    destinations.push(checkedDestination('email', { type: 'email', addresses: parseEmails('email', email) }));
  }
  if (file) {
    destinations.push(checkedDestination('file', { type: 'file', prefix: parseFilePrefix('file', file) }));
  }
  return destinations;
}
