/**
 * The sandbox's local runtime in-process for an e2e test file: started once before its tests on a fresh
 * data folder, with signed slash commands sent to it as the sample server's admin or a plain member.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  findRunningBot,
  type InteractionAnswer,
  type RunningBot,
  sendInteraction,
  waitForReplyEdit,
} from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import type { DiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';
import { settle } from './settled-reply.ts';

/** Handles on the running sandbox; valid inside the file's tests. */
export interface SandboxRuntime {
  readonly runtime: LocalRuntime;
  readonly bot: RunningBot;
  readonly discord: DiscordStandIn;
  /** Sends a slash command line from #general, signed, and returns the payload and the bot's answer. */
  command(
    line: string,
    role?: 'admin' | 'member',
  ): Promise<{
    payload: ReturnType<typeof commandInteraction>;
    answer: Awaited<ReturnType<typeof sendInteraction>>;
  }>;
  /**
   * Sends a command and returns the answer as the member reads it: a reply deferred on a loaded machine
   * (the local runtime defers after 1.5 s) is replaced by the bot's edit of it (see settled-reply.ts).
   */
  settled(line: string, role?: 'admin' | 'member'): Promise<InteractionAnswer & { deferred: boolean }>;
  /** The text of the reply the member reads (`settled`'s content; '' for a reply without one). */
  reply(line: string, role?: 'admin' | 'member'): Promise<string>;
  /** The body of the bot's edit of the deferred reply of interaction `token` (a /summarize's digest). */
  edited(token: string): Promise<unknown>;
}

/**
 * Starts the sandbox before the file's tests and stops it (removing its data) after them. `env` adds to the
 * runtime's environment; it is read when the runtime starts, so it may name a stand-in a `beforeAll`
 * registered before this call started.
 */
export function useSandboxRuntime(
  prefix: string,
  options: {
    env?: () => Record<string, string>;
    /** How far ahead of the wall clock the sandbox starts (`npm start --advance`), read when it starts. */
    advanceOnStart?: () => string;
  } = {},
): SandboxRuntime {
  let dataDir: string;
  let runtime: LocalRuntime | undefined;
  let bot: RunningBot | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    runtime = await startLocalRuntime({
      env: { ...options.env?.(), DATA_DIR: dataDir, PORT: '0' },
      ...(options.advanceOnStart ? { advanceOnStart: options.advanceOnStart() } : {}),
      report: () => undefined,
    });
    bot = await findRunningBot(dataDir);
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });
  const started = () => {
    if (!runtime || !bot) throw new Error('the sandbox runtime is used outside its tests');
    return { runtime, bot };
  };
  const sandbox: SandboxRuntime = {
    get runtime() {
      return started().runtime;
    },
    get bot() {
      return started().bot;
    },
    get discord() {
      return started().runtime.standIn as DiscordStandIn;
    },
    async command(line, role = 'admin') {
      const { runtime, bot } = started();
      const info = sampleServerInfo();
      const payload = commandInteraction(line, {
        applicationId: runtime.applicationId,
        guildId: info.guild.id,
        channels: info.channels,
        members: info.members,
        user: info.user,
        role,
        channelId: SAMPLE_CHANNELS.general,
        // The interaction's id is a snowflake of the sandbox's time, as the CLI sends it.
        now: runtime.clock.now(),
      });
      const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
      return { payload, answer };
    },
    async settled(line, role = 'admin') {
      const { payload, answer } = await sandbox.command(line, role);
      return settle(started().bot, answer, payload.token);
    },
    async reply(line, role = 'admin') {
      const answer = await sandbox.settled(line, role);
      return String(answer.json?.data?.content ?? '');
    },
    async edited(token) {
      return (await waitForReplyEdit(started().bot, token)).body;
    },
  };
  return sandbox;
}
