import type { DiscordPoster } from '../delivery/discord-poster.ts';
import type { Task } from '../tasks/task.ts';
import type { ChannelGuard } from './channel-guard.ts';

/**
 * Where failure notices of a task go, so they are never silent: the task's own notify channel, else the
 * server's, else the task's first Discord destination (its admins read it), else a direct message to the
 * admin who created the task.
 */
export type NoticeTarget =
  | { kind: 'channel'; channelId: string; source: 'task' | 'server' | 'destination' }
  | { kind: 'dm'; userId: string };

/** The target for `task` given the server's notify channel (if one is set). */
export function noticeTarget(
  task: Pick<Task, 'notifyChannelId' | 'destinations' | 'createdBy'>,
  serverNotifyChannelId: string | undefined,
): NoticeTarget {
  if (task.notifyChannelId) return { kind: 'channel', channelId: task.notifyChannelId, source: 'task' };
  if (serverNotifyChannelId) return { kind: 'channel', channelId: serverNotifyChannelId, source: 'server' };
  const posted = task.destinations.find((d) => d.type === 'discord_channel');
  if (posted?.type === 'discord_channel') {
    return { kind: 'channel', channelId: posted.channelId, source: 'destination' };
  }
  return { kind: 'dm', userId: task.createdBy };
}

/** Where notices go, in words for replies: "<#123> (this server's notify channel)". */
export function describeNoticeTarget(target: NoticeTarget): string {
  if (target.kind === 'dm') return `a direct message to <@${target.userId}> (no channel is set for notices)`;
  const why = {
    task: "the task's notify channel",
    server: "this server's notify channel",
    destination: 'where it posts, as no notify channel is set; see /config notify-channel',
  }[target.source];
  return `<#${target.channelId}> (${why})`;
}

/**
 * Posts a notice to its target, opening the DM channel first for a direct message. A channel target is
 * first checked to be in the task's server (`channels`): a notice never goes to another server. Throws
 * DeliveryError.
 */
export async function sendNotice(
  poster: Pick<DiscordPoster, 'postMessage' | 'openDirectMessage'>,
  target: NoticeTarget,
  content: string,
  channels: Pick<ChannelGuard, 'assertInServer'>,
): Promise<void> {
  if (target.kind === 'channel') await channels.assertInServer(target.channelId);
  const channelId =
    target.kind === 'dm' ? (await poster.openDirectMessage(target.userId)).channelId : target.channelId;
  await poster.postMessage(channelId, { content, allowed_mentions: { parse: [] } });
}
