import type { CountingRunMetrics } from '../../observability/metrics.ts';
import type { TaskStore } from '../../scheduling/ports.ts';
import type { SchedulerStats, TaskScheduler } from '../../scheduling/task-scheduler.ts';
import type { Clock } from '../../shared/clock.ts';
import type { RunStatus } from '../../tasks/run-record.ts';
import type { Task, TaskState } from '../../tasks/task.ts';
import { LinkResolver } from './delivered-links.ts';
import type { NameLookup } from './discord-names.ts';
import { collectRunChart, type RunChart } from './run-chart.ts';
import {
  type DeadLetterView,
  deadLetterView,
  type Names,
  type RunView,
  runView,
  safeDescribe,
  type TaskView,
  taskView,
} from './status-views.ts';

/** The page is an admin view of one machine: a few hundred tasks at most are worth listing. */
export const MAX_TASKS_SHOWN = 200;
export const RUNS_PER_TASK = 5;
export const DEAD_LETTERS_SHOWN = 20;
/** Runs on one page of a task's run history (`/runs`). */
export const RUN_HISTORY_PAGE = 20;
/** Run queries in flight at once: the embedded store is one process on the same machine. */
const RUN_QUERY_CONCURRENCY = 8;
const STATES: readonly TaskState[] = ['active', 'paused', 'pending', 'disabled', 'completed'];

/** Everything the status page shows; `GET /api/status` returns exactly this. */
export interface StatusSnapshot {
  generatedAt: string;
  sandbox: boolean;
  tasks: { total: number; shown: number; truncated: boolean };
  /** `name` when Discord told it (the server's name, e.g. "Lantern Community"). */
  guilds: { guildId: string; name?: string; tasks: TaskView[]; chart?: RunChart }[];
  deadLetters: DeadLetterView[];
  stats: {
    scheduler: SchedulerStats;
    timers?: { armed: number; fired: number; inFlight: number };
    metrics?: Record<string, number>;
  };
}

export interface StatusDataDeps {
  store: TaskStore;
  scheduler: TaskScheduler;
  clock: Clock;
  schedulerStats?: () => { armed: number; fired: number; inFlight: number };
  /** Where the 24-hour counts come from; default `scheduler.stats()` (the routes pass a cached one). */
  taskStats?: () => Promise<SchedulerStats>;
  metrics?: CountingRunMetrics;
  filesRoot?: string;
  outboxRoot?: string;
  sandbox?: boolean;
  /** Server and channel names (Discord REST, cached); without it the page shows ids. */
  names?: NameLookup;
  /** Where the 30-day chart comes from; default `collectRunChart` over the shown tasks (the routes cache it). */
  runChart?: (tasks: readonly Task[]) => Promise<Map<string, RunChart>>;
}

/** Reads everything the status page shows, with every query bounded. */
export async function collectStatus(deps: StatusDataDeps): Promise<StatusSnapshot> {
  const now = deps.clock.now();
  const all = (await Promise.all(STATES.map((state) => deps.store.listTasksByState(state)))).flat();
  all.sort(
    (a, b) =>
      a.guildId.localeCompare(b.guildId) ||
      STATES.indexOf(a.state) - STATES.indexOf(b.state) ||
      a.name.localeCompare(b.name) ||
      a.id.localeCompare(b.id),
  );
  const shown = all.slice(0, MAX_TASKS_SHOWN);
  const [runsByTask, deadLetters, schedulerStats, links, charts] = await Promise.all([
    mapLimited(shown, RUN_QUERY_CONCURRENCY, (task) =>
      deps.store.listRuns(task.id, { limit: RUNS_PER_TASK }),
    ),
    deps.store.listDeadLetters({ limit: DEAD_LETTERS_SHOWN }),
    deps.taskStats ? deps.taskStats() : deps.scheduler.stats(),
    LinkResolver.create(deps.filesRoot, deps.outboxRoot),
    deps.runChart ? deps.runChart(shown) : collectRunChart(deps.store, shown, now),
  ]);

  const names = await lookUpNames(shown, deps.names);
  const guilds: StatusSnapshot['guilds'] = [];
  shown.forEach((task, i) => {
    const view = taskView(task, runsByTask[i] ?? [], deps.scheduler, now, links, names);
    const last = guilds.at(-1);
    if (last?.guildId === task.guildId) last.tasks.push(view);
    else {
      const name = names.guilds.get(task.guildId);
      const chart = charts.get(task.guildId);
      guilds.push({
        guildId: task.guildId,
        ...(name ? { name } : {}),
        tasks: [view],
        ...(chart ? { chart } : {}),
      });
    }
  });

  const byId = new Map(all.map((task) => [task.id, task]));
  return {
    generatedAt: now.toISOString(),
    sandbox: deps.sandbox ?? false,
    tasks: { total: all.length, shown: shown.length, truncated: all.length > shown.length },
    guilds,
    deadLetters: deadLetters.map((record) => deadLetterView(record, byId, now)),
    stats: {
      scheduler: schedulerStats,
      ...(deps.schedulerStats ? { timers: deps.schedulerStats() } : {}),
      ...(deps.metrics ? { metrics: { ...deps.metrics.counts } } : {}),
    },
  };
}

