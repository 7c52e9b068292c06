import type { GuildConfig } from '../tasks/guild-config.ts';
import type { DeadLetterRecord, RunRecord, RunStatus } from '../tasks/run-record.ts';
import type { ScheduleSpec } from '../tasks/schedule-spec.ts';
import type { Task, TaskKind, TaskLink, TaskState } from '../tasks/task.ts';
import type { TaskSource } from '../tasks/task-source.ts';

export interface TaskFilter {
  channelId?: string;
  state?: TaskState;
  kind?: TaskKind;
}

/**
 * What task lists and autocomplete show of a task: read with a projection, so listing a large guild does
 * not move (or validate) destinations, options, cursors and run metadata it never displays.
 */
export interface TaskSummary {
  id: string;
  guildId: string;
  name: string;
  kind: TaskKind;
  state: TaskState;
  schedule: ScheduleSpec;
  timeZone: string;
  /** Empty for cleanup tasks. */
  channelIds: string[];
  /** A category or whole-server task (absent: it reads its channels). */
  source?: TaskSource;
  nextRunAt?: string;
  /** A pause with an end (`/schedule pause until:`): when the task resumes by itself. */
  pausedUntil?: string;
  /** Members subscribed to its digest by DM (`/subscribe`); absent when none. */
  subscriberIds?: string[];
  /** A task that runs right after another task's successful runs (`/schedule settings after:`). */
  after?: TaskLink;
}

/** A task's address in the table, for bulk deletes. */
export interface TaskKey {
  guildId: string;
  taskId: string;
}

/** The outcome of trying to claim a run (see `TaskStore.claimRun`). */
export type ClaimResult = { claimed: true; previous?: RunRecord } | { claimed: false; existing: RunRecord };

/**
 * Persistence of tasks, guild config, run records and dead letters. Every read on a request path is a
 * point read or a query within one guild; every task write is conditional on `version`.
 */
export interface TaskStore {
  /** Writes a new task; fails with ConflictError if the id exists in the guild. */
  createTask(task: Task): Promise<void>;
  /** Reads a task of one guild; a task of another guild is simply not there. */
  getTask(guildId: string, taskId: string): Promise<Task | undefined>;
  /**
   * Writes `next` if the stored version is still `expectedVersion`;
   * the stored item gets `expectedVersion + 1`, which the returned task carries. ConflictError otherwise.
   */
  updateTask(next: Task, expectedVersion: number): Promise<Task>;
  /** Deletes a task; with `expectedVersion`, only if unchanged. Missing tasks are not an error. */
  deleteTask(guildId: string, taskId: string, expectedVersion?: number): Promise<void>;
  /** The guild's tasks, optionally filtered, ordered by name. Query, never Scan. */
  listTasks(guildId: string, filter?: TaskFilter): Promise<Task[]>;
  /** The same listing as `listTasks`, summaries only (see TaskSummary). */
  listTaskSummaries(guildId: string, filter?: TaskFilter): Promise<TaskSummary[]>;
  /**
   * Writes tasks in bulk without any condition: only for tasks whose ids the caller has just generated and
   * nobody else knows yet (an import), where an existing item with the same key cannot be anyone's data.
   * Overwrites by key, so it also writes the next state of such a batch. Not atomic: a failure leaves some
   * written; the caller removes them with `deleteTasks`.
   */
  createTasks(tasks: readonly Task[]): Promise<void>;
  /** Deletes tasks in bulk, unconditionally; missing tasks are not an error. */
  deleteTasks(keys: readonly TaskKey[]): Promise<void>;
  /** Tasks of every guild in one state (a query on the state index): for reconcile, stats and re-arming. */
  listTasksByState(state: TaskState): Promise<Task[]>;

  getGuildConfig(guildId: string): Promise<GuildConfig | undefined>;
  /** Conditional on `expectedVersion` (0 for a first write); returns the stored config. */
  putGuildConfig(config: GuildConfig, expectedVersion: number): Promise<GuildConfig>;

  /**
   * Claims a run keyed by (taskId, scheduledTime) with a conditional write before any side effect.
   * Succeeds when no record exists, when the existing one `failed` and is `retryable`, or when it is `running` with an
   * expired `leaseUntil` (the previous attempt died); the taken-over record is returned as `previous` so
   * destinations already delivered are not delivered again. Otherwise returns the existing record.
   */
  claimRun(run: RunRecord, now: Date): Promise<ClaimResult>;
  /** Overwrites a run record (records no claim holds: a missed run, a dead letter's outcome). */
  putRun(run: RunRecord): Promise<void>;
  /**
   * The claimant's update of its run (progress, lease renewal, outcome), written only while the stored
   * record still carries `run.claimId`; otherwise rejects with RunTakenOverError and writes nothing.
   */
  putClaimedRun(run: RunRecord): Promise<void>;
  getRun(taskId: string, scheduledTime: string): Promise<RunRecord | undefined>;
  /** Newest first. `before` pages backwards by scheduled time. */
  listRuns(
    taskId: string,
    options?: { limit?: number; before?: string; status?: RunStatus },
  ): Promise<RunRecord[]>;
  deleteRun(taskId: string, scheduledTime: string): Promise<void>;

  putDeadLetter(record: DeadLetterRecord): Promise<void>;
  /** Newest first. */
  listDeadLetters(options?: { limit?: number }): Promise<DeadLetterRecord[]>;
}

/** What a schedule invokes: the executor's input for a scheduled run. */
export interface ScheduledRunEvent {
  taskId: string;
  guildId: string;
  /** ISO instant the schedule was due (EventBridge `<aws.scheduler.scheduled-time>`). */
  scheduledTime: string;
  executionId: string;
  attempt: number;
}

export type ScheduleState = 'ENABLED' | 'DISABLED';

/** One schedule per task, in the bot's schedule group. */
export interface ScheduleDefinition {
  /** `task-<id>`. */
  name: string;
  /** An EventBridge `at()`, `rate()` or `cron()` expression. */
  expression: string;
  timeZone: string;
  state: ScheduleState;
  taskId: string;
  guildId: string;
  /** Rate schedules are anchored here (EventBridge starts them at creation, or at StartDate). */
  startDate?: Date;
  description?: string;
}

/** The schedule names (and states) present in the group: what reconcile compares against the table. */
export interface ScheduleSummary {
  name: string;
  state: ScheduleState;
}

/** Creates and manages the schedules that invoke the executor. */
export interface ScheduleGateway {
  /** Idempotent per `clientToken`. Throws ScheduleGatewayError. */
  create(definition: ScheduleDefinition, clientToken: string): Promise<void>;
  /** Replaces the whole definition (UpdateSchedule semantics). */
  update(definition: ScheduleDefinition): Promise<void>;
  /** Deleting a schedule that does not exist is not an error. */
  delete(name: string): Promise<void>;
  get(name: string): Promise<ScheduleDefinition | undefined>;
  list(): Promise<ScheduleSummary[]>;
}

/** Schedule name for a task id (EventBridge names: at most 64 of `[0-9a-zA-Z-_.]`). */
export function scheduleNameFor(taskId: string): string {
  return `task-${taskId}`;
}
