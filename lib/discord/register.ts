import type { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import { commands } from './commands/index.ts';

/**
 * Registers every command with one bulk overwrite (PUT): globally, or in one guild for development, where
 * changes show at once. Commands no longer defined are removed by the same call.
 */
export async function registerCommands(options: {
  rest: REST;
  applicationId: string;
  guildId?: string;
}): Promise<{ names: string[]; scope: string }> {
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const registered = (await options.rest.put(route, { body: commands })) as { name: string }[];
  return {
    names: registered.map((c) => c.name),
    scope: options.guildId ? `guild ${options.guildId}` : 'global',
  };
}
