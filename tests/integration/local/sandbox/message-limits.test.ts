import { describe, expect, it } from 'vitest';
import {
  discordLength,
  findMessageViolations,
  MESSAGE_LIMITS,
  toDiscordErrorTree,
  validateMessageBody,
} from '../../../../lib/local/sandbox/message-limits.ts';

const s = (n: number, ch = 'x') => ch.repeat(n);

describe('validateMessageBody', () => {
  it('accepts content and every embed field exactly at the limit', () => {
    expect(
      validateMessageBody({
        content: s(2000),
        embeds: [
          {
            title: s(256),
            description: s(4096),
            footer: { text: s(100) },
            author: { name: s(256) },
            fields: [{ name: s(256), value: s(1024) }],
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names each field that is one over its limit', () => {
    const errors = validateMessageBody({
      content: s(2001),
      embeds: [
        {
          title: s(257),
          footer: { text: s(2049) },
          author: { name: s(257) },
          fields: [{ name: s(257), value: s(1025) }],
        },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'content: Must be 2000 or fewer in length.',
        'embeds[0].title: Must be 256 or fewer in length.',
        'embeds[0].footer.text: Must be 2048 or fewer in length.',
        'embeds[0].author.name: Must be 256 or fewer in length.',
        'embeds[0].fields[0].name: Must be 256 or fewer in length.',
        'embeds[0].fields[0].value: Must be 1024 or fewer in length.',
      ]),
    );
  });

  it('limits a description to 4096, embeds to 10 and fields to 25', () => {
    expect(validateMessageBody({ embeds: [{ description: s(4097) }] })).toEqual([
      'embeds[0].description: Must be 4096 or fewer in length.',
    ]);
    expect(validateMessageBody({ embeds: Array.from({ length: 11 }, () => ({ title: 't' })) })).toEqual([
      'embeds: Must be 10 or fewer in length.',
    ]);
    const fields = Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' }));
    expect(validateMessageBody({ embeds: [{ fields }] })).toEqual([
      'embeds[0].fields: Must be 25 or fewer in length.',
    ]);
  });

  it('limits the sum over all embeds to 6000 characters', () => {
    const embed = (n: number) => ({ description: s(n) });
    expect(validateMessageBody({ embeds: [embed(3000), embed(3000)] })).toEqual([]);
    expect(validateMessageBody({ embeds: [embed(3000), embed(3001)] })).toEqual([
      'embeds: Embed size exceeds maximum size of 6000',
    ]);
  });

  it('measures trimmed lengths in characters, not UTF-16 units', () => {
    expect(discordLength(`  ${s(5)}\n`)).toBe(5);
    expect(discordLength('👍👍')).toBe(2);
    expect(validateMessageBody({ content: `   ${s(2000)}   ` })).toEqual([]);
    expect(validateMessageBody({ content: s(2000, '👍') })).toEqual([]);
  });

  it('rejects an empty message, including whitespace-only content and empty embeds', () => {
    for (const body of [{}, { content: '' }, { content: '  \n ' }, { embeds: [] }]) {
      expect(validateMessageBody(body)).toEqual(['Cannot send an empty message']);
    }
    expect(validateMessageBody({ content: '' }, { requireContent: false })).toEqual([]);
  });

  it('treats parse and an explicit id list of the same kind as mutually exclusive', () => {
    expect(
      validateMessageBody({ content: 'a', allowed_mentions: { parse: ['users'], users: ['1'] } }),
    ).toEqual(['allowed_mentions: parse:["users"] and users: [ids] are mutually exclusive.']);
    expect(
      validateMessageBody({ content: 'a', allowed_mentions: { parse: ['users', 'roles'], users: [] } }),
    ).toEqual([]);
    expect(validateMessageBody({ content: 'a', allowed_mentions: { parse: [] } })).toEqual([]);
    const ids = Array.from({ length: 101 }, (_, i) => String(i));
    expect(validateMessageBody({ content: 'a', allowed_mentions: { users: ids } })).toEqual([
      'allowed_mentions.users: Must be 100 or fewer in length.',
    ]);
  });

  it('limits a nonce to 25 characters', () => {
    expect(validateMessageBody({ content: 'a', nonce: s(25) })).toEqual([]);
    expect(validateMessageBody({ content: 'a', nonce: s(26) })).toEqual([
      'nonce: Must be 25 or fewer in length.',
    ]);
  });

  it('reports wrong types instead of throwing', () => {
    expect(validateMessageBody({ content: 5 })).toHaveLength(1);
    expect(validateMessageBody('not an object')).toHaveLength(1);
  });

  it('builds Discord’s nested errors tree', () => {
    const tree = toDiscordErrorTree(findMessageViolations({ content: 'a', embeds: [{}, { title: s(300) }] }));
    expect(tree).toEqual({
      embeds: {
        1: {
          title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] },
        },
      },
    });
    expect(MESSAGE_LIMITS.content).toBe(2000);
  });
});
