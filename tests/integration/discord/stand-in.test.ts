import { RESTJSONErrorCodes, Routes } from 'discord-api-types/v10';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { alice, bob, CHANNEL_ID, GUILD_ID, seedMessages } from './fixtures.ts';

const START = new Date('2026-03-01T00:00:00.000Z');
const AUTH = { Authorization: 'Bot test-token' };

describe('Discord stand-in (raw HTTP)', () => {
  let standIn: DiscordStandIn;
  const call = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${standIn.apiUrl}/v10${path}`, {
      ...init,
      headers: { ...AUTH, 'Content-Type': 'application/json', ...init.headers },
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    };
  };
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body: JSON.stringify(body) });

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    standIn.addGuild({ id: GUILD_ID, name: 'Test guild' });
    standIn.addChannel({ id: CHANNEL_ID, guildId: GUILD_ID, name: 'general' });
  });
  afterEach(async () => {
    await standIn.close();
  });

  it('listens on loopback under /api, for @discordjs/rest to append /v10', () => {
    expect(standIn.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
  });

  it('answers unknown routes with Discord 404 JSON', async () => {
    expect(await call('/nothing/here')).toMatchObject({
      status: 404,
      body: { message: '404: Not Found', code: 0 },
    });
  });

  it('requires a Bot authorization on bot routes but not on webhook routes', async () => {
    const res = await fetch(`${standIn.apiUrl}/v10${Routes.channel(CHANNEL_ID)}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const webhook = await fetch(
      `${standIn.apiUrl}/v10${Routes.webhook(standIn.applicationId, 'tok')}?wait=true`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: 'hi' }),
      },
    );
    expect(webhook.status).toBe(200);
  });

  it('returns a channel and finds channels by name', async () => {
    expect(await call(Routes.channel(CHANNEL_ID))).toMatchObject({
      status: 200,
      body: { id: CHANNEL_ID, guild_id: GUILD_ID, name: 'general', type: 0 },
    });
    expect(standIn.findChannelByName(GUILD_ID, 'general')?.id).toBe(CHANNEL_ID);
    expect(standIn.findChannelByName(GUILD_ID, 'nope')).toBeUndefined();
  });

  it('pages messages newest first: default 50, before, after and around', async () => {
    const ids = seedMessages(standIn, CHANNEL_ID, START, 120).map((m) => m.id);
    const idsOf = (body: unknown) => (body as { id: string }[]).map((m) => m.id);
    const path = Routes.channelMessages(CHANNEL_ID);

    expect(idsOf((await call(path)).body)).toEqual(ids.slice(70).reverse());
    expect(idsOf((await call(`${path}?limit=3&before=${ids[10]}`)).body)).toEqual([ids[9], ids[8], ids[7]]);
    // `after` yields the messages immediately after the cursor, still newest first.
    expect(idsOf((await call(`${path}?limit=3&after=${ids[10]}`)).body)).toEqual([ids[13], ids[12], ids[11]]);
    expect(idsOf((await call(`${path}?limit=4&around=${ids[50]}`)).body)).toEqual([
      ids[51],
      ids[50],
      ids[49],
      ids[48],
    ]);
  });

  it('rejects more than one of before/after/around and a limit outside 1-100 with 50035', async () => {
    const path = Routes.channelMessages(CHANNEL_ID);
    for (const query of ['before=1&after=2', 'limit=0', 'limit=101', 'after=abc']) {
      expect(await call(`${path}?${query}`)).toMatchObject({
        status: 400,
        body: { code: RESTJSONErrorCodes.InvalidFormBodyOrContentType, message: 'Invalid Form Body' },
      });
    }
  });

  it('answers 403 Missing Access for a forbidden channel and 404 Unknown Channel for a missing one', async () => {
    standIn.forbid(CHANNEL_ID);
    expect(await call(Routes.channelMessages(CHANNEL_ID))).toMatchObject({
      status: 403,
      body: { code: RESTJSONErrorCodes.MissingAccess, message: 'Missing Access' },
    });
    expect(await call(Routes.channelMessages('42'))).toMatchObject({
      status: 404,
      body: { code: RESTJSONErrorCodes.UnknownChannel },
    });
  });

  it('validates posted messages like Discord, with the errors tree', async () => {
    const path = Routes.channelMessages(CHANNEL_ID);
    expect(await post(path, { embeds: [{ title: 't'.repeat(257) }] })).toEqual({
      status: 400,
      headers: expect.anything(),
      body: {
        code: RESTJSONErrorCodes.InvalidFormBodyOrContentType,
        message: 'Invalid Form Body',
        errors: {
          embeds: {
            0: {
              title: {
                _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }],
              },
            },
          },
        },
      },
    });
    expect(await post(path, {})).toMatchObject({
      status: 400,
      body: { code: RESTJSONErrorCodes.CannotSendAnEmptyMessage },
    });
    expect(
      await post(path, { content: 'hi', allowed_mentions: { parse: ['users'], users: [alice.id] } }),
    ).toMatchObject({ status: 400, body: { errors: { allowed_mentions: expect.anything() } } });
  });

  it('sends rate-limit headers on every response', async () => {
    const { headers } = await call(Routes.channel(CHANNEL_ID));
    for (const name of ['Limit', 'Remaining', 'Reset', 'Reset-After', 'Bucket']) {
      expect(headers.get(`X-RateLimit-${name}`)).toBeTruthy();
    }
  });

  it('injects 429s with Discord body and headers, then serves normally', async () => {
    const path = Routes.channelMessages(CHANNEL_ID);
    standIn.failNext(path, [
      { status: 429, retryAfter: 1.5 },
      { status: 429, retryAfter: 2, global: true },
    ]);

    const user = await call(path);
    const global = await call(path);
    const normal = await call(path);

    expect(user.body).toEqual({ message: 'You are being rate limited.', retry_after: 1.5, global: false });
    expect(user.headers.get('Retry-After')).toBe('1.5');
    expect(user.headers.get('X-RateLimit-Scope')).toBe('user');
    expect(user.headers.get('X-RateLimit-Remaining')).toBe('0');
    expect(global.body).toMatchObject({ retry_after: 2, global: true });
    expect(global.headers.get('X-RateLimit-Global')).toBe('true');
    expect(global.headers.get('X-RateLimit-Scope')).toBe('global');
    expect(normal.status).toBe(200);
    expect(standIn.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  it('enforces its bucket limit with a 429 once the window is used up', async () => {
    await standIn.close();
    standIn = await startDiscordStandIn({ rateLimit: { limit: 2, windowMs: 60_000 } });
    standIn.addChannel({ id: CHANNEL_ID, guildId: GUILD_ID, name: 'general' });
    const path = Routes.channel(CHANNEL_ID);

    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(path)).status);

    expect(statuses).toEqual([200, 200, 429]);
  });

  it('blanks other people’s messages without the Message Content Intent, as Discord does', async () => {
    standIn.addMessage({
      channelId: CHANNEL_ID,
      author: alice,
      content: 'secret',
      attachments: [{ filename: 'a.png' }],
      timestamp: START,
    });
    standIn.addMessage({
      channelId: CHANNEL_ID,
      author: bob,
      content: `<@${standIn.botUser.id}> ping`,
      mentions: [standIn.botUser],
      timestamp: new Date(START.getTime() + 1000),
    });
    await post(Routes.channelMessages(CHANNEL_ID), { content: 'from the bot' });
    standIn.setMessageContentIntent(false);

    const { body } = await call(Routes.channelMessages(CHANNEL_ID));

    expect(
      (body as { content: string; attachments: unknown[] }[]).map((m) => [m.content, m.attachments]),
    ).toEqual([
      ['from the bot', []],
      [`<@${standIn.botUser.id}> ping`, []],
      ['', []],
    ]);
    expect(standIn.messages(CHANNEL_ID)[0]!.content).toBe('secret');
  });

  it('lists active threads of a guild and archived public threads of a channel, newest archived first', async () => {
    standIn.addChannel({ id: '11', guildId: GUILD_ID, name: 'active', parentId: CHANNEL_ID });
    for (const [id, day] of [
      ['12', '01'],
      ['13', '03'],
      ['14', '02'],
    ] as const) {
      standIn.addChannel({
        id,
        guildId: GUILD_ID,
        name: `archived ${day}`,
        parentId: CHANNEL_ID,
        threadMetadata: { archived: true, archive_timestamp: `2026-03-${day}T00:00:00.000Z` },
      });
    }

    const active = await call(Routes.guildActiveThreads(GUILD_ID));
    const firstPage = await call(`${Routes.channelThreads(CHANNEL_ID, 'public')}?limit=2`);
    const secondPage = await call(
      `${Routes.channelThreads(CHANNEL_ID, 'public')}?limit=2&before=2026-03-02T00:00:00.000Z`,
    );

    expect((active.body as { threads: { id: string }[] }).threads.map((t) => t.id)).toEqual(['11']);
    expect(firstPage.body).toMatchObject({ threads: [{ id: '13' }, { id: '14' }], has_more: true });
    expect(secondPage.body).toMatchObject({ threads: [{ id: '12' }], has_more: false });
  });
});
