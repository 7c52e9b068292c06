import {
  ChannelFlags,
  ChannelType,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  ThreadAutoArchiveDuration,
} from 'discord-api-types/v10';
import { fieldError, MISSING_PERMISSIONS } from './api-errors.ts';
import { type Answer, channelJson, type StandInState, type StoredChannel } from './state.ts';

// Discord's thread routes as channel.mdx documents them (Start Thread without Message, Start Thread in
// Forum or Media Channel), with the permission rules of permissions.mdx, for the bot's own requests.

const P = PermissionFlagsBits;
const ARCHIVE_DURATIONS = new Set<number>(Object.values(ThreadAutoArchiveDuration).map(Number));
const FORUM_TYPES = new Set<ChannelType>([ChannelType.GuildForum, ChannelType.GuildMedia]);

const refusal = (status: number, code: number, message: string): Answer => ({
  status,
  body: { message, code },
});
const WRONG_CHANNEL_TYPE = refusal(
  400,
  RESTJSONErrorCodes.CannotExecuteActionOnThisChannelType,
  'Cannot execute action on this channel type',
);
/** Discord's answer to `POST /channels/{forum}/messages`. */
export const FORUM_MESSAGE = refusal(
  400,
  RESTJSONErrorCodes.CannotSendAMessageInAForumChannel,
  'Cannot send a message in a forum channel',
);

function allows(permissions: bigint, ...flags: bigint[]): boolean {
  if ((permissions & P.Administrator) === P.Administrator) return true;
  return flags.every((flag) => (permissions & flag) === flag);
}

/** Whether the bot may post in a thread: Send Messages is not inherited into threads, Send Messages in Threads is. */
export function botMayPostInThread(state: StandInState, thread: StoredChannel): boolean {
  return allows(state.botPermissionsIn(thread), P.ViewChannel, P.SendMessagesInThreads);
}

interface ThreadBody {
  name?: unknown;
  auto_archive_duration?: unknown;
  type?: unknown;
  message?: unknown;
  applied_tags?: unknown;
}

/** `POST /channels/{id}/threads`: a thread without a message, or a forum/media post with its first message. */
export function startThread(state: StandInState, parentId: string, raw: unknown): Answer {
  const { error, channel: parent } = state.readableChannel(parentId);
  if (error) return error;
  const body = (raw ?? {}) as ThreadBody;
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)
    return fieldError('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  if (body.auto_archive_duration !== undefined && !ARCHIVE_DURATIONS.has(Number(body.auto_archive_duration)))
    return fieldError(
      'auto_archive_duration',
      'BASE_TYPE_CHOICES',
      'Value must be one of {60, 1440, 4320, 10080}.',
    );
  const permissions = state.botPermissionsIn(parent);
  if (FORUM_TYPES.has(parent.type)) return startForumPost(state, parent, body, permissions);

  let type: ChannelType;
  if (parent.type === ChannelType.GuildText) {
    // "type currently defaults to PRIVATE_THREAD" (Start Thread without Message).
    type = body.type === undefined ? ChannelType.PrivateThread : Number(body.type);
    if (type !== ChannelType.PublicThread && type !== ChannelType.PrivateThread)
      return fieldError('type', 'BASE_TYPE_CHOICES', 'Value must be one of {11, 12}.');
  } else if (parent.type === ChannelType.GuildAnnouncement) {
    type = body.type === undefined ? ChannelType.AnnouncementThread : Number(body.type);
    if (type !== ChannelType.AnnouncementThread)
      return fieldError('type', 'BASE_TYPE_CHOICES', 'Value must be one of {10}.');
  } else {
    return WRONG_CHANNEL_TYPE;
  }
  const needs = type === ChannelType.PrivateThread ? P.CreatePrivateThreads : P.CreatePublicThreads;
  if (!allows(permissions, P.ViewChannel, needs)) return MISSING_PERMISSIONS;
  const thread = createThread(state, parent, body.name, type, body.auto_archive_duration);
  return { status: 200, body: channelJson(thread) };
}

function startForumPost(
  state: StandInState,
  forum: StoredChannel,
  body: ThreadBody,
  permissions: bigint,
): Answer {
  if (typeof body.message !== 'object' || body.message === null)
    return fieldError('message', 'BASE_TYPE_REQUIRED', 'This field is required');
  // "The current user must have the SEND_MESSAGES permission (CREATE_PUBLIC_THREADS is ignored)".
  if (!allows(permissions, P.ViewChannel, P.SendMessages)) return MISSING_PERMISSIONS;
  const tags: unknown[] = Array.isArray(body.applied_tags) ? body.applied_tags : [];
  if (((forum.flags ?? 0) & ChannelFlags.RequireTag) !== 0 && tags.length === 0)
    return refusal(
      400,
      RESTJSONErrorCodes.TagRequiredToCreateAForumPostInThisChannel,
      'A tag is required to create a forum post in this channel',
    );
  const known = new Set((forum.availableTags ?? []).map((t) => t.id));
  if (tags.some((t) => typeof t !== 'string' || !known.has(t)))
    return fieldError('applied_tags', 'BASE_TYPE_CHOICES', 'Value must be one of the channel tags');
  const thread = createThread(
    state,
    forum,
    body.name as string,
    ChannelType.PublicThread,
    body.auto_archive_duration,
  );
  if (tags.length > 0) thread.appliedTags = tags as string[];
  const posted = state.createMessage(thread.id, body.message, state.botUser);
  if (!posted.message || posted.status !== 200) {
    // Discord checks the whole body first; nothing is left behind by a refused post.
    state.channels.delete(thread.id);
    return posted;
  }
  state.recordPost(thread.id, posted.message);
  return { status: 200, body: { ...channelJson(thread), message: posted.message } };
}

function createThread(
  state: StandInState,
  parent: StoredChannel,
  name: string,
  type: ChannelType,
  autoArchive: unknown,
): StoredChannel {
  const now = state.now();
  const thread: StoredChannel = {
    id: state.nextId(now),
    guildId: parent.guildId,
    name,
    type,
    parentId: parent.id,
    ownerId: state.botUser.id,
    permissionOverwrites: [],
    threadMetadata: {
      archived: false,
      auto_archive_duration:
        autoArchive === undefined
          ? ThreadAutoArchiveDuration.OneDay
          : (Number(autoArchive) as ThreadAutoArchiveDuration),
      archive_timestamp: now.toISOString(),
      locked: false,
      create_timestamp: now.toISOString(),
    },
    messageCount: 0,
  };
  state.channels.set(thread.id, thread);
  return thread;
}
