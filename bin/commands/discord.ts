/**
 * `summary-bot discord …`: talk to the running sandbox as Discord does. Slash commands are signed with the
 * sandbox application's key and sent to the bot's interactions endpoint; the reply is printed, and a
 * deferred one is waited for (the executor edits it through the stand-in).
 */
import { parseArgs } from 'node:util';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { LocalEnv, parseEnv } from '../../lib/config.ts';
import { ConfigError, ValidationError } from '../../lib/errors.ts';
import {
  type BotInfo,
  ControlError,
  callControl,
  findRunningBot,
  type RunningBot,
  sandboxKeys,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import {
  commandInteraction,
  componentInteraction,
  findChannel,
  type InteractionSetting,
  type MemberRole,
} from '../../lib/local/slash-command-line.ts';

const USAGE = `usage: summary-bot discord '<slash command>' [--as admin|member] [--channel #name] [--json]
       summary-bot discord messages '#channel' [--json]
       summary-bot discord click <messageId> <button label or custom id> [--as admin|member] [--json]

  '<slash command>'   what you would type in Discord, e.g.
                      '/schedule create daily channel:#general time:09:00 timezone:Europe/Berlin post_to:#digest'
  --as                who types it: admin (Manage Server, the default) or member (read and write only)
  --channel           the channel it is typed in (default #general)

Works with the sandbox (\`npm start\` without Discord credentials). Exit status: 0 ok, 1 failure, 2 bad input.
`;

const OPTIONS = {
  as: { type: 'string', default: 'admin' },
  channel: { type: 'string', default: '#general' },
  json: { type: 'boolean', default: false },
  wait: { type: 'string', default: '30' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The sandbox's channels, for showing `<#id>` as `#name`; set once per command from the bot's info. */
let sandboxChannels: { id: string; name: string }[] = [];

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
    sandboxChannels = info.server.channels;
    const [first, ...rest] = positionals;
    if (first === 'messages') {
      if (rest.length !== 1) throw new ValidationError('messages', "expected one channel, e.g. '#digest'");
      return await printMessages(bot, rest[0] as string, values.json, out);
    }
    const setting = settingFor(info, values.as, values.channel);
    const waitMs = Number(values.wait) * 1000;
    if (first === 'click') {
      if (rest.length !== 2) throw new ValidationError('click', 'expected <messageId> <button>');
      return await click(bot, setting, rest[0] as string, rest[1] as string, values.json, waitMs, out);
    }
    if (positionals.length !== 1) {
      throw new ValidationError(
        'command',
        "expected the slash command as one quoted argument: '/summarize hours:24'",
      );
    }
    const payload = commandInteraction(first as string, setting);
    return await exchange(bot, payload, values.json, waitMs, out);
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
    user: server.user,
    role,
    channelId: channel.id,
    now: new Date(info.now),
  };
}

/** Sends one interaction, prints the reply; for a deferred reply waits for the executor's edit. */
async function exchange(
  bot: RunningBot,
  payload: { token: string },
  json: boolean,
  waitMs: number,
  out: (text: string) => void,
): Promise<number> {
  const keys = await sandboxKeys(bot);
  const answer = await sendInteraction(bot, keys, payload);
  if (answer.status !== 200 || !answer.json) {
    out(`The bot answered HTTP ${answer.status}: ${answer.body.trim()}`);
    return 1;
  }
  const reply = answer.json as { type: number; data?: MessageLike & { flags?: number; choices?: unknown[] } };
  let final: unknown = reply;
  let messageId: string | undefined;
  if (reply.type === InteractionResponseType.DeferredChannelMessageWithSource) {
    if (!json) out('(the bot is thinking…)');
    const edit = await waitForEdit(bot, payload.token, waitMs);
    if (!edit) {
      out(`No reply within ${waitMs / 1000} s; the run may still finish (see the bot's output).`);
      return 1;
    }
    final = edit;
    messageId = edit.messageId;
    if (!json) out(renderMessage(edit.body as MessageLike, sandboxChannels));
  } else {
    const known = await callControl<{ message?: { id: string } }>(
      bot,
      'GET',
      `interactions/${payload.token}`,
    ).catch(() => ({}) as { message?: { id: string } });
    messageId = known.message?.id;
    if (!json) {
      if (reply.type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
        out(JSON.stringify(reply.data?.choices ?? [], null, 2));
      } else {
        const attachments = answer.contentType.startsWith('multipart/') ? ' (with a file attached)' : '';
        const flags = reply.data?.flags ?? 0;
        out(`${renderMessage(reply.data ?? {}, sandboxChannels)}${attachments}`);
        if ((flags & MessageFlags.Ephemeral) !== 0) out('(only you can see this)');
      }
    }
  }
  if (json) {
    out(JSON.stringify({ reply: final, ...(messageId ? { messageId } : {}) }, null, 2));
    return 0;
  }
  const buttons = buttonsOf(
    (final as { body?: MessageLike }).body ?? (final as { data?: MessageLike }).data ?? {},
  );
  if (messageId && buttons.length > 0) {
    out(`\nButtons: ${buttons.map((b) => `[${b.label}]`).join(' ')}`);
    out(`Click one: npx summary-bot discord click ${messageId} '${buttons[0]?.label}'`);
  }
  return 0;
}

async function waitForEdit(
  bot: RunningBot,
  token: string,
  waitMs: number,
): Promise<{ body: unknown; messageId: string } | undefined> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const known = await callControl<{ edits: { kind: string; body: unknown; messageId: string }[] }>(
      bot,
      'GET',
      `interactions/${token}`,
    );
    const edit = known.edits.filter((e) => e.kind === 'edit_original').at(-1);
    if (edit) return edit;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return undefined;
}

