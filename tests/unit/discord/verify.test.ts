import { describe, expect, it } from 'vitest';
import { verifyDiscordRequest } from '../../../lib/discord/verify.ts';
import { generateSigningKeys, signDiscordBody } from '../../support/signing.ts';

describe('verifyDiscordRequest', () => {
  const keys = generateSigningKeys();
  const body = '{"type":1}';
  const ts = '1700000000';
  const now = new Date(1_700_000_000_000);

  it('accepts a body signed with the application key over timestamp + raw bytes', async () => {
    expect(
      await verifyDiscordRequest(body, signDiscordBody(body, ts, keys), ts, keys.publicKeyHex, now),
    ).toBe(true);
    expect(
      await verifyDiscordRequest(
        Buffer.from(body),
        signDiscordBody(body, ts, keys),
        ts,
        keys.publicKeyHex,
        now,
      ),
    ).toBe(true);
  });

  it('rejects a tampered body, another timestamp, another key and malformed inputs', async () => {
    const signature = signDiscordBody(body, ts, keys);
    expect(await verifyDiscordRequest('{"type":2}', signature, ts, keys.publicKeyHex, now)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, '1700000001', keys.publicKeyHex, now)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, ts, generateSigningKeys().publicKeyHex, now)).toBe(
      false,
    );
    expect(await verifyDiscordRequest(body, 'zz', ts, keys.publicKeyHex, now)).toBe(false);
    expect(await verifyDiscordRequest(body, undefined, ts, keys.publicKeyHex, now)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, undefined, keys.publicKeyHex, now)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, ts, 'not-a-key', now)).toBe(false);
  });

  it('refuses a timestamp more than 5 minutes old or more than 1 minute ahead, however well signed', async () => {
    const at = (seconds: number) => String(1_700_000_000 + seconds);
    const check = (t: string) =>
      verifyDiscordRequest(body, signDiscordBody(body, t, keys), t, keys.publicKeyHex, now);
    expect(await check(at(-300))).toBe(true);
    expect(await check(at(-301))).toBe(false);
    expect(await check(at(60))).toBe(true);
    expect(await check(at(61))).toBe(false);
    expect(await check(at(-365 * 86_400))).toBe(false);
    expect(await check('1700000000.5')).toBe(false);
    expect(await check('')).toBe(false);
  });

  it('verifies the raw bytes, so a re-serialized body with the same meaning fails', async () => {
    const raw = '{ "type": 1 }';
    const signature = signDiscordBody(raw, ts, keys);
    expect(
      await verifyDiscordRequest(JSON.stringify(JSON.parse(raw)), signature, ts, keys.publicKeyHex, now),
    ).toBe(false);
  });
});
