import type { Task } from './task.ts';

/**
 * `/schedule pause task until:<date>`. The task is `paused` with `pausedUntil`, and its schedule stays
 * ENABLED with that instant as its StartDate: EventBridge Scheduler (and the embedded scheduler, with the
 * same semantics) invokes nothing before it (FACTS A4), and the first run due after it resumes the task
 * (the executor flips it to `active`). Nothing else has to wake up at that time, so nothing can miss it.
 */

/** A paused task that resumes by itself: its schedule stays enabled and starts at `pausedUntil`. */
export function resumesBySelf(task: Pick<Task, 'state' | 'pausedUntil'>): boolean {
  return task.state === 'paused' && task.pausedUntil !== undefined;
}

/** Whether a scheduled run due at `scheduledTime` is the one that resumes a self-resuming pause. */
export function resumesAt(task: Pick<Task, 'state' | 'pausedUntil'>, scheduledTime: string): boolean {
  return resumesBySelf(task) && Date.parse(scheduledTime) >= Date.parse(task.pausedUntil as string);
}

/** The task resumed from its pause: `active`, without `pausedUntil`. */
export function resumedFromPause<T extends Task>(task: T, now: Date): T {
  const { pausedUntil: _done, ...rest } = task;
  return { ...rest, state: 'active', updatedAt: now.toISOString() } as T;
}

/** The StartDate a self-resuming pause gives the schedule: `pausedUntil`, while it is still ahead. */
export function pauseStart(task: Pick<Task, 'state' | 'pausedUntil'>, now: Date): Date | undefined {
  if (!resumesBySelf(task)) return undefined;
  const until = new Date(task.pausedUntil as string);
  return until.getTime() > now.getTime() ? until : undefined;
}
