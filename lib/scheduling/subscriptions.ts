import { ConflictError, LimitError, NotFoundError, ValidationError } from '../errors.ts';
import { DEFAULT_SUBSCRIBERS_PER_TASK } from '../tasks/subscribers.ts';
import type { SummaryTask, Task } from '../tasks/task.ts';
import type { TaskStore } from './ports.ts';

/**
 * Subscriptions live on the task item (`subscribers`), so a run reads them with the task and a deleted task
 * takes them with it. Every change is a conditional write on the task's version, re-read and re-applied on
 * a conflict: a run's bookkeeping or an admin's edit landing at the same moment loses nothing.
 */

/** The task as one members may subscribe to; ValidationError on `task` saying why not. */
export function subscribable(task: Task): SummaryTask {
  if (task.kind !== 'summary')
    throw new ValidationError('task', 'a summary task; a cleanup task sends no digest to subscribe to');
  if (task.digestOf)
    throw new ValidationError(
      'task',
      `a task that reads channels; **${task.name}** is a digest of other tasks' digests: subscribe to those tasks instead`,
    );
  if (task.state === 'completed')
    throw new ValidationError('task', `a task that still runs; **${task.name}** ran once and is finished`);
  if (task.state === 'pending') throw new ConflictError(`Task ${task.id}`);
  return task;
}

/**
 * Adds `userId` to the task's subscribers (`added: false` when already there). LimitError naming
 * MAX_SUBSCRIBERS_PER_TASK when the task has `limit` subscribers already.
 */
export async function addSubscriber(
  store: TaskStore,
  guildId: string,
  taskId: string,
  userId: string,
  now: Date,
  limit = DEFAULT_SUBSCRIBERS_PER_TASK,
): Promise<{ task: SummaryTask; added: boolean }> {
  let added = false;
  const task = await changeSubscribers(store, guildId, taskId, (current) => {
    const list = current.subscribers ?? [];
    added = !list.some((s) => s.userId === userId);
    if (!added) return undefined;
    if (list.length >= limit)
      throw new LimitError(
        'MAX_SUBSCRIBERS_PER_TASK',
        `**${current.name}** already has ${list.length} subscribers, and at most ${limit} are allowed (each run sends every subscriber a direct message). Ask a manager to post its digest to a channel you can read instead; whoever runs the bot can raise the limit with MAX_SUBSCRIBERS_PER_TASK (CDK context maxSubscribersPerTask).`,
      );
    return [...list, { userId, since: now.toISOString() }];
  });
  return { task, added };
}

/** Removes `userId` from the task's subscribers (`removed: false` when they were not subscribed). */
export async function removeSubscriber(
  store: TaskStore,
  guildId: string,
  taskId: string,
  userId: string,
): Promise<{ task: SummaryTask; removed: boolean }> {
  let removed = false;
  const task = await changeSubscribers(store, guildId, taskId, (current) => {
    const list = current.subscribers ?? [];
    removed = list.some((s) => s.userId === userId);
    return removed ? list.filter((s) => s.userId !== userId) : undefined;
  });
  return { task, removed };
}

/** Removes several subscribers at once (members who left the server); a missing task is not an error. */
export async function dropSubscribers(
  store: TaskStore,
  guildId: string,
  taskId: string,
  userIds: readonly string[],
): Promise<void> {
  if (userIds.length === 0) return;
  const gone = new Set(userIds);
  try {
    await changeSubscribers(store, guildId, taskId, (current) => {
      const list = current.subscribers ?? [];
      const kept = list.filter((s) => !gone.has(s.userId));
      return kept.length === list.length ? undefined : kept;
    });
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Reads the task, asks `change` for its new subscriber list (undefined: nothing to write) and writes it on
 * the version read, again from a fresh read on a conflict. NotFoundError when the task is gone.
 */
async function changeSubscribers(
  store: TaskStore,
  guildId: string,
  taskId: string,
  change: (task: SummaryTask) => SummaryTask['subscribers'] | undefined,
  attempts = 5,
): Promise<SummaryTask> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getTask(guildId, taskId);
    if (current?.kind !== 'summary') throw new NotFoundError(`Task ${taskId}`);
    const list = change(current);
    if (list === undefined) return current;
    const { subscribers: _old, ...rest } = current;
    const next: SummaryTask = list.length > 0 ? { ...rest, subscribers: list } : rest;
    try {
      return (await store.updateTask(next, current.version)) as SummaryTask;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
}
