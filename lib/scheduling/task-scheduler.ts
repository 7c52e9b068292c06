import { randomInt } from 'node:crypto';
import type * as z from 'zod';
import { ConflictError, NotFoundError, ScheduleGatewayError, ValidationError } from '../errors.ts';
import type { Clock } from '../shared/clock.ts';
import { type ChannelReference, channelReferences } from '../tasks/channel-references.ts';
import { describeSchedule } from '../tasks/describe.ts';
import { nextRuns } from '../tasks/next-runs.ts';
import { pauseStart, resumedFromPause, resumesBySelf } from '../tasks/pause-until.ts';
import { toScheduleExpression } from '../tasks/schedule-spec.ts';
import {
  GuildConfig,
  GuildConfigChanges,
  type RunRecord,
  Snowflake,
  Task,
  TaskId,
  type TaskState,
} from '../tasks/task.ts';
import {
  buildExport,
  type PortableStanding,
  parseImport,
  type RestoredState,
  type TaskExport,
} from './export-import.ts';
import { forEachLimited } from './limited.ts';
import {
  countsTowardsLimit,
  requireMinimumInterval,
  requireRoomForTasks,
  type SchedulingLimits,
} from './limits.ts';
import { NewTaskInput, type ParsedNewTask, parseOrThrow, TaskChanges, underField } from './new-task.ts';
import type {
  ScheduleDefinition,
  ScheduleGateway,
  ScheduleState,
  TaskFilter,
  TaskStore,
  TaskSummary,
} from './ports.ts';
import { scheduleNameFor } from './ports.ts';
import { type ReconcileReport, reconcile } from './reconcile.ts';
import { collectStats, type SchedulerStats } from './stats.ts';
import { resolveImportLinks, withCheckedLinks } from './task-links.ts';

export type { TaskExport } from './export-import.ts';
export type { ReconcileReport } from './reconcile.ts';
export type { SchedulerStats } from './stats.ts';

/** A task with what `/schedule status` and `tasks show` print beside it. */
export interface TaskStatus {
  task: Task;
  description: string;
  nextRuns: Date[];
  recentRuns: RunRecord[];
}

/** How an import is checked beyond the task model (the caller knows who imports, and can ask Discord). */
export interface ImportOptions {
  /**
   * Called with every Discord channel the validated entries name (fields as `tasks[i].…`) before anything
   * is written; throwing refuses the whole import.
   */
  checkChannels?: (references: readonly ChannelReference[]) => Promise<void>;
  /**
   * Entries the caller does not want imported (a task that already exists, say), asked once each validated
   * entry is built; they are left out of the import, which `importTasks` callers see as fewer tasks returned.
   */
  skip?: (task: Task) => boolean;
}

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
 * CreateSchedule calls in flight during an import. At ~30 ms a call that is ~500/s: a tenth of the
 * 5,000/s default in the primary Regions; in the others (250/s) the SDK's retries absorb the throttling.
 */
