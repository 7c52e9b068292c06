/**
 * Runs `npm start`'s entry point as a real process on a free port with its data in a folder, and drives it
 * the way the CLI does: signed interactions to /interactions, control routes for the clock and the
 * stand-in's channels.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import {
  advanceClock,
  type BotInfo,
  callControl,
  findRunningBot,
  type InteractionAnswer,
  type RunningBot,
  sandboxKeys,
  sendInteraction,
  waitForReplyEdit,
} from '../../lib/local/control-client.ts';
import type { SigningKeys } from '../../lib/local/discord-signer.ts';
import {
  commandInteraction,
  componentInteraction,
  type InteractionSetting,
  type MemberRole,
} from '../../lib/local/slash-command-line.ts';
import { bundledStartEntry } from './cli-build.ts';
import { settle } from './settled-reply.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The command line that starts the bot. `npm start` runs lib/local/main.ts through tsx, which compiles the
 * sources on every start (~3 s of CPU, ~17 starts in the suite); tests run the same entry from the CLI's
 * esbuild bundle instead (bin/build-cli.mjs builds it as start.mjs, tests/support/cli-build.ts makes sure
 * it matches the sources before any test runs). `npmStart` runs exactly what `npm start` runs.
 */
function startArgs(npmStart: boolean): string[] {
  if (npmStart) return ['--import', 'tsx', 'lib/local/main.ts'];
  const entry = bundledStartEntry();
  if (!entry)
    throw new Error('no bundled start.mjs: run node bin/build-cli.mjs (tests/support/cli-build.ts)');
  return [entry];
}

export interface BotProcess {
  child: ChildProcess;
  bot: RunningBot;
  info: BotInfo;
  keys: SigningKeys;
  output(): string;
  /**
   * Sends a slash command line as a member of the sample server, typed in `channel`. A reply the bot
   * deferred ("thinking…") is waited for and returned as the message the member ends up reading, with
   * `deferred` set; `settle: false` returns the deferral itself (for commands that always defer).
   */
  command(
    line: string,
    options?: { as?: MemberRole; channel?: string; settle?: boolean },
  ): Promise<InteractionAnswer & { token: string; deferred: boolean }>;
  click(messageId: string, customId: string, options?: { as?: MemberRole }): Promise<InteractionAnswer>;
  /** The executor's edit of a deferred reply, waited for. */
  edited(token: string, timeoutMs?: number): Promise<{ body: unknown; messageId: string }>;
  advance(by: string): Promise<{ from: string; now: string; fired: number }>;
  posted(channel: string): Promise<PostedMessage[]>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface PostedMessage {
  id: string;
  content: string;
  embeds: { title?: string; description?: string; fields?: { name: string; value: string }[] }[];
  timestamp: string;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: unknown[];
  author: { id: string; username: string; bot?: boolean };
}

/**
 * Starts the bot (`npm start`'s entry, from its bundle unless `npmStart`) and waits until it wrote
 * runtime.json.
 */
export async function startBotProcess(
  dataDir: string,
  options: {
    env?: Record<string, string>;
    args?: string[];
    startTimeoutMs?: number;
    npmStart?: boolean;
  } = {},
): Promise<BotProcess> {
  let output = '';
  const child = spawn(process.execPath, [...startArgs(options.npmStart ?? false), ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      PORT: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  // Generous: a start takes 2-10 s, but on a loaded 2-core machine (the whole suite at once) far longer.
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  while (!output.includes('Ctrl+C stops it')) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline)
      throw new Error(`the bot did not start within ${startTimeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!existsSync(join(dataDir, 'runtime.json'))) throw new Error(`no runtime.json after start:\n${output}`);
  const bot = await findRunningBot(dataDir);
  const info = await callControl<BotInfo>(bot, 'GET', 'info');
  const keys = await sandboxKeys(bot);

  const setting = (as: MemberRole, channel: string): InteractionSetting => {
    const server = info.server;
    if (!server) throw new Error('not a sandbox');
    const found = server.channels.find((c) => c.name === channel.replace(/^#/, ''));
    if (!found) throw new Error(`no channel ${channel}`);
    return {
      applicationId: info.applicationId,
      guildId: server.guild.id,
      channels: server.channels,
      members: server.members,
      user: server.user,
      role: as,
      channelId: found.id,
    };
  };

  const edited: BotProcess['edited'] = (token, timeoutMs = 15_000) =>
    waitForReplyEdit(bot, token, { deadlineMs: timeoutMs });

  return {
    child,
    bot,
    info,
    keys,
    output: () => output,
    async command(line, { as = 'admin', channel = '#general', settle: settled = true } = {}) {
      const payload = commandInteraction(line, setting(as, channel));
      const answer = await sendInteraction(bot, keys, payload);
      if (settled) return { ...(await settle(bot, answer, payload.token)), token: payload.token };
      const deferred = answer.json?.type === InteractionResponseType.DeferredChannelMessageWithSource;
      return { ...answer, token: payload.token, deferred };
    },
    async click(messageId, customId, { as = 'admin' } = {}) {
      const message = await callControl<{ content?: string; components?: unknown[] }>(
        bot,
        'GET',
        `messages/${messageId}`,
      );
      const payload = componentInteraction(setting(as, '#general'), { id: messageId, ...message }, customId);
      return sendInteraction(bot, keys, payload);
    },
    edited,
    advance: (by) => advanceClock(bot, by, undefined, 50),
    async posted(channel) {
      const result = await callControl<{ messages: PostedMessage[] }>(
        bot,
        'GET',
        `channels/${channel.replace(/^#/, '')}/messages`,
      );
      return result.messages;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}

/** Runs `npm start`'s entry point on `dataDir` expecting it to fail to start: its exit code and output. */
export async function startBotExpectingFailure(
  dataDir: string,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, startArgs(false), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  clearTimeout(timer);
  return { code, stdout, stderr };
}
