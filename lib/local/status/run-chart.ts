import type { TaskStore } from '../../scheduling/ports.ts';
import type { RunRecord } from '../../tasks/run-record.ts';
import type { Task } from '../../tasks/task.ts';

/** Days the chart covers, today included. */
export const CHART_DAYS = 30;
/** Runs read per task for the chart: a task every 15 min has 2,880 in 30 days. */
const RUNS_PER_TASK = 3_000;
const CONCURRENCY = 8;
const DAY_MS = 86_400_000;

/** One day of one server, in the server's time zone: its runs by outcome and the messages they summarized. */
export interface ChartDay {
  /** `2026-03-02`, the date in the chart's time zone. */
  date: string;
  succeeded: number;
  partial: number;
  failed: number;
  skipped: number;
  missed: number;
  messages: number;
}

/** A server's chart: its days, oldest first, counted in its time zone. */
export interface RunChart {
  /** The server's `/config timezone`, UTC when it has none. */
  timeZone: string;
  days: ChartDay[];
}

/** The outcomes a bar stacks, bottom to top. */
export const CHART_OUTCOMES = ['succeeded', 'partial', 'failed', 'skipped', 'missed'] as const;

/**
 * Runs per day by outcome and messages summarized, per server, for the last `CHART_DAYS` days, from the
 * run records (the same source as every other run figure on the page). Days are the server's own (its
 * `/config timezone`, else UTC), as its members read "today". Every server of `tasks` gets all
 * `CHART_DAYS` days, oldest first, days without runs as zeros.
 */
export async function collectRunChart(
  store: TaskStore,
  tasks: readonly Task[],
  now: Date,
): Promise<Map<string, RunChart>> {
  const charts = new Map<string, RunChart & { dateOf: (at: Date) => string; index: Map<string, ChartDay> }>();
  for (const guildId of new Set(tasks.map((task) => task.guildId))) {
    const timeZone = (await store.getGuildConfig(guildId))?.timeZone ?? 'UTC';
    // en-CA formats a date as YYYY-MM-DD.
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    const dateOf = (at: Date) => format.format(at);
    // Counted back from today's date in the zone, day by day at UTC noon (no DST step can skip a date).
    const today = Date.parse(`${dateOf(now)}T12:00:00Z`);
    const days = Array.from({ length: CHART_DAYS }, (_, i) =>
      emptyDay(new Date(today - (CHART_DAYS - 1 - i) * DAY_MS).toISOString().slice(0, 10)),
    );
    charts.set(guildId, { timeZone, days, dateOf, index: new Map(days.map((day) => [day.date, day])) });
  }
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as Task;
      const chart = charts.get(task.guildId);
      if (!chart) continue;
      const first = chart.days[0]?.date ?? '';
      const runs = await store.listRuns(task.id, { limit: RUNS_PER_TASK });
      for (const run of runs) {
        const date = chart.dateOf(new Date(run.scheduledTime));
        if (date < first) break; // newest first
        add(chart.index.get(date), run);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
  return new Map([...charts].map(([guildId, { timeZone, days }]) => [guildId, { timeZone, days }]));
}

function emptyDay(date: string): ChartDay {
  return { date, succeeded: 0, partial: 0, failed: 0, skipped: 0, missed: 0, messages: 0 };
}

function add(day: ChartDay | undefined, run: RunRecord): void {
  // A run still in progress, or one still being retried, has no outcome yet (as in the 24-hour counts).
  if (!day || run.status === 'running' || (run.status === 'failed' && run.retryable === true)) return;
  day[run.status] += 1;
  if (run.status === 'succeeded' || run.status === 'partial') day.messages += run.messageCount ?? 0;
}
