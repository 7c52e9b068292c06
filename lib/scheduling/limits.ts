import type { CommonConfig } from '../config.ts';
import { LimitError, ValidationError } from '../errors.ts';
import type { ScheduleSpec } from '../tasks/schedule-spec.ts';
import type { Task, TaskState } from '../tasks/task.ts';
import type { TaskStore } from './ports.ts';
import { nextRunsOf } from './schedule-definition.ts';

/**
 * What one server may ask of the scheduler (issue #11, item 6): without limits, one server could import
 * 100 tasks running every minute and keep the bot busy for everyone. Set by the deployer
 * (`MAX_TASKS_PER_SERVER`, `MIN_SCHEDULE_INTERVAL_MINUTES`, `MAX_SUBSCRIBERS_PER_TASK`; CDK context
 * `maxTasksPerServer`, `minScheduleIntervalMinutes`, `maxSubscribersPerTask`) and checked by TaskScheduler on
 * create, edit and import, and on `/subscribe`.
 */
export interface SchedulingLimits {
  /** Tasks one server may have; completed one-time tasks do not count. */
  tasksPerServer: number;
  /** Shortest time between two runs of a recurring task, in minutes. */
  minIntervalMinutes: number;
  /** Members one task may DM its digest to; absent: DEFAULT_SUBSCRIBERS_PER_TASK. */
  subscribersPerTask?: number;
}

/** The limits a runtime's validated configuration sets. */
export function schedulingLimitsOf(
  config: Pick<
    CommonConfig,
    'MAX_TASKS_PER_SERVER' | 'MIN_SCHEDULE_INTERVAL_MINUTES' | 'MAX_SUBSCRIBERS_PER_TASK'
  >,
): SchedulingLimits {
  return {
    tasksPerServer: config.MAX_TASKS_PER_SERVER,
    minIntervalMinutes: config.MIN_SCHEDULE_INTERVAL_MINUTES,
    subscribersPerTask: config.MAX_SUBSCRIBERS_PER_TASK,
  };
}

/**
 * Next runs examined for a cron schedule. The gaps of a cron repeat with its day (minutes and hours are
 * independent of the date fields), so the runs of two firing days show its shortest gap; a cron firing
 * more than 96 times a day has a gap under 15 minutes within any 200 consecutive runs (1,440 / 96 = 15).
 */
export const CRON_RUNS_EXAMINED = 200;

const MINUTE_MS = 60_000;
const UNIT_MINUTES = { minutes: 1, hours: 60, days: 1_440 } as const;

/** Whether a task in this state takes a server's room (a completed one-time task will never run again). */
export function countsTowardsLimit(state: TaskState): boolean {
  return state !== 'completed';
}

/**
 * Refuses creating or importing `adding` tasks in a server that already has `existing`, when the total
 * would pass the limit. The message says the limit, what to do and which setting raises it.
 */
export function requireRoomForTasks(existing: number, adding: number, limit: number): void {
  if (existing + adding <= limit) return;
  const raise = `whoever runs the bot can raise it with MAX_TASKS_PER_SERVER (CDK context maxTasksPerServer)`;
  if (adding === 1) {
    throw new LimitError(
      'MAX_TASKS_PER_SERVER',
      `This server already has ${existing} tasks, and at most ${limit} are allowed. Cancel a task it no longer needs, or ${raise}.`,
    );
  }
  throw new LimitError(
    'MAX_TASKS_PER_SERVER',
    `Importing ${adding} tasks would give this server ${existing + adding}, and at most ${limit} are allowed (it has ${existing}). Nothing was imported: import fewer, cancel tasks it no longer needs, or ${raise}.`,
  );
}

/**
 * Refuses a recurring schedule whose runs come closer together than `minMinutes`: `every` by its period,
 * cron by the gaps between its actual next runs (`nextRuns(count)`, in the task's zone). Throws a
 * ValidationError on `schedule` naming the gap found and the setting.
 */
export function requireMinimumInterval(
  schedule: ScheduleSpec,
  minMinutes: number,
  nextRuns: (count: number) => Date[],
): void {
  let gapMinutes: number | undefined;
  if (schedule.type === 'every') {
    gapMinutes = schedule.value * UNIT_MINUTES[schedule.unit];
  } else if (schedule.type === 'cron') {
    gapMinutes = shortestGapMinutes(nextRuns(CRON_RUNS_EXAMINED));
  }
  // once, daily, weekly and monthly run at most once a day.
  if (gapMinutes === undefined || gapMinutes >= minMinutes) return;
  throw new ValidationError(
    'schedule',
    `expected runs at least ${minMinutes} minutes apart; this schedule runs ${gapMinutes === 1 ? '1 minute' : `${gapMinutes} minutes`} apart. Choose a longer interval, or ask whoever runs the bot to lower MIN_SCHEDULE_INTERVAL_MINUTES (CDK context minScheduleIntervalMinutes)`,
  );
}

/** The smallest gap between consecutive runs, in whole minutes; undefined for fewer than two runs. */
export function shortestGapMinutes(runs: readonly Date[]): number | undefined {
  let shortest: number | undefined;
  for (let i = 1; i < runs.length; i++) {
    const gap = Math.round(((runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime()) / MINUTE_MS);
    if (shortest === undefined || gap < shortest) shortest = gap;
  }
  return shortest;
}

/** LimitError when `adding` more tasks would take the guild past its task limit (none: nothing is limited). */
export async function requireRoomInGuild(
  store: TaskStore,
  limits: SchedulingLimits | undefined,
  guildId: string,
  adding: number,
): Promise<void> {
  if (!limits) return;
  const existing = (await store.listTaskSummaries(guildId)).filter((t) => countsTowardsLimit(t.state));
  requireRoomForTasks(existing.length, adding, limits.tasksPerServer);
}

/** ValidationError on `schedule` when the task's runs would come closer together than the limit allows. */
export function requireTaskInterval(task: Task, limits: SchedulingLimits | undefined, now: Date): void {
  if (!limits) return;
  requireMinimumInterval(task.schedule, limits.minIntervalMinutes, (count) =>
    nextRunsOf({ ...task, state: 'active' }, count, now),
  );
}
