/**
 * `summary-bot register-commands [--guild <id>]`: bulk-overwrites the slash commands, globally or in one
 * guild (development). Reads DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN from the environment or `.env`.
 */
import { parseArgs } from 'node:util';
import { REST } from '@discordjs/rest';
import { registerCommands } from '../../lib/discord/register.ts';

const USAGE = `usage: summary-bot register-commands [--guild <id>]

  Registers /summarize, /schedule and /config with Discord (a bulk overwrite).
  --guild <id>   only in this server: changes show at once (for development)

Needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN (environment or .env); DISCORD_API_URL is optional.
Exit status: 0 ok, 1 Discord refused, 2 bad input or missing settings.
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** The command with its environment and output passed in, for tests. */
export async function registerWith(args: string[], env: NodeJS.ProcessEnv, io: Io = stdio): Promise<number> {
  let guildId: string | undefined;
  try {
    const parsed = parseArgs({
      args,
      options: { guild: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (parsed.values.help) {
      io.out(USAGE);
      return 0;
    }
    guildId = parsed.values.guild;
  } catch (error) {
    io.err(`register-commands: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (guildId !== undefined && !/^\d{17,20}$/.test(guildId)) {
    io.err('register-commands: --guild: expected a server id (17 to 20 digits)\n');
    return 2;
  }
  const applicationId = env.DISCORD_APPLICATION_ID?.trim();
  const token = env.DISCORD_BOT_TOKEN?.trim();
  const missing = [
    !applicationId &&
      "DISCORD_APPLICATION_ID (the application id, from the Developer Portal's General Information)",
    !token && "DISCORD_BOT_TOKEN (the bot token, from the Developer Portal's Bot page)",
  ].filter(Boolean);
  if (missing.length > 0 || !applicationId || !token) {
    io.err(`register-commands: missing ${missing.join(' and ')}; set it in the environment or in .env\n`);
    return 2;
  }
  if (!/^\d{17,20}$/.test(applicationId)) {
    io.err('register-commands: DISCORD_APPLICATION_ID: expected the application id (17 to 20 digits)\n');
    return 2;
  }
  const rest = new REST({
    version: '10',
    ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}),
  }).setToken(token);
  try {
    const result = await registerCommands({ rest, applicationId, ...(guildId ? { guildId } : {}) });
    io.out(
      `Registered ${result.names.map((n) => `/${n}`).join(', ')} (${result.scope}).${guildId ? '' : ' Global commands can take a few minutes to appear.'}\n`,
    );
    return 0;
  } catch (error) {
    // @discordjs/rest errors carry Discord's message and code, never the token.
    io.err(`register-commands: Discord refused the commands: ${(error as Error).message}\n`);
    return 1;
  }
}

/** Entry point of the `register-commands` command; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  // The checkout's .env is already merged into process.env by the CLI's entry point.
  return registerWith(args, process.env);
}
