import { ValidationError } from '../../../errors.ts';
import type { Destination } from '../../../tasks/destination.ts';
import { accessMemberOf } from '../../channel-access.ts';
import type { CommandContext } from '../../context.ts';
import { checkThreadDestination, holdsOnlyThreads } from '../../thread-access.ts';

/**
 * Checks every `thread:true` Discord destination for create and edit: a channel that can hold a new thread
 * each run, where the member and the bot may start one (thread-access.ts). Without Discord reads (unit
 * tests only: every runtime provides them) the run is left to say what is missing.
 */
export async function checkThreadDestinations(
  ctx: CommandContext,
  guildId: string,
  destinations: readonly Destination[],
  field: string,
  known?: ReadonlyMap<string, string>,
): Promise<void> {
  const reads = ctx.guildReads?.();
  if (!reads) return;
  for (const d of destinations) {
    if (d.type !== 'discord_channel' || !d.thread) continue;
    await checkThreadDestination(field, d.channelId, {
      guildId,
      reads,
      ...(ctx.interaction.member ? { member: accessMemberOf(ctx.interaction.member) } : {}),
      ...(known ? { known } : {}),
      ...(ctx.applicationId ? { botUserId: ctx.applicationId } : {}),
      now: ctx.now,
    });
  }
}

/** The member's permissions Discord resolved in a channel option, to check without reading them again. */
export function knownPermissions(
  chosen: { id: string; permissions?: string | undefined } | undefined,
): ReadonlyMap<string, string> | undefined {
  return chosen?.permissions !== undefined ? new Map([[chosen.id, chosen.permissions]]) : undefined;
}

/** A note for the reply: where each run starts a new thread. */
export function threadNotes(destinations: readonly Destination[]): string[] {
  return destinations.flatMap((d) =>
    d.type === 'discord_channel' && d.thread
      ? [`Each run starts a new thread in <#${d.channelId}>, named after the hours it covers.`]
      : [],
  );
}

/**
 * `/schedule settings thread:` — the task's Discord destinations set to start a new thread each run
 * (checked), or to post in the channel again. A forum or media channel holds only threads, so
 * `thread:false` is refused there.
 */
export async function threadedDestinations(
  ctx: CommandContext,
  guildId: string,
  destinations: readonly Destination[],
  thread: boolean,
): Promise<Destination[]> {
  const channels = destinations.filter((d) => d.type === 'discord_channel');
  if (channels.length === 0)
    throw new ValidationError(
      'thread',
      'this task posts in no Discord channel; add one with /schedule edit post_to:',
    );
  const next = destinations.map((d): Destination => {
    if (d.type !== 'discord_channel') return d;
    const { thread: _old, ...rest } = d;
    return thread ? { ...rest, thread: true } : rest;
  });
  if (thread) {
    await checkThreadDestinations(ctx, guildId, next, 'thread');
    return next;
  }
  const reads = ctx.guildReads?.();
  for (const d of channels) {
    if (reads && holdsOnlyThreads((await reads.channel(d.channelId))?.type))
      throw new ValidationError(
        'thread',
        `expected a text or announcement channel to post in without a thread; <#${d.channelId}> is a forum channel, which holds only posts, so each run's digest there is a new post`,
      );
  }
  return next;
}
