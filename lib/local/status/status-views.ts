import { destinationHealth } from '../../execution/destination-health.ts';
import type { TaskScheduler } from '../../scheduling/task-scheduler.ts';
import { lastRuns } from '../../shared/words.ts';
import { describeSchedule } from '../../tasks/describe.ts';
import type { Destination } from '../../tasks/destination.ts';
import type { DeadLetterRecord, DestinationOutcome, RunRecord, RunStatus } from '../../tasks/run-record.ts';
import { subscriberRunWords } from '../../tasks/subscribers.ts';
import type { Task, TaskKind, TaskMetadata, TaskState } from '../../tasks/task.ts';
import { usageWords } from '../../tasks/usage-words.ts';
import type { DeliveredLink, LinkResolver } from './delivered-links.ts';
import { formatInZone, type ShownTime, shownTime } from './shown-time.ts';

/** Next runs shown on each task's card. */
export const NEXT_RUNS_PER_TASK = 3;

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
  /** The subscribers' DMs in words ("DMs to subscribers: 2 sent, 1 not sent: DMs closed (Discord 50007)"). */
  subscribers?: string;
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
  /** Members who get its digest by DM (`/subscribe`). */
  subscribers: number;
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

/** Names of the servers and channels the shown tasks mention, as far as Discord tells them. */
export interface Names {
  guilds: Map<string, string>;
  channels: Map<string, string>;
}

function channelLabel(channelId: string, names: Names): string {
  const name = names.channels.get(channelId);
  return name ? `#${name}` : `channel ${channelId}`;
}

/** A task as its card shows it: schedule in words, next runs, what it reads and sends to, its latest runs. */
export function taskView(
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
    subscribers: task.kind === 'summary' ? (task.subscribers?.length ?? 0) : 0,
    metadata: { runCount, successCount, failureCount, skipCount, consecutiveFailures },
    runs: runs.map((run) => runView(run, task, now, links, names)),
  };
}

/** The task's schedule in words, or what is stored and why it cannot be described. */
export function safeDescribe(task: Task): string {
  try {
    const own = describeSchedule(task.schedule, task.timeZone);
    // A follower's own schedule only bounds it (once per occurrence): whom it follows comes first.
    return task.kind === 'summary' && task.after
      ? `Right after ${task.after.name}, once per occurrence of: ${own}`
      : own;
  } catch (error) {
    // A stored schedule the current rules reject should still be visible on an admin page.
    return `${JSON.stringify(task.schedule)} (${task.timeZone}; not describable: ${(error as Error).message})`;
  }
}

/** A run as the page shows it, its destinations' receipts turned into links where possible. */
export function runView(run: RunRecord, task: Task, now: Date, links: LinkResolver, names: Names): RunView {
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
    ...(run.subscribers?.length ? { subscribers: subscriberRunWords(run.subscribers) } : {}),
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

/** A dead letter, named after its task when the task is still known, in that task's zone. */
export function deadLetterView(
  record: DeadLetterRecord,
  tasks: Map<string, Task>,
  now: Date,
): DeadLetterView {
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
