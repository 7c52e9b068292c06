import type { Task } from './task.ts';

/** What a task does with a Discord channel: reads its history, posts summaries, or posts failure notices. */
export type ChannelUse = 'read' | 'post' | 'notify';

/** One Discord channel a task names, with the field that names it (`channelIds[0]`, `destinations[2]`). */
export interface ChannelReference {
  field: string;
  channelId: string;
  use: ChannelUse;
}

/** Every Discord channel a task reads, posts to or notifies: what access checks go through. */
export function channelReferences(task: Task): ChannelReference[] {
  const references: ChannelReference[] = [];
  if (task.kind === 'summary') {
    task.channelIds.forEach((channelId, i) => {
      references.push({ field: `channelIds[${i}]`, channelId, use: 'read' });
    });
  }
  task.destinations.forEach((destination, i) => {
    if (destination.type === 'discord_channel')
      references.push({
        field: `destinations[${i}].channelId`,
        channelId: destination.channelId,
        use: 'post',
      });
  });
  if (task.notifyChannelId)
    references.push({ field: 'notifyChannelId', channelId: task.notifyChannelId, use: 'notify' });
  return references;
}
