import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { destinationHealth } from '../../execution/destination-health.ts';
import type { CountingRunMetrics } from '../../observability/metrics.ts';
import type { TaskStore } from '../../scheduling/ports.ts';
import type { SchedulerStats, TaskScheduler } from '../../scheduling/task-scheduler.ts';
import type { Clock } from '../../shared/clock.ts';
import { lastRuns } from '../../shared/words.ts';
import { describeSchedule } from '../../tasks/describe.ts';
import type {
  DeadLetterRecord,
  Destination,
  DestinationOutcome,
  RunRecord,
  RunStatus,
  Task,
  TaskKind,
  TaskMetadata,
  TaskState,
} from '../../tasks/task.ts';
import { usageWords } from '../../tasks/usage-words.ts';
import type { NameLookup } from './discord-names.ts';
import { collectRunChart, type RunChart } from './run-chart.ts';

/** The page is an admin view of one machine: a few hundred tasks at most are worth listing. */
export const MAX_TASKS_SHOWN = 200;
export const RUNS_PER_TASK = 5;
export const NEXT_RUNS_PER_TASK = 3;
export const DEAD_LETTERS_SHOWN = 20;
/** Runs on one page of a task's run history (`/runs`). */
export const RUN_HISTORY_PAGE = 20;
/** Run queries in flight at once: the embedded store is one process on the same machine. */
const RUN_QUERY_CONCURRENCY = 8;
/** An outbox with more files than this is not searched for an e-mail's file (the link is simply left out). */
const MAX_OUTBOX_ENTRIES = 10_000;
const STATES: readonly TaskState[] = ['active', 'paused', 'pending', 'disabled', 'completed'];
const DISCORD_JUMP_LINK =
  /^https:\/\/(?:ptb\.|canary\.)?discord\.com\/channels\/\d{17,20}\/\d{17,20}\/\d{17,20}$/;
const OUTBOX_FILE = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.eml$/;

/** An instant shown in a task's own zone, with how far it is from now. */
export interface ShownTime {
  iso: string;
  /** "Mon 2 Mar 2026, 09:00 CET" in the task's zone. */
  local: string;
  /** "in 3 h", "5 min ago". */
  relative: string;
}

/** Where a delivered summary can be looked at: a Discord jump link, a local file or an .eml in the outbox. */
export type DeliveredLink =
  | { kind: 'discord'; href: string }
  | { kind: 'file'; path: string }
  | { kind: 'outbox'; name: string };

export interface DestinationOutcomeView {
  index: number;
  type: DestinationOutcome['type'];
  status: DestinationOutcome['status'];
  /** The destination in words, from the task's current definition (when the index still exists). */
  label: string;
  /** The raw receipt, for what no link can be made of (an S3 key, a webhook's HTTP status). */
  location?: string;
  link?: DeliveredLink;
  error?: string;
}

export interface RunView {
  scheduledTime: ShownTime;
  trigger: RunRecord['trigger'];
  status: RunStatus;
  attempt: number;
  durationMs?: number;
  window?: { from: string; to: string };
  messageCount?: number;
  /** LLM tokens and estimated cost, in words; absent when no LLM was called. */
  usage?: string;
  skipReason?: string;
  error?: string;
  report?: string;
  destinations: DestinationOutcomeView[];
}

export interface TaskView {
  id: string;
  guildId: string;
  name: string;
  kind: TaskKind;
  state: TaskState;
  schedule: string;
  timeZone: string;
  /** Empty unless the task is active. */
  nextRuns: ShownTime[];
  /** The channels a summary task reads, by name where Discord told it (`#general`). */
  reads: string[];
  destinations: string[];
  metadata: Pick<
    TaskMetadata,
    'runCount' | 'successCount' | 'failureCount' | 'skipCount' | 'consecutiveFailures'
  >;
  runs: RunView[];
}

export interface DeadLetterView {
  id: string;
  taskId?: string;
  taskName?: string;
  guildId?: string;
  scheduledTime?: string;
  receivedAt: ShownTime;
  source: DeadLetterRecord['source'];
  error: string;
}

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

