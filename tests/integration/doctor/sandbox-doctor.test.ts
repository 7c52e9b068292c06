import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctor } from '../../../lib/doctor/doctor.ts';
import { type LocalRuntime, startLocalRuntime } from '../../../lib/local/runtime.ts';
import { sampleServerInfo } from '../../../lib/local/sandbox/sample-server.ts';

/**
 * `summary-bot doctor` against a running sandbox (`npm start` without credentials, started in-process):
 * its application is the stand-in's, its endpoint the real local server, which verifies signatures.
 */

let dataDir: string;
let runtime: LocalRuntime | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'doctor-sandbox-'));
});

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

describe('summary-bot doctor in the sandbox', () => {
  it('passes every check that applies, against the running sandbox', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, report: () => undefined });
    const channelId = sampleServerInfo().channels[0]?.id as string;
    const { exitCode, output } = await doctor({ env: { DATA_DIR: dataDir }, channelId });
    expect(output).not.toContain('✗');
    for (const text of [
      "Discord credentials (the sandbox's application) are filled and well-formed",
      `Application id ${runtime.applicationId} matches the bot token`,
      "Public key matches the application's",
      `Interactions Endpoint URL is ${runtime.url}/interactions`,
      `Interactions endpoint ${runtime.url}/interactions refuses an unsigned request (401)`,
      'Slash commands registered globally match the code',
      `The bot can view channel ${channelId} and read its history`,
      'Reconcile finds no drift',
    ])
      expect(output).toContain(`✓ ${text}`);
    expect(exitCode).toBe(0);
  });
});
