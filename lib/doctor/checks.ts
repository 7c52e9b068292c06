import { ApplicationFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { DiscordSecret } from '../aws/discord-secret.ts';
import { computeChannelPermissions, isThread } from '../discord/permissions.ts';
import { plural } from '../shared/words.ts';
import { commandDrift } from './command-drift.ts';
import {
  type DiscordApplication,
  type DiscordProbe,
  type DoctorTarget,
  isNotApplicable,
  type ModelProbe,
  ProbeError,
} from './ports.ts';

/**
 * The checks of `summary-bot doctor`, in the order an admin sets a deployment up: credentials, the
 * Discord application, the endpoint, the commands, the intent and a channel, then the AWS side. Each
 * check is a small function over the target's ports that returns lines; nothing here writes anything.
 */

/** `pass` ✓, `fail` ✗ (with the fix), `warn` ! (works, with a limit worth knowing), `skip` – (not checked). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One printed line: what was checked, and for a failure what to do. */
export interface CheckLine {
  status: CheckStatus;
  text: string;
  fix?: string;
}

export interface DoctorOptions {
  /** Check the commands registered in this guild rather than the global ones. */
  guildId?: string;
  /** Check that the bot can view this channel and read its history. */
  channelId?: string;
  /** The code's command definitions (what `register-commands` registers). */
  definitions: readonly unknown[];
  /** For the permission math (time-outs); the wall clock. */
  now: Date;
}

const pass = (text: string): CheckLine => ({ status: 'pass', text });
const fail = (text: string, fix: string): CheckLine => ({ status: 'fail', text, fix });
const skip = (text: string): CheckLine => ({ status: 'skip', text });

/** Runs every check and returns its lines in order; a failing prerequisite skips what depends on it. */
export async function runDoctor(target: DoctorTarget, options: DoctorOptions): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const credentials = await checkCredentials(target);
  lines.push(credentials.line);
  if (credentials.value) lines.push(...(await discordChecks(target, credentials.value, options)));
  else
    lines.push(
      skip('Discord application, endpoint and commands: not checked until the credentials are fixed'),
    );
  lines.push(await checkUnsignedRequest(target));
  lines.push(await checkScheduleGroup(target));
  lines.push(await checkDrift(target));
  lines.push(await checkDeadLetters(target));
  lines.push(...(await checkModel(target)));
  lines.push(...(await checkMail(target)));
  return lines;
}

/** True when no line failed: the exit status is 0 only then. */
export function allPassed(lines: readonly CheckLine[]): boolean {
  return lines.every((line) => line.status !== 'fail');
}

