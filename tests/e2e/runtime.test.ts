import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { run as runClock } from '../../bin/commands/clock.ts';
import { run as runDiscord } from '../../bin/commands/discord.ts';
import { ConfigError, ValidationError } from '../../lib/errors.ts';
import { openCliContext } from '../../lib/local/cli-context.ts';
import {
  advanceClock,
  ControlError,
  callControl,
  findRunningBot,
  sendInteraction,
} from '../../lib/local/control-client.ts';
import { generateSigningKeys } from '../../lib/local/discord-signer.ts';
import { type LocalRuntime, startLocalRuntime } from '../../lib/local/runtime.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { CONTROL_TOKEN_HEADER } from '../../lib/local/server.ts';
import { commandInteraction, type InteractionSetting } from '../../lib/local/slash-command-line.ts';
import { sendSettled } from '../support/settled-reply.ts';

let dataDir: string;
let runtime: LocalRuntime | undefined;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-runtime-'));
});

afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

const silent = { report: () => undefined };

function sandboxSetting(rt: LocalRuntime, role: 'admin' | 'member' = 'admin'): InteractionSetting {
  const info = sampleServerInfo();
  return {
    applicationId: rt.applicationId,
    guildId: info.guild.id,
    channels: info.channels,
    user: info.user,
    role,
    channelId: info.channels[0]?.id as string,
  };
}

describe('startLocalRuntime in the sandbox', () => {
  it('writes runtime.json for the CLI (the store endpoint cli-context reads) and removes it on stop', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    const file = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8'));
    expect(file).toMatchObject({ pid: process.pid, port: runtime.port, sandbox: true });
    expect(file.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const ctx = await openCliContext({ DATA_DIR: dataDir });
    expect(ctx.where).toMatch(/running bot/);
    await ctx.close();

    await runtime.stop();
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  });

  it('answers a signed PING and refuses a request with a bad signature', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    const bot = await findRunningBot(dataDir);
    const keys = runtime.keys as NonNullable<LocalRuntime['keys']>;
    const pong = await sendInteraction(bot, keys, {
      type: InteractionType.Ping,
      id: '1',
      application_id: '1',
    });
    expect(pong.json).toEqual({ type: InteractionResponseType.Pong });

    const forged = await sendInteraction(bot, generateSigningKeys(), { type: InteractionType.Ping });
    expect(forged.status).toBe(401);
  });

  it('keeps its application identity and clock across restarts', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    const first = { id: runtime.applicationId, key: runtime.publicKey };
    const bot = await findRunningBot(dataDir);
    await advanceClock(bot, '3d');
    await runtime.stop();

    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    expect({ id: runtime.applicationId, key: runtime.publicKey }).toEqual(first);
    expect(runtime.clock.now().getTime() - Date.now()).toBeGreaterThanOrEqual(3 * 86_400_000 - 1_000);
  });

  it('serves the control routes only with the token from runtime.json', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    const noToken = await fetch(`${runtime.url}/_local/info`);
    expect(noToken.status).toBe(403);
    const wrongToken = await fetch(`${runtime.url}/_local/info`, {
      headers: { [CONTROL_TOKEN_HEADER]: 'x'.repeat(32) },
    });
    expect(wrongToken.status).toBe(403);
    const bot = await findRunningBot(dataDir);
    await expect(callControl(bot, 'POST', 'clock/advance', { by: 'soon' })).rejects.toThrow(/duration/);
  });

  it('creates a task from a slash command line and fires it when the clock moves', async () => {
    runtime = await startLocalRuntime({ env: { DATA_DIR: dataDir, PORT: '0' }, ...silent });
    const bot = await findRunningBot(dataDir);
    const keys = runtime.keys as NonNullable<LocalRuntime['keys']>;
    const answer = await sendSettled(
      bot,
      keys,
      commandInteraction(
        '/schedule create every value:1 unit:hours channel:#general post_to:#digest',
        sandboxSetting(runtime),
      ),
    );
    expect(answer.json.data.content).toMatch(/^Created/);
    const result = await advanceClock(bot, '3h');
    expect(result.fired).toBe(3);
    expect(
      runtime.standIn?.postedMessages(sampleServerInfo().channels[3]?.id as string).length,
    ).toBeGreaterThan(0);
  });
});

