import { describe, expect, it } from 'vitest';
import { verifyDiscordRequest } from '../../../lib/discord/verify.ts';
import { generateSigningKeys, signDiscordBody } from '../../support/signing.ts';

describe('verifyDiscordRequest', () => {
  const keys = generateSigningKeys();
  const body = '{"type":1}';
  const ts = '1700000000';

  it('accepts a body signed with the application key over timestamp + raw bytes', async () => {
    expect(await verifyDiscordRequest(body, signDiscordBody(body, ts, keys), ts, keys.publicKeyHex)).toBe(
      true,
    );
    expect(
      await verifyDiscordRequest(Buffer.from(body), signDiscordBody(body, ts, keys), ts, keys.publicKeyHex),
    ).toBe(true);
  });

  it('rejects a tampered body, another timestamp, another key and malformed inputs', async () => {
    const signature = signDiscordBody(body, ts, keys);
    expect(await verifyDiscordRequest('{"type":2}', signature, ts, keys.publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, '1700000001', keys.publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, ts, generateSigningKeys().publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, 'zz', ts, keys.publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, undefined, ts, keys.publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, undefined, keys.publicKeyHex)).toBe(false);
    expect(await verifyDiscordRequest(body, signature, ts, 'not-a-key')).toBe(false);
  });

  it('verifies the raw bytes, so a re-serialized body with the same meaning fails', async () => {
    const raw = '{ "type": 1 }';
    const signature = signDiscordBody(raw, ts, keys);
    expect(
      await verifyDiscordRequest(JSON.stringify(JSON.parse(raw)), signature, ts, keys.publicKeyHex),
    ).toBe(false);
  });
});