const IMPORT_CONCURRENCY = 16;
const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
/** A pause with an end ends within a year; a longer one is a plain pause. */
const MAX_PAUSE_MS = 366 * 86_400_000;
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
    await this.requireRoom(task.guildId, 1);
    return this.createValidated(task, firstRun);
  }

  /** LimitError when `adding` more tasks would take the guild past its task limit. */
  private async requireRoom(guildId: string, adding: number): Promise<void> {
    if (!this.limits) return;
    const existing = (await this.store.listTaskSummaries(guildId)).filter((t) => countsTowardsLimit(t.state));
    requireRoomForTasks(existing.length, adding, this.limits.tasksPerServer);
  }

  /** ValidationError on `schedule` when the task's runs would come closer together than the limit allows. */
  private requireInterval(task: Task): void {
    if (!this.limits) return;
    requireMinimumInterval(task.schedule, this.limits.minIntervalMinutes, (count) =>
      this.nextRunsOf({ ...task, state: 'active' }, count),
    );
  }

  /**
   * Builds a pending task from validated input, with its first run (which proves it has one: ValidationError
   * for a schedule with no future run). The first run is kept so activating the task need not compute it again.
   */
  private buildTask(input: ParsedNewTask, timeZone: string): { task: Task; firstRun: Date } {
    const { task, build } = this.taskFrom(input, timeZone);
    return { task, firstRun: build() };
  }

  /**
   * The pending task of an import entry, restored to where it stood: its state, run counts and failure
   * streak, read positions and creation time (which anchors an `every` schedule's grid, so the restored
   * task fires when the original would have). Only a task that will have a schedule (active, paused) must
   * have a future run: a completed one-time task is restored as the record it is.
   */
  private restoredTask(
    input: ParsedNewTask,
    timeZone: string,
    standing: PortableStanding,
  ): { task: Task; firstRun: Date | undefined; state: RestoredState } {
    const state = standing.state ?? 'active';
    const { task: built, build } = this.taskFrom(input, timeZone, standing.createdAt);
    const task = {
      ...built,
      ...(standing.metadata ? { metadata: standing.metadata } : {}),
      ...(standing.cursors && built.kind === 'summary' ? { cursors: standing.cursors } : {}),
    } as Task;
    if (state === 'active' || state === 'paused') return { task, firstRun: build(), state };
    this.requireInterval(task);
    return { task, firstRun: undefined, state };
  }

  /** The pending task from validated input, and the check that proves it has a first run (returning it). */
  private taskFrom(
    input: ParsedNewTask,
    timeZone: string,
    createdAt?: string,
  ): { task: Task; build: () => Date } {
    const now = this.clock.now().toISOString();
    const common = {
      id: this.newId(),
      guildId: input.guildId,
      name: input.name,
      schedule: input.schedule,
      timeZone,
      state: 'pending' as const,
      createdBy: input.createdBy,
      createdAt: createdAt ?? now,
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
    return {
      task,
      build: () => {
        this.requireInterval(task);
        return this.requireFutureRun(task);
      },
    };
  }

  /** The task's next run; ValidationError if it has none. */
  private requireFutureRun(task: Task): Date {
    const [next] = this.nextRunsOf(task, 1);
    if (!next) {
      const field = task.schedule.type === 'once' ? 'schedule.at' : 'schedule';
      throw new ValidationError(field, 'expected a schedule with a run in the future');
    }
    return next;
  }

  /** The create sequence for an already validated pending task. */
  private async createValidated(task: Task, firstRun: Date): Promise<Task> {
    await this.store.createTask(task);
    const active: Task = { ...task, state: 'active' };
    const definition = this.scheduleDefinitionFor(active);
    try {
      await this.schedules.create(definition, clientTokenFor(task));
    } catch (error) {
      await this.bestEffort(`deleting task ${task.id} after its schedule failed`, () =>
        this.store.deleteTask(task.guildId, task.id),
      );
      throw error;
    }
    try {
      return await this.store.updateTask(this.activated(task, firstRun), task.version);
    } catch (error) {
      await this.bestEffort(`deleting schedule ${definition.name} after the task write failed`, () =>
        this.schedules.delete(definition.name),
      );
      await this.bestEffort(`deleting pending task ${task.id}`, () =>
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
    const task = await this.getTask(guildId, taskId);
    const runs = clamp(options.runs ?? 5, 0, 50);
    const recentRuns = runs > 0 ? await this.store.listRuns(task.id, { limit: runs }) : [];
    return { ...this.describeTask(task, options.nextRuns), recentRuns };
  }

  /**
   * The status of a task the caller holds (one it has just created or changed): its schedule in words and
   * next runs, without reading it again and without run records (a new or changed task has none to show).
   */
  describeTask(task: Task, nextRuns = 3): TaskStatus {
    return {
      task,
      description: describeSchedule(task.schedule, task.timeZone),
      nextRuns:
        task.state === 'active' || resumesBySelf(task) ? this.nextRunsOf(task, clamp(nextRuns, 0, 50)) : [],
      recentRuns: [],
    };
  }

  /** The guild's tasks, ordered by name. */
  async listTasks(guildId: string, filter?: TaskFilter): Promise<Task[]> {
    return this.store.listTasks(guildId, filter);
  }

  /** The guild's tasks as summaries (what lists and autocomplete show), ordered by name. */
  async listTaskSummaries(guildId: string, filter?: TaskFilter): Promise<TaskSummary[]> {
    return this.store.listTaskSummaries(guildId, filter);
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
    let next = this.applyChanges(current, parsed);
    if (parsed.digestOf || parsed.after) next = await withCheckedLinks(this.store, next);
    if (parsed.schedule || parsed.timeZone) {
      this.requireInterval(next);
      this.requireFutureRun({ ...next, state: 'active' });
    }
    return this.writeThenSync(current, next);
  }

  private applyChanges(current: Task, changes: z.output<typeof TaskChanges>): Task {
    if (current.kind === 'cleanup') {
      if (changes.channelIds) throw new ValidationError('channelIds', 'a cleanup task reads no channels');
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
    if (after === null) delete merged.after;
    else if (after !== undefined) merged.after = after;
    merged.updatedAt = this.clock.now().toISOString();
    return parseOrThrow(Task, merged);
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
    const { pausedUntil: _replaced, ...rest } = current;
    const next = { ...rest, state: 'paused', updatedAt: this.clock.now().toISOString() } as Task;
    if (until !== undefined) {
      this.requirePauseEnd(current, until);
      next.pausedUntil = until.toISOString();
    }
    return this.writeThenSync(current, next);
  }

  private requirePauseEnd(task: Task, until: Date): void {
    const now = this.clock.now();
    if (task.schedule.type === 'once') {
      throw new ValidationError(
        'until',
        'a pause with an end for a repeating task; a one-time task runs once: pause it, or move it with /schedule edit date:',
      );
    }
    if (until.getTime() <= now.getTime()) throw new ValidationError('until', 'expected a time in the future');
    if (until.getTime() - now.getTime() > MAX_PAUSE_MS) {
      throw new ValidationError('until', 'expected a time within a year; pause it without until: instead');
    }
    const probe = { ...task, state: 'paused', pausedUntil: until.toISOString() } as Task;
    if (this.nextRunsOf(probe, 1).length === 0) {
      throw new ValidationError('until', 'the task has no run after that time, so it would never resume');
    }
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
    this.requireFutureRun(next);
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
      const next: Task = {
        ...current,
        state: 'disabled',
        updatedAt: this.clock.now().toISOString(),
        metadata: {
          ...current.metadata,
          ...(current.metadata.lastRun
            ? { lastRun: { ...current.metadata.lastRun, error: current.metadata.lastRun.error ?? reason } }
            : {}),
        },
      };
      delete next.metadata.nextRunAt;
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

  /**
   * Imports an export into `guildId` (the file's guild id is ignored) as tasks created by `createdBy`.
   * All or nothing: every entry is validated before anything is written, and if a step fails midway the
   * schedules and items already written are removed again. A removal that fails is reported through `warn`
   * and the original error thrown; items left `pending` are removed by reconcile after its grace period.
   *
   * The same sequence as `createTask`, in bulk: every item is written `pending` (batch writes), the schedules
   * are created a few at a time, then every item is written in the state it was exported in (`active` for a
   * file without states), with its run counts, read positions and creation time. Batch writes carry no condition; that
   * is safe because the ids were generated here a moment ago, so no other item can have them, and while they
   * are `pending` nobody else may change them (updates and cancels refuse a pending task).
   */
  async importTasks(
    guildId: string,
    data: unknown,
    createdBy: string,
    options: ImportOptions = {},
  ): Promise<Task[]> {
    const target = parseOrThrow(Snowflake, guildId, 'guildId');
    const author = parseOrThrow(Snowflake, createdBy, 'createdBy');
    const entries = parseImport(data);
    const guildZone = (await this.store.getGuildConfig(target))?.timeZone ?? 'UTC';
    const built = entries.map(({ configuration, standing }, index) => {
      try {
        const input = parseOrThrow(NewTaskInput, { ...configuration, guildId: target, createdBy: author });
        return this.restoredTask(input, input.timeZone ?? guildZone, standing);
      } catch (error) {
        throw underField(`tasks[${index}]`, error);
      }
    });
    if (built.length === 0) return [];
    // Every entry's channels are checked, skipped ones too: a file is refused or accepted as a whole.
    await options.checkChannels?.(
      built.flatMap(({ task }, index) =>
        channelReferences(task).map((r) => ({ ...r, field: `tasks[${index}].${r.field}` })),
      ),
    );
    const linked = built.map((b, index) => ({ ...b, links: entries[index]?.links ?? {}, index }));
    const kept = options.skip ? linked.filter(({ task }) => !options.skip?.(task)) : linked;
    if (kept.length === 0) return [];
    await resolveImportLinks(this.store, target, kept);
    await this.requireRoom(target, kept.filter(({ state }) => countsTowardsLimit(state)).length);
    const pending = kept.map(({ task }) => task);
    const attempted: string[] = [];
    try {
      await this.store.createTasks(pending);
      // Active and paused tasks get their schedule (a paused one DISABLED); disabled and completed have none.
      const scheduled = kept.filter(({ state }) => hasSchedule(state));
      await forEachLimited(scheduled, IMPORT_CONCURRENCY, async ({ task, state }) => {
        const definition = this.scheduleDefinitionFor({ ...task, state });
        // Before the call: a create that failed (a timeout, say) may still have created the schedule.
        attempted.push(definition.name);
        await this.schedules.create(definition, clientTokenFor(task));
      });
      // The same version step as updateTask: the restored item is version 2 of the pending one.
      const restored = kept.map(({ task, firstRun, state }) => ({
        ...(state === 'active' && firstRun
          ? this.activated(task, firstRun)
          : withoutNextRun({ ...task, state })),
        version: task.version + 1,
      }));
      await this.store.createTasks(restored);
      return restored;
    } catch (error) {
      await this.rollBackImport(pending, attempted);
      throw error;
    }
  }

  /** Removes what a failed import wrote: schedules first (as cancelTask does), then every item. */
  private async rollBackImport(tasks: readonly Task[], scheduleNames: readonly string[]): Promise<void> {
    await forEachLimited(scheduleNames, IMPORT_CONCURRENCY, (name) =>
      this.bestEffort(`deleting schedule ${name} of a failed import`, () => this.schedules.delete(name)),
    );
    await this.bestEffort(`deleting the ${tasks.length} tasks of a failed import`, () =>
      this.store.deleteTasks(tasks.map((task) => ({ guildId: task.guildId, taskId: task.id }))),
    );
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
    if (count <= 0) return [];
    const definition = this.scheduleDefinitionFor(task, from);
    return nextRuns(definition.expression, definition.timeZone, from, count, {
      ...(definition.startDate ? { anchor: definition.startDate } : {}),
    });
  }

  /**
   * The schedule for a task. Rate schedules get a StartDate on the grid anchored at the task's creation
   * (one period after it at the earliest): EventBridge would otherwise fire at once and restart the rate at
   * every UpdateSchedule, and it refuses a StartDate in the past, so the next grid point is sent each time.
   */
  scheduleDefinitionFor(task: Task, now: Date = this.clock.now()): ScheduleDefinition {
    const definition: ScheduleDefinition = {
      name: scheduleNameFor(task.id),
      expression: toScheduleExpression(task.schedule),
      timeZone: task.timeZone,
      state: scheduleStateFor(task),
      taskId: task.id,
      guildId: task.guildId,
    };
    // A pause with an end starts the schedule then; EventBridge ignores StartDate for one-time schedules.
    const pausedTill = pauseStart(task, now);
    if (task.schedule.type === 'every') {
      const period = task.schedule.value * UNIT_MS[task.schedule.unit];
      const anchor = Date.parse(task.createdAt);
      // The first grid point after now, or at or after the pause's end.
      const from = pausedTill ? pausedTill.getTime() - 1 : now.getTime();
      const periods = Math.max(1, Math.floor((from - anchor) / period) + 1);
      definition.startDate = new Date(anchor + periods * period);
    } else if (pausedTill && task.schedule.type !== 'once') {
      definition.startDate = pausedTill;
    }
    return definition;
  }

  /** Writes `next` conditionally, then brings the schedule in line; restores the item if that fails. */
  private async writeThenSync(current: Task, next: Task): Promise<Task> {
    const before = this.scheduleDefinitionFor(current);
    const withNext =
      next.state === 'active' || resumesBySelf(next) ? this.withNextRun(next) : withoutNextRun(next);
    const stored = await this.store.updateTask(withNext, current.version);
    const after = this.scheduleDefinitionFor(stored);
    if (!hasSchedule(current.state) && !hasSchedule(stored.state)) return stored;
    try {
      if (!hasSchedule(stored.state)) await this.schedules.delete(after.name);
      else if (!hasSchedule(current.state)) await this.createOrUpdate(after, clientTokenFor(stored));
      else if (definitionChanged(before, after)) await this.schedules.update(after);
    } catch (error) {
      try {
        await this.store.updateTask(
          { ...current, updatedAt: this.clock.now().toISOString() } as Task,
          stored.version,
        );
      } catch (restoreError) {
        this.warn(`task ${current.id} could not be restored after its schedule failed`, restoreError);
      }
      throw error;
    }
    return stored;
  }

  private async createOrUpdate(definition: ScheduleDefinition, token: string): Promise<void> {
    try {
      await this.schedules.create(definition, token);
    } catch (error) {
      if (!(error instanceof ScheduleGatewayError) || error.kind !== 'conflict') throw error;
      await this.schedules.update(definition);
    }
  }

  /** The active version of a pending task whose first run was computed when it was built. */
  private activated(task: Task, firstRun: Date): Task {
    const active: Task = { ...task, state: 'active' };
    // Built a moment ago; if that run has passed meanwhile, compute the one after now.
    if (firstRun.getTime() > this.clock.now().getTime()) {
      return { ...active, metadata: { ...active.metadata, nextRunAt: firstRun.toISOString() } };
    }
    return this.withNextRun(active);
  }

  private withNextRun(task: Task): Task {
    const [next] = this.nextRunsOf({ ...task, state: 'active' }, 1);
    return next
      ? { ...task, metadata: { ...task.metadata, nextRunAt: next.toISOString() } }
      : withoutNextRun(task);
  }

  private async bestEffort(what: string, action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.warn(`best-effort clean-up failed: ${what}`, error);
    }
  }
}

/** A pending task is being created (or import is activating it): changing it now would race its creator. */
function requireCreated(task: Task): void {
  if (task.state === 'pending') {
    throw new ConflictError(`Task ${task.id}`);
  }
}

/** Active and paused tasks have a schedule; pending ones get one while being created; others have none. */
function hasSchedule(state: TaskState): boolean {
  return state === 'active' || state === 'paused';
}

function scheduleStateFor(task: Task): ScheduleState {
  return task.state === 'active' || task.state === 'pending' || resumesBySelf(task) ? 'ENABLED' : 'DISABLED';
}

/** Idempotency token for CreateSchedule: the same create of the same task version is the same request. */
export function clientTokenFor(task: Task): string {
  return `${task.id}-v${task.version}`.replace(/[^a-zA-Z0-9_-]/g, '_');
}

function definitionChanged(a: ScheduleDefinition, b: ScheduleDefinition): boolean {
  return (
    a.expression !== b.expression ||
    a.timeZone !== b.timeZone ||
    a.state !== b.state ||
    a.startDate?.getTime() !== b.startDate?.getTime()
  );
}

function withoutNextRun(task: Task): Task {
  const { nextRunAt: _dropped, ...metadata } = task.metadata;
  return { ...task, metadata };
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}