async function checkCredentials(target: DoctorTarget): Promise<{ line: CheckLine; value?: DiscordSecret }> {
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

async function discordChecks(
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

async function checkUnsignedRequest(target: DoctorTarget): Promise<CheckLine> {
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

async function checkScheduleGroup(target: DoctorTarget): Promise<CheckLine> {
  const group = target.scheduleGroup;
  if (isNotApplicable(group)) return skip(`Schedule group: ${group.notApplicable}`);
  try {
    return (await group.exists())
      ? pass(`Schedule group ${group.name} exists`)
      : fail(
          `Schedule group ${group.name} does not exist: no task can run`,
          'deploy the stack again (npx cdk deploy with the same settings)',
        );
  } catch (error) {
    return fail(`Schedule group ${group.name}: ${messageOf(error)}`, 'check your AWS credentials and Region');
  }
}

async function checkDrift(target: DoctorTarget): Promise<CheckLine> {
  try {
    const report = await target.drift();
    const found = [
      report.recreated.length > 0 && `${plural(report.recreated.length, 'missing schedule')}`,
      report.deletedOrphans.length > 0 && `${plural(report.deletedOrphans.length, 'orphan schedule')}`,
      report.stateFixed.length > 0 && `${plural(report.stateFixed.length, 'schedule')} in the wrong state`,
      report.removedPending.length > 0 && `${plural(report.removedPending.length, 'abandoned pending task')}`,
    ].filter(Boolean);
    return found.length === 0
      ? pass('Reconcile finds no drift between the tasks and the schedules')
      : fail(`Reconcile would repair: ${found.join(', ')}`, `run ${target.reconcileCommand}`);
  } catch (error) {
    return fail(
      `Reconcile: cannot compare tasks and schedules: ${messageOf(error)}`,
      'check your AWS credentials and Region',
    );
  }
}

async function checkDeadLetters(target: DoctorTarget): Promise<CheckLine> {
  const queue = target.deadLetters;
  if (isNotApplicable(queue)) return skip(`Dead-letter queue: ${queue.notApplicable}`);
  try {
    const depth = await queue.depth();
    return depth === 0
      ? pass(`Dead-letter queue ${queue.name} is empty`)
      : fail(
          `Dead-letter queue ${queue.name} holds ${plural(depth, 'message')}: the dead-letter handler is not keeping up or fails`,
          "read the dead-letters function's log group; messages it cannot record stay for 14 days",
        );
  } catch (error) {
    return fail(
      `Dead-letter queue ${queue.name}: ${messageOf(error)}`,
      'check your AWS credentials and Region',
    );
  }
}

async function checkModel(target: DoctorTarget): Promise<CheckLine[]> {
  const model = target.model;
  if (isNotApplicable(model)) return [skip(`Bedrock model: ${model.notApplicable}`)];
  try {
    await model.answerOneToken();
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'other';
    const fix =
      kind === 'forbidden'
        ? 'the account has no access yet: submit the Anthropic use-case form and invoke the model once as an administrator (DEPLOY.md step 3)'
        : kind === 'invalid'
          ? 'call the model through an inference profile: set bedrockModelId to its global. (or us., eu., apac.) id'
          : kind === 'not_found'
            ? 'the model id is unknown in this Region: check bedrockModelId against the Bedrock model catalog'
            : 'try again in a moment';
    return [fail(`Bedrock model ${model.modelId} does not answer: ${messageOf(error)}`, fix)];
  }
  return [pass(`Bedrock model ${model.modelId} answers`), await checkLifecycle(model)];
}

/** A Legacy model still answers, until its end-of-life date: worth a warning, not a failure. */
async function checkLifecycle(model: ModelProbe): Promise<CheckLine> {
  try {
    const lifecycle = await model.lifecycle();
    if (!lifecycle) return skip(`Bedrock model ${model.modelId}: its lifecycle is not listed in this Region`);
    if (lifecycle.status !== 'LEGACY')
      return pass(
        `Bedrock model ${model.modelId} is ${lifecycle.status === 'ACTIVE' ? 'Active' : lifecycle.status} on Bedrock`,
      );
    const end = lifecycle.endOfLifeTime ? `, end of life ${lifecycle.endOfLifeTime}` : '';
    return {
      status: 'warn',
      text: `Bedrock model ${model.modelId} is Legacy on Bedrock${end}: it stops answering then`,
      fix: 'move bedrockModelId to an Active model of the Bedrock model catalog (its inference profile id)',
    };
  } catch (error) {
    return skip(`Bedrock model ${model.modelId}: its lifecycle could not be read (${messageOf(error)})`);
  }
}

async function checkMail(target: DoctorTarget): Promise<CheckLine[]> {
  const mail = target.mail;
  if (isNotApplicable(mail)) return [skip(`Amazon SES: ${mail.notApplicable}`)];
  const lines: CheckLine[] = [];
  try {
    const sender = await mail.senderVerified();
    lines.push(
      sender.verified
        ? pass(`SES sender ${mail.from} is verified (identity ${sender.identity})`)
        : fail(
            `SES sender ${mail.from} is not verified in ${mail.region}: every e-mail destination fails`,
            `aws sesv2 create-email-identity --email-identity ${mail.from} --region ${mail.region}, then click the link AWS mails (DEPLOY.md step 4)`,
          ),
    );
  } catch (error) {
    lines.push(fail(`SES sender ${mail.from}: ${messageOf(error)}`, 'check your AWS credentials and Region'));
  }
  try {
    lines.push(
      (await mail.productionAccess())
        ? pass(`SES account in ${mail.region} is out of the sandbox`)
        : {
            status: 'warn',
            text: `SES account in ${mail.region} is in the sandbox: it delivers only to verified addresses, at most 200 a day`,
            fix: 'to mail anyone, request production access (DEPLOY.md step 4.2)',
          },
    );
  } catch (error) {
    lines.push(fail(`SES account: ${messageOf(error)}`, 'check your AWS credentials and Region'));
  }
  return lines;
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
