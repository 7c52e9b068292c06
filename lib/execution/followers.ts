import type { Logger } from '../observability/logger.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import { followerDue } from '../tasks/chain.ts';
import type { Task } from '../tasks/task.ts';
import type { ExecutorInvoker, TaskRunInput } from './executor-input.ts';

/**
 * Followers (`after`): a task that runs right after another task's successful runs. The executor that
 * finished the upstream run starts them (`startFollowers`); each follower's run is keyed by that upstream
 * run, so it goes through the same idempotent claim as any run and a duplicate start is one run.
 */

/**
 * Why a run of `task` does not happen now because it follows another task, or undefined when it does. Its
 * own schedule's runs give way while the task it follows exists and is active; a run after that task needs
 * the link to still hold and an occurrence of its own schedule to be due (tasks/chain.ts).
 */
export async function followerCheck(
  store: TaskStore,
  task: Task,
  input: TaskRunInput,
): Promise<string | undefined> {
  const after = task.kind === 'summary' ? task.after : undefined;
  if (input.type === 'after') {
    if (after?.taskId !== input.upstream.taskId) {
      return `the task no longer runs after ${input.upstream.taskId}`;
    }
    if (!followerDue(task, new Date(input.upstream.scheduledTime))) {
      return 'no run of its own schedule is due since its last run';
    }
    return undefined;
  }
  if (input.type !== 'scheduled' || !after) return undefined;
  const upstream = await store.getTask(task.guildId, after.taskId);
  // While the task it follows is gone or not active, a follower runs at its own times again.
  return upstream?.state === 'active' ? `it runs after ${upstream.name} instead` : undefined;
}

/**
 * Starts the runs of the active tasks that follow `task`, keyed by its run of `scheduledTime`. A failed
 * start is thrown: the upstream run is retried as a duplicate, which starts its followers again.
 */
export async function startFollowers(
  deps: { store: TaskStore; followers?: ExecutorInvoker | undefined },
  task: Task,
  scheduledTime: string,
  logger: Logger,
): Promise<void> {
  const invoker = deps.followers;
  if (!invoker) return;
  const tasks = await deps.store.listTasks(task.guildId, { state: 'active', kind: 'summary' });
  for (const follower of tasks) {
    if (follower.kind !== 'summary' || follower.after?.taskId !== task.id) continue;
    await invoker.invoke({
      type: 'after',
      taskId: follower.id,
      guildId: follower.guildId,
      upstream: { taskId: task.id, scheduledTime },
      attempt: 1,
    });
    logger.info('follower started', { follower: follower.id });
  }
}
