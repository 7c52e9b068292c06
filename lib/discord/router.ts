import type { CommandPath } from './commands.ts';
import { setManagerRole, setNotifyChannel, setTimeZone, showConfig } from './config-commands.ts';
import type { CommandContext } from './context.ts';
import { parseCustomId } from './custom-ids.ts';
import type { CommandData, ComponentData } from './interaction.ts';
import { commandPathOf, focusedOption, OptionReader } from './options.ts';
import { canManage } from './permissions.ts';
import { choices, ephemeral, errorReply, type Reply } from './replies.ts';
import {
  confirmCancel,
  createSchedule,
  editSchedule,
  exportSchedules,
  importSchedules,
  listPage,
  listSchedules,
  optionForField,
  statusSchedule,
  taskAction,
} from './schedule-commands.ts';
import { summarize } from './summarize-command.ts';
import { searchTimeZones } from './timezones.ts';

type Route<P extends CommandPath> = (ctx: CommandContext, opts: OptionReader<P>) => Promise<Reply>;

/** One route per command path; the mapped type makes a missing route a compile error. */
const routes: { [P in CommandPath]: Route<P> } = {
  summarize,
  'schedule create once': (ctx, o) => createSchedule(ctx, 'once', o),
  'schedule create daily': (ctx, o) => createSchedule(ctx, 'daily', o),
  'schedule create weekly': (ctx, o) => createSchedule(ctx, 'weekly', o),
  'schedule create monthly': (ctx, o) => createSchedule(ctx, 'monthly', o),
  'schedule create every': (ctx, o) => createSchedule(ctx, 'every', o),
  'schedule create cron': (ctx, o) => createSchedule(ctx, 'cron', o),
  'schedule list': listSchedules,
  'schedule status': statusSchedule,
  'schedule pause': (ctx, o) => taskAction(ctx, 'pause', o.requiredString('task', 'expected a task')),
  'schedule resume': (ctx, o) => taskAction(ctx, 'resume', o.requiredString('task', 'expected a task')),
  'schedule run': (ctx, o) => taskAction(ctx, 'run', o.requiredString('task', 'expected a task')),
  'schedule cancel': (ctx, o) => taskAction(ctx, 'cancel', o.requiredString('task', 'expected a task')),
  'schedule edit': editSchedule,
  'schedule export': (ctx) => exportSchedules(ctx),
  'schedule import': importSchedules,
  'config timezone': setTimeZone,
  'config notify-channel': setNotifyChannel,
  'config manager-role': setManagerRole,
  'config show': (ctx) => showConfig(ctx),
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
      case 'list-page':
        return await listPage(ctx, action.page, action.channelId);
    }
  } catch (error) {
    return errorReply(error, referenceId, ctx.logger, (field) => optionForField(field));
  }
}

/** Autocomplete: time zones, and the server's tasks by name (only for members who may manage them). */
export async function routeAutocomplete(ctx: CommandContext, data: CommandData): Promise<Reply> {
  const { leaf } = commandPathOf(data);
  const focused = focusedOption(leaf);
  if (!focused) return choices([]);
  if (focused.name === 'timezone' || focused.name === 'zone') {
    return choices(searchTimeZones(focused.value).map((z) => ({ name: z, value: z })));
  }
  if (focused.name === 'task' && ctx.guildId) {
    const member = ctx.interaction.member;
    const allowed =
      canManage(member) ||
      canManage(member, (await ctx.scheduler.getGuildConfig(ctx.guildId))?.managerRoleId);
    if (!allowed) return choices([]);
    const query = focused.value.trim().toLowerCase();
    const tasks = await ctx.scheduler.listTaskSummaries(ctx.guildId);
    const matching = tasks.filter(
      (t) => !query || t.name.toLowerCase().includes(query) || t.id.toLowerCase().startsWith(query),
    );
    return choices(matching.map((t) => ({ name: `${t.name} (${t.state})`, value: t.id })));
  }
  return choices([]);
}
