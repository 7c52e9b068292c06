import type { Clock } from '../shared/clock.ts';
import { type ChannelReference, channelReferences } from '../tasks/channel-references.ts';
import { Snowflake } from '../tasks/fields.ts';
import type { Task } from '../tasks/task.ts';
import { bestEffort } from './best-effort.ts';
import { type PortableStanding, parseImport, type RestoredState } from './export-import.ts';
import { forEachLimited } from './limited.ts';
import {
  countsTowardsLimit,
  requireRoomInGuild,
  requireTaskInterval,
  type SchedulingLimits,
} from './limits.ts';
import { NewTaskInput, type ParsedNewTask, parseOrThrow, underField } from './new-task.ts';
import type { ScheduleGateway, TaskStore } from './ports.ts';
import {
  activated,
  clientTokenFor,
  hasSchedule,
  requireFutureRun,
  scheduleDefinitionFor,
  withoutNextRun,
} from './schedule-definition.ts';
import { pendingTask } from './task-factory.ts';
import { resolveImportLinks } from './task-links.ts';

/** How an import is checked beyond the task model (the caller knows who imports, and can ask Discord). */
export interface ImportOptions {
  /**
   * Called with every Discord channel the validated entries name (fields as `tasks[i].…`) before anything
   * is written; throwing refuses the whole import.
   */
  checkChannels?: (references: readonly ChannelReference[]) => Promise<void>;
  /**
   * Entries the caller does not want imported (a task that already exists, say), asked once each validated
   * entry is built; they are left out of the import, which `importTasks` callers see as fewer tasks returned.
   */
  skip?: (task: Task) => boolean;
  /**
   * Called once for each entry that will be imported (after `skip`, in file order, `field` its `tasks[i]`):
   * returns the task to write, which may read fewer channels (the audience rule leaves some out); throwing
   * refuses the whole import before anything is written.
   */
  review?: (task: Task, field: string) => Promise<Task>;
}

/** What an import writes through: the scheduler's own ports and settings. */
export interface TaskImportDeps {
  store: TaskStore;
  schedules: ScheduleGateway;
  clock: Clock;
  newId: () => string;
  warn: (message: string, error: unknown) => void;
  limits: SchedulingLimits | undefined;
}

/**
 * CreateSchedule calls in flight during an import. At ~30 ms a call that is ~500/s: a tenth of the
 * 5,000/s default in the primary Regions; in the others (250/s) the SDK's retries absorb the throttling.
 */
const IMPORT_CONCURRENCY = 16;

/**
 * Imports an export into `guildId` (the file's guild id is ignored) as tasks created by `createdBy`.
 * All or nothing: every entry is validated before anything is written, and if a step fails midway the
 * schedules and items already written are removed again. A removal that fails is reported through `warn`
 * and the original error thrown; items left `pending` are removed by reconcile after its grace period.
 *
 * The same sequence as `createTask`, in bulk: every item is written `pending` (batch writes), the schedules
 * are created a few at a time, then every item is written in the state it was exported in (`active` for a
 * file without states), with its run counts, read positions and creation time. Batch writes carry no condition; that
 * is safe because the ids were generated here a moment ago, so no other item can have them, and while they
 * are `pending` nobody else may change them (updates and cancels refuse a pending task).
 */
