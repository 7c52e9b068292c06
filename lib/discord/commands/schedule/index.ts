import { ApplicationCommandType } from 'discord-api-types/v10';
import { defineCommand, guildOnly, manageServer } from '../define.ts';
import * as create from './create-kinds.ts';
import * as edit from './edit.ts';
import * as exportTasks from './export.ts';
import * as importTasks from './import.ts';
import * as list from './list.ts';
import * as settings from './settings.ts';
import * as stats from './stats.ts';
import * as status from './status.ts';
import { cancel, pause, resume, run } from './task-actions.ts';

/** `/schedule`: the subcommands, each defined (and handled) in its own module here. */
export const definition = defineCommand({
  type: ApplicationCommandType.ChatInput,
  name: 'schedule',
  description: 'Manage scheduled summaries',
  default_member_permissions: manageServer,
  ...guildOnly,
  options: [
    create.definition,
    list.definition,
    status.definition,
    stats.definition,
    pause,
    resume,
    run,
    edit.definition,
    settings.definition,
    cancel,
    exportTasks.definition,
    importTasks.definition,
  ],
});
