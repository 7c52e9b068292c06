import { ValidationError } from '../errors.ts';
import { cycleThrough } from '../tasks/chain.ts';
import type { SummaryTask, Task, TaskLink } from '../tasks/task.ts';
import type { TaskStore } from './ports.ts';

/** Most channels one task reads (the task model's limit), which a digest of digests' sources share. */
const MAX_CHANNELS = 10;

/**
 * Checks the links of a task about to be written (`digestOf`, `after`; tasks/chain.ts) against the other
 * tasks of its server and returns it ready to store: each linked task exists on this server (ids are
 * looked up within it, so another server's task is not found), is a summary task and is not the task
 * itself; no link closes a cycle ("Weekly → Daily → Weekly"); each link carries the linked task's current
 * name; and a digest of digests reads, for the audience rule, the channels its sources' digests come from.
 * Throws ValidationError on `digestOf` or `after`, naming the task and what to do.
 */
export async function withCheckedLinks(store: TaskStore, next: Task): Promise<Task> {
  if (next.kind !== 'summary' || (!next.digestOf && !next.after)) return next;
  const others = (await store.listTasks(next.guildId)).filter((t) => t.id !== next.id);
  const byId = new Map(others.map((t) => [t.id, t]));
  const resolve = (link: TaskLink, field: 'digestOf' | 'after'): SummaryTask => {
    if (link.taskId === next.id) {
      throw new ValidationError(
        field,
        field === 'after'
          ? 'another task: a task cannot run after itself'
          : 'other tasks: a task cannot digest itself',
      );
    }
    const found = byId.get(link.taskId);
    if (!found) {
      throw new ValidationError(
        field,
        `a task of this server; there is no task ${link.name === link.taskId ? link.taskId : `“${link.name}” (${link.taskId})`} here`,
      );
    }
    if (found.kind !== 'summary') {
      throw new ValidationError(field, `a summary task; “${found.name}” is a cleanup task`);
    }
    return found;
  };
  const result: SummaryTask = { ...next };
  if (next.after) {
    const upstream = resolve(next.after, 'after');
    result.after = { taskId: upstream.id, name: upstream.name };
  }
  if (next.digestOf) {
    const sources = next.digestOf.map((link) => resolve(link, 'digestOf'));
    result.digestOf = [...new Map(sources.map((s) => [s.id, { taskId: s.id, name: s.name }])).values()];
    const channels = [...new Set(sources.flatMap((s) => s.channelIds))];
    if (channels.length > MAX_CHANNELS) {
      throw new ValidationError(
        'digestOf',
        `tasks reading at most ${MAX_CHANNELS} channels together; these read ${channels.length}: digest fewer tasks`,
      );
    }
    result.channelIds = channels;
  }
  const cycle = cycleThrough(result, others);
  if (cycle) {
    throw new ValidationError(
      result.after && cycle.length > 0 && linksCycleVia(result, cycle) ? 'after' : 'digestOf',
      `links without a cycle; this one would close the chain ${cycle.join(' → ')}: link a task that does not depend on “${result.name}”`,
    );
  }
  return result;
}

/** Whether the cycle's first step from the changed task goes through its `after` link. */
function linksCycleVia(task: SummaryTask, cycle: string[]): boolean {
  return task.after?.name === cycle[1];
}
