import type { CommandContext } from '../../context.ts';
import { requireManager } from '../../guards.ts';
import { ephemeralWithFile, type Reply } from '../../replies.ts';
import { defineSubcommand, S } from '../define.ts';

/** `/schedule export`: the server's tasks as a JSON file. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'export',
  description: "Export this server's tasks as a JSON file",
});

/** `/schedule export`: the guild's tasks as a JSON attachment. */
export async function handle(ctx: CommandContext): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const data = await ctx.scheduler.exportTasks(guildId);
  const count = data.tasks.length;
  return ephemeralWithFile(`Exported ${count} task${count === 1 ? '' : 's'} of this server.`, {
    name: `summary-bot-tasks-${guildId}.json`,
    contentType: 'application/json',
    content: `${JSON.stringify(data, null, 2)}\n`,
  });
}
