import { ApplicationFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordSecret } from '../aws/discord-secret.ts';
import { computeChannelPermissions, isThread } from '../discord/permissions.ts';
import { type CheckLine, type DoctorOptions, fail, messageOf, pass, skip } from './check-line.ts';
import { commandDrift } from './command-drift.ts';
import {
  type DiscordApplication,
  type DiscordProbe,
  type DoctorTarget,
  isNotApplicable,
  ProbeError,
} from './ports.ts';

/** The Discord side of `summary-bot doctor`: credentials, the application, the endpoint, the commands, the intent and a channel. */

/** The bot token, public key and application id, read from where the target keeps them. */
export async function checkCredentials(
  target: DoctorTarget,
): Promise<{ line: CheckLine; value?: DiscordSecret }> {
  const { credentials } = target;
  let raw: unknown;
  try {
    raw = await credentials.read();
  } catch (error) {
    return {
      line: fail(
        `Discord credentials (${credentials.label}) cannot be read: ${messageOf(error)}`,
        credentials.howToFill,
      ),
    };
  }
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const names = ['botToken', 'publicKey', 'applicationId'] as const;
  const empty = names.filter(
    (name) => typeof fields[name] !== 'string' || (fields[name] as string).trim() === '',
  );
  if (empty.length === names.length)
    return {
      line: fail(`Discord credentials (${credentials.label}) are not filled in`, credentials.howToFill),
    };
  const parsed = DiscordSecret.safeParse(raw);
  if (!parsed.success) {
    // Field names and what was expected, never the values.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
    return {
      line: fail(
        `Discord credentials (${credentials.label}) are malformed: ${problems.join('; ')}`,
        credentials.howToFill,
      ),
    };
  }
  return {
    line: pass(`Discord credentials (${credentials.label}) are filled and well-formed`),
    value: parsed.data,
  };
}

/** The checks that need valid credentials: the application, its endpoint, the commands, the intent, a channel. */
export async function discordChecks(
  target: DoctorTarget,
  secret: DiscordSecret,
  options: DoctorOptions,
): Promise<CheckLine[]> {
  const discord = target.discord(secret.botToken);
  let bot: { id: string; username: string; bot: boolean };
  try {
    bot = await discord.currentUser();
  } catch (error) {
    const refused = error instanceof ProbeError && error.kind === 'unauthorized';
    return [
      fail(
        refused
          ? 'Bot token: Discord refused it (401)'
          : `Bot token: GET /users/@me failed: ${messageOf(error)}`,
        refused
          ? `on the Developer Portal's Bot page choose Reset Token and put the new token in ${target.credentials.label}`
          : 'check the network and try again',
      ),
      skip('Discord application, endpoint and commands: not checked until the bot token works'),
    ];
  }
  const lines: CheckLine[] = [
    bot.bot
      ? pass(`Bot token is valid (bot ${bot.username}, id ${bot.id})`)
      : fail(
          `Bot token belongs to user ${bot.username}, not to a bot`,
          "use the token from the Developer Portal's Bot page",
        ),
  ];
  let app: DiscordApplication;
  try {
    app = await discord.application();
  } catch (error) {
    lines.push(
      fail(`Application: GET /applications/@me failed: ${messageOf(error)}`, 'try again in a moment'),
    );
    return lines;
  }
  lines.push(
    app.id === secret.applicationId
      ? pass(`Application id ${app.id} matches the bot token`)
      : fail(
          `Application id ${secret.applicationId} is not the token's application (${app.id})`,
          `set applicationId to ${app.id} in ${target.credentials.label}`,
        ),
  );
  lines.push(
    app.verifyKey.toLowerCase() === secret.publicKey.toLowerCase()
      ? pass("Public key matches the application's")
      : fail(
          "Public key is not the application's: every request Discord signs would be refused",
          `copy the Public Key from the portal's General Information into publicKey in ${target.credentials.label}`,
        ),
  );
  lines.push(checkEndpointUrl(target, app));
  lines.push(await checkCommands(discord, app.id, options));
  lines.push(checkIntent(app));
  if (options.channelId) lines.push(await checkChannel(discord, bot.id, options.channelId, options));
  return lines;
}

function checkEndpointUrl(target: DoctorTarget, app: DiscordApplication): CheckLine {
  const expected = target.endpoint.expectedUrl;
  const actual = app.interactionsEndpointUrl;
  const portal = "the portal's General Information > Interactions Endpoint URL";
  if (isNotApplicable(expected)) {
    return actual
      ? skip(`Interactions Endpoint URL is ${actual}; ${expected.notApplicable}`)
      : fail(
          'Interactions Endpoint URL is not set',
          `paste the bot's public URL ending in /interactions into ${portal}`,
        );
  }
  if (!actual)
    return fail('Interactions Endpoint URL is not set', `paste ${expected} into ${portal} and save`);
  return sameUrl(actual, expected)
    ? pass(`Interactions Endpoint URL is ${expected}`)
    : fail(
        `Interactions Endpoint URL is ${actual}, not ${expected}`,
        `paste ${expected} into ${portal} and save`,
      );
}

