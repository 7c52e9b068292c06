import type { Clock } from '../shared/clock.ts';
import { describeSchedule } from '../tasks/describe.ts';
import { resumesBySelf } from '../tasks/pause-until.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { Task } from '../tasks/task.ts';
import type { TaskStore } from './ports.ts';
import { nextRunsOf } from './schedule-definition.ts';

/** A task with what `/schedule status` and `tasks show` print beside it. */
export interface TaskStatus {
  task: Task;
  description: string;
  nextRuns: Date[];
  recentRuns: RunRecord[];
}

/**
 * The status of a task the caller holds: its schedule in words and its next `nextRuns` runs after `now` (none
 * unless it is active or resumes by itself), without run records.
 */
export function describeTask(task: Task, now: Date, nextRuns = 3): TaskStatus {
  return {
    task,
    description: describeSchedule(task.schedule, task.timeZone),
    nextRuns:
      task.state === 'active' || resumesBySelf(task) ? nextRunsOf(task, clamp(nextRuns, 0, 50), now) : [],
    recentRuns: [],
  };
}

/** The status of a stored task with its latest run records (`runs`, default 5, at most 50). */
export async function taskStatus(
  store: TaskStore,
  task: Task,
  clock: Clock,
  options: { runs?: number; nextRuns?: number } = {},
): Promise<TaskStatus> {
  const runs = clamp(options.runs ?? 5, 0, 50);
  const recentRuns = runs > 0 ? await store.listRuns(task.id, { limit: runs }) : [];
  return { ...describeTask(task, clock.now(), options.nextRuns), recentRuns };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
