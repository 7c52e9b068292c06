import { describeFailingDestinations } from '../../../execution/destination-health.ts';
import { plural } from '../../../shared/words.ts';
import { destinationWords } from '../../../tasks/destination-words.ts';
import type { RunRecord } from '../../../tasks/run-record.ts';
import { subscriberRunWords } from '../../../tasks/subscribers.ts';
import type { Task } from '../../../tasks/task.ts';
import { usageWords } from '../../../tasks/usage-words.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import {
  type ActionRow,
  discordTime,
  ephemeral,
  formatTask,
  type Reply,
  taskButtons,
} from '../../replies.ts';
import { defineSubcommand, S } from '../define.ts';

/** How a run came about, when not by its schedule; a follower's run is at the time of the run it followed. */
const TRIGGER_WORDS: Partial<Record<RunRecord['trigger'], string>> = {
  manual: ' (run now)',
  after: ' (right after the task it follows)',
};

import { readTaskRef, taskOption } from './task-options.ts';

/** `/schedule status`: a task, its next runs and its recent runs. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'status',
  description: 'Show a task, its next runs and recent runs',
  options: [taskOption],
});

/** A run's outcome as a reader says it. */
const OUTCOME_WORDS: Record<RunRecord['status'], string> = {
  running: 'running',
  succeeded: 'succeeded',
  partial: 'partly delivered',
  failed: 'failed',
  skipped: 'skipped',
  missed: 'missed',
};

/** One recent run: when, how it ended, what it read, and where it was and was not delivered. */
function formatRun(run: RunRecord, task: Task): string {
  const where = (status: 'delivered' | 'failed') =>
    (run.destinations ?? [])
      .filter((d) => d.status === status)
      .map((d) => destinationWords(task.destinations[d.index], d.type));
  const delivered = where('delivered');
  const failed = where('failed');
  const counted =
    run.messageCount !== undefined
      ? [plural(run.messageCount, 'message'), ...(run.usage ? [usageWords(run.usage)] : [])].join(', ')
      : '';
  const detail = run.skipReason ?? run.error ?? counted;
  return [
    `• ${discordTime(new Date(run.scheduledTime))}${TRIGGER_WORDS[run.trigger] ?? ''}: **${OUTCOME_WORDS[run.status]}**`,
    detail ? ` (${detail.slice(0, 160)})` : '',
    delivered.length > 0 ? `; delivered to ${delivered.join(', ')}` : '',
    failed.length > 0 ? `; not delivered to ${failed.join(', ')}` : '',
    run.subscribers?.length ? `; ${subscriberRunWords(run.subscribers)}` : '',
  ].join('');
}

/** The status view shared by `/schedule status` and the status button. */
export async function renderStatus(
  ctx: CommandContext,
  guildId: string,
  taskId: string,
): Promise<{ content: string; components: ActionRow[] }> {
  const status = await ctx.scheduler.getStatus(guildId, taskId, { runs: 5, nextRuns: 3 });
  const m = status.task.metadata;
  const lines = [
    formatTask(status.task, status.description, status.nextRuns),
    `Runs: ${plural(m.runCount, 'run')} (${m.successCount} succeeded, ${m.failureCount} failed, ${m.skipCount} skipped)${m.consecutiveFailures > 0 ? `; the last ${m.consecutiveFailures === 1 ? 'one' : plural(m.consecutiveFailures, 'run')} failed` : ''}`,
    ...describeFailingDestinations(status.task).map((line) => `⚠️ ${line[0]?.toUpperCase()}${line.slice(1)}.`),
  ];
  if (status.recentRuns.length > 0)
    lines.push('Recent runs:', ...status.recentRuns.map((run) => formatRun(run, status.task)));
  return { content: lines.join('\n'), components: taskButtons(status.task) };
}

/** `/schedule status`. */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, readTaskRef(opts));
  const { content, components } = await renderStatus(ctx, guildId, task.id);
  return ephemeral(content, components);
}
