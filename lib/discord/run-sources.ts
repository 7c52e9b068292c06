import type { RunSourcePlan, RunSources } from '../execution/ports.ts';
import type { SummaryTask } from '../tasks/task.ts';
import { applyAudienceRule } from './audience-check.ts';
import type { GuildReads } from './guild-reads.ts';

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
}
