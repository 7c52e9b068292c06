/**
 * `summary-bot discord …`: talk to the running sandbox as Discord does, and show what Discord would show.
 * Slash commands are signed with the sandbox application's key and sent to the bot's interactions
 * endpoint; the reply is printed (Discord's markers as a reader sees them), and a deferred one, or a run
 * started with `/schedule run`, is waited for (the executor edits it through the stand-in).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { type APIAttachment, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { LocalEnv, parseEnv } from '../../lib/config.ts';
import { parseCustomId } from '../../lib/discord/custom-ids.ts';
import { ConfigError, ValidationError } from '../../lib/errors.ts';
import type { ManualRunResult } from '../../lib/execution/describe-outcome.ts';
import {
  type BotInfo,
  ControlError,
  callControl,
  findRunningBot,
  type InteractionAnswer,
  type ReplyEdit,
  ReplyEditTimeoutError,
  type RunningBot,
  sandboxKeys,
  sendInteraction,
  uploadAttachment,
  waitForReplyEdit,
  waitForRunResult,
} from '../../lib/local/control-client.ts';
import {
  buttonsOf,
  type MessageLike,
  type RenderContext,
  renderMessage,
} from '../../lib/local/discord-text.ts';
import {
  autocompleteInteraction,
  commandInteraction,
  componentInteraction,
  findChannel,
  type InteractionSetting,
  type MemberRole,
} from '../../lib/local/slash-command-line.ts';
import { printMessages } from './discord-messages.ts';

const USAGE = `usage: summary-bot discord '<slash command>' [--as admin|member] [--channel #name] [--attach FILE]
                           [--save FILE] [--wait SECONDS] [--json]
       summary-bot discord complete '<slash command, the option being typed last>' [--json]
       summary-bot discord messages '#channel'|@member [--all] [--json]
       summary-bot discord click <messageId> <button label or custom id> [--as admin|member] [--json]

  '<slash command>'   what you would type in Discord, e.g.
                      '/schedule create daily channel:#general time:09:00 timezone:Europe/Berlin post_to:#digest'
  --as                who types it: admin (Manage Server, the default) or member (read and write only)
  --channel           the channel it is typed in (default #general)
  --attach FILE       attach a file to the command, as dropping it on Discord's message box does
                      (e.g. '/schedule import' --attach tasks.json)
  --save FILE         write the file the bot attached to its reply (e.g. '/schedule export' --save tasks.json)
  --wait SECONDS      how long to wait for a deferred reply and a run's result (default 120)
  complete            the choices Discord would offer while typing, e.g. complete '/schedule status task:Dai'
  messages            the channel's history as members see it: what the bot posted there, public replies
                      to commands included (--all: every member's messages too); @you: what the bot
                      sent that member by DM (the digests of tasks they /subscribe to)

Works with the sandbox (\`npm start\` without Discord credentials). Times are shown in this machine's zone,
as Discord shows them in each reader's. Exit status: 0 ok, 1 the bot refused the command or failed, 2 bad
input. A \`/schedule run\` (or its Run now button) exits 0 only when the run delivered to every destination
or was skipped by its task's rule (too few messages); it exits 1, with the reason on stderr, when the run
failed, delivered to only some destinations, did not run, or sent no result by --wait (default 120 s).
`;

const OPTIONS = {
  as: { type: 'string', default: 'admin' },
  channel: { type: 'string', default: '#general' },
  attach: { type: 'string', multiple: true },
  save: { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  wait: { type: 'string', default: '120' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** How replies are rendered: the sandbox's channels (`<#id>` as `#name`) and its clock (relative times). */
let render: RenderContext = {};

