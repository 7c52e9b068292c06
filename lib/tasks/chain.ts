import { nextRunAfter, nextRuns } from './next-runs.ts';
import { toScheduleExpression } from './schedule-spec.ts';
import type { SummaryTask, Task } from './task.ts';

/**
 * Tasks linked to others: a digest of digests reads its sources' run records (`digestOf`), a follower runs
 * after another task's runs (`after`). Both are edges of one graph per server, which must have no cycle: a
 * digest of itself has nothing to say, and followers in a ring would wait on each other forever.
 */

/** The tasks `task` depends on: the one it runs after and the ones it digests. */
export function linksOf(
  task: Pick<Task, 'kind'> & Partial<Pick<SummaryTask, 'after' | 'digestOf'>>,
): string[] {
  if (task.kind !== 'summary') return [];
  const ids = (task.digestOf ?? []).map((s) => s.taskId);
  if (task.after) ids.push(task.after.taskId);
  return [...new Set(ids)];
}

/**
 * The first cycle through `changed` once it replaces its stored version among `tasks`, as task names from
 * `changed` back to it ("Weekly → Daily → Weekly"), or undefined when there is none. Only cycles through the
 * changed task are looked for: the stored graph had none, as every change was checked.
 */
export function cycleThrough(
  changed: Pick<Task, 'id' | 'name' | 'kind'> & Partial<Pick<SummaryTask, 'after' | 'digestOf'>>,
  tasks: readonly (Pick<Task, 'id' | 'name' | 'kind'> & Partial<Pick<SummaryTask, 'after' | 'digestOf'>>)[],
): string[] | undefined {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  byId.set(changed.id, changed);
  const visited = new Set<string>();
  // Depth first from the changed task; the path is the chain so far.
  const walk = (id: string, path: string[]): string[] | undefined => {
    const task = byId.get(id);
    if (!task) return undefined; // a link to a deleted task ends the chain
    for (const next of linksOf(task)) {
      if (next === changed.id) return [...path, changed.name];
      if (visited.has(next)) continue;
      visited.add(next);
      const nextTask = byId.get(next);
      if (!nextTask) continue;
      const found = walk(next, [...path, nextTask.name]);
      if (found) return found;
    }
    return undefined;
  };
  return walk(changed.id, [changed.name]);
}

/**
 * Whether a follower is due after its upstream's run of `upstreamTime`: its own schedule has an occurrence
 * since its last run (or its creation) and no later than that run. So a weekly follower of a daily task
 * runs once a week, after the first daily run from its own weekly time on; a daily follower after every one.
 */
export function followerDue(
  follower: Pick<Task, 'schedule' | 'timeZone' | 'createdAt' | 'metadata'>,
  upstreamTime: Date,
): boolean {
  const since = follower.metadata.lastRun?.scheduledTime ?? follower.createdAt;
  const occurrence = nextRunAfter(follower, new Date(since));
  return occurrence !== undefined && occurrence.getTime() <= upstreamTime.getTime();
}

const DAY_MS = 86_400_000;
/** How far back a previous occurrence is looked for: longer gaps are a first run's initial lookback. */
const SPANS_MS = [3_600_000, 6 * 3_600_000, DAY_MS, 2 * DAY_MS, 7 * DAY_MS, 14 * DAY_MS, 32 * DAY_MS];

/**
 * The latest occurrence of the task's own schedule before `to`, within about a month: where a first digest
 * of digests starts ("the week" of a weekly task). The smallest span holding one is searched, so a schedule
 * running every minute costs no more than an hourly one.
 */
export function previousOccurrence(task: Pick<Task, 'schedule' | 'timeZone'>, to: Date): Date | undefined {
  const { schedule } = task;
  if (schedule.type === 'every') {
    // A rate's occurrences are one period apart, wherever it was anchored.
    const unit = { minutes: 60_000, hours: 3_600_000, days: DAY_MS }[schedule.unit];
    return new Date(to.getTime() - schedule.value * unit);
  }
  // Not limited to the task's own start: a first run covers the period before it, not since creation.
  const expression = toScheduleExpression(schedule);
  for (const span of SPANS_MS) {
    // Walk forward from the span's start in small batches until `to`: the last run before it is the answer.
    let from = new Date(to.getTime() - span - 60_000);
    let last: Date | undefined;
    for (let batch = 0; batch < 100; batch++) {
      const runs = nextRuns(expression, task.timeZone, from, 50);
      const before = runs.filter((r) => r < to);
      last = before.at(-1) ?? last;
      if (before.length < runs.length || runs.length < 50 || !last) break;
      from = last;
    }
    if (last) return last;
  }
  return undefined;
}
