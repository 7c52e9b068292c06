import { describe, expect, it } from 'vitest';
import {
  parseExclusions,
  parseMessageLink,
  windowFrom,
} from '../../../lib/discord/commands/summarize-options.ts';
import { ValidationError } from '../../../lib/errors.ts';
import { snowflakeFromTime } from '../../../lib/shared/snowflake.ts';

const GUILD = '290926798626357999';
const CHANNEL = '645027906669510667';
const now = new Date('2026-03-02T08:00:00Z');
const message = snowflakeFromTime(new Date('2026-03-01T08:00:00Z'));

describe('parseMessageLink', () => {
  it("reads Discord's Copy Message Link on every host it gives", () => {
    for (const host of ['discord.com', 'ptb.discord.com', 'canary.discord.com', 'discordapp.com']) {
      expect(
        parseMessageLink('from', `https://${host}/channels/${GUILD}/${CHANNEL}/${message}`, GUILD, now),
      ).toEqual({
        channelId: CHANNEL,
        messageId: message,
        sentAt: new Date('2026-03-01T08:00:00Z'),
      });
    }
    // Discord wraps a link in <> to stop its preview.
    expect(
      parseMessageLink('from', `<https://discord.com/channels/${GUILD}/${CHANNEL}/${message}>`, GUILD, now)
        .messageId,
    ).toBe(message);
  });

  it('refuses messages older than the lookback or from the future', () => {
    const old = snowflakeFromTime(new Date('2026-01-01T00:00:00Z'));
    expect(() =>
      parseMessageLink('from', `https://discord.com/channels/${GUILD}/${CHANNEL}/${old}`, GUILD, now),
    ).toThrow(/last 30 days/);
    const future = snowflakeFromTime(new Date('2026-03-03T00:00:00Z'));
    expect(() =>
      parseMessageLink('from', `https://discord.com/channels/${GUILD}/${CHANNEL}/${future}`, GUILD, now),
    ).toThrow(/already sent/);
    expect(() =>
      parseMessageLink('from', `https://evil.example/channels/${GUILD}/${CHANNEL}/${message}`, GUILD, now),
    ).toThrow(ValidationError);
  });
});

describe('parseExclusions', () => {
  it('reads channel and member mentions, each once', () => {
    expect(parseExclusions('exclude', `<#${CHANNEL}>, <@53908232506183680> <@!53908232506183680>`)).toEqual({
      channelIds: [CHANNEL],
      userIds: ['53908232506183680'],
    });
  });

  it('is bounded', () => {
    const many = Array.from({ length: 26 }, (_, i) => `<@${53908232506183000n + BigInt(i)}>`).join(' ');
    expect(() => parseExclusions('exclude', many)).toThrow(/at most 25/);
    expect(() => parseExclusions('exclude', '  ')).toThrow(/at least one/);
  });
});

describe('windowFrom', () => {
  it('is the last 24 hours by default and the whole lookback for messages: alone', () => {
    expect(windowFrom({}, undefined)).toEqual({ hours: 24 });
    expect(windowFrom({}, 50)).toEqual({ hours: 720 });
    expect(windowFrom({ minutes: 90 }, 50)).toEqual({ minutes: 90 });
  });
});
