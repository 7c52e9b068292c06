import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';
import { Snowflake, TaskId } from '../tasks/fields.ts';
import { GuildConfig, GuildConfigChanges } from '../tasks/guild-config.ts';
import { resumedFromPause } from '../tasks/pause-until.ts';
import type { Task } from '../tasks/task.ts';
import { bestEffort } from './best-effort.ts';
import { buildExport, type TaskExport } from './export-import.ts';
import { requireRoomInGuild, requireTaskInterval, type SchedulingLimits } from './limits.ts';
import { NewTaskInput, type ParsedNewTask, parseOrThrow, TaskChanges } from './new-task.ts';
import type { ScheduleDefinition, ScheduleGateway, TaskFilter, TaskStore, TaskSummary } from './ports.ts';
import { scheduleNameFor } from './ports.ts';
import { type ReconcileReport, reconcile } from './reconcile.ts';
import {
  activated,
  clientTokenFor,
  nextRunsOf,
  requireFutureRun,
  scheduleDefinitionFor,
} from './schedule-definition.ts';
import { collectStats, type SchedulerStats } from './stats.ts';
import { addSubscriber, removeSubscriber, subscribable } from './subscriptions.ts';
import { changedTask, disabledTask, newTaskId, pausedTask, pendingTask } from './task-factory.ts';
import { type ImportOptions, importTasks } from './task-import.ts';
import { withCheckedLinks } from './task-links.ts';
import { describeTask, type TaskStatus, taskStatus } from './task-status.ts';
import { writeThenSync } from './write-then-sync.ts';

export type { TaskExport } from './export-import.ts';
export type { ReconcileReport } from './reconcile.ts';
export type { SchedulerStats } from './stats.ts';
export type { ImportOptions } from './task-import.ts';
export type { TaskStatus } from './task-status.ts';

export interface TaskSchedulerDeps {
  store: TaskStore;
  schedules: ScheduleGateway;
  clock: Clock;
  newId?: () => string;
  /** Where best-effort clean-up failures are reported (the original error is still thrown). */
  warn?: (message: string, error: unknown) => void;
  /**
   * Tasks per server and the shortest interval, from the deployment's configuration. Absent, nothing is
   * limited (tests and tools that build a scheduler by hand); every runtime passes its configured limits.
   */
  limits?: SchedulingLimits;
}

/**
 * The one place tasks are created, changed and removed. It keeps the task table and the schedule group
 * consistent: every change that touches both is ordered so a failure leaves either nothing or something
 * `reconcile` repairs, and every task write is conditional on the version (a lost update is a ConflictError).
 */
export class TaskScheduler {
  private readonly store: TaskStore;
  private readonly schedules: ScheduleGateway;
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly warn: (message: string, error: unknown) => void;
  private readonly limits: SchedulingLimits | undefined;

  constructor(deps: TaskSchedulerDeps) {
    this.store = deps.store;
    this.schedules = deps.schedules;
    this.clock = deps.clock;
    this.newId = deps.newId ?? newTaskId;
    this.warn = deps.warn ?? ((message, error) => console.warn(message, error));
    this.limits = deps.limits;
  }

  /**
   * Validates the input, writes the task `pending`, creates its schedule, then marks it `active`. If the
   * schedule cannot be created the item is deleted and the gateway error thrown; if marking it active fails,
   * the schedule is deleted (best effort) and `reconcile` removes whatever is left.
   */
  async createTask(input: NewTaskInput): Promise<Task> {
    // The one check of the input, schedule included (into a ValidSchedule the rest of the flow trusts).
    const parsed = parseOrThrow(NewTaskInput, input);
    const timeZone = parsed.timeZone ?? (await this.store.getGuildConfig(parsed.guildId))?.timeZone ?? 'UTC';
    const { task, firstRun } = this.buildTask(parsed, timeZone);
    await requireRoomInGuild(this.store, this.limits, task.guildId, 1);
    return this.createValidated(task, firstRun);
  }

  /**
   * Builds a pending task from validated input, with its first run (which proves it has one: ValidationError
   * for a schedule with no future run). The first run is kept so activating the task need not compute it again.
   */
  private buildTask(input: ParsedNewTask, timeZone: string): { task: Task; firstRun: Date } {
    const task = pendingTask(input, timeZone, { id: this.newId(), now: this.clock.now() });
    requireTaskInterval(task, this.limits, this.clock.now());
    return { task, firstRun: requireFutureRun(task, this.clock.now()) };
  }

  /** The create sequence for an already validated pending task. */
  private async createValidated(task: Task, firstRun: Date): Promise<Task> {
    await this.store.createTask(task);
    const active: Task = { ...task, state: 'active' };
    const definition = this.scheduleDefinitionFor(active);
    try {
      await this.schedules.create(definition, clientTokenFor(task));
    } catch (error) {
      await bestEffort(this.warn, `deleting task ${task.id} after its schedule failed`, () =>
        this.store.deleteTask(task.guildId, task.id),
      );
      throw error;
    }
    try {
      return await this.store.updateTask(activated(task, firstRun, this.clock.now()), task.version);
    } catch (error) {
      await bestEffort(this.warn, `deleting schedule ${definition.name} after the task write failed`, () =>
        this.schedules.delete(definition.name),
      );
      await bestEffort(this.warn, `deleting pending task ${task.id}`, () =>
        this.store.deleteTask(task.guildId, task.id),
      );
      throw error;
    }
  }

