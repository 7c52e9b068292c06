import { plural } from '../../../shared/words.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager } from '../../guards.ts';
import { ephemeral, type Reply } from '../../replies.ts';
import { defineSubcommand, S } from '../define.ts';

/** `/schedule stats`: what `summary-bot tasks stats` shows, for this server. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'stats',
  description: "This server's tasks by state and the runs of the last 24 hours",
});

const STATE_WORDS = {
  active: 'active',
  paused: 'paused',
  disabled: 'disabled after failures',
  completed: 'completed',
  pending: 'being created',
} as const;

/** `/schedule stats`: counts in words, states with no task left out. */
export async function handle(ctx: CommandContext): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const stats = await ctx.scheduler.stats(guildId);
  if (stats.total === 0) return ephemeral('No scheduled summaries yet. Create one with /schedule create.');
  const states = (Object.keys(STATE_WORDS) as (keyof typeof STATE_WORDS)[])
    .filter((s) => stats.byState[s] > 0)
    .map((s) => `${stats.byState[s]} ${STATE_WORDS[s]}`);
  const kinds = [
    stats.byKind.summary > 0 ? plural(stats.byKind.summary, 'summary task') : '',
    stats.byKind.cleanup > 0 ? plural(stats.byKind.cleanup, 'cleanup task') : '',
  ].filter(Boolean);
  const d = stats.last24h;
  const outcomes = [
    d.succeeded ? `${d.succeeded} delivered` : '',
    d.partial ? `${d.partial} partly delivered` : '',
    d.failed ? `${d.failed} failed` : '',
    d.retrying ? `${d.retrying} failed and being retried` : '',
    d.skipped ? `${d.skipped} skipped` : '',
    d.missed ? `${d.missed} missed` : '',
  ].filter(Boolean);
  return ephemeral(
    [
      `**${plural(stats.total, 'task')}** in this server: ${states.join(', ')}.`,
      `• ${kinds.join(', ')}`,
      `• Last 24 hours: ${plural(d.runs, 'run')}${outcomes.length > 0 ? ` (${outcomes.join(', ')})` : ''}${stats.runsSampled ? '; runs counted for a sample of the tasks' : ''}.`,
    ].join('\n'),
  );
}
