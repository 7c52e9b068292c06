import type { Destination } from './destination.ts';
import { expressionOf, type ScheduleSpec } from './schedule-spec.ts';

/** What makes two tasks the same job: what they read, where they deliver, and when (names do not count). */
export interface TaskIdentity {
  kind: 'summary' | 'cleanup';
  channelIds?: readonly string[];
  /** A category or whole-server task reads more than its `channelIds` (absent: `channel`). */
  source?: string;
  destinations: readonly Destination[];
  schedule: ScheduleSpec;
  timeZone: string;
}

function destinationKey(d: Destination): string {
  switch (d.type) {
    case 'discord_channel':
      return `discord:${d.channelId}`;
    case 'webhook':
      return `webhook:${d.url}`;
    case 'email':
      return `email:${[...d.addresses]
        .map((a) => a.toLowerCase())
        .sort()
        .join(',')}`;
    case 'file':
      return `file:${d.prefix}`;
  }
}

/** A key equal for tasks that read the same channels, deliver to the same places on the same schedule. */
export function taskIdentityKey(task: TaskIdentity): string {
  return JSON.stringify([
    task.kind,
    [...(task.channelIds ?? [])].sort(),
    // Absent for tasks that read their channels, so keys of tasks stored before sources existed stay equal.
    ...(task.source && task.source !== 'channel' ? [task.source] : []),
    task.destinations.map(destinationKey).sort(),
    expressionOf(task.schedule),
    task.timeZone,
  ]);
}
