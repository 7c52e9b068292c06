import { ChannelType } from 'discord-api-types/v10';
import { ConfigError } from '../errors.ts';
import type { RunSourcePlan, RunSources, SubscriberAccess } from '../execution/ports.ts';
import type { SummaryTask } from '../tasks/task.ts';
import { DEFAULT_MAX_CHANNELS_PER_TASK } from '../tasks/task-source.ts';
import { applyAudienceRule } from './audience-check.ts';
import type { ChannelLike, GuildReads } from './guild-reads.ts';
import { memberSources } from './member-access.ts';

/** What a category or whole-server task reads: channels with messages of their own. */
const TEXT_TYPES: ReadonlySet<number> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);
/** Channels whose active threads it reads too (forum and media channels hold nothing but threads). */
const THREAD_PARENT_TYPES: ReadonlySet<number> = new Set([
  ...TEXT_TYPES,
  ChannelType.GuildForum,
  ChannelType.GuildMedia,
]);
/** A thread anyone who sees its parent can read (a private thread shows only to its members). */
const OPEN_THREAD_TYPES: ReadonlySet<number> = new Set([
  ChannelType.PublicThread,
  ChannelType.AnnouncementThread,
]);
/** At most this many left-out channels are named on a run (a big server's private channels are counted). */
const MAX_LEFT_OUT_NAMED = 20;

/**
 * `RunSources` from Discord: before each run reads a message, the guild's roles and every source's and
 * destination's overwrites are read again (as they are when the run starts: see RunGuildReads)
 * and the audience rule of create and edit is applied to the task as it stands now. A category or
 * whole-server task is expanded here, at each run, into the channels it covers now (so a channel made
 * yesterday is read today), and the rule is applied to each of them.
 */
export class DiscordRunSources implements RunSources {
  readonly #reads: () => GuildReads;

  /** `reads` builds the lookups of one run. */
  constructor(reads: () => GuildReads) {
    this.#reads = reads;
  }

  async plan(task: SummaryTask, options: { maxChannels?: number } = {}): Promise<RunSourcePlan> {
    const reads = this.#reads();
    if (!task.source || task.source === 'channel') return checked(task, task.channelIds, reads);
    const listing = await expand(task, reads);
    const plan = await checked(
      task,
      listing.channels.map((c) => c.id),
      knownChannels(reads, listing.known),
    );
    const limit = options.maxChannels ?? DEFAULT_MAX_CHANNELS_PER_TASK;
    const read = plan.channelIds.slice(0, limit);
    const cut = plan.channelIds.slice(limit);
    const names = new Map(listing.channels.map((c) => [c.id, listing.nameOf(c)]));
    return {
      ...plan,
      channelIds: read,
      leftOut: namedAtMost(plan.leftOut, MAX_LEFT_OUT_NAMED),
      sections: Object.fromEntries(read.map((id) => [id, names.get(id) ?? id])),
      ...(cut.length > 0
        ? { overCap: { limit, channelIds: cut, names: cut.map((id) => names.get(id) ?? id) } }
        : {}),
    };
  }

  async forSubscribers(
    guildId: string,
    channelIds: readonly string[],
    userIds: readonly string[],
  ): Promise<Map<string, SubscriberAccess>> {
    const reads = this.#reads();
    const lookUp = reads.member;
    if (!lookUp) throw new Error('these Discord reads cannot look members up');
    const result = new Map<string, SubscriberAccess>();
    // A few members at a time: each is one GET in the members route's rate-limit bucket.
    for (let i = 0; i < userIds.length; i += MEMBERS_AT_ONCE) {
      await Promise.all(
        userIds.slice(i, i + MEMBERS_AT_ONCE).map(async (userId) => {
          const member = await lookUp(guildId, userId);
          if (!member) {
            result.set(userId, { member: false });
            return;
          }
          // A time-out keeps View Channel and Read Message History, so the instant does not change the answer.
          const view = await memberSources({ guildId, member, channelIds, reads, now: new Date() });
          result.set(userId, {
            member: true,
            readable: view.readable,
            hidden: view.hidden.map((h) => `#${h.name ?? h.channelId}`),
          });
        }),
      );
    }
    return result;
  }
}

