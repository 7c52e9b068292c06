import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { plural } from '../shared/words.ts';
import type { CleanupTask } from '../tasks/task.ts';
import { runNotice } from './run-notice.ts';
import type { RunOutcome, TaskRun } from './task-run.ts';

export interface CleanupDeps {
  store: TaskStore;
  clock: Clock;
  /**
   * Removes the guild's delivered summary files of runs before the cutoff and returns how many (local
   * runtime). Without it (AWS) the summaries bucket's lifecycle rule expires them.
   */
  removeFilesOlderThan?: (guildId: string, cutoff: Date) => Promise<number>;
}

export interface CleanupReport {
  cutoff: string;
  runsRemoved: number;
  tasksRemoved: number;
  /** Undefined where the files expire by themselves (the summaries bucket's lifecycle rule). */
  filesRemoved: number | undefined;
  text: string;
}

/** Removes the guild's run records, completed one-time tasks and local files older than the retention. */
export async function runCleanup(task: CleanupTask, deps: CleanupDeps): Promise<CleanupReport> {
  const cutoff = new Date(deps.clock.now().getTime() - task.retentionDays * 86_400_000);
  const cutoffIso = cutoff.toISOString();
  let runsRemoved = 0;
  let tasksRemoved = 0;
  for (const other of await deps.store.listTasks(task.guildId)) {
    // Page through old runs; deleting as we go keeps memory flat for tasks with long histories.
    for (;;) {
      const old = await deps.store.listRuns(other.id, { before: cutoffIso, limit: 100 });
      if (old.length === 0) break;
      for (const run of old) await deps.store.deleteRun(other.id, run.scheduledTime);
      runsRemoved += old.length;
    }
    if (other.state === 'completed' && other.schedule.type === 'once' && other.updatedAt < cutoffIso) {
      await deps.store.deleteTask(other.guildId, other.id, other.version);
      tasksRemoved += 1;
    }
  }
  const filesRemoved = deps.removeFilesOlderThan
    ? await deps.removeFilesOlderThan(task.guildId, cutoff)
    : undefined;
  const before = `${cutoffIso.slice(0, 10)} ${cutoffIso.slice(11, 16)} UTC`;
  const removed = `${plural(runsRemoved, 'run record')}, ${plural(tasksRemoved, 'completed one-time task')}`;
  const text =
    filesRemoved === undefined
      ? `Removed ${removed} older than ${plural(task.retentionDays, 'day')} (before ${before}). Summary files ` +
        "expire by the bucket's own retention."
      : `Removed ${removed} and ${plural(filesRemoved, 'file')} older than ${plural(task.retentionDays, 'day')} ` +
        `(before ${before}).`;
  return { cutoff: cutoffIso, runsRemoved, tasksRemoved, filesRemoved, text };
}

/**
 * The run of a cleanup task: removes what is past its retention, records the report on the run and delivers
 * it to the task's destinations, if it has any.
 */
export async function runCleanupTask(
  run: TaskRun,
  task: CleanupTask,
  deps: CleanupDeps,
): Promise<RunOutcome> {
  try {
    const report = await runCleanup(task, deps);
    run.note({ report: report.text, window: { from: report.cutoff, to: run.record.scheduledTime } });
    if (task.destinations.length > 0) {
      await run.deliver(runNotice(run, 'Cleanup report', report.text, 0));
    }
    return run.finish('succeeded');
  } catch (error) {
    return run.fail(error);
  }
}
