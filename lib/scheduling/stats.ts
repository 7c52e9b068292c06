import type { RunRecord } from '../tasks/run-record.ts';
import type { Task, TaskKind, TaskState } from '../tasks/task.ts';
import type { TaskStore } from './ports.ts';

/** Counts for `tasks stats` and the status page. */
export interface SchedulerStats {
  /** The guild counted, or undefined for every guild. */
  guildId?: string;
  total: number;
  byState: Record<TaskState, number>;
  byKind: Record<TaskKind, number>;
  /** Runs whose scheduled time is within the last 24 hours. */
  last24h: {
    runs: number;
    succeeded: number;
    partial: number;
    /** Final failures: the run will not be tried again. */
    failed: number;
    /** Failed with a transient error and retried (by the queue or the local retry); not final yet. */
    retrying: number;
    skipped: number;
    missed: number;
  };
  /** True when runs were counted for only the first `RUN_SAMPLE_TASKS` tasks. */
  runsSampled: boolean;
  generatedAt: string;
}

/** Reading every task's run records is one query per task: bounded so stats stay cheap on a large table. */
export const RUN_SAMPLE_TASKS = 1_000;
/** Runs per task read for the 24-hour window: a task firing every minute has 1,440 a day. */
const RUNS_PER_TASK = 1_500;
const CONCURRENCY = 16;
const STATES: readonly TaskState[] = ['pending', 'active', 'paused', 'disabled', 'completed'];
const DAY_MS = 86_400_000;

/** Collects counts by state and kind, and the runs of the last 24 hours, for one guild or all guilds. */
export async function collectStats(store: TaskStore, now: Date, guildId?: string): Promise<SchedulerStats> {
  const tasks = guildId
    ? await store.listTasks(guildId)
    : (await Promise.all(STATES.map((state) => store.listTasksByState(state)))).flat();
  const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  const byKind: Record<TaskKind, number> = { summary: 0, cleanup: 0 };
  for (const task of tasks) {
    byState[task.state] += 1;
    byKind[task.kind] += 1;
  }
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const sample = tasks.slice(0, RUN_SAMPLE_TASKS);
  const last24h = { runs: 0, succeeded: 0, partial: 0, failed: 0, retrying: 0, skipped: 0, missed: 0 };
  await forEachLimited(sample, CONCURRENCY, async (task: Task) => {
    const runs = await store.listRuns(task.id, { limit: RUNS_PER_TASK });
    for (const run of runs) {
      if (run.scheduledTime < since) break; // newest first
      count(last24h, run);
    }
  });
  return {
    ...(guildId ? { guildId } : {}),
    total: tasks.length,
    byState,
    byKind,
    last24h,
    runsSampled: tasks.length > sample.length,
    generatedAt: now.toISOString(),
  };
}

function count(totals: SchedulerStats['last24h'], run: RunRecord): void {
  totals.runs += 1;
  // A retryable failure is one attempt of a run still being retried: the task's totals and the failure
  // counters count the run once, when it finally fails, and so does this.
  if (run.status === 'failed' && run.retryable === true) totals.retrying += 1;
  else if (run.status !== 'running') totals[run.status] += 1;
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
