import type { REST } from '@discordjs/rest';
import { afterEach, beforeEach } from 'vitest';
import { createDiscordRest, DiscordRestClient } from '../../../lib/discord/rest.ts';
import {
  type DiscordStandIn,
  type DiscordStandInOptions,
  type StandInUser,
  startDiscordStandIn,
} from '../../../lib/local/sandbox/discord-stand-in.ts';

export const GUILD_ID = '900000000000000001';
export const CHANNEL_ID = '900000000000000010';
export const alice: StandInUser = { id: '800000000000000001', username: 'alice', global_name: 'Alice A.' };
export const bob: StandInUser = { id: '800000000000000002', username: 'bob' };
export const helperBot: StandInUser = { id: '800000000000000003', username: 'helper', bot: true };

export interface Harness {
  standIn: DiscordStandIn;
  rest: REST;
  client: DiscordRestClient;
  close(): Promise<void>;
}

/** A stand-in with one guild and one text channel, and the real REST client pointed at it. */
export async function startHarness(options: DiscordStandInOptions = {}): Promise<Harness> {
  const standIn = await startDiscordStandIn(options);
  standIn.addGuild({ id: GUILD_ID, name: 'Test guild' });
  standIn.addChannel({ id: CHANNEL_ID, guildId: GUILD_ID, name: 'general' });
  const rest = createDiscordRest({ token: 'test-bot-token', api: standIn.apiUrl, timeoutMs: 5_000 });
  const client = new DiscordRestClient({ rest });
  return {
    standIn,
    rest,
    client,
    async close() {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
      await standIn.close();
    },
  };
}

/**
 * `startHarness` before each test of the enclosing `describe`, closed after it: the returned harness reads
 * through to the current test's one, so a test writes `h.standIn` as with its own.
 */
export function useRestHarness(options: DiscordStandInOptions = {}): Omit<Harness, 'close'> {
  let current: Harness | undefined;
  beforeEach(async () => {
    current = await startHarness(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const h = () => {
    if (!current) throw new Error('the REST harness is used outside a test');
    return current;
  };
  return {
    get standIn() {
      return h().standIn;
    },
    get rest() {
      return h().rest;
    },
    get client() {
      return h().client;
    },
  };
}

/** `count` messages one minute apart from `start`, alternating authors. */
export function seedMessages(standIn: DiscordStandIn, channelId: string, start: Date, count: number) {
  return Array.from({ length: count }, (_, i) =>
    standIn.addMessage({
      channelId,
      author: i % 2 === 0 ? alice : bob,
      content: `message ${i}`,
      timestamp: new Date(start.getTime() + i * 60_000),
    }),
  );
}
