import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import type { CommandContext } from '../../context.ts';
import { customIdFor } from '../../custom-ids.ts';
import { requireManager, resolveTask } from '../../guards.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { discordTime, ephemeral, type Reply, taskButtons, updateMessage } from '../../replies.ts';
import { defineSubcommand, S } from '../define.ts';
import { pauseUntil, untilOption } from './pause-until.ts';
import { renderStatus } from './status.ts';
import { readTaskRef, taskOption } from './task-options.ts';

/** `/schedule pause|resume|run|cancel`: one task, acted on at once (cancel asks first). */
export const pause = defineSubcommand({
  type: S.Subcommand,
  name: 'pause',
  description: 'Pause a task (with until, it resumes by itself then)',
  options: [taskOption, untilOption],
});
export const resume = defineSubcommand({
  type: S.Subcommand,
  name: 'resume',
  description: 'Resume a paused task',
  options: [taskOption],
});
export const run = defineSubcommand({
  type: S.Subcommand,
  name: 'run',
  description: 'Run a task now',
  options: [taskOption],
});
export const cancel = defineSubcommand({
  type: S.Subcommand,
  name: 'cancel',
  description: 'Delete a task (asks to confirm)',
  options: [taskOption],
});

/** Pause, resume, run now, cancel (asks first): shared by the commands and the buttons. */
export async function taskAction(
  ctx: CommandContext,
  action: 'pause' | 'resume' | 'run' | 'cancel' | 'status',
  ref: string,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await resolveTask(ctx, guildId, ref);
  const name = `**${escapeMarkdown(task.name)}**`;
  switch (action) {
    case 'pause': {
      if (task.state === 'paused' && task.pausedUntil === undefined) {
        return ephemeral(`${name} is already paused; Resume starts it again.`, taskButtons(task));
      }
      // A pause with an end becomes one without: it no longer resumes by itself.
      const paused = await ctx.scheduler.pauseTask(guildId, task.id);
      return ephemeral(`Paused ${name}. It will not run until resumed.`, taskButtons(paused));
    }
    case 'resume': {
      const already = task.state === 'active';
      const resumed = already ? task : await ctx.scheduler.resumeTask(guildId, task.id);
      const { nextRuns } = ctx.scheduler.describeTask(resumed, 1);
      const [next] = nextRuns;
      const when = next ? ` Next run: ${discordTime(next)}.` : '';
      return ephemeral(
        already ? `${name} is not paused: it is running.${when}` : `Resumed ${name}.${when}`,
        taskButtons(resumed),
      );
    }
    case 'run': {
      if (!ctx.applicationId || !ctx.interaction.token)
        throw new Error('interaction has no application id or token');
      await ctx.executor.invoke({
        type: 'manual',
        taskId: task.id,
        guildId,
        requestedBy: ctx.userId,
        requestedAt: ctx.now.toISOString(),
        reply: { applicationId: ctx.applicationId, token: ctx.interaction.token },
      });
      return ephemeral(`Started a run of ${name}; this message shows the result when it is done.`);
    }
    case 'cancel':
      return ephemeral(`Delete ${name} \`${task.id}\` and its schedule? This cannot be undone.`, [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Danger,
              label: 'Delete',
              custom_id: customIdFor({ kind: 'cancel-confirm', taskId: task.id }),
            },
            {
              type: ComponentType.Button,
              style: ButtonStyle.Secondary,
              label: 'Keep',
              custom_id: customIdFor({ kind: 'cancel-keep', taskId: task.id }),
            },
          ],
        },
      ]);
    case 'status': {
      const { content, components } = await renderStatus(ctx, guildId, task.id);
      return ephemeral(content, components);
    }
  }
}

/** The confirm button of a cancel. */
export async function confirmCancel(ctx: CommandContext, taskId: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await ctx.scheduler.getTask(guildId, taskId);
  await ctx.scheduler.cancelTask(guildId, task.id);
  return updateMessage(`Deleted **${escapeMarkdown(task.name)}** \`${task.id}\`.`);
}

/** The keep button of a cancel: nothing changes, and the question is replaced by saying so. */
export async function keepTask(ctx: CommandContext, taskId: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const task = await ctx.scheduler.getTask(guildId, taskId);
  return updateMessage(`Kept **${escapeMarkdown(task.name)}** \`${task.id}\`; nothing was deleted.`);
}

type TaskReader = OptionReader<OptionsIn<typeof resume>>;
type PauseReader = OptionReader<OptionsIn<typeof pause>>;

/** The handler of each action subcommand. */
export const handlers = {
  pause: (ctx: CommandContext, opts: PauseReader) => {
    const until = opts.string('until');
    return until ? pauseUntil(ctx, readTaskRef(opts), until) : taskAction(ctx, 'pause', readTaskRef(opts));
  },
  resume: (ctx: CommandContext, opts: TaskReader) => taskAction(ctx, 'resume', readTaskRef(opts)),
  run: (ctx: CommandContext, opts: TaskReader) => taskAction(ctx, 'run', readTaskRef(opts)),
  cancel: (ctx: CommandContext, opts: TaskReader) => taskAction(ctx, 'cancel', readTaskRef(opts)),
};
