import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { Logger } from '../observability/logger.ts';
import { escapeMarkdown } from '../shared/markdown.ts';
import { lastRuns } from '../shared/words.ts';
import type { Destination } from '../tasks/destination.ts';
import { destinationWords } from '../tasks/destination-words.ts';
import type { DestinationOutcome } from '../tasks/run-record.ts';
import { failureLimitOf, type Task } from '../tasks/task.ts';
import { ChannelGuard } from './channel-guard.ts';
import { noticeTarget, sendNotice } from './notice-target.ts';
import type { ChannelDirectory } from './ports.ts';

/**
 * Failures counted per destination, so one destination failing run after run while the others deliver is
 * noticed: the run is `partial`, which resets the task's own count, and without these counts the task would
 * look healthy forever.
 */

/** A destination's identity across edits and reorders (its index is not): type and where it goes. */
export function destinationKey(destination: Destination): string {
  switch (destination.type) {
    case 'discord_channel':
      return `discord_channel:${destination.channelId}`;
    case 'webhook':
      return `webhook:${destination.url}`;
    case 'email':
      return `email:${[...destination.addresses].sort().join(',')}`;
    case 'file':
      return `file:${destination.prefix}`;
  }
}

/**
 * The per-destination counts after a run: a delivery resets its destination, a failure adds one; counts of
 * destinations the task no longer has are dropped.
 */
export function withDestinationOutcomes(
  counts: Readonly<Record<string, number>> | undefined,
  destinations: readonly Destination[],
  outcomes: readonly DestinationOutcome[],
): Record<string, number> {
  const next: Record<string, number> = {};
  const current = new Set(destinations.map(destinationKey));
  for (const [key, count] of Object.entries(counts ?? {})) if (current.has(key)) next[key] = count;
  for (const outcome of outcomes) {
    const destination = destinations[outcome.index];
    if (!destination) continue;
    const key = destinationKey(destination);
    if (outcome.status === 'delivered') delete next[key];
    else next[key] = (next[key] ?? 0) + 1;
  }
  return next;
}

/** Each destination of a task with its consecutive failures (0 for healthy ones), in the task's order. */
export function destinationHealth(task: Task): { destination: Destination; failures: number }[] {
  const counts = task.metadata.destinationFailures ?? {};
  return task.destinations.map((destination) => ({
    destination,
    failures: counts[destinationKey(destination)] ?? 0,
  }));
}

/** "the webhook on hooks.example.com failed the last 3 runs", for each failing destination. */
export function describeFailingDestinations(task: Task): string[] {
  return destinationHealth(task)
    .filter((h) => h.failures > 0)
    .map((h) => `${destinationWords(h.destination, h.destination.type)} failed ${lastRuns(h.failures)}`);
}

export interface DestinationAlertDeps {
  poster: DiscordPoster;
  /** Where notice channels are checked to be in the task's server. */
  channels: ChannelDirectory;
  logger: Logger;
  /**
   * The deployment's failure limit; a task's own limit wins. The same limit as the task's: this many
   * failures of one destination in a row alert its admins.
   */
  threshold: number;
  /** Read only when a notice is due. */
  serverNotifyChannelId: () => Promise<string | undefined>;
}

/**
 * Tells the admins once, when a destination reaches the task's failure limit (else `threshold`) failures in a row while the task still
 * delivers elsewhere. The notice never goes to the failing channel itself (a DM to the creator instead).
 */
export async function alertFailingDestinations(
  task: Task,
  outcomes: readonly DestinationOutcome[],
  deps: DestinationAlertDeps,
): Promise<void> {
  const counts = task.metadata.destinationFailures ?? {};
  const threshold = failureLimitOf(task, deps.threshold);
  for (const outcome of outcomes) {
    const destination = task.destinations[outcome.index];
    if (outcome.status !== 'failed' || !destination) continue;
    if (counts[destinationKey(destination)] !== threshold) continue;
    let target = noticeTarget(task, await deps.serverNotifyChannelId());
    if (
      target.kind === 'channel' &&
      destination.type === 'discord_channel' &&
      destination.channelId === target.channelId
    ) {
      target = { kind: 'dm', userId: task.createdBy };
    }
    const content =
      `⚠️ The scheduled summary **${escapeMarkdown(task.name)}**${target.kind === 'dm' ? ' in a server you manage' : ''} ` +
      `(\`${task.id}\`) could not deliver to ${destinationWords(destination, destination.type)} in ` +
      `${lastRuns(threshold)}; its other destinations still receive it.\n` +
      `Last error: ${outcome.error ?? 'unknown'}\n` +
      `Fix it, or change the destinations with \`/schedule edit task:${task.id}\`.`;
    try {
      await sendNotice(deps.poster, target, content, new ChannelGuard(deps.channels, task.guildId));
    } catch (error) {
      // The run is recorded either way; the count stays, and status shows the failing destination.
      deps.logger.error('could not tell admins about a failing destination', { taskId: task.id, error });
    }
  }
}
