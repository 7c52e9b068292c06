import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerCommands } from '../../../lib/discord/register.ts';
import { doctor } from '../../../lib/doctor/doctor.ts';
import { openCliContext } from '../../../lib/local/cli-context.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';

/**
 * `summary-bot doctor` without --stage: the local runtime's credentials from the environment, Discord as
 * the stand-in, the public URL given with --url (a loopback server standing for the tunnel), and the
 * task data in a fresh DATA_DIR (the embedded DynamoDB the CLI starts itself).
 */

const APP_ID = '1100000000000000042';
const PUBLIC_KEY = 'ab'.repeat(32);
const TOKEN = 'the.bot.token.of-the-doctor-test';
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';

let standIn: DiscordStandIn;
let endpoint: Server;
let url: string;
let dataDir: string;
let env: NodeJS.ProcessEnv;

function lineOf(output: string, mark: string, text: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${mark} `) && l.includes(text));
  if (!line) throw new Error(`no line "${mark} …${text}…" in:\n${output}`);
  return line;
}

beforeAll(async () => {
  endpoint = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(401).end('Bad request signature.'));
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/interactions`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
});

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'doctor-local-'));
  standIn = await startDiscordStandIn({
    applicationId: APP_ID,
    botToken: TOKEN,
    publicKey: PUBLIC_KEY,
    interactionsEndpointUrl: url,
  });
  standIn.addGuild({ id: GUILD, name: 'Test server' });
  standIn.addChannel({ id: CHANNEL, guildId: GUILD, name: 'general' });
  await registerCommands({
    rest: new REST({ version: '10', api: standIn.apiUrl }).setToken(TOKEN),
    applicationId: APP_ID,
  });
  env = {
    DATA_DIR: dataDir,
    DISCORD_APPLICATION_ID: APP_ID,
    DISCORD_PUBLIC_KEY: PUBLIC_KEY,
    DISCORD_BOT_TOKEN: TOKEN,
    DISCORD_API_URL: standIn.apiUrl,
  };
});

afterEach(async () => {
  await standIn.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('summary-bot doctor (local runtime)', () => {
  it('passes with the credentials of .env and the tunnel URL, skipping what only AWS has', async () => {
    const { exitCode, output } = await doctor({ env, url, channelId: CHANNEL });
    expect(output).not.toContain('✗');
    lineOf(
      output,
      '✓',
      'Discord credentials (DISCORD_* in the environment or .env) are filled and well-formed',
    );
    lineOf(output, '✓', `Interactions Endpoint URL is ${url}`);
    lineOf(output, '✓', 'refuses an unsigned request (401)');
    lineOf(output, '✓', 'Reconcile finds no drift');
    lineOf(output, '–', 'Schedule group: the local runtime schedules in-process');
    lineOf(output, '–', 'Dead-letter queue: the local runtime records dead letters on their tasks');
    lineOf(output, '–', 'Bedrock model: not used (summarizer extractive)');
    lineOf(output, '–', 'Amazon SES: the local runtime writes e-mails as .eml files');
    expect(exitCode).toBe(0);
  });

  it('reports drift between the local tasks and schedules, and how to repair it', async () => {
    const context = await openCliContext(env);
    try {
      const task = await context.scheduler.createTask({
        kind: 'summary',
        guildId: GUILD,
        name: 'Daily digest',
        channelIds: [CHANNEL],
        schedule: { type: 'daily', time: '09:00' },
        timeZone: 'Europe/Berlin',
        destinations: [{ type: 'discord_channel', channelId: CHANNEL, format: 'embed' }],
        createdBy: '1400000000000000001',
      });
      // Paused in the table behind the scheduler's back: its schedule is still enabled.
      await context.store.updateTask({ ...task, state: 'paused' }, task.version);
    } finally {
      await context.close();
    }
    const { exitCode, output } = await doctor({ env, url });
    expect(lineOf(output, '✗', 'Reconcile would repair: 1 schedule in the wrong state')).toContain(
      'run npx summary-bot reconcile',
    );
    expect(exitCode).toBe(1);
  });

  it('says to start the bot when nothing runs and no URL is given, and cannot compare the portal URL', async () => {
    const { exitCode, output } = await doctor({ env });
    lineOf(
      output,
      '✗',
      'Interactions endpoint: nothing to probe — start the bot with npm start (or pass --url)',
    );
    lineOf(
      output,
      '–',
      `Interactions Endpoint URL is ${url}; pass --url https://<tunnel>/interactions to compare it`,
    );
    expect(exitCode).toBe(1);
  });

  it('says where to put the credentials when none are set', async () => {
    const { output } = await doctor({ env: { DATA_DIR: dataDir }, url });
    expect(
      lineOf(output, '✗', 'Discord credentials (DISCORD_* in the environment or .env) are not filled in'),
    ).toContain('or start the sandbox with npm start');
  });
});