async function click(
  bot: RunningBot,
  setting: InteractionSetting,
  messageId: string,
  button: string,
  json: boolean,
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
  return exchange(bot, payload, json, waitMs, out);
}

async function printMessages(
  bot: RunningBot,
  channel: string,
  json: boolean,
  out: (text: string) => void,
): Promise<number> {
  const result = await callControl<{
    channel: { id: string; name: string };
    messages: (MessageLike & { id: string; timestamp: string; author: { username: string } })[];
  }>(bot, 'GET', `channels/${encodeURIComponent(channel.replace(/^#/, ''))}/messages`);
  if (json) {
    out(JSON.stringify(result.messages, null, 2));
    return 0;
  }
  if (result.messages.length === 0) {
    out(`The bot has posted nothing in #${result.channel.name} yet.`);
    return 0;
  }
  out(`${result.messages.length} message(s) the bot posted in #${result.channel.name}:`);
  for (const message of result.messages) {
    out(`\n── ${message.author.username} · ${message.timestamp} · message ${message.id}`);
    out(renderMessage(message, sandboxChannels));
  }
  return 0;
}

interface MessageLike {
  content?: string | null;
  embeds?: {
    title?: string;
    description?: string;
    url?: string;
    fields?: { name: string; value: string }[];
    footer?: { text: string };
  }[];
  components?: unknown[];
}

/** A message as readable text: content, then each embed's title, description, fields and footer. */
export function renderMessage(message: MessageLike, channels: { id: string; name: string }[] = []): string {
  const parts: string[] = [];
  if (message.content) parts.push(message.content);
  for (const embed of message.embeds ?? []) {
    if (embed.title) parts.push(`▌ ${embed.title}${embed.url ? ` (${embed.url})` : ''}`);
    if (embed.description) parts.push(indent(embed.description));
    for (const field of embed.fields ?? []) parts.push(`  ${field.name}\n${indent(field.value, '    ')}`);
    if (embed.footer?.text) parts.push(`  — ${embed.footer.text}`);
  }
  if (parts.length === 0) return '(empty message)';
  // Discord renders these markers in the reader's zone and with channel names; a terminal shows them so.
  return parts
    .join('\n')
    .replace(/<t:(\d{1,12})(?::[tTdDfFR])?>/g, (_m, unix: string) =>
      new Date(Number(unix) * 1000).toISOString().replace('.000Z', 'Z'),
    )
    .replace(/<#(\d{1,20})>/g, (m, id: string) => {
      const channel = channels.find((c) => c.id === id);
      return channel ? `#${channel.name}` : m;
    });
}

function indent(text: string, prefix = '  '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

/** Buttons with a custom id in a message's action rows. */
function buttonsOf(message: MessageLike): { label: string; customId: string }[] {
  const found: { label: string; customId: string }[] = [];
  for (const row of (message.components ?? []) as {
    components?: { custom_id?: string; label?: string }[];
  }[]) {
    for (const component of row.components ?? []) {
      if (component.custom_id)
        found.push({ label: component.label ?? component.custom_id, customId: component.custom_id });
    }
  }
  return found;
}