/** Names of the servers and channels the shown tasks mention, as far as Discord tells them. */
interface Names {
  guilds: Map<string, string>;
  channels: Map<string, string>;
}

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

function channelLabel(channelId: string, names: Names): string {
  const name = names.channels.get(channelId);
  return name ? `#${name}` : `channel ${channelId}`;
}

function taskView(
  task: Task,
  runs: RunRecord[],
  scheduler: TaskScheduler,
  now: Date,
  links: LinkResolver,
  names: Names,
): TaskView {
  const nextRuns = task.state === 'active' ? scheduler.nextRunsOf(task, NEXT_RUNS_PER_TASK, now) : [];
  const { runCount, successCount, failureCount, skipCount, consecutiveFailures } = task.metadata;
  return {
    id: task.id,
    guildId: task.guildId,
    name: task.name,
    kind: task.kind,
    state: task.state,
    schedule: safeDescribe(task),
    timeZone: task.timeZone,
    nextRuns: nextRuns.map((at) => shownTime(at, task.timeZone, now)),
    reads: task.kind === 'summary' ? task.channelIds.map((id) => channelLabel(id, names)) : [],
    // A destination failing run after run while the others deliver is named, as /schedule status names it.
    destinations: destinationHealth(task).map(
      ({ destination, failures }) =>
        `${describeDestination(destination, names)}${failures > 0 ? `: failed ${lastRuns(failures)}` : ''}`,
    ),
    metadata: { runCount, successCount, failureCount, skipCount, consecutiveFailures },
    runs: runs.map((run) => runView(run, task, now, links, names)),
  };
}

function safeDescribe(task: Task): string {
  try {
    return describeSchedule(task.schedule, task.timeZone);
  } catch (error) {
    // A stored schedule the current rules reject should still be visible on an admin page.
    return `${JSON.stringify(task.schedule)} (${task.timeZone}; not describable: ${(error as Error).message})`;
  }
}

function runView(run: RunRecord, task: Task, now: Date, links: LinkResolver, names: Names): RunView {
  return {
    scheduledTime: shownTime(new Date(run.scheduledTime), task.timeZone, now),
    trigger: run.trigger,
    status: run.status,
    attempt: run.attempt,
    ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}),
    ...(run.window
      ? {
          window: {
            from: formatInZone(new Date(run.window.from), task.timeZone),
            to: formatInZone(new Date(run.window.to), task.timeZone),
          },
        }
      : {}),
    ...(run.messageCount !== undefined ? { messageCount: run.messageCount } : {}),
    ...(run.usage ? { usage: usageWords(run.usage) } : {}),
    ...(run.skipReason ? { skipReason: run.skipReason } : {}),
    ...(run.error ? { error: run.error } : {}),
    ...(run.report ? { report: run.report } : {}),
    destinations: (run.destinations ?? []).map((outcome) => {
      const destination = task.destinations[outcome.index];
      const link = outcome.location ? links.resolve(outcome.location) : undefined;
      return {
        index: outcome.index,
        type: outcome.type,
        status: outcome.status,
        label:
          destination && destination.type === outcome.type
            ? describeDestination(destination, names)
            : outcome.type.replace('_', ' '),
        ...(outcome.location ? { location: outcome.location } : {}),
        ...(link ? { link } : {}),
        ...(outcome.error ? { error: outcome.error } : {}),
      };
    }),
  };
}

function deadLetterView(record: DeadLetterRecord, tasks: Map<string, Task>, now: Date): DeadLetterView {
  const task = record.taskId ? tasks.get(record.taskId) : undefined;
  const zone = task?.timeZone ?? 'UTC';
  return {
    id: record.id,
    ...(record.taskId ? { taskId: record.taskId } : {}),
    ...(task ? { taskName: task.name } : {}),
    ...(record.guildId ? { guildId: record.guildId } : {}),
    ...(record.scheduledTime ? { scheduledTime: formatInZone(new Date(record.scheduledTime), zone) } : {}),
    receivedAt: shownTime(new Date(record.receivedAt), zone, now),
    source: record.source,
    error: record.error,
  };
}