  /** Reads a task of one guild; NotFoundError if it is not there (or belongs to another guild). */
  async getTask(guildId: string, taskId: string): Promise<Task> {
    if (!TaskId.safeParse(taskId).success) throw new NotFoundError(`Task ${JSON.stringify(taskId)}`);
    const task = await this.store.getTask(guildId, taskId);
    if (!task) throw new NotFoundError(`Task ${taskId}`);
    return task;
  }

  /** The task, its schedule in words, its next runs (none unless active) and its latest run records. */
  async getStatus(
    guildId: string,
    taskId: string,
    options: { runs?: number; nextRuns?: number } = {},
  ): Promise<TaskStatus> {
    return taskStatus(this.store, await this.getTask(guildId, taskId), this.clock, options);
  }

  /**
   * The status of a task the caller holds (one it has just created or changed): its schedule in words and
   * next runs, without reading it again and without run records (a new or changed task has none to show).
   */
  describeTask(task: Task, nextRuns = 3): TaskStatus {
    return describeTask(task, this.clock.now(), nextRuns);
  }

  /** The guild's tasks, ordered by name. */
  async listTasks(guildId: string, filter?: TaskFilter): Promise<Task[]> {
    return this.store.listTasks(guildId, filter);
  }

  /** The guild's tasks as summaries (what lists and autocomplete show), ordered by name. */
  async listTaskSummaries(guildId: string, filter?: TaskFilter): Promise<TaskSummary[]> {
    return this.store.listTaskSummaries(guildId, filter);
  }

  /** Subscribes a member to a summary task's digest by DM (see subscriptions.ts); `added: false` if already. */
  async subscribe(guildId: string, taskId: string, userId: string) {
    subscribable(await this.getTask(guildId, taskId));
    return addSubscriber(
      this.store,
      guildId,
      taskId,
      userId,
      this.clock.now(),
      this.limits?.subscribersPerTask,
    );
  }

  /** Ends a member's subscription; `removed: false` when they were not subscribed. */
  async unsubscribe(
    guildId: string,
    taskId: string,
    userId: string,
  ): Promise<{ task: Task; removed: boolean }> {
    const task = await this.getTask(guildId, taskId);
    if (task.kind !== 'summary') return { task, removed: false };
    return removeSubscriber(this.store, guildId, task.id, userId);
  }

