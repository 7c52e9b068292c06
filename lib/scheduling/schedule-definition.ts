import { ScheduleGatewayError, ValidationError } from '../errors.ts';
import { nextRuns } from '../tasks/next-runs.ts';
import { pauseStart, resumesBySelf } from '../tasks/pause-until.ts';
import { toScheduleExpression } from '../tasks/schedule-spec.ts';
import type { Task, TaskState } from '../tasks/task.ts';
import type { ScheduleDefinition, ScheduleGateway, ScheduleState } from './ports.ts';
import { scheduleNameFor } from './ports.ts';

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;

/**
 * The schedule for a task. Rate schedules get a StartDate on the grid anchored at the task's creation
 * (one period after it at the earliest): EventBridge would otherwise fire at once and restart the rate at
 * every UpdateSchedule, and it refuses a StartDate in the past, so the next grid point is sent each time.
 */
export function scheduleDefinitionFor(task: Task, now: Date): ScheduleDefinition {
  const definition: ScheduleDefinition = {
    name: scheduleNameFor(task.id),
    expression: toScheduleExpression(task.schedule),
    timeZone: task.timeZone,
    state: scheduleStateFor(task),
    taskId: task.id,
    guildId: task.guildId,
  };
  // A pause with an end starts the schedule then; EventBridge ignores StartDate for one-time schedules.
  const pausedTill = pauseStart(task, now);
  if (task.schedule.type === 'every') {
    const period = task.schedule.value * UNIT_MS[task.schedule.unit];
    const anchor = Date.parse(task.createdAt);
    // The first grid point after now, or at or after the pause's end.
    const from = pausedTill ? pausedTill.getTime() - 1 : now.getTime();
    const periods = Math.max(1, Math.floor((from - anchor) / period) + 1);
    definition.startDate = new Date(anchor + periods * period);
  } else if (pausedTill && task.schedule.type !== 'once') {
    definition.startDate = pausedTill;
  }
  return definition;
}

/** The task's next `count` fire times after `from`, as its schedule would fire them. */
export function nextRunsOf(task: Task, count: number, from: Date): Date[] {
  if (count <= 0) return [];
  const definition = scheduleDefinitionFor(task, from);
  return nextRuns(definition.expression, definition.timeZone, from, count, {
    ...(definition.startDate ? { anchor: definition.startDate } : {}),
  });
}

/** The task's next run after `now`; ValidationError if it has none. */
export function requireFutureRun(task: Task, now: Date): Date {
  const [next] = nextRunsOf(task, 1, now);
  if (!next) {
    const field = task.schedule.type === 'once' ? 'schedule.at' : 'schedule';
    throw new ValidationError(field, 'expected a schedule with a run in the future');
  }
  return next;
}

/** The task with `metadata.nextRunAt` set to its next run after `now` (or removed if it has none). */
export function withNextRun(task: Task, now: Date): Task {
  const [next] = nextRunsOf({ ...task, state: 'active' }, 1, now);
  return next
    ? { ...task, metadata: { ...task.metadata, nextRunAt: next.toISOString() } }
    : withoutNextRun(task);
}

/** The task without `metadata.nextRunAt`. */
export function withoutNextRun(task: Task): Task {
  const { nextRunAt: _dropped, ...metadata } = task.metadata;
  return { ...task, metadata };
}

/** The active version of a pending task whose first run was computed when it was built. */
export function activated(task: Task, firstRun: Date, now: Date): Task {
  const active: Task = { ...task, state: 'active' };
  // Built a moment ago; if that run has passed meanwhile, compute the one after now.
  if (firstRun.getTime() > now.getTime()) {
    return { ...active, metadata: { ...active.metadata, nextRunAt: firstRun.toISOString() } };
  }
  return withNextRun(active, now);
}

/** Active and paused tasks have a schedule; pending ones get one while being created; others have none. */
export function hasSchedule(state: TaskState): boolean {
  return state === 'active' || state === 'paused';
}

function scheduleStateFor(task: Task): ScheduleState {
  return task.state === 'active' || task.state === 'pending' || resumesBySelf(task) ? 'ENABLED' : 'DISABLED';
}

/** Idempotency token for CreateSchedule: the same create of the same task version is the same request. */
export function clientTokenFor(task: Task): string {
  return `${task.id}-v${task.version}`.replace(/[^a-zA-Z0-9_-]/g, '_');
}

/** Whether the gateway must be told: anything but the name and ids differs. */
export function definitionChanged(a: ScheduleDefinition, b: ScheduleDefinition): boolean {
  return (
    a.expression !== b.expression ||
    a.timeZone !== b.timeZone ||
    a.state !== b.state ||
    a.startDate?.getTime() !== b.startDate?.getTime()
  );
}

/** Creates the schedule, or updates it when one of that name already exists. */
export async function createOrUpdate(
  schedules: ScheduleGateway,
  definition: ScheduleDefinition,
  token: string,
): Promise<void> {
  try {
    await schedules.create(definition, token);
  } catch (error) {
    if (!(error instanceof ScheduleGatewayError) || error.kind !== 'conflict') throw error;
    await schedules.update(definition);
  }
}
