import { RunFailedError } from '../errors.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { SummaryTask } from '../tasks/task.ts';
import type { RunSourcePlan, RunSources } from './ports.ts';
import { withRetry } from './retry.ts';

/**
 * The audience rule at run time, as the executor applies it: before any message is read, the task's
 * sources are checked again against its destinations (`RunSources`), because roles and overwrites change
 * after a task is created. A source left out is named on the run record and in the digest's footer; it is
 * never read. A Discord failure while checking fails the run (retried like any transient failure): a
 * channel that could not be checked is not read.
 */
export async function planRunSources(
  sources: RunSources,
  task: SummaryTask,
  maxRetryTimeMs: number,
  /** Records the sources left out on the run (called before any failure for them is thrown). */
  noteLeftOut: (leftOut: NonNullable<RunRecord['leftOut']>) => void,
  options: { maxChannels?: number } = {},
): Promise<RunSourcePlan> {
  const plan = await withRetry(() => sources.plan(task, options), { maxRetryTimeMs });
  if (plan.leftOut.length > 0) noteLeftOut(plan.leftOut);
  if (plan.channelIds.length === 0 && plan.leftOut.length > 0) {
    // Not transient: only a change of roles, overwrites or the task's destinations lets this task run again.
    throw new RunFailedError(
      `every channel of the task was left out: ${plan.leftOut.map((l) => l.reason).join('; ')}. Post its digest to a channel with the same audience (/schedule edit post_to)`,
    );
  }
  if (plan.sections && plan.channelIds.length === 0 && plan.leftOut.length === 0) {
    throw new RunFailedError(
      task.source === 'category'
        ? 'the category holds no text channel the bot can see (was it deleted or emptied?). Pick another with /schedule edit channel'
        : 'the bot can see no text channel in this server. Give it View Channel where it should read',
    );
  }
  return plan;
}

/** The footer's words for the sources a run left out ("Left out: #mods is private to Moderators."), if any. */
export function leftOutNote(run: RunRecord): string | undefined {
  if (!run.leftOut || run.leftOut.length === 0) return undefined;
  return `Left out: ${run.leftOut.map((l) => l.reason).join('; ')}.`;
}
