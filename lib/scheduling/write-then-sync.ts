import type { Clock } from '../shared/clock.ts';
import { resumesBySelf } from '../tasks/pause-until.ts';
import type { Task } from '../tasks/task.ts';
import type { ScheduleGateway, TaskStore } from './ports.ts';
import {
  clientTokenFor,
  createOrUpdate,
  definitionChanged,
  hasSchedule,
  scheduleDefinitionFor,
  withNextRun,
  withoutNextRun,
} from './schedule-definition.ts';

/** What a write of a changed task touches, and where a failed restore is reported. */
export interface WriteThenSyncDeps {
  store: TaskStore;
  schedules: ScheduleGateway;
  clock: Clock;
  warn: (message: string, error: unknown) => void;
}

/**
 * Writes `next` conditionally on `current`'s version, then brings the schedule in line (deleted, created
 * or updated as the state and definition say); restores the item if that fails and throws the gateway error.
 */
export async function writeThenSync(deps: WriteThenSyncDeps, current: Task, next: Task): Promise<Task> {
  const { store, schedules } = deps;
  const before = scheduleDefinitionFor(current, deps.clock.now());
  const withNext =
    next.state === 'active' || resumesBySelf(next)
      ? withNextRun(next, deps.clock.now())
      : withoutNextRun(next);
  const stored = await store.updateTask(withNext, current.version);
  const after = scheduleDefinitionFor(stored, deps.clock.now());
  if (!hasSchedule(current.state) && !hasSchedule(stored.state)) return stored;
  try {
    if (!hasSchedule(stored.state)) await schedules.delete(after.name);
    else if (!hasSchedule(current.state)) await createOrUpdate(schedules, after, clientTokenFor(stored));
    else if (definitionChanged(before, after)) await schedules.update(after);
  } catch (error) {
    try {
      await store.updateTask(
        { ...current, updatedAt: deps.clock.now().toISOString() } as Task,
        stored.version,
      );
    } catch (restoreError) {
      deps.warn(`task ${current.id} could not be restored after its schedule failed`, restoreError);
    }
    throw error;
  }
  return stored;
}
