/**
 * The sandbox's local runtime in-process for an e2e test file: started once before its tests on a fresh
 * data folder, with signed slash commands sent to it as the sample server's admin or a plain member.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { findRunningBot, type RunningBot, sendInteraction } from '../../lib/local/control-client.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import type { DiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { commandInteraction } from '../../lib/local/slash-command-line.ts';

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
}

/** Starts the sandbox before the file's tests and stops it (removing its data) after them. */
export function useSandboxRuntime(prefix: string): SandboxRuntime {
  let dataDir: string;
  let runtime: LocalRuntime | undefined;
  let bot: RunningBot | undefined;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), prefix));
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
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
  return {
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
      });
      const answer = await sendInteraction(bot, runtime.keys as NonNullable<LocalRuntime['keys']>, payload);
      return { payload, answer };
    },
  };
}
