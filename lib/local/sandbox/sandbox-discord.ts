import { join } from 'node:path';
import { commands } from '../../discord/commands/index.ts';
import type { Logger } from '../../observability/logger.ts';
import type { DiscordSide } from '../discord-side.ts';
import { lateBound } from '../late-bound.ts';
import type { ShutdownSteps } from '../shutdown-steps.ts';
import { startDiscordStandIn } from './discord-stand-in.ts';
import { addSampleServer, sampleConversationOnce } from './sample-server.ts';
import { SandboxClock } from './sandbox-clock.ts';
import { loadHistory, startHistorySaver } from './sandbox-history.ts';
import { loadSandboxIdentity, SANDBOX_BOT_TOKEN } from './sandbox-identity.ts';

/** How the sandbox starts: where it keeps its files, and how its clock is moved. */
export interface SandboxDiscordOptions {
  dataDir: string;
  /** Start this far ahead (`2d`), as if the machine had been off. */
  advanceOnStart?: string;
  /** How often real time reaches the timers (ms). */
  tickMs?: number;
  logger: Logger;
}

/**
 * The sandbox's Discord: its identity (kept in `sandbox.json`), the movable clock, the stand-in with the
 * bot's commands registered and the sample server seeded, its channel history restored and saved.
 */
export async function startSandboxDiscord(
  options: SandboxDiscordOptions,
  steps: ShutdownSteps,
): Promise<DiscordSide> {
  const { dataDir, logger } = options;
  const identity = await loadSandboxIdentity(dataDir, options.advanceOnStart);
  const clock = new SandboxClock({
    offsetMs: identity.clockOffsetMs,
    ...(options.tickMs ? { tickMs: options.tickMs } : {}),
    onError: (error) => logger.error('sandbox timer failed', { error }),
  });
  // The bot's first request of the stand-in places the sample conversation (sampleConversationOnce).
  const firstUse = lateBound<[], void>("the sample conversation's placement");
  const standIn = await startDiscordStandIn({
    now: () => clock.now(),
    onRequest: () => firstUse.call(),
    applicationId: identity.applicationId,
    botToken: SANDBOX_BOT_TOKEN,
    publicKey: identity.keys.publicKeyHex,
  });
  // The sandbox's application is set up as DEPLOY.md sets a real one up: its commands registered.
  standIn.setCommands(commands);
  steps.push(() => standIn.close());
  const historyPath = join(dataDir, 'sandbox-discord.json');
  const history = await loadHistory(historyPath);
  // The DMs the bot sent subscribers come back with their channels, before the messages are restored.
  for (const dm of history?.dms ?? []) standIn.restoreDirectMessageChannel(dm);
  const { restored } = addSampleServer(
    standIn,
    history ? { history: history.channels, threads: history.threads } : {},
  );
  // A restart puts the conversation back where its first use placed it, at once.
  const sample = sampleConversationOnce(standIn, clock, history?.seededAt);
  firstUse.bind(() => sample.place());
  if (history) sample.place();
  steps.push(async () => sample.cancel());
  // Registered after the stand-in's close, so it runs before it: the last messages are saved.
  const saver = startHistorySaver({
    path: historyPath,
    standIn,
    seededAt: () => sample.anchor,
    onError: (error) => logger.error('the sandbox channel history could not be saved', { error }),
  });
  steps.push(() => saver.stop());
  return {
    clock,
    applicationId: identity.applicationId,
    publicKey: identity.keys.publicKeyHex,
    botToken: SANDBOX_BOT_TOKEN,
    apiUrl: standIn.apiUrl,
    sandbox: {
      standIn,
      identity,
      keys: identity.keys,
      clock,
      restoredMessages: restored,
      placeSample: () => sample.place(),
    },
  };
}
