import { plural } from '../../../shared/words.ts';
import type { RunRecord } from '../../../tasks/task.ts';
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
import { readTaskRef, taskOption } from './task-options.ts';

/** `/schedule status`: a task, its next runs and its recent runs. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'status',
  description: 'Show a task, its next runs and recent runs',
  options: [taskOption],
});

function formatRun(run: RunRecord): string {
  const delivered = (run.destinations ?? [])
    .map((d) => `${d.type} ${d.status === 'delivered' ? '✅' : '❌'}`)
    .join(', ');
  const counted =
    run.messageCount !== undefined
      ? [plural(run.messageCount, 'message'), ...(run.usage ? [usageWords(run.usage)] : [])].join(', ')
      : '';
  const detail = run.skipReason ?? run.error ?? counted;
  return `• ${discordTime(new Date(run.scheduledTime))} ${run.trigger} **${run.status}**${detail ? ` (${detail.slice(0, 120)})` : ''}${delivered ? ` → ${delivered}` : ''}`;
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
    `Runs: ${m.runCount} (${m.successCount} ok, ${m.failureCount} failed, ${m.skipCount} skipped)${m.consecutiveFailures > 0 ? `, ${m.consecutiveFailures} failures in a row` : ''}`,
  ];
  if (status.recentRuns.length > 0) lines.push('Recent runs:', ...status.recentRuns.map(formatRun));
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
