import { ValidationError } from '../errors.ts';
import { cycleThrough } from '../tasks/chain.ts';
import type { SummaryTask, Task, TaskLink } from '../tasks/task.ts';
import type { PortableLinks } from './export-import.ts';
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

/**
 * Gives imported tasks their links (`digestOf`, `after`), which an export names by task name: a task of the
 * same file first, else one of the server. Each is checked as `withCheckedLinks` checks an edit (a summary
 * task, not itself, no cycle, among the file's tasks and the server's together). Sets the links on the
 * entries' tasks; throws ValidationError on `tasks[i].after` or `tasks[i].digestOf`.
 */
export async function resolveImportLinks(
  store: TaskStore,
  guildId: string,
  entries: { task: Task; links: PortableLinks; index: number }[],
): Promise<void> {
  if (!entries.some((e) => e.links.after || e.links.digestOf)) return;
  const existing = await store.listTasks(guildId);
  const byName = (tasks: readonly Task[], name: string) =>
    tasks.filter((t) => t.name.trim().toLowerCase() === name.trim().toLowerCase());
  const fileTasks = entries.map((e) => e.task);
  const find = (name: string, field: string): TaskLink => {
    const inFile = byName(fileTasks, name);
    const candidates = inFile.length > 0 ? inFile : byName(existing, name);
    if (candidates.length !== 1) {
      throw new ValidationError(
        field,
        candidates.length === 0
          ? `the name of a task in this file or on this server; there is no task “${name}”`
          : `a name only one task has; ${candidates.length} tasks are called “${name}”: rename one`,
      );
    }
    const [task] = candidates as [Task];
    return { taskId: task.id, name: task.name };
  };
  for (const entry of entries) {
    const { links, task, index } = entry;
    if (!links.after && !links.digestOf) continue;
    if (task.kind !== 'summary') {
      throw new ValidationError(`tasks[${index}]`, 'links (after, digestOf) only on summary tasks');
    }
    if (links.after) task.after = find(links.after, `tasks[${index}].after`);
    if (links.digestOf) task.digestOf = links.digestOf.map((n) => find(n, `tasks[${index}].digestOf`));
  }
  const all = [...existing, ...fileTasks];
  for (const { task, index } of entries) {
    if (task.kind !== 'summary' || (!task.after && !task.digestOf)) continue;
    const links = [...(task.digestOf ?? []), ...(task.after ? [task.after] : [])];
    if (links.some((l) => l.taskId === task.id)) {
      throw new ValidationError(`tasks[${index}]`, `links to other tasks; “${task.name}” links to itself`);
    }
    if (links.some((l) => all.find((t) => t.id === l.taskId)?.kind !== 'summary')) {
      throw new ValidationError(`tasks[${index}]`, 'links to summary tasks; a cleanup task was named');
    }
    const cycle = cycleThrough(task, all);
    if (cycle) {
      throw new ValidationError(
        `tasks[${index}]`,
        `links without a cycle; these would close the chain ${cycle.join(' → ')}`,
      );
    }
  }
}