/** A destination in words. Webhooks show only their origin: a URL path often carries a token. */
export function describeDestination(
  destination: Destination,
  names: Names = { guilds: new Map(), channels: new Map() },
): string {
  switch (destination.type) {
    case 'discord_channel': {
      const name = names.channels.get(destination.channelId);
      return `${name ? `#${name}` : `Discord channel ${destination.channelId}`} (${destination.format})`;
    }
    case 'webhook':
      return URL.canParse(destination.url) ? `webhook ${new URL(destination.url).origin}` : 'webhook';
    case 'email':
      return `e-mail to ${destination.addresses.join(', ')}`;
    case 'file':
      return `file in ${destination.prefix}/`;
  }
}

const formatters = new Map<string, { parts: Intl.DateTimeFormat; usZone: Intl.DateTimeFormat }>();

/** An instant as "Mon 2 Mar 2026, 09:00 CET" in `timeZone` (24-hour, like the schedule words). */
export function formatInZone(at: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = {
      parts: new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      }),
      usZone: new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' }),
    };
    if (formatters.size < 500) formatters.set(timeZone, format);
  }
  // Assembled from parts: the locale's own punctuation ("Mon, 2 Mar") varies between ICU versions.
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of format.parts.formatToParts(at)) part[type] = value;
  // en-GB names European zones (CET, BST) and en-US American ones (EST, PDT); each says GMT-5 for the other.
  let zone = part.timeZoneName ?? timeZone;
  if (zone.startsWith('GMT')) {
    const us = format.usZone.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
    if (us && !us.startsWith('GMT')) zone = us;
  }
  return `${part.weekday} ${part.day} ${part.month} ${part.year}, ${part.hour}:${part.minute} ${zone}`;
}

/** "in 3 h", "in 25 min", "2 d ago", "now": coarse on purpose, the exact time sits beside it. */
export function relativeTime(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  const abs = Math.abs(diff);
  if (abs < 45_000) return 'now';
  const minutes = Math.round(abs / 60_000);
  const hours = abs / 3_600_000;
  const days = abs / 86_400_000;
  const amount =
    minutes < 60
      ? `${minutes} min`
      : hours < 36
        ? `${Math.round(hours)} h`
        : days < 60
          ? `${Math.round(days)} d`
          : `${Math.round(days / 30.4)} mo`;
  return diff > 0 ? `in ${amount}` : `${amount} ago`;
}

function shownTime(at: Date, timeZone: string, now: Date): ShownTime {
  return { iso: at.toISOString(), local: formatInZone(at, timeZone), relative: relativeTime(at, now) };
}

/**
 * Turns a delivery receipt into something to open: Discord jump links as they are, local file paths under
 * the files root into `/delivered/files/...`, `email:<id>` into the outbox file named after that id.
 */
class LinkResolver {
  private constructor(
    private readonly filesRoots: string[],
    private readonly outbox: Map<string, string>,
  ) {}

  static async create(filesRoot?: string, outboxRoot?: string): Promise<LinkResolver> {
    // The file store reports real paths; the configured root may be a symlinked path to the same folder.
    const roots = filesRoot ? [path.resolve(filesRoot), await realpathOrUndefined(filesRoot)] : [];
    return new LinkResolver(
      [...new Set(roots.filter((r): r is string => r !== undefined))],
      outboxRoot ? await outboxIndex(outboxRoot) : new Map(),
    );
  }

  resolve(location: string): DeliveredLink | undefined {
    if (DISCORD_JUMP_LINK.test(location)) return { kind: 'discord', href: location };
    if (location.startsWith('email:')) {
      const name = this.outbox.get(location.slice('email:'.length));
      return name ? { kind: 'outbox', name } : undefined;
    }
    if (path.isAbsolute(location)) {
      for (const root of this.filesRoots) {
        const relative = path.relative(root, location);
        if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
          return { kind: 'file', path: relative.split(path.sep).join('/') };
        }
      }
    }
    return undefined;
  }
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Outbox files are `<time>-<uuid>.eml`; the receipt carries the uuid. */
async function outboxIndex(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const index = new Map<string, string>();
  for (const name of names.slice(0, MAX_OUTBOX_ENTRIES)) {
    const id = OUTBOX_FILE.exec(name)?.[1];
    if (id) index.set(id, name);
  }
  return index;
}

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
