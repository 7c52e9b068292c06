import { DiscordAccessError, ExternalServiceError } from '../../../errors.ts';
import { plural } from '../../../shared/words.ts';
import type { SummaryTask } from '../../../tasks/task.ts';
import type { CommandContext } from '../../context.ts';
import { DiscordRunSources } from '../../run-sources.ts';

/**
 * What a category or whole-server task would read if it ran now, as each run expands it, in sentences: how
 * many channels (the cap named when it cuts), and those the audience rule leaves out, named (the rule is
 * checked again at every run). Nothing for a task of listed channels. `/schedule create` and
 * `/schedule settings scope:` both say it.
 */
export async function sourcePreview(
  ctx: CommandContext,
  task: SummaryTask,
  maxChannels: number | undefined,
): Promise<string[]> {
  const reads = ctx.guildReads?.();
  if (!reads || !task.source || task.source === 'channel') return [];
  try {
    const plan = await new DiscordRunSources(() => reads).plan(task, maxChannels ? { maxChannels } : {});
    return [
      `A run now would read ${plural(plan.channelIds.length, 'channel')}${plan.overCap ? ` (the ${plan.overCap.limit} most recently active)` : ''}`,
      ...(plan.leftOut.length > 0
        ? [`Left out: ${plan.leftOut.map((l) => l.reason).join('; ')} (checked again at every run)`]
        : []),
    ];
  } catch (error) {
    // The task is saved; only the preview is missing, and every run checks the channels anyway.
    if (error instanceof ExternalServiceError || error instanceof DiscordAccessError)
      return ['Which channels it reads is checked at each run (Discord did not answer just now)'];
    throw error;
  }
}
