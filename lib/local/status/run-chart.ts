import type { TaskStore } from '../../scheduling/ports.ts';
import type { RunRecord, Task } from '../../tasks/task.ts';

/** Days the chart covers, today included. */
export const CHART_DAYS = 30;
/** Runs read per task for the chart: a task every 15 min has 2,880 in 30 days. */
const RUNS_PER_TASK = 3_000;
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** One UTC day of one server: its runs by outcome and the messages they summarized. */
export interface ChartDay {
  /** `2026-03-02` (UTC). */
  date: string;
  succeeded: number;
  partial: number;
  failed: number;
  skipped: number;
  missed: number;
  messages: number;
}

/** The outcomes a bar stacks, bottom to top. */
export const CHART_OUTCOMES = ['succeeded', 'partial', 'failed', 'skipped', 'missed'] as const;

/**
 * Runs per UTC day by outcome and messages summarized, per server, for the last `CHART_DAYS` days, from the
 * run records (the same source as every other run figure on the page). Every server of `tasks` gets all
 * `CHART_DAYS` days, oldest first, days without runs as zeros.
 */
export async function collectRunChart(
  store: TaskStore,
  tasks: readonly Task[],
  now: Date,
): Promise<Map<string, ChartDay[]>> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = today - (CHART_DAYS - 1) * DAY_MS;
  const since = new Date(first).toISOString();
  const byGuild = new Map<string, ChartDay[]>();
  for (const task of tasks) {
    if (!byGuild.has(task.guildId)) {
      byGuild.set(
        task.guildId,
        Array.from({ length: CHART_DAYS }, (_, i) => emptyDay(new Date(first + i * DAY_MS))),
      );
    }
  }
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as Task;
      const days = byGuild.get(task.guildId) as ChartDay[];
      const runs = await store.listRuns(task.id, { limit: RUNS_PER_TASK });
      for (const run of runs) {
        if (run.scheduledTime < since) break; // newest first
        add(days, run, first);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
  return byGuild;
}

function emptyDay(at: Date): ChartDay {
  return {
    date: at.toISOString().slice(0, 10),
    succeeded: 0,
    partial: 0,
    failed: 0,
    skipped: 0,
    missed: 0,
    messages: 0,
  };
}

function add(days: ChartDay[], run: RunRecord, first: number): void {
  const index = Math.floor((Date.parse(run.scheduledTime) - first) / DAY_MS);
  const day = days[index];
  // A run still in progress, or one still being retried, has no outcome yet (as in the 24-hour counts).
  if (!day || run.status === 'running' || (run.status === 'failed' && run.retryable === true)) return;
  day[run.status] += 1;
  if (run.status === 'succeeded' || run.status === 'partial') day.messages += run.messageCount ?? 0;
}
