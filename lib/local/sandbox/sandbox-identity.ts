import { join } from 'node:path';
import { z } from 'zod';
import { snowflakeFromTime } from '../../shared/snowflake.ts';
import { parseDuration } from '../clock.ts';
import {
  exportPrivateKey,
  generateSigningKeys,
  importSigningKeys,
  type SigningKeys,
} from '../discord-signer.ts';
import { readStateFile, writeStateFile } from '../state-files.ts';

/** The sandbox's stand-in accepts only this bot token. */
export const SANDBOX_BOT_TOKEN = 'sandbox.bot.token.not-a-real-discord-token';

/** `<DATA_DIR>/sandbox.json`: the sandbox's application identity and clock, kept across restarts. */
export const SandboxFile = z.object({
  applicationId: z.string().regex(/^\d{17,20}$/),
  privateKey: z.string().includes('PRIVATE KEY'),
  clockOffsetMs: z.number().int().min(0).default(0),
});
export type SandboxFile = z.infer<typeof SandboxFile>;

/** Who the sandbox's application is: its id and the keys its Discord stand-in signs with. */
export interface SandboxIdentity {
  dataDir: string;
  applicationId: string;
  keys: SigningKeys;
  /** How far ahead of real time the sandbox clock starts. */
  clockOffsetMs: number;
}

const sandboxPath = (dataDir: string) => join(dataDir, 'sandbox.json');

/** Reads `<dataDir>/sandbox.json`, or undefined when there is none; a damaged file is a ConfigError. */
export async function readSandboxFile(dataDir: string): Promise<SandboxFile | undefined> {
  return readStateFile(
    sandboxPath(dataDir),
    SandboxFile,
    "delete it to start the sandbox over (a new application identity, the clock at today's time)",
  );
}

/**
 * The identity of the last start (a new one on the first), its clock moved on by `advanceOnStart`
 * (`2d`), written back at once so a crash restarts at the advanced time.
 */
export async function loadSandboxIdentity(
  dataDir: string,
  advanceOnStart?: string,
): Promise<SandboxIdentity> {
  const saved = await readSandboxFile(dataDir);
  const identity: SandboxIdentity = {
    dataDir,
    keys: saved ? importSigningKeys(saved.privateKey) : generateSigningKeys(),
    applicationId: saved?.applicationId ?? snowflakeFromTime(Date.now() - 86_400_000),
    clockOffsetMs: (saved?.clockOffsetMs ?? 0) + (advanceOnStart ? parseDuration(advanceOnStart) : 0),
  };
  await saveSandboxClockOffset(identity, identity.clockOffsetMs);
  return identity;
}

/** Records where the sandbox clock stands, beside the identity it belongs to. */
export async function saveSandboxClockOffset(
  identity: SandboxIdentity,
  clockOffsetMs: number,
): Promise<void> {
  await writeStateFile(sandboxPath(identity.dataDir), {
    applicationId: identity.applicationId,
    privateKey: exportPrivateKey(identity.keys),
    clockOffsetMs,
  } satisfies SandboxFile);
}
