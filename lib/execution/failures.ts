import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { ConflictError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import { escapeMarkdown } from '../shared/markdown.ts';
import { plural } from '../shared/words.ts';
import type { RunStatus } from '../tasks/run-record.ts';
import { failureLimitOf, type Task } from '../tasks/task.ts';
import { ChannelGuard } from './channel-guard.ts';
import { noticeTarget, sendNotice } from './notice-target.ts';
import type { ChannelDirectory } from './ports.ts';

/** Disables a task and its schedule (the scheduler service does both sides). */
export interface TaskDisabler {
  disableTask(guildId: string, taskId: string, reason: string): Promise<Task>;
}

/**
 * Applies `change` to the stored task with a conditional write, re-reading and re-applying on a conflict:
 * run bookkeeping must not be lost because an admin edited the task meanwhile.
 */
export async function updateTaskWithRetry(
  store: TaskStore,
  guildId: string,
  taskId: string,
  change: (task: Task) => Task,
  attempts = 5,
): Promise<Task | undefined> {
  for (let attempt = 1; ; attempt++) {
    const current = await store.getTask(guildId, taskId);
    if (!current) return undefined;
    try {
      return await store.updateTask(change(structuredClone(current)), current.version);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= attempts) throw error;
    }
  }
}

/** Bookkeeping of one finished run on the task's metadata. */
export function withRunOutcome(
  task: Task,
  outcome: {
    scheduledTime: string;
    finishedAt: string;
    status: RunStatus;
    error?: string;
    nextRunAt?: string;
  },
): Task {
  const m = task.metadata;
  m.runCount += 1;
  switch (outcome.status) {
    case 'succeeded':
    case 'partial':
      m.successCount += 1;
      m.consecutiveFailures = 0;
      break;
    case 'skipped':
      m.skipCount += 1;
      break;
    case 'failed':
    case 'missed':
      m.failureCount += 1;
      m.consecutiveFailures += 1;
      break;
    case 'running':
      break;
  }
  m.lastRun = {
    scheduledTime: outcome.scheduledTime,
    finishedAt: outcome.finishedAt,
    status: outcome.status,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  if (outcome.nextRunAt) m.nextRunAt = outcome.nextRunAt;
  else delete m.nextRunAt;
  task.updatedAt = outcome.finishedAt;
  return task;
}

export interface FailurePolicyDeps {
  store: TaskStore;
  /** Where notice channels are checked to be in the task's server. */
  channels: ChannelDirectory;
  tasks: TaskDisabler;
  poster: DiscordPoster;
  logger: Logger;
  metrics: RunMetrics;
  maxConsecutiveFailures: number;
}

/**
 * After a failure was counted: disables the task once it has failed its failure limit (its own, else
 * `maxConsecutiveFailures`) times in a row and tells the guild's admins what failed and how to resume.
 */
export async function applyFailurePolicy(
  task: Task,
  error: string,
  deps: FailurePolicyDeps,
): Promise<boolean> {
  if (
    task.metadata.consecutiveFailures < failureLimitOf(task, deps.maxConsecutiveFailures) ||
    task.state !== 'active'
  )
    return false;
  const reason = `failed ${plural(task.metadata.consecutiveFailures, 'time')} in a row; last error: ${error}`;
  await deps.tasks.disableTask(task.guildId, task.id, reason);
  deps.metrics.taskDisabled();
  deps.logger.warn('task disabled after repeated failures', {
    taskId: task.id,
    guildId: task.guildId,
    error,
  });
  const target = noticeTarget(task, (await deps.store.getGuildConfig(task.guildId))?.notifyChannelId);
  const where = target.kind === 'dm' ? ' in a server you manage' : '';
  const content =
    `⚠️ The scheduled summary **${escapeMarkdown(task.name)}**${where} (\`${task.id}\`) was turned off after ` +
    `${plural(task.metadata.consecutiveFailures, 'failed run')} in a row.\nLast error: ${error}\n` +
    `Fix the cause, then turn it back on with \`/schedule resume task:${task.id}\`.`;
  try {
    await sendNotice(deps.poster, target, content, new ChannelGuard(deps.channels, task.guildId));
  } catch (notifyError) {
    // The task is disabled either way; a failed notice must not undo that or loop through the DLQ again.
    deps.logger.error('could not notify admins of a disabled task', {
      taskId: task.id,
      target: target.kind,
      error: notifyError,
    });
  }
  return true;
}