/** Entry point of the `discord` command group; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`discord: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  if (!/^\d{1,4}$/.test(values.wait)) {
    process.stderr.write('discord: --wait: expected seconds, a whole number such as 120\n');
    return 2;
  }
  if (values.as !== 'admin' && values.as !== 'member') {
    process.stderr.write('discord: --as: expected admin or member\n');
    return 2;
  }
  const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  try {
    const { DATA_DIR } = parseEnv(LocalEnv.pick({ DATA_DIR: true }));
    const bot = await findRunningBot(DATA_DIR);
    const info = await callControl<BotInfo>(bot, 'GET', 'info');
    if (!info.sandbox || !info.server) {
      process.stderr.write(
        'discord: the running bot talks to the real Discord, and only Discord can sign its interactions.\n' +
          'Use the slash commands in your Discord server, or stop the bot and run `npm start` without DISCORD_* for the sandbox.\n',
      );
      return 1;
    }
    render = { channels: info.server.channels, now: new Date(info.now) };
    const [first, ...rest] = positionals;
    if (first === 'messages') {
      if (rest.length !== 1) throw new ValidationError('messages', "expected one channel, e.g. '#digest'");
      return await printMessages(bot, rest[0] as string, values, render, out);
    }
    const setting = settingFor(info, values.as, values.channel);
    const waitMs = Number(values.wait) * 1000;
    if (first === 'click') {
      if (rest.length !== 2) throw new ValidationError('click', 'expected <messageId> <button>');
      return await click(bot, setting, rest[0] as string, rest[1] as string, values, waitMs, out);
    }
    if (first === 'complete') {
      if (rest.length !== 1) {
        throw new ValidationError(
          'complete',
          "expected the command as one quoted argument: '/schedule status task:Dai'",
        );
      }
      return await complete(bot, autocompleteInteraction(rest[0] as string, setting), values.json, out);
    }
    if (positionals.length !== 1) {
      throw new ValidationError(
        'command',
        "expected the slash command as one quoted argument: '/summarize hours:24'",
      );
    }
    const attachments = await attach(bot, values.attach ?? []);
    const payload = commandInteraction(first as string, { ...setting, attachments });
    // `/schedule run` answers at once and edits its reply when the run is done: wait for that, as a member
    // watching the message would.
    const awaitsEdit = /^\/?schedule\s+run\b/.test((first as string).trim());
    return await exchange(bot, payload, values, waitMs, out, awaitsEdit);
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`discord: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof ControlError) {
      process.stderr.write(`discord: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Uploads each file to the stand-in, as a member's client uploads a file dropped on a command. */
