import { randomInt } from 'node:crypto';
import type * as z from 'zod';
import { ValidationError } from '../errors.ts';
import { TaskId } from '../tasks/fields.ts';
import { Task } from '../tasks/task.ts';
import { type ParsedNewTask, parseOrThrow, type TaskChanges } from './new-task.ts';
import { nextRunsOf } from './schedule-definition.ts';

/** A pause with an end ends within a year; a longer one is a plain pause. */
const MAX_PAUSE_MS = 366 * 86_400_000;
const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * 12 random characters of [0-9A-Za-z]: 71 bits, collisions are not a practical concern. No `-` or `_`, so
 * an id never reads as a command-line option (`tasks cancel -XRRAJ4E7BwT`); ids made earlier with them stay
 * valid.
 */
export function newTaskId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/**
 * The pending task built from validated input, with no runs yet. `createdAt` is given for an imported
 * task (it anchors an `every` schedule's grid); otherwise it is `now`.
 */
export function pendingTask(
  input: ParsedNewTask,
  timeZone: string,
  made: { id: string; now: Date; createdAt?: string },
): Task {
  const now = made.now.toISOString();
  const common = {
    id: made.id,
    guildId: input.guildId,
    name: input.name,
    schedule: input.schedule,
    timeZone,
    state: 'pending' as const,
    createdBy: input.createdBy,
    createdAt: made.createdAt ?? now,
    updatedAt: now,
    version: 1,
    metadata: { runCount: 0, successCount: 0, failureCount: 0, skipCount: 0, consecutiveFailures: 0 },
    ...(input.notifyChannelId ? { notifyChannelId: input.notifyChannelId } : {}),
    ...(input.failureLimit !== undefined ? { failureLimit: input.failureLimit } : {}),
  };
  const task: Task =
    input.kind === 'summary'
      ? {
          ...common,
          kind: 'summary',
          channelIds: input.channelIds,
          ...(input.source && input.source !== 'channel' ? { source: input.source } : {}),
          destinations: input.destinations,
          options: input.options,
          cursors: {},
        }
      : {
          ...common,
          kind: 'cleanup',
          retentionDays: input.retentionDays,
          destinations: input.destinations,
        };
  TaskId.parse(task.id);
  return task;
}

/**
 * `current` with validated `changes` applied (null clears an optional field), checked again as a whole.
 * ValidationError for a change the task's kind does not have.
 */
export function changedTask(current: Task, changes: z.output<typeof TaskChanges>, now: Date): Task {
  if (current.kind === 'cleanup') {
    if (changes.channelIds || changes.source)
      throw new ValidationError(
        changes.channelIds ? 'channelIds' : 'source',
        'a cleanup task reads no channels',
      );
    if (changes.options) throw new ValidationError('options', 'a cleanup task has no summary options');
    if (changes.digestOf) throw new ValidationError('digestOf', 'a summary task; this is a cleanup task');
    if (changes.after) throw new ValidationError('after', 'a summary task; this is a cleanup task');
  } else if (changes.retentionDays !== undefined) {
    throw new ValidationError('retentionDays', 'only cleanup tasks have a retention');
  }
  const { notifyChannelId, failureLimit, options, digestOf, after, ...rest } = changes;
  const merged: Record<string, unknown> = { ...current, ...dropUndefined(rest) };
  if (options && current.kind === 'summary') merged.options = { ...current.options, ...options };
  if (notifyChannelId === null) delete merged.notifyChannelId;
  else if (notifyChannelId !== undefined) merged.notifyChannelId = notifyChannelId;
  if (failureLimit === null) delete merged.failureLimit;
  else if (failureLimit !== undefined) merged.failureLimit = failureLimit;
  if (digestOf === null) delete merged.digestOf;
  else if (digestOf !== undefined) merged.digestOf = digestOf;
  // A task that reads its channels is stored as before category and server sources existed: without one.
  if (merged.source === 'channel') delete merged.source;
  if (after === null) delete merged.after;
  else if (after !== undefined) merged.after = after;
  merged.updatedAt = now.toISOString();
  return parseOrThrow(Task, merged);
}

/**
 * `current` (active or paused) paused, until `until` when given: the task resumes by itself at its first
 * run from then on (see pause-until.ts). ValidationError on `until` for a one-time task, a time not in the
 * future or more than a year away, or one after which the task never runs.
 */
export function pausedTask(current: Task, until: Date | undefined, now: Date): Task {
  const { pausedUntil: _replaced, ...rest } = current;
  const next = { ...rest, state: 'paused', updatedAt: now.toISOString() } as Task;
  if (until === undefined) return next;
  if (current.schedule.type === 'once') {
    throw new ValidationError(
      'until',
      'a pause with an end for a repeating task; a one-time task runs once: pause it, or move it with /schedule edit date:',
    );
  }
  if (until.getTime() <= now.getTime()) throw new ValidationError('until', 'expected a time in the future');
  if (until.getTime() - now.getTime() > MAX_PAUSE_MS) {
    throw new ValidationError('until', 'expected a time within a year; pause it without until: instead');
  }
  const probe = { ...current, state: 'paused', pausedUntil: until.toISOString() } as Task;
  if (nextRunsOf(probe, 1, now).length === 0) {
    throw new ValidationError('until', 'the task has no run after that time, so it would never resume');
  }
  next.pausedUntil = until.toISOString();
  return next;
}

/**
 * `current` disabled after repeated failures (the dead-letter handler): no next run, and the last run's
 * error kept, else `reason` given as it.
 */
export function disabledTask(current: Task, reason: string, now: Date): Task {
  const next: Task = {
    ...current,
    state: 'disabled',
    updatedAt: now.toISOString(),
    metadata: {
      ...current.metadata,
      ...(current.metadata.lastRun
        ? { lastRun: { ...current.metadata.lastRun, error: current.metadata.lastRun.error ?? reason } }
        : {}),
    },
  };
  delete next.metadata.nextRunAt;
  return next;
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
