import { plural } from '../shared/words.ts';
import { describeScheduleShort } from '../tasks/describe.ts';
import * as catchup from './commands/catchup.ts';
import { handlers as config } from './commands/config.ts';
import type { CommandPath, OptionsOf } from './commands/index.ts';
import { handlers as create, inputChecks as createChecks } from './commands/schedule/create.ts';
import * as edit from './commands/schedule/edit.ts';
import * as exportTasks from './commands/schedule/export.ts';
import { optionForField } from './commands/schedule/field-names.ts';
import * as importTasks from './commands/schedule/import.ts';
import * as list from './commands/schedule/list.ts';
import * as settings from './commands/schedule/settings.ts';
import * as stats from './commands/schedule/stats.ts';
import * as status from './commands/schedule/status.ts';
import {
  handlers as actions,
  confirmCancel,
  keepTask,
  taskAction,
} from './commands/schedule/task-actions.ts';
import * as subscriptions from './commands/subscribe.ts';
import * as summarize from './commands/summarize.ts';
import type { CommandContext } from './context.ts';
import { parseCustomId } from './custom-ids.ts';
import type { CommandData, ComponentData } from './interaction.ts';
import { commandPathOf, focusedOption, OptionReader } from './options.ts';
import { canManage } from './permissions.ts';
import { choices, ephemeral, errorReply, type Reply, stateWords } from './replies.ts';
import { searchTimeZones } from './timezones.ts';

type Route<P extends CommandPath> = (ctx: CommandContext, opts: OptionReader<OptionsOf<P>>) => Promise<Reply>;

/** One route per command path; the mapped type makes a missing route a compile error. */
const routes: { [P in CommandPath]: Route<P> } = {
  summarize: summarize.handle,
  catchup: catchup.handle,
  subscribe: subscriptions.subscribe,
  unsubscribe: subscriptions.unsubscribe,
  'schedule create once': create.once,
  'schedule create daily': create.daily,
  'schedule create weekly': create.weekly,
  'schedule create monthly': create.monthly,
  'schedule create every': create.every,
  'schedule create cron': create.cron,
  'schedule create cleanup': create.cleanup,
  'schedule list': list.handle,
  'schedule status': status.handle,
  'schedule stats': stats.handle,
  'schedule pause': actions.pause,
  'schedule resume': actions.resume,
  'schedule run': actions.run,
  'schedule cancel': actions.cancel,
  'schedule edit': edit.handle,
  'schedule settings': settings.handle,
  'schedule export': exportTasks.handle,
  'schedule import': importTasks.handle,
  'config timezone': config.timezone,
  'config notify-channel': config['notify-channel'],
  'config manager-role': config['manager-role'],
  'config llm-budget': config['llm-budget'],
  'config summary-style': config['summary-style'],
  'config channel-limit': config['channel-limit'],
  'config show': config.show,
};

function isCommandPath(path: string): path is CommandPath {
  return Object.hasOwn(routes, path);
}

/** Runs the command's route; every error becomes the one mapper's reply. */
export async function routeCommand(
  ctx: CommandContext,
  data: CommandData,
  referenceId: () => string,
): Promise<Reply> {
  const { path, leaf } = commandPathOf(data);
  try {
    if (!isCommandPath(path))
      return ephemeral(
        'This command is not known to this version of the bot; ask an admin to run register-commands.',
      );
    const route = routes[path] as Route<CommandPath>;
    return await route(ctx, new OptionReader(leaf, data.resolved));
  } catch (error) {
    return errorReply(error, referenceId, ctx.logger, (field) => optionForField(field));
  }
}

type Check<P extends CommandPath> = (ctx: CommandContext, opts: OptionReader<OptionsOf<P>>) => void;

/** The commands whose refusals that need no I/O can be told apart from the rest of their work. */
const inputChecks: { [P in CommandPath]?: Check<P> } = {
  'schedule create once': createChecks.once,
  'schedule create daily': createChecks.daily,
  'schedule create weekly': createChecks.weekly,
  'schedule create monthly': createChecks.monthly,
  'schedule create every': createChecks.every,
  'schedule create cron': createChecks.cron,
};

