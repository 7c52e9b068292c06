import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeMarkdownText, isDiscordMessageLink } from '../../../lib/shared/markdown.ts';

/**
 * Reads Markdown as Discord does for the parts that matter here: a backslash escapes the next punctuation
 * character, ``` and ` open code up to the same run; returns every unescaped sign outside code.
 */
function activeSigns(md: string): { char: string; at: number }[] {
  const signs: { char: string; at: number }[] = [];
  for (let i = 0; i < md.length; i++) {
    const ch = md[i] as string;
    if (ch === '\\' && /[!-/:-@[-`{-~]/.test(md[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (ch === '`') {
      const fence = md.startsWith('```', i) ? '```' : '`';
      const close = md.indexOf(fence, i + fence.length);
      if (close !== -1) {
        i = close + fence.length - 1;
        continue;
      }
    }
    if (ch === '<') {
      // An autolink or a Discord token: shown as the URL or the channel/member/time it names.
      const end = md.indexOf('>', i);
      if (
        end !== -1 &&
        /^<(?:https?:\/\/[^\s<>]+|@[!&]?\d+|#\d+|t:-?\d+(?::\w)?|a?:\w+:\d+)>$/.test(md.slice(i, end + 1))
      ) {
        i = end;
        continue;
      }
    }
    if ('*_~|[]()<>'.includes(ch)) signs.push({ char: ch, at: i });
  }
  return signs;
}

/** What a reader sees of escaped text without code: escapes removed, `<url>` shown as the URL. */
function shown(md: string): string {
  return md.replace(/<(https?:\/\/[^\s<>]+)>/g, '$1').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const hostile = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '[',
        ']',
        '(',
        ')',
        '](',
        'https://evil.example/phish',
        'https://discord.com/verify',
        '`',
        '```',
        '\\',
        '*',
        '_',
        '~~',
        '||',
        '#',
        '-',
        '>',
        '<',
        '\n',
        ' ',
        'text',
        '1.',
        '<@123>',
        '<#456>',
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join('')),
);

describe('escapeMarkdownText', () => {
  it('leaves no active Markdown sign outside code, whatever the text (property)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(activeSigns(escapeMarkdownText(text))).toEqual([]);
      }),
      { numRuns: 3_000, seed: 20261202 },
    );
  });

  it('shows exactly what was written when the text holds no code and no angle brackets (property)', () => {
    fc.assert(
      fc.property(
        hostile.map((t) => t.replace(/[`<>]/g, '')),
        (text) => {
          expect(shown(escapeMarkdownText(text))).toBe(text);
        },
      ),
      { numRuns: 2_000, seed: 20261202 },
    );
  });

  it('turns a masked link into its text and its real URL, both visible', () => {
    expect(escapeMarkdownText('[https://discord.com/verify](https://evil.example/phish)')).toBe(
      '\\[<https://discord.com/verify>\\]\\(<https://evil.example/phish>\\)',
    );
  });

  it('keeps code as code, closing fences on their own line, and shows unclosed backticks', () => {
    expect(escapeMarkdownText('run ```sh\nnpm ci [a](b)``` then go')).toBe(
      'run ```sh\nnpm ci [a](b)\n```\nthen go',
    );
    expect(escapeMarkdownText('use `[a](b)` here')).toBe('use `[a](b)` here');
    expect(escapeMarkdownText('a ` b ``` c')).toBe('a \\` b \\`\\`\\` c');
  });

  it('escapes block syntax at line starts only, and keeps mentions, channels, times and emoji', () => {
    expect(escapeMarkdownText('# h\n-# s\n> q\n1. n\nmid - # > 2.')).toBe(
      '\\# h\n\\-# s\n\\> q\n1\\. n\nmid - # \\> 2.',
    );
    expect(escapeMarkdownText('<@1> <#2> <t:3:R> <:e:4> <https://x.example/a_b>')).toBe(
      '<@1> <#2> <t:3:R> <:e:4> <https://x.example/a_b>',
    );
  });
});

describe('escapeMarkdown (names)', () => {
  it('makes a display name shaped like a masked link plain text on one line', () => {
    expect(escapeMarkdown('[Server Admin](https://evil.example/login)')).toBe(
      '\\[Server Admin\\]\\(<https://evil.example/login>\\)',
    );
    expect(escapeMarkdown('*bob*\n`x` <#1>')).toBe('\\*bob\\* \\`x\\` \\<#1\\>');
    expect(activeSigns(escapeMarkdown('||a|| __b__ ~~c~~'))).toEqual([]);
  });
});

describe('isDiscordMessageLink', () => {
  it('accepts Discord message links only', () => {
    expect(isDiscordMessageLink('https://discord.com/channels/1/2/3')).toBe(true);
    expect(isDiscordMessageLink('https://ptb.discord.com/channels/@me/2/3')).toBe(true);
    expect(isDiscordMessageLink('https://discord.com.evil.example/channels/1/2/3')).toBe(false);
    expect(isDiscordMessageLink('https://discord.com/channels/1/2/3?x=https://evil.example')).toBe(false);
    expect(isDiscordMessageLink('http://discord.com/channels/1/2/3')).toBe(false);
  });
});
