/**
 * The sandbox's local runtime in-process for a test file: started once before its tests on a fresh data
 * folder, with signed slash commands sent to it as the sample server's admin or a plain member; or started
 * by each test itself (useSandboxPerTest).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
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

/** A signed slash command as sent, and the bot's answer. */
export interface SentCommand {
  payload: ReturnType<typeof commandInteraction>;
  answer: InteractionAnswer;
}

/** Sends `line` from the sample server's #general as `role`, signed with the sandbox's key as Discord does. */
async function signedCommand(
  runtime: LocalRuntime,
  bot: RunningBot,
  line: string,
  role: 'admin' | 'member',
): Promise<SentCommand> {
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
}

/** Handles on the running sandbox; valid inside the file's tests. */
export interface SandboxRuntime {
  readonly runtime: LocalRuntime;
  readonly bot: RunningBot;
  readonly discord: DiscordStandIn;
  /** Sends a slash command line from #general, signed, and returns the payload and the bot's answer. */
  command(line: string, role?: 'admin' | 'member'): Promise<SentCommand>;
  /**
   * Sends a command and returns the answer as the member reads it: a reply deferred on a loaded machine
   * (the local runtime defers after 1.5 s) is replaced by the bot's edit of it (see settled-reply.ts).
   */
  settled(line: string, role?: 'admin' | 'member'): Promise<InteractionAnswer & { deferred: boolean }>;
  /** The text of the reply the member reads (`settled`'s content; '' for a reply without one). */
  reply(line: string, role?: 'admin' | 'member'): Promise<string>;
  /**
   * The body of the bot's edit of the deferred reply of interaction `token` (a /summarize's digest), polled
   * every 100 ms until `deadlineMs` (default 60 s: a bound on a stuck bot, not a speed); throws
   * ReplyEditTimeoutError when none came by then.
   */
  edited(token: string, options?: { deadlineMs?: number }): Promise<unknown>;
  /** Stops the runtime and starts it again on the same data folder, as `npm start` after Ctrl-C. */
  restart(): Promise<void>;
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
  const start = async (advanceOnStart?: string) => {
    runtime = await startLocalRuntime({
      env: { ...options.env?.(), DATA_DIR: dataDir, PORT: '0' },
      ...(advanceOnStart ? { advanceOnStart } : {}),
      report: () => undefined,
    });
    bot = await findRunningBot(dataDir);
  };
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    await start(options.advanceOnStart?.());
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
      return signedCommand(runtime, bot, line, role);
    },
    async settled(line, role = 'admin') {
      const { payload, answer } = await sandbox.command(line, role);
      return settle(started().bot, answer, payload.token);
    },
    async reply(line, role = 'admin') {
      const answer = await sandbox.settled(line, role);
      return String(answer.json?.data?.content ?? '');
    },
    async edited(token, options = {}) {
      return (await waitForReplyEdit(started().bot, token, options)).body;
    },
    async restart() {
      await started().runtime.stop();
      runtime = undefined;
      bot = undefined;
      await start();
    },
  };
  return sandbox;
}

/** A sandbox each test starts itself: see useSandboxPerTest. */
export interface SandboxPerTest {
  /**
   * Starts the sandbox on the test's data folder (made at the test's first start, kept across a restart),
   * with `env` added to its environment and its output lines handed to `report`. A restart stops the
   * running one first (its store is locked while it runs).
   */
  start(options?: {
    env?: Record<string, string>;
    report?: (line: string) => void;
    prepareStandIn?: (standIn: DiscordStandIn) => void;
  }): Promise<LocalRuntime>;
  /** The sandbox the test started last. */
  readonly runtime: LocalRuntime;
  /** The sandbox the test started last, as the CLI finds it. */
  readonly bot: RunningBot;
  /** Sends a slash command line from #general to it, signed, as SandboxRuntime's `command`. */
  command(line: string, role?: 'admin' | 'member'): Promise<SentCommand>;
}

/**
 * For tests that start the sandbox themselves (with a stand-in the test made, reading its output, or
 * restarting it): after each test the sandbox started last is stopped and the test's data folder removed.
 */
export function useSandboxPerTest(prefix: string): SandboxPerTest {
  let dataDir: string | undefined;
  let started: { runtime: LocalRuntime; bot: RunningBot } | undefined;
  afterEach(async () => {
    await started?.runtime.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    started = undefined;
    dataDir = undefined;
  });
  const current = () => {
    if (!started) throw new Error('the sandbox is used before this test started it');
    return started;
  };
  return {
    async start({ env = {}, report = () => undefined, prepareStandIn } = {}) {
      dataDir ??= await mkdtemp(join(tmpdir(), prefix));
      const runtime = await startLocalRuntime({
        env: { ...env, DATA_DIR: dataDir, PORT: '0' },
        report,
        ...(prepareStandIn ? { prepareStandIn } : {}),
      });
      try {
        started = { runtime, bot: await findRunningBot(dataDir) };
      } catch (error) {
        await runtime.stop();
        throw error;
      }
      return runtime;
    },
    get runtime() {
      return current().runtime;
    },
    get bot() {
      return current().bot;
    },
    command(line, role = 'admin') {
      const { runtime, bot } = current();
      return signedCommand(runtime, bot, line, role);
    },
  };
}