/**
 * The refusal routeCommand would give, in its words, when the command's options alone decide it (a bad
 * time, an unknown time zone); undefined when it must run to tell. The AWS endpoint answers such a refusal
 * at once instead of handing the command to the worker, whose answer is an edit of "thinking…".
 */
export function refusalBeforeRun(
  ctx: CommandContext,
  data: CommandData,
  referenceId: () => string,
): Reply | undefined {
  const { path, leaf } = commandPathOf(data);
  const check = isCommandPath(path) ? (inputChecks[path] as Check<CommandPath> | undefined) : undefined;
  if (!check) return undefined;
  try {
    check(ctx, new OptionReader(leaf, data.resolved));
    return undefined;
  } catch (error) {
    return errorReply(error, referenceId, ctx.logger, (field) => optionForField(field));
  }
}

/** Button clicks: the same permission checks as the commands they stand for. */
export async function routeComponent(
  ctx: CommandContext,
  data: ComponentData,
  referenceId: () => string,
): Promise<Reply> {
  const action = parseCustomId(data.custom_id);
  try {
    if (!action) return ephemeral('This button is no longer valid.');
    switch (action.kind) {
      case 'task':
        return await taskAction(ctx, action.action, action.taskId);
      case 'cancel-confirm':
        return await confirmCancel(ctx, action.taskId);
      case 'cancel-keep':
        return await keepTask(ctx, action.taskId);
      case 'list-page':
        return await list.listPage(ctx, action.page, action.channelId);
    }
  } catch (error) {
    return errorReply(error, referenceId, ctx.logger, (field) => optionForField(field));
  }
}

/** Options whose value is a task of the server (or several, for digest_of): autocomplete offers them. */
const TASK_OPTIONS = new Set(['task', 'after', 'digest_of']);

/** Autocomplete: time zones, and the server's tasks by name (only for members who may manage them). */
export async function routeAutocomplete(ctx: CommandContext, data: CommandData): Promise<Reply> {
  const { leaf } = commandPathOf(data);
  const focused = focusedOption(leaf);
  if (!focused) return choices([]);
  if (data.name === 'subscribe' || data.name === 'unsubscribe') {
    return focused.name === 'task'
      ? subscriptions.autocompleteTasks(ctx, data.name, focused.value)
      : choices([]);
  }
  if (focused.name === 'timezone') {
    return choices(searchTimeZones(focused.value).map((z) => ({ name: z, value: z })));
  }
  if (TASK_OPTIONS.has(focused.name) && ctx.guildId) {
    const member = ctx.interaction.member;
    const allowed =
      canManage(member) ||
      canManage(member, (await ctx.scheduler.getGuildConfig(ctx.guildId))?.managerRoleId);
    if (!allowed) return choices([]);
    // digest_of takes several tasks separated by commas: the part after the last comma is completed and
    // the tasks already chosen are kept in front of it.
    const parts = focused.name === 'digest_of' ? focused.value.split(',') : [focused.value];
    const query = (parts.pop() ?? '').trim().toLowerCase();
    const chosen = parts.map((p) => p.trim()).filter(Boolean);
    const tasks = await ctx.scheduler.listTaskSummaries(ctx.guildId);
    const matching = tasks.filter(
      (t) =>
        (!query || t.name.toLowerCase().includes(query) || t.id.toLowerCase().startsWith(query)) &&
        !chosen.includes(t.id),
    );
    // Two tasks of one name differ by schedule (channel names are not in the summary); the id settles it.
    return choices(
      matching.map((t) => ({
        name: `${chosen.length > 0 ? `${plural(chosen.length, 'task')} + ` : ''}${t.name} (${[stateWords(t.state), describeScheduleShort(t.schedule), t.id].filter(Boolean).join(', ')})`,
        value: [...chosen, t.id].join(', '),
      })),
    );
  }
  return choices([]);
}