/** Which page of a task's run history to show: its server and id, an outcome filter, and a paging cursor. */
export interface RunHistoryQuery {
  guildId: string;
  taskId: string;
  /** Only runs with this outcome; all runs when absent. */
  status?: RunStatus;
  /** Runs scheduled strictly before this instant (ISO), i.e. the page after one ending there. */
  before?: string;
}

/** One page of a task's runs, newest first, and where the next (older) page starts. */
export interface RunHistory {
  generatedAt: string;
  guildId: string;
  guildName?: string;
  task: Pick<TaskView, 'id' | 'name' | 'state' | 'schedule' | 'timeZone' | 'metadata'>;
  status?: RunStatus;
  before?: string;
  runs: RunView[];
  /** The `before` of the next page; absent on the last page. */
  olderBefore?: string;
}

/** A page of one task's run history, or undefined when the server has no such task. */
export async function collectRunHistory(
  deps: Pick<StatusDataDeps, 'store' | 'clock' | 'filesRoot' | 'outboxRoot' | 'names'>,
  query: RunHistoryQuery,
): Promise<RunHistory | undefined> {
  const now = deps.clock.now();
  const task = await deps.store.getTask(query.guildId, query.taskId);
  if (!task) return undefined;
  const [runs, links, names] = await Promise.all([
    // One more than a page: whether an older page exists, without a second query.
    deps.store.listRuns(task.id, {
      limit: RUN_HISTORY_PAGE + 1,
      ...(query.status ? { status: query.status } : {}),
      ...(query.before ? { before: query.before } : {}),
    }),
    LinkResolver.create(deps.filesRoot, deps.outboxRoot),
    lookUpNames([task], deps.names),
  ]);
  const page = runs.slice(0, RUN_HISTORY_PAGE);
  const oldest = page.at(-1);
  const { runCount, successCount, failureCount, skipCount, consecutiveFailures } = task.metadata;
  const guildName = names.guilds.get(task.guildId);
  return {
    generatedAt: now.toISOString(),
    guildId: task.guildId,
    ...(guildName ? { guildName } : {}),
    task: {
      id: task.id,
      name: task.name,
      state: task.state,
      schedule: safeDescribe(task),
      timeZone: task.timeZone,
      metadata: { runCount, successCount, failureCount, skipCount, consecutiveFailures },
    },
    ...(query.status ? { status: query.status } : {}),
    ...(query.before ? { before: query.before } : {}),
    runs: page.map((run) => runView(run, task, now, links, names)),
    ...(runs.length > RUN_HISTORY_PAGE && oldest ? { olderBefore: oldest.scheduledTime } : {}),
  };
}

/** The names Discord tells for the tasks' servers and channels, a few lookups at a time. */
async function lookUpNames(tasks: readonly Task[], lookup: NameLookup | undefined): Promise<Names> {
  const names: Names = { guilds: new Map(), channels: new Map() };
  if (!lookup) return names;
  const guildIds = [...new Set(tasks.map((t) => t.guildId))];
  const channelIds = [
    ...new Set(
      tasks.flatMap((t) => [
        ...(t.kind === 'summary' ? t.channelIds : []),
        ...t.destinations.flatMap((d) => (d.type === 'discord_channel' ? [d.channelId] : [])),
      ]),
    ),
  ];
  await Promise.all([
    mapLimited(guildIds, RUN_QUERY_CONCURRENCY, async (id) => {
      const name = await lookup.guildName(id);
      if (name) names.guilds.set(id, name);
    }),
    mapLimited(channelIds, RUN_QUERY_CONCURRENCY, async (id) => {
      const name = await lookup.channelName(id);
      if (name) names.channels.set(id, name);
    }),
  ]);
  return names;
}

/** `work` on every item, at most `limit` at once; results in the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
