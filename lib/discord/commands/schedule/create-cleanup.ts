import { describeNoticeTarget, noticeTarget } from '../../../execution/notice-target.ts';
import { plural } from '../../../shared/words.ts';
import type { Destination } from '../../../tasks/destination.ts';
import type { CommandContext } from '../../context.ts';
import { requireManager } from '../../guards.ts';
import { formatTimeOfDay } from '../../input/time.ts';
import type { OptionReader, OptionsIn } from '../../options.ts';
import { ephemeral, formatTask, type Reply, taskButtons } from '../../replies.ts';
import { checkedDestination } from '../../values.ts';
import { defineSubcommand, S, TEXT_CHANNELS } from '../define.ts';
import { noteLines, readTime } from '../typed-input.ts';
import { postableChannel } from './task-options.ts';

/** Cleanups run at night unless told otherwise: the server is quiet and nobody waits for them. */
const DEFAULT_CLEANUP_TIME = '03:00';

/** `/schedule create cleanup`: a daily task that removes this server's old run records and files. */
export const definition = defineSubcommand({
  type: S.Subcommand,
  name: 'cleanup',
  description: 'Every day, remove old run records and summary files',
  options: [
    {
      type: S.Integer,
      name: 'keep_days',
      description: 'Keep this many days of run history',
      required: true,
      min_value: 1,
      max_value: 3650,
    },
    {
      type: S.String,
      name: 'time',
      description: 'Time of day, e.g. 03:00 or 3am (default: 03:00)',
      max_length: 20,
    },
    {
      type: S.Channel,
      name: 'report_to',
      description: 'Post what was removed in this channel',
      channel_types: TEXT_CHANNELS,
    },
    { type: S.String, name: 'name', description: 'A name for the task', max_length: 100 },
  ],
});

/** `/schedule create cleanup`: daily at `time` in the server's zone, reporting to `report_to` if given. */
export async function handle(
  ctx: CommandContext,
  opts: OptionReader<OptionsIn<typeof definition>>,
): Promise<Reply> {
  const { guildId, config: known } = await requireManager(ctx);
  const config = known ?? (await ctx.scheduler.getGuildConfig(guildId));
  const keepDays = opts.integer('keep_days') ?? 0;
  const typed = opts.string('time');
  const time = typed ? readTime('time', typed) : undefined;
  const at = time ? formatTimeOfDay(time.value) : DEFAULT_CLEANUP_TIME;
  const reportTo = postableChannel(opts.channel('report_to'));
  const destinations: Destination[] = reportTo
    ? [
        checkedDestination('report_to', {
          type: 'discord_channel',
          channelId: reportTo.id,
          format: 'markdown',
        }),
      ]
    : [];
  const task = await ctx.scheduler.createTask({
    guildId,
    kind: 'cleanup',
    name: opts.string('name') ?? `Cleanup, keeping ${plural(keepDays, 'day')}`,
    schedule: { type: 'daily', time: at },
    timeZone: config?.timeZone ?? 'UTC',
    retentionDays: keepDays,
    destinations,
    createdBy: ctx.userId,
  });
  const status = ctx.scheduler.describeTask(task);
  const notes = [...(time?.notes ?? [])];
  notes.push(
    `Each run removes run records and completed one-time tasks older than ${plural(keepDays, 'day')}${reportTo ? `, and says what it removed in <#${reportTo.id}>` : ''}.`,
    `Failure notices go to ${describeNoticeTarget(noticeTarget(task, config?.notifyChannelId))}.`,
  );
  return ephemeral(
    `Created ✅\n${formatTask(status.task, status.description, status.nextRuns)}${noteLines(notes)}`,
    taskButtons(status.task),
  );
}