describe('startLocalRuntime with Discord credentials (the real bot)', () => {
  let discord: DiscordStandIn;
  const keys = generateSigningKeys();

  beforeEach(async () => {
    // The real composition, pointed at a stand-in so nothing leaves the machine.
    discord = await startDiscordStandIn({ applicationId: '1290000000000000001' });
  });
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    await discord.close();
  });

  const env = () => ({
    DATA_DIR: dataDir,
    PORT: '0',
    DISCORD_APPLICATION_ID: '1290000000000000001',
    DISCORD_PUBLIC_KEY: keys.publicKeyHex,
    DISCORD_BOT_TOKEN: 'a-real-looking-bot-token-0123456789',
    DISCORD_API_URL: discord.apiUrl,
  });

  it('has no clock control and no stand-in, and the CLI refuses to sign or move time', async () => {
    runtime = await startLocalRuntime({ env: env(), ...silent });
    expect(runtime.sandbox).toBe(false);
    expect(runtime.standIn).toBeUndefined();
    const bot = await findRunningBot(dataDir);
    await expect(callControl(bot, 'POST', 'clock/advance', { by: '1d' })).rejects.toBeInstanceOf(
      ControlError,
    );

    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv('DATA_DIR', dataDir);
    try {
      expect(await runDiscord(['/summarize'])).toBe(1);
      expect(await runClock(['advance', '1d'])).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/only Discord can sign/);
    } finally {
      vi.unstubAllEnvs();
      stderr.mockRestore();
    }
  });

  it('accepts interactions signed with the application key', async () => {
    runtime = await startLocalRuntime({ env: env(), ...silent });
    const bot = await findRunningBot(dataDir);
    const pong = await sendInteraction(bot, keys, {
      type: InteractionType.Ping,
      id: '1',
      application_id: '1',
    });
    expect(pong.json).toEqual({ type: InteractionResponseType.Pong });
  });

  it('refuses to start with only some of the Discord variables, naming the missing ones', async () => {
    const { DISCORD_BOT_TOKEN: _omitted, ...partial } = env();
    await expect(startLocalRuntime({ env: partial, ...silent })).rejects.toThrow(ConfigError);
    await expect(startLocalRuntime({ env: partial, ...silent })).rejects.toThrow(/DISCORD_BOT_TOKEN/);
  });

  it('never moves the clock of the real bot on start', async () => {
    await expect(startLocalRuntime({ env: env(), advanceOnStart: '1d', ...silent })).rejects.toThrow(
      /sandbox/,
    );
  });
});

describe('slash command lines', () => {
  const setting: InteractionSetting = {
    applicationId: '1190000000000000999',
    guildId: sampleServerInfo().guild.id,
    channels: sampleServerInfo().channels,
    user: sampleServerInfo().user,
    role: 'member',
    channelId: sampleServerInfo().channels[0]?.id as string,
  };

  it('nests subcommands, types values and resolves channels with the member permissions', () => {
    const payload = commandInteraction(
      '/schedule create cron name:"Weekday digest" expression:0 9 ? * MON-FRI * post_to:#digest channel2:#dev channel3:#random',
      setting,
    );
    const [group] = payload.data.options;
    const [sub] = group?.options ?? [];
    expect(group?.name).toBe('create');
    expect(sub?.name).toBe('cron');
    const values = Object.fromEntries((sub?.options ?? []).map((o) => [o.name, o.value]));
    expect(values).toEqual({
      name: 'Weekday digest',
      expression: '0 9 ? * MON-FRI *',
      post_to: '1190000000000000104',
      channel2: '1190000000000000102',
      channel3: '1190000000000000103',
    });
    expect(payload.data.resolved?.channels?.['1190000000000000104']).toMatchObject({ name: 'digest' });
    expect(payload.member.permissions).toBe(payload.channel.permissions);
  });

  it('names the option or word that does not fit the command definitions', () => {
    expect(() => commandInteraction('/schedule create daily', setting)).toThrow(/time: expected a value/);
    expect(() => commandInteraction('/summarize hours:soon', setting)).toThrow(
      /hours: expected a whole number/,
    );
    expect(() => commandInteraction('/summarize channel:#nowhere', setting)).toThrow(ValidationError);
    expect(() => commandInteraction('/schedule fly', setting)).toThrow(/fly: expected one of create/);
    expect(() => commandInteraction('/summarize length:huge', setting)).toThrow(
      /brief, detailed, comprehensive/,
    );
  });
});
