import { ButtonStyle, ComponentType } from 'discord-api-types/v10';
import { escapeMarkdown } from '../../../shared/markdown.ts';
import { describeScheduleShort, describeSources } from '../../../tasks/describe.ts';
import { subscriberCountWords } from '../../../tasks/subscribers.ts';
import type { CommandContext } from '../../context.ts';
import { customIdFor } from '../../custom-ids.ts';
import { requireManager } from '../../guards.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { type ActionRow, ephemeral, type Reply, stateTag, updateMessage } from '../../replies.ts';
import { defineSubcommand, S, TEXT_CHANNELS } from '../define.ts';

/** `/schedule list`: the server's tasks, ten a page. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'list',
  description: "List this server's scheduled summaries",
  options: [
    {
      type: S.Channel,
      name: 'channel',
      description: 'Only tasks for this channel',
      channel_types: TEXT_CHANNELS,
    },
  ],
});

const PAGE_SIZE = 10;

/** One page of the task list, with prev/next buttons when there is more than one page. */
export async function renderTaskList(
  ctx: CommandContext,
  guildId: string,
  page: number,
  channelId?: string,
): Promise<{ content: string; components: ActionRow[] }> {
  const tasks = await ctx.scheduler.listTaskSummaries(guildId, channelId ? { channelId } : undefined);
  if (tasks.length === 0)
    return { content: 'No scheduled summaries yet. Create one with /schedule create.', components: [] };
  const pages = Math.ceil(tasks.length / PAGE_SIZE);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const lines = tasks.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).map((t) => {
    const next =
      t.nextRunAt && t.state === 'active' ? `, next <t:${Math.floor(Date.parse(t.nextRunAt) / 1000)}:R>` : '';
    const reads = t.channelIds.length > 0 ? ` of ${describeSources(t)}` : '';
    // A pause with an end says when it ends, as a Discord timestamp each reader sees in their own zone.
    const state =
      t.state === 'paused' && t.pausedUntil
        ? ` (paused until <t:${Math.floor(Date.parse(t.pausedUntil) / 1000)}:f>)`
        : stateTag(t.state);
    // A follower's own schedule only bounds it (once per occurrence): what a reader wants is whom it follows.
    const when = t.after
      ? `right after **${escapeMarkdown(t.after.name)}**, once per ${describeScheduleShort(t.schedule)} ${t.timeZone}`
      : `${describeScheduleShort(t.schedule)} ${t.timeZone}`;
    const subscribers = t.subscriberIds ? `, ${subscriberCountWords(t.subscriberIds.length)}` : '';
    return `• **${escapeMarkdown(t.name)}** \`${t.id}\`${reads}: ${when}${next}${subscribers}${state}`;
  });
  const filter = channelId ? { channelId } : {};
  const header = `Scheduled summaries (${tasks.length})${pages > 1 ? `, page ${current + 1} of ${pages}` : ''}:`;
  const components: ActionRow[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Previous',
                custom_id: customIdFor({ kind: 'list-page', page: Math.max(current - 1, 0), ...filter }),
                disabled: current === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Next',
                custom_id: customIdFor({ kind: 'list-page', page: current + 1, ...filter }),
                disabled: current >= pages - 1,
              },
            ],
          },
        ]
      : [];
  return { content: [header, ...lines].join('\n'), components };
}

/** `/schedule list`: the first page. */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const { content, components } = await renderTaskList(ctx, guildId, 0, opts.channel('channel')?.id);
  return ephemeral(content, components);
}

/** A list page from a button: the same checks, the message replaced in place. */
export async function listPage(ctx: CommandContext, page: number, channelId?: string): Promise<Reply> {
  const { guildId } = await requireManager(ctx);
  const { content, components } = await renderTaskList(ctx, guildId, page, channelId);
  return updateMessage(content, components);
}
