/**
 * A scheduler port whose task reads wait for the test to open a gate: a command reading a task is still
 * working when the local runtime's deferral (deferAfter) answers "thinking…", whatever the machine's load.
 */
import type { SchedulerPort } from '../../lib/discord/context.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Task } from '../../lib/tasks/task.ts';

/** The scheduler and the gate: after `open()` the task read finds `task`, or nothing (a refusal). */
export function gatedScheduler(task: Task | undefined, ref = task?.id ?? 'task0001') {
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const scheduler = new Proxy({} as SchedulerPort, {
    get: (_, name: string) => async () => {
      if (name === 'getGuildConfig') return undefined;
      if (name === 'updateGuildConfig') return {};
      if (name === 'getTask') {
        await gate;
        if (!task) throw new NotFoundError(`task ${ref}`);
        return task;
      }
      if (name === 'pauseTask') return { ...task, state: 'paused' };
      // Not an id of this server: resolveTask looks for the name too.
      if (name === 'listTaskSummaries') return [];
      throw new Error(`unexpected scheduler call ${name}`);
    },
  });
  return { scheduler, open };
}
