import type { RunSourcePlan, RunSources, SubscriberAccess } from '../execution/ports.ts';
import type { SummaryTask } from '../tasks/task.ts';
import { applyAudienceRule } from './audience-check.ts';
import type { GuildReads } from './guild-reads.ts';
import { memberSources } from './member-access.ts';

/**
 * `RunSources` from Discord: before each run reads a message, the guild's roles and every source's and
 * destination's overwrites are read again (answers at most seconds old: see DiscordRestClient.guildReads)
 * and the audience rule of create and edit is applied to the task as it stands now.
 */
export class DiscordRunSources implements RunSources {
  readonly #reads: () => GuildReads;

  /** `reads` builds the lookups of one run. */
  constructor(reads: () => GuildReads) {
    this.#reads = reads;
  }

  async plan(task: SummaryTask): Promise<RunSourcePlan> {
    const outcome = await applyAudienceRule({
      guildId: task.guildId,
      sources: task.channelIds,
      destinations: task.destinations,
      reads: this.#reads(),
      includePrivate: task.options.includePrivate,
    });
    return {
      channelIds: outcome.kept,
      leftOut: outcome.leftOut.map((l) => ({ channelId: l.channelId, reason: l.plain })),
      unreadable: outcome.unseen,
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