export async function importTasks(
  deps: TaskImportDeps,
  guildId: string,
  data: unknown,
  createdBy: string,
  options: ImportOptions = {},
): Promise<Task[]> {
  const { store, schedules, clock } = deps;
  const target = parseOrThrow(Snowflake, guildId, 'guildId');
  const author = parseOrThrow(Snowflake, createdBy, 'createdBy');
  const entries = parseImport(data);
  const guildZone = (await store.getGuildConfig(target))?.timeZone ?? 'UTC';
  const built = entries.map(({ configuration, standing }, index) => {
    try {
      const input = parseOrThrow(NewTaskInput, { ...configuration, guildId: target, createdBy: author });
      return restoredTask(deps, input, input.timeZone ?? guildZone, standing);
    } catch (error) {
      throw underField(`tasks[${index}]`, error);
    }
  });
  if (built.length === 0) return [];
  // Every entry's channels are checked, skipped ones too: a file is refused or accepted as a whole.
  await options.checkChannels?.(
    built.flatMap(({ task }, index) =>
      channelReferences(task).map((r) => ({ ...r, field: `tasks[${index}].${r.field}` })),
    ),
  );
  const kept = [];
  for (const [index, entry] of built.entries()) {
    if (options.skip?.(entry.task)) continue;
    const task = options.review ? await options.review(entry.task, `tasks[${index}]`) : entry.task;
    kept.push({ ...entry, task, links: entries[index]?.links ?? {}, index });
  }
  if (kept.length === 0) return [];
  await resolveImportLinks(store, target, kept);
  await requireRoomInGuild(
    store,
    deps.limits,
    target,
    kept.filter(({ state }) => countsTowardsLimit(state)).length,
  );
  const pending = kept.map(({ task }) => task);
  const attempted: string[] = [];
  try {
    await store.createTasks(pending);
    // Active and paused tasks get their schedule (a paused one DISABLED); disabled and completed have none.
    const scheduled = kept.filter(({ state }) => hasSchedule(state));
    await forEachLimited(scheduled, IMPORT_CONCURRENCY, async ({ task, state }) => {
      const definition = scheduleDefinitionFor({ ...task, state }, clock.now());
      // Before the call: a create that failed (a timeout, say) may still have created the schedule.
      attempted.push(definition.name);
      await schedules.create(definition, clientTokenFor(task));
    });
    // The same version step as updateTask: the restored item is version 2 of the pending one.
    const restored = kept.map(({ task, firstRun, state }) => ({
      ...(state === 'active' && firstRun
        ? activated(task, firstRun, clock.now())
        : withoutNextRun({ ...task, state })),
      version: task.version + 1,
    }));
    await store.createTasks(restored);
    return restored;
  } catch (error) {
    await rollBackImport(deps, pending, attempted);
    throw error;
  }
}

/**
 * The pending task of an import entry, restored to where it stood: its state, run counts and failure
 * streak, read positions and creation time (which anchors an `every` schedule's grid, so the restored
 * task fires when the original would have). Only a task that will have a schedule (active, paused) must
 * have a future run: a completed one-time task is restored as the record it is.
 */
function restoredTask(
  deps: TaskImportDeps,
  input: ParsedNewTask,
  timeZone: string,
  standing: PortableStanding,
): { task: Task; firstRun: Date | undefined; state: RestoredState } {
  const state = standing.state ?? 'active';
  const built = pendingTask(input, timeZone, {
    id: deps.newId(),
    now: deps.clock.now(),
    ...(standing.createdAt ? { createdAt: standing.createdAt } : {}),
  });
  const task = {
    ...built,
    ...(standing.metadata ? { metadata: standing.metadata } : {}),
    ...(standing.cursors && built.kind === 'summary' ? { cursors: standing.cursors } : {}),
  } as Task;
  requireTaskInterval(built, deps.limits, deps.clock.now());
  if (state === 'active' || state === 'paused') {
    return { task, firstRun: requireFutureRun(built, deps.clock.now()), state };
  }
  return { task, firstRun: undefined, state };
}

/** Removes what a failed import wrote: schedules first (as cancelTask does), then every item. */
async function rollBackImport(
  deps: TaskImportDeps,
  tasks: readonly Task[],
  scheduleNames: readonly string[],
): Promise<void> {
  await forEachLimited(scheduleNames, IMPORT_CONCURRENCY, (name) =>
    bestEffort(deps.warn, `deleting schedule ${name} of a failed import`, () => deps.schedules.delete(name)),
  );
  await bestEffort(deps.warn, `deleting the ${tasks.length} tasks of a failed import`, () =>
    deps.store.deleteTasks(tasks.map((task) => ({ guildId: task.guildId, taskId: task.id }))),
  );
}