async function attach(bot: RunningBot, paths: string[]): Promise<APIAttachment[]> {
  const files: APIAttachment[] = [];
  for (const path of paths) {
    const content = await readFile(path).catch((error: unknown) => {
      throw new ValidationError(
        '--attach',
        `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      );
    });
    const filename = basename(path);
    files.push(
      await uploadAttachment(bot, {
        filename,
        content,
        ...(filename.toLowerCase().endsWith('.json') ? { contentType: 'application/json' } : {}),
      }),
    );
  }
  return files;
}

function settingFor(info: BotInfo, role: MemberRole, channelRef: string): InteractionSetting {
  const server = info.server as NonNullable<BotInfo['server']>;
  const channel = findChannel(server.channels, channelRef);
  if (!channel) {
    throw new ValidationError(
      'channel',
      `expected a channel of the sandbox (${server.channels.map((c) => `#${c.name}`).join(', ')})`,
    );
  }
  return {
    applicationId: info.applicationId,
    guildId: server.guild.id,
    channels: server.channels,
    members: server.members,
    user: server.user,
    role,
    channelId: channel.id,
    now: new Date(info.now),
  };
}

/** Sends one interaction, prints the reply; for a deferred reply (or `awaitsEdit`) waits for the edit. */
async function exchange(
  bot: RunningBot,
  payload: { token: string },
  values: Values,
  waitMs: number,
  out: (text: string) => void,
  awaitsEdit: boolean,
): Promise<number> {
  const keys = await sandboxKeys(bot);
  const answer = await sendInteraction(bot, keys, payload);
  if (answer.status !== 200 || !answer.json) {
    out(`The bot answered HTTP ${answer.status}: ${answer.body.trim()}`);
    return 1;
  }
  const reply = answer.json as { type: number; data?: MessageLike & { flags?: number } };
  const deferred = reply.type === InteractionResponseType.DeferredChannelMessageWithSource;
  let final: { reply: unknown; edit?: unknown } = { reply };
  let shown: MessageLike = reply.data ?? {};
  let messageId: string | undefined;
  if (!deferred) {
    messageId = await replyMessageId(bot, payload.token);
    if (!values.json) printReply(reply.data ?? {}, answer, out);
  } else if (!values.json) {
    out('(the bot is thinking…)');
  }
  if (values.save) await save(answer, values.save);
  // A refusal: in the HTTP answer's header, or (deferred) recorded by the bot with the answer's edit.
  let rejected = answer.rejected;
  const deadline = Date.now() + waitMs;
  const left = () => Math.max(0, deadline - Date.now());
  const showEdit = (edit: ReplyEdit, afterAnother: boolean) => {
    final = { ...final, edit: edit.body };
    shown = edit.body as MessageLike;
    messageId = edit.messageId;
    if (!values.json) out(`${afterAnother ? '\n(edited:)\n' : ''}${renderMessage(shown, render)}`);
  };
  if (deferred) {
    // A deferred reply's answer is its first edit.
    let edit: ReplyEdit;
    try {
      edit = await waitForReplyEdit(bot, payload.token, { deadlineMs: left() });
    } catch (error) {
      if (!(error instanceof ReplyEditTimeoutError)) throw error;
      out(`No reply within ${waitMs / 1000} s; the bot may still answer (see the bot's output).`);
      return 1;
    }
    if (edit.rejected) rejected = true;
    showEdit(edit, false);
  }
  // A run not refused: its result, in words as the reply's next edit (none when the attempt failed before
  // it could edit), and as data for the exit status.
  let run: ManualRunResult | undefined;
  if (awaitsEdit && !rejected) {
    const result = await waitForRunResult(bot, payload.token, {
      nth: deferred ? 2 : 1,
      deadlineMs: left(),
    });
    if (!result) {
      out(`No run result within ${waitMs / 1000} s; the run may still finish (see the bot's output).`);
      return 1;
    }
    run = result.run;
    if (result.edit) showEdit(result.edit, true);
  }
  if (values.json) {
    out(
      JSON.stringify(
        { ...final, rejected, ...(run ? { run } : {}), ...(messageId ? { messageId } : {}) },
        null,
        2,
      ),
    );
  } else {
    const buttons = buttonsOf(shown);
    if (messageId && buttons.length > 0) {
      out(`\nButtons: ${buttons.map((b) => `[${b.label}]`).join(' ')}`);
      out(`Click one: npx summary-bot discord click ${messageId} '${buttons[0]?.label}'`);
    }
  }
  if (run?.problem) process.stderr.write(`discord: ${run.problem}\n`);
  return rejected || run?.problem ? 1 : 0;
}

/** The id the sandbox gave the reply's message (for clicking its buttons); none for a reply with a file. */
async function replyMessageId(bot: RunningBot, token: string): Promise<string | undefined> {
  try {
    const known = await callControl<{ message?: { id: string } }>(bot, 'GET', `interactions/${token}`);
    return known.message?.id;
  } catch (error) {
    if (error instanceof ControlError && error.status === 404) return undefined;
    throw error;
  }
}

function printReply(
  data: MessageLike & { flags?: number },
  answer: InteractionAnswer,
  out: (text: string) => void,
): void {
  const files = answer.files
    .map((f) => `\n📎 ${f.name} (${f.content.byteLength} bytes; --save FILE writes it)`)
    .join('');
  out(`${renderMessage(data, render)}${files}`);
  if (((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0) out('(only you can see this)');
}

/** `--save FILE`: the reply's attached file, written as Discord's "download" would. */
async function save(answer: InteractionAnswer, path: string): Promise<void> {
  const [file] = answer.files;
  if (!file) throw new ValidationError('--save', 'the reply has no file attached to save');
  await writeFile(path, file.content, { mode: 0o600 });
  process.stderr.write(`Saved ${file.name} (${file.content.byteLength} bytes) to ${path}\n`);
}

/** `discord complete`: the choices Discord would list above the message box. */
async function complete(
  bot: RunningBot,
  payload: object,
  json: boolean,
  out: (text: string) => void,
): Promise<number> {
  const answer = await sendInteraction(bot, await sandboxKeys(bot), payload);
  const reply = answer.json as {
    type?: number;
    data?: { choices?: { name: string; value: string | number }[] };
  };
  if (answer.status !== 200 || reply?.type !== InteractionResponseType.ApplicationCommandAutocompleteResult) {
    out(`The bot answered HTTP ${answer.status}: ${answer.body.trim()}`);
    return 1;
  }
  const choices = reply.data?.choices ?? [];
  if (json) out(JSON.stringify(choices, null, 2));
  else if (choices.length === 0) out('(no choices)');
  else for (const choice of choices) out(`${choice.name}    → ${choice.value}`);
  return 0;
}

async function click(
  bot: RunningBot,
  setting: InteractionSetting,
  messageId: string,
  button: string,
  values: Values,
  waitMs: number,
  out: (text: string) => void,
): Promise<number> {
  const message = await callControl<MessageLike & { id: string; channelId?: string }>(
    bot,
    'GET',
    `messages/${encodeURIComponent(messageId)}`,
  );
  const buttons = buttonsOf(message);
  const wanted = button.trim().toLowerCase();
  const chosen =
    buttons.find((b) => b.customId === button) ?? buttons.find((b) => b.label.toLowerCase() === wanted);
  if (!chosen) {
    throw new ValidationError(
      'button',
      buttons.length > 0
        ? `expected one of ${buttons.map((b) => `'${b.label}'`).join(', ')}`
        : 'that message has no buttons',
    );
  }
  const payload = componentInteraction(
    { ...setting, channelId: message.channelId ?? setting.channelId },
    { id: messageId, content: message.content ?? '', components: message.components ?? [] },
    chosen.customId,
  );
  const action = parseCustomId(chosen.customId);
  return exchange(bot, payload, values, waitMs, out, action?.kind === 'task' && action.action === 'run');
}
