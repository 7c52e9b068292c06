import type { Task, TaskState } from '../tasks/task.ts';
import type { ScheduleDefinition, ScheduleGateway, ScheduleSummary, TaskStore } from './ports.ts';
import { scheduleNameFor } from './ports.ts';
import { createOrUpdate } from './schedule-definition.ts';

/** What a reconcile pass changed, by schedule name (`recreated`, `deletedOrphans`, `stateFixed`) or task id. */
export interface ReconcileReport {
  /** Schedules created again for active or paused tasks that had none. */
  recreated: string[];
  /** Schedules without a task, or whose task is disabled, completed or an abandoned pending create. */
  deletedOrphans: string[];
  /** Schedules whose ENABLED/DISABLED state disagreed with their task's state. */
  stateFixed: string[];
  /** Pending task ids whose create was abandoned (older than the grace period, without a schedule). */
  removedPending: string[];
  /** Repairs that failed; the next pass tries again. */
  errors: { name: string; error: string }[];
}

/** A create in flight is `pending` for milliseconds; one older than this was abandoned. */
export const PENDING_GRACE_MS = 10 * 60_000;

const ALL_STATES: readonly TaskState[] = ['pending', 'active', 'paused', 'disabled', 'completed'];

export interface ReconcileDeps {
  store: TaskStore;
  schedules: ScheduleGateway;
  now: Date;
  definitionFor: (task: Task) => ScheduleDefinition;
  /** False for a one-time task whose moment has passed: its schedule deleted itself after it ran. */
  hasFutureRun: (task: Task) => boolean;
  clientTokenFor: (task: Task) => string;
  /** Only report what would be repaired: nothing is written (`summary-bot doctor`). */
  dryRun?: boolean;
  /** How old a `pending` task must be to count as abandoned (default PENDING_GRACE_MS). */
  pendingGraceMs?: number;
}

/**
 * Compares the schedule group with the task table and repairs drift both ways. The group is listed
 * before the table, so a task created meanwhile is in the table listing (its item is written before its
 * schedule) and its schedule is never mistaken for an orphan. Every repair re-reads the task and the
 * schedule first, so a user's concurrent change wins over the snapshot.
 */
export async function reconcile(deps: ReconcileDeps): Promise<ReconcileReport> {
  const { store } = deps;
  const schedules = deps.dryRun ? withoutWrites(deps.schedules) : deps.schedules;
  const report: ReconcileReport = {
    recreated: [],
    deletedOrphans: [],
    stateFixed: [],
    removedPending: [],
    errors: [],
  };
  const listed = new Map<string, ScheduleSummary>((await schedules.list()).map((s) => [s.name, s]));
  const tasks = (await Promise.all(ALL_STATES.map((state) => store.listTasksByState(state)))).flat();
  const taskByName = new Map(tasks.map((task) => [scheduleNameFor(task.id), task]));

  const attempt = async (name: string, repair: () => Promise<void>) => {
    try {
      await repair();
    } catch (error) {
      report.errors.push({ name, error: error instanceof Error ? error.message : String(error) });
    }
  };

  for (const task of tasks) {
    const name = scheduleNameFor(task.id);
    const summary = listed.get(name);
    await attempt(name, async () => {
      if (task.state === 'active' || task.state === 'paused') {
        // Active tasks, and paused ones that resume by themselves (pause-until.ts), keep an enabled schedule.
        const wanted = deps.definitionFor(task).state;
        if (summary && summary.state === wanted) return;
        const fresh = await store.getTask(task.guildId, task.id);
        if (!fresh || (fresh.state !== 'active' && fresh.state !== 'paused')) return;
        const definition = deps.definitionFor(fresh);
        const existing = await schedules.get(name);
        if (!existing && !deps.hasFutureRun(fresh)) return;
        if (!existing) {
          // A fresh token: the task's own create token may already have been used for a schedule since deleted.
          await createOrUpdate(schedules, definition, `${deps.clientTokenFor(fresh)}-r${deps.now.getTime()}`);
          report.recreated.push(name);
        } else if (existing.state !== definition.state) {
          await schedules.update(definition);
          report.stateFixed.push(name);
        }
      } else if (task.state === 'pending') {
        if (deps.now.getTime() - Date.parse(task.updatedAt) < (deps.pendingGraceMs ?? PENDING_GRACE_MS))
          return;
        const fresh = await store.getTask(task.guildId, task.id);
        if (fresh?.state !== 'pending') return;
        // The user was told this create failed: remove what it left, schedule first.
        if (summary || (await schedules.get(name))) {
          await schedules.delete(name);
          report.deletedOrphans.push(name);
        }
        if (!deps.dryRun) await store.deleteTask(fresh.guildId, fresh.id, fresh.version);
        report.removedPending.push(fresh.id);
      } else if (summary) {
        const fresh = await store.getTask(task.guildId, task.id);
        if (fresh && (fresh.state === 'active' || fresh.state === 'paused' || fresh.state === 'pending'))
          return;
        await schedules.delete(name);
        report.deletedOrphans.push(name);
      }
    });
  }

  for (const name of listed.keys()) {
    if (taskByName.has(name)) continue;
    await attempt(name, async () => {
      // Re-check: the schedule's own definition names its task; a task created since the listing keeps it.
      const existing = await schedules.get(name);
      if (!existing) return;
      const task = await store.getTask(existing.guildId, existing.taskId);
      if (task && task.state !== 'disabled' && task.state !== 'completed') return;
      await schedules.delete(name);
      report.deletedOrphans.push(name);
    });
  }
  return report;
}

/** The gateway's reads, with every write accepted and dropped: a dry run sees the same answers. */
function withoutWrites(schedules: ScheduleGateway): ScheduleGateway {
  return {
    create: async () => undefined,
    update: async () => undefined,
    delete: async () => undefined,
    get: (name) => schedules.get(name),
    list: () => schedules.list(),
  };
}
