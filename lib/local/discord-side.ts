import type { LocalConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import { SystemTimerClock, type TimerClock } from './clock.ts';
import type { SigningKeys } from './discord-signer.ts';
import type { DiscordStandIn } from './sandbox/discord-stand-in.ts';
import type { SandboxClock } from './sandbox/sandbox-clock.ts';
import type { SandboxIdentity } from './sandbox/sandbox-identity.ts';

/** Who the bot is and which Discord it talks to: the real one, or the sandbox's stand-in. */
export interface DiscordSide {
  clock: TimerClock;
  applicationId: string;
  publicKey: string;
  botToken: string;
  /** Discord's REST base (`…/api`). */
  apiUrl: string;
  /** Only in the sandbox. */
  sandbox?: SandboxParts;
}

/** The sandbox's own parts: its Discord stand-in and identity, its movable clock, what it restored. */
export interface SandboxParts {
  standIn: DiscordStandIn;
  identity: SandboxIdentity;
  keys: SigningKeys;
  clock: SandboxClock;
  /** Messages of channel history restored from the last run. */
  restoredMessages: number;
  /** Places the sample conversation if it is not yet (first use: see sampleConversationOnce). */
  placeSample(): void;
}

/** The real bot's credentials. */
export interface DiscordCredentials {
  applicationId: string;
  publicKey: string;
  botToken: string;
}

/**
 * The three Discord variables, all set (the real bot) or none (undefined: the sandbox); some of them
 * only is a ConfigError naming the missing ones.
 */
export function credentialsOf(config: LocalConfig): DiscordCredentials | undefined {
  const present = {
    DISCORD_APPLICATION_ID: config.DISCORD_APPLICATION_ID,
    DISCORD_PUBLIC_KEY: config.DISCORD_PUBLIC_KEY,
    DISCORD_BOT_TOKEN: config.DISCORD_BOT_TOKEN,
  };
  const missing = Object.entries(present)
    .filter(([, v]) => !v)
    .map(([k]) => k);
  if (missing.length === 3) return undefined;
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} missing; set all three Discord variables for the real bot, or none for the sandbox`,
    );
  }
  return {
    applicationId: config.DISCORD_APPLICATION_ID as string,
    publicKey: config.DISCORD_PUBLIC_KEY as string,
    botToken: config.DISCORD_BOT_TOKEN as string,
  };
}

/** The real Discord: the configured credentials and API, on the wall clock. */
export function realDiscord(
  credentials: DiscordCredentials,
  config: LocalConfig,
  logger: Logger,
): DiscordSide {
  return {
    clock: new SystemTimerClock({ onError: (error) => logger.error('timer callback failed', { error }) }),
    ...credentials,
    apiUrl: config.DISCORD_API_URL,
  };
}
