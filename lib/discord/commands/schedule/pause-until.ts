import { escapeMarkdown } from '../../../shared/markdown.ts';
import { zoneLabel } from '../../../tasks/zone-label.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import { parseUntilText } from '../../input/until.ts';
import { discordTime, ephemeral, type Reply, taskButtons } from '../../replies.ts';
import { S } from '../define.ts';

/** The `until` option of `/schedule pause`: when the task resumes by itself. */
export const untilOption = {
  type: S.String,
  name: 'until',
  description: "Resume by itself then: friday, 2026-12-24, monday 9am, 3d (the task's time zone)",
  max_length: 60,
} as const;

/**
 * `/schedule pause task until:<date>`: pauses the task until then (read in the task's zone); the reply says
 * when it resumes and when its next run is. The task resumes by itself at its first run from then on.
 */
export async function pauseUntil(ctx: CommandContext, ref: string, untilText: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, ref);
  const until = parseUntilText('until', untilText, task.timeZone, ctx.now);
  const paused = await ctx.scheduler.pauseTask(guildId, task.id, until);
  const [next] = ctx.scheduler.describeTask(paused, 1).nextRuns;
  const name = `**${escapeMarkdown(task.name)}**`;
  const zone = zoneLabel(task.timeZone);
  return ephemeral(
    `Paused ${name} until ${discordTime(until)} (read in ${zone}); it resumes by itself then.${next ? ` Next run: ${discordTime(next)}.` : ''}`,
    taskButtons(paused),
  );
}
