import type { ExecutorInvoker } from '../execution/executor-input.ts';
import type { NewTaskInput, TaskChanges } from '../scheduling/new-task.ts';
import type { TaskSummary } from '../scheduling/ports.ts';
import type { SchedulerStats } from '../scheduling/stats.ts';
import type { ImportOptions, TaskExport, TaskStatus } from '../scheduling/task-scheduler.ts';
import type { Clock } from '../shared/clock.ts';
import type { GuildConfig, GuildConfigChanges } from '../tasks/guild-config.ts';
import type { SummaryTask, Task, TaskKind, TaskState } from '../tasks/task.ts';
import type { GuildReads } from './guild-reads.ts';
import type { Interaction } from './interaction.ts';
import type { ErrorLogger } from './replies.ts';

/** Reads an attachment's text; production allows only Discord's CDN over https, with a size limit. */
export type FetchAttachment = (url: string, maxBytes: number) => Promise<string>;

/** What the commands need of the scheduler service (lib/scheduling/task-scheduler.ts). */
export interface SchedulerPort {
  createTask(input: NewTaskInput): Promise<Task>;
  getTask(guildId: string, taskId: string): Promise<Task>;
  getStatus(
    guildId: string,
    taskId: string,
    options?: { runs?: number; nextRuns?: number },
  ): Promise<TaskStatus>;
  /** A task the caller holds, described without reading it again (see TaskScheduler.describeTask). */
  describeTask(task: Task, nextRuns?: number): TaskStatus;
  listTasks(
    guildId: string,
    filter?: { channelId?: string; state?: TaskState; kind?: TaskKind },
  ): Promise<Task[]>;
  /** Lists and autocomplete: only what they show, read with a projection. */
  listTaskSummaries(
    guildId: string,
    filter?: { channelId?: string; state?: TaskState; kind?: TaskKind },
  ): Promise<TaskSummary[]>;
  updateTask(guildId: string, taskId: string, changes: TaskChanges, expectedVersion?: number): Promise<Task>;
  /** Adds the member to a summary task's DM subscribers (LimitError when full); `added: false` if already. */
  subscribe(guildId: string, taskId: string, userId: string): Promise<{ task: SummaryTask; added: boolean }>;
  /** Removes the member from a task's subscribers; `removed: false` when they were not subscribed. */
  unsubscribe(guildId: string, taskId: string, userId: string): Promise<{ task: Task; removed: boolean }>;
  /** With `until`, the task resumes by itself at its first run from then on. */
  pauseTask(guildId: string, taskId: string, until?: Date): Promise<Task>;
  resumeTask(guildId: string, taskId: string): Promise<Task>;
  cancelTask(guildId: string, taskId: string): Promise<void>;
  exportTasks(guildId: string): Promise<TaskExport>;
  /** `data` is the parsed JSON of an import file: checked by the scheduler, the edge it enters at. */
  importTasks(guildId: string, data: unknown, createdBy: string, options?: ImportOptions): Promise<Task[]>;
  /** Counts by state and kind and the runs of the last 24 hours (`/schedule stats`). */
  stats(guildId: string): Promise<SchedulerStats>;
  getGuildConfig(guildId: string): Promise<GuildConfig | undefined>;
  updateGuildConfig(guildId: string, changes: GuildConfigChanges): Promise<GuildConfig>;
}

/** What every route receives: the validated interaction, who and where, and the ports. */
export interface CommandContext {
  interaction: Interaction;
  /** Undefined in DMs; management commands refuse then. */
  guildId: string | undefined;
  userId: string;
  channelId: string | undefined;
  now: Date;
  scheduler: SchedulerPort;
  executor: ExecutorInvoker;
  clock: Clock;
  logger: ErrorLogger;
  fetchAttachment: FetchAttachment;
  /** From the payload, else the configured one (Discord's printed samples omit it). */
  applicationId: string | undefined;
  /** Fresh Discord reads (cached for this request) for channel access checks; absent, imports naming channels are refused. */
  guildReads: (() => GuildReads) | undefined;
  /** Local runtime and tests: webhook destinations may name a loopback receiver. */
  allowLoopbackWebhooks: boolean;
  /** The deployment's failure limit: what applies to a task without its own. */
  failureLimit: number;
  /** Whether an LLM writes this deployment's summaries; without one, style notes have no effect. */
  llmSummaries: boolean;
}