  /**
   * Applies `changes` to a task. Order: the item is written first (conditional on the version, so a lost
   * update fails before any schedule is touched), then the schedule is updated if its definition changed;
   * if that fails the item is written back to its previous content and the gateway error is thrown.
   */
  async updateTask(
    guildId: string,
    taskId: string,
    changes: TaskChanges,
    expectedVersion?: number,
  ): Promise<Task> {
    const parsed = parseOrThrow(TaskChanges, changes);
    const current = await this.getTask(guildId, taskId);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new ConflictError(`Task ${taskId}`);
    }
    requireCreated(current);
    let next = changedTask(current, parsed, this.clock.now());
    if (parsed.digestOf || parsed.after) next = await withCheckedLinks(this.store, next);
    if (parsed.schedule || parsed.timeZone) {
      requireTaskInterval(next, this.limits, this.clock.now());
      requireFutureRun({ ...next, state: 'active' }, this.clock.now());
    }
    return this.writeThenSync(current, next);
  }

  /**
   * Pauses an active task: the item becomes `paused`, the schedule `DISABLED`. Pausing a paused task is a
   * no-op. With `until`, the task resumes by itself at its first run from then on: the schedule stays
   * enabled and starts then (see pause-until.ts); a paused task can be given an end to its pause this way.
   */
  async pauseTask(guildId: string, taskId: string, until?: Date): Promise<Task> {
    const current = await this.getTask(guildId, taskId);
    if (until === undefined && current.state === 'paused' && current.pausedUntil === undefined)
      return current;
    if (current.state !== 'active' && current.state !== 'paused') {
      throw new ValidationError('state', `expected an active task; this one is ${current.state}`);
    }
    return this.writeThenSync(current, pausedTask(current, until, this.clock.now()));
  }

  /**
   * Resumes a paused task (ending a pause with an end early), or re-enables a disabled one (resetting its
   * failure streak). Resuming an active task is a no-op.
   */
  async resumeTask(guildId: string, taskId: string): Promise<Task> {
    const current = await this.getTask(guildId, taskId);
    if (current.state === 'active') return current;
    if (current.state !== 'paused' && current.state !== 'disabled') {
      throw new ValidationError('state', `expected a paused or disabled task; this one is ${current.state}`);
    }
    const resumed = resumedFromPause(current, this.clock.now());
    const next: Task = { ...resumed, metadata: { ...current.metadata, consecutiveFailures: 0 } };
    requireFutureRun(next, this.clock.now());
    return this.writeThenSync(current, next);
  }

  /** Deletes the schedule, then the item. A schedule that is already gone is fine. */
  async cancelTask(guildId: string, taskId: string): Promise<void> {
    const task = await this.getTask(guildId, taskId);
    requireCreated(task);
    await this.schedules.delete(scheduleNameFor(task.id));
    await this.store.deleteTask(task.guildId, task.id);
  }

  /**
   * Disables a task after repeated failures (the dead-letter handler). The item is written first, retrying a
   * lost update a few times because this caller is automated; then the schedule is deleted. A schedule left
   * behind by a failed delete is an orphan that `reconcile` removes.
   */
  async disableTask(guildId: string, taskId: string, reason: string): Promise<Task> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.getTask(guildId, taskId);
      if (current.state === 'disabled') {
        // A retried dead letter: the item is already disabled; make sure the schedule is gone too.
        await this.schedules.delete(scheduleNameFor(current.id));
        return current;
      }
      const next = disabledTask(current, reason, this.clock.now());
      try {
        const stored = await this.store.updateTask(next, current.version);
        await this.schedules.delete(scheduleNameFor(current.id));
        return stored;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 3) throw error;
      }
    }
  }

  /** Task counts by state and kind, and runs over the last 24 hours, for one guild or all. */
  async stats(guildId?: string): Promise<SchedulerStats> {
    return collectStats(this.store, this.clock.now(), guildId);
  }

  /** The guild's tasks in the portable export format: configuration and standing, no ids or versions. */
  async exportTasks(guildId: string): Promise<TaskExport> {
    const tasks = await this.store.listTasks(guildId);
    return buildExport(guildId, tasks, this.clock.now());
  }

  /** Imports an export into `guildId`, all or nothing (see task-import.ts). */
  async importTasks(
    guildId: string,
    data: unknown,
    createdBy: string,
    options: ImportOptions = {},
  ): Promise<Task[]> {
    const { store, schedules, clock, newId, warn, limits } = this;
    return importTasks({ store, schedules, clock, newId, warn, limits }, guildId, data, createdBy, options);
  }

  /**
   * Repairs drift between the task table and the schedule group (see reconcile.ts); with `dryRun`, only
   * reports what it would repair.
   */
  async reconcile(options: { dryRun?: boolean; pendingGraceMs?: number } = {}): Promise<ReconcileReport> {
    return reconcile({
      ...(options.dryRun ? { dryRun: true } : {}),
      // 0 treats every pending task as abandoned: only for a store no writer can be using (a local start).
      ...(options.pendingGraceMs !== undefined ? { pendingGraceMs: options.pendingGraceMs } : {}),
      store: this.store,
      schedules: this.schedules,
      now: this.clock.now(),
      definitionFor: (task) => this.scheduleDefinitionFor(task),
      hasFutureRun: (task) => this.nextRunsOf({ ...task, state: 'active' }, 1).length > 0,
      clientTokenFor,
    });
  }

  /** The guild's stored defaults, if any were set. */
  async getGuildConfig(guildId: string): Promise<GuildConfig | undefined> {
    return this.store.getGuildConfig(guildId);
  }

  /** Sets or clears (null) guild defaults; conditional on the stored version. */
  async updateGuildConfig(guildId: string, changes: GuildConfigChanges): Promise<GuildConfig> {
    const id = parseOrThrow(Snowflake, guildId, 'guildId');
    const parsed = parseOrThrow(GuildConfigChanges, changes);
    const current = await this.store.getGuildConfig(id);
    const expectedVersion = current?.version ?? 0;
    const next: Record<string, unknown> = { ...(current ?? { guildId: id }) };
    for (const [key, value] of Object.entries(parsed)) {
      if (value === null) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    next.updatedAt = this.clock.now().toISOString();
    next.version = expectedVersion + 1;
    return this.store.putGuildConfig(parseOrThrow(GuildConfig, next), expectedVersion);
  }

  /** The task's next `count` fire times after `from` (default now), as the schedule would fire them. */
  nextRunsOf(task: Task, count: number, from: Date = this.clock.now()): Date[] {
    return nextRunsOf(task, count, from);
  }

  /** The schedule for a task (see schedule-definition.ts). */
  scheduleDefinitionFor(task: Task, now: Date = this.clock.now()): ScheduleDefinition {
    return scheduleDefinitionFor(task, now);
  }

  /** Writes `next` conditionally, then brings the schedule in line; restores the item if that fails. */
  private writeThenSync(current: Task, next: Task): Promise<Task> {
    const { store, schedules, clock, warn } = this;
    return writeThenSync({ store, schedules, clock, warn }, current, next);
  }
}

/** A pending task is being created (or import is activating it): changing it now would race its creator. */
function requireCreated(task: Task): void {
  if (task.state === 'pending') {
    throw new ConflictError(`Task ${task.id}`);
  }
}