/** Subscribers looked up in parallel at a run. */
const MEMBERS_AT_ONCE = 5;

/** The audience rule on `sources`, as the run plan states it. */
async function checked(
  task: SummaryTask,
  sources: readonly string[],
  reads: GuildReads,
): Promise<RunSourcePlan> {
  const outcome = await applyAudienceRule({
    guildId: task.guildId,
    sources,
    destinations: task.destinations,
    reads,
    includePrivate: task.options.includePrivate,
  });
  return {
    channelIds: outcome.kept,
    leftOut: outcome.leftOut.map((l) => ({ channelId: l.channelId, reason: l.plain })),
    unreadable: outcome.unseen,
  };
}

interface Listing {
  /** The channels and open threads covered, the most recently active first (what the cap keeps). */
  channels: ChannelLike[];
  /** Everything listed, by id: the audience rule reads these (and threads' parents) without asking again. */
  known: Map<string, ChannelLike>;
  /** `#general`, or `#release-plan in #dev` for a thread. */
  nameOf(channel: ChannelLike): string;
}

/**
 * The channels a category or whole-server task covers now: the server's text and announcement channels
 * (in its categories, for a category task), and the active public threads of those and of its forums
 * (Discord's "List Active Guild Threads"). Discord lists only channels the bot can view. Private threads
 * are never read by such a task: only their members see them, and even their names are theirs.
 */
async function expand(task: SummaryTask, reads: GuildReads): Promise<Listing> {
  if (!reads.channels || !reads.activeThreads)
    throw new ConfigError(
      'this runtime cannot list a server’s channels, so a category or server task cannot run',
    );
  const [channels, threads] = await Promise.all([
    reads.channels(task.guildId),
    reads.activeThreads(task.guildId),
  ]);
  const categories = task.source === 'category' ? new Set(task.channelIds) : undefined;
  const inScope = (c: ChannelLike) => !categories || (c.parentId !== undefined && categories.has(c.parentId));
  const parents = new Set(
    channels.filter((c) => THREAD_PARENT_TYPES.has(c.type) && inScope(c)).map((c) => c.id),
  );
  const covered = [
    ...channels.filter((c) => TEXT_TYPES.has(c.type) && inScope(c)),
    ...threads.filter((t) => OPEN_THREAD_TYPES.has(t.type) && t.parentId && parents.has(t.parentId)),
  ].sort((a, b) => activity(b) - activity(a) || a.id.localeCompare(b.id));
  const known = new Map(
    [...channels, ...threads].map((c) => [c.id, { ...c, guildId: c.guildId ?? task.guildId }]),
  );
  const word = (c: ChannelLike | undefined, id: string) => `#${c?.name ?? id}`;
  return {
    channels: covered,
    known,
    nameOf: (c) =>
      c.parentId && OPEN_THREAD_TYPES.has(c.type)
        ? `${word(c, c.id)} in ${word(known.get(c.parentId), c.parentId)}`
        : word(c, c.id),
  };
}

/** When the channel last had a message (a snowflake's time); 0 when Discord does not say. */
function activity(channel: ChannelLike): number {
  return channel.lastMessageId ? Number(BigInt(channel.lastMessageId) >> 22n) : 0;
}

/** Lookups that answer listed channels from the listing: one run does not GET each of fifty channels again. */
function knownChannels(reads: GuildReads, known: ReadonlyMap<string, ChannelLike>): GuildReads {
  return {
    guild: (guildId) => reads.guild(guildId),
    channel: async (channelId) => known.get(channelId) ?? reads.channel(channelId),
  };
}

/** The first `max` left-out sources, the last of them also counting those not named. */
function namedAtMost(leftOut: RunSourcePlan['leftOut'], max: number): RunSourcePlan['leftOut'] {
  if (leftOut.length <= max) return leftOut;
  const named = leftOut.slice(0, max);
  const last = named[max - 1];
  if (last) named[max - 1] = { ...last, reason: `${last.reason}; and ${leftOut.length - max} more channels` };
  return named;
}