/** The endpoint refuses a request without a valid signature, as Discord requires. */
export async function checkUnsignedRequest(target: DoctorTarget): Promise<CheckLine> {
  const url = target.endpoint.probeUrl;
  if (isNotApplicable(url)) return fail('Interactions endpoint: nothing to probe', url.notApplicable);
  let status: number;
  try {
    status = await target.endpoint.postUnsigned(url);
  } catch (error) {
    return fail(
      `Interactions endpoint ${url} does not answer: ${messageOf(error)}`,
      'check that it is deployed (or running) and reachable',
    );
  }
  if (status === 401) return pass(`Interactions endpoint ${url} refuses an unsigned request (401)`);
  if (status >= 200 && status < 300)
    return fail(
      `Interactions endpoint ${url} answered an unsigned request with ${status}: it does not verify signatures`,
      'deploy this version of the bot; Discord removes endpoints that accept bad signatures',
    );
  return fail(
    `Interactions endpoint ${url} answered an unsigned request with ${status}, not 401`,
    status >= 500
      ? "look at the interactions function's log: it fails before it can verify (often the Discord secret)"
      : 'the URL does not reach the bot: check the address',
  );
}

async function checkCommands(
  discord: DiscordProbe,
  applicationId: string,
  options: DoctorOptions,
): Promise<CheckLine> {
  const scope = options.guildId ? `in server ${options.guildId}` : 'globally';
  const register = `npx summary-bot register-commands${options.guildId ? ` --guild ${options.guildId}` : ''}`;
  let registered: unknown[];
  try {
    registered = await discord.commands(applicationId, options.guildId);
  } catch (error) {
    const forbidden = error instanceof ProbeError && error.kind === 'forbidden';
    return fail(
      `Slash commands ${scope}: cannot be listed: ${messageOf(error)}`,
      forbidden
        ? 'invite the bot to the server with the applications.commands scope (DEPLOY.md step 1.5)'
        : 'try again in a moment',
    );
  }
  const drift = commandDrift(options.definitions, registered);
  const problems = [
    drift.missing.length > 0 && `missing ${slashes(drift.missing)}`,
    drift.different.length > 0 && `${slashes(drift.different)} differ from the code`,
    drift.extra.length > 0 && `${slashes(drift.extra)} are no longer defined`,
  ].filter(Boolean);
  if (problems.length === 0)
    return pass(
      `Slash commands registered ${scope} match the code (${slashes(options.definitions.map(nameOf))})`,
    );
  return fail(`Slash commands ${scope}: ${problems.join('; ')}`, `run ${register}`);
}

function checkIntent(app: DiscordApplication): CheckLine {
  const intent = ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited;
  return (app.flags & intent) !== 0
    ? pass('Message Content intent is enabled')
    : fail(
        'Message Content intent is off: Discord returns every message with empty content',
        "turn on Message Content Intent on the portal's Bot page and save",
      );
}

async function checkChannel(
  discord: DiscordProbe,
  botId: string,
  channelId: string,
  options: DoctorOptions,
): Promise<CheckLine> {
  try {
    const channel = await discord.channel(channelId);
    if (!channel.guildId)
      return fail(`Channel ${channelId} is not in a server`, 'pass a server channel with --channel');
    if (options.guildId && channel.guildId !== options.guildId)
      return fail(
        `Channel ${channelId} is not in server ${options.guildId}`,
        'pass a channel of that server',
      );
    // A thread has no overwrites of its own: it inherits its parent channel's.
    const source =
      isThread(channel.type) && channel.parentId ? await discord.channel(channel.parentId) : channel;
    const [guild, member] = await Promise.all([
      discord.guild(channel.guildId),
      discord.member(channel.guildId, botId),
    ]);
    const permissions = computeChannelPermissions({
      guild,
      member,
      overwrites: source.overwrites,
      now: options.now,
    });
    const missing = [
      (permissions & PermissionFlagsBits.ViewChannel) === 0n && 'View Channel',
      (permissions & PermissionFlagsBits.ReadMessageHistory) === 0n && 'Read Message History',
    ].filter(Boolean);
    if (missing.length === 0) return pass(`The bot can view channel ${channelId} and read its history`);
    return fail(
      `The bot lacks ${missing.join(' and ')} in channel ${channelId}`,
      "give the bot's role those permissions in the channel's settings (Permissions)",
    );
  } catch (error) {
    if (error instanceof ProbeError && (error.kind === 'forbidden' || error.kind === 'not_found'))
      return fail(
        `The bot cannot see channel ${channelId} (${error.kind === 'forbidden' ? 'Missing Access' : 'unknown channel'})`,
        'invite the bot to that server and give it View Channel there',
      );
    return fail(`Channel ${channelId}: ${messageOf(error)}`, 'try again in a moment');
  }
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

function slashes(names: readonly string[]): string {
  return names.map((name) => `/${name}`).join(', ');
}

function nameOf(command: unknown): string {
  return String((command as { name?: unknown }).name ?? '');
}
