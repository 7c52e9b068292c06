import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hardSplit, splitMarkdown } from '../../../lib/delivery/split-text.ts';

const strip = (s: string) => s.replace(/```/g, '').replace(/\s+/g, '');
const fences = (s: string) => s.split('```').length - 1;

const word = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .map((s) => s.replace(/[`[\]()\s]/g, 'x') || 'x');
const longWord = fc.integer({ min: 100, max: 3000 }).map((n) => 'w'.repeat(n));
const link = fc
  .tuple(fc.stringMatching(/^[a-z ]{1,30}$/), fc.stringMatching(/^[a-z0-9/]{1,60}$/))
  .map(([t, p]) => `[${t.trim() || 'x'}](https://example.com/${p})`);
const emoji = fc.constantFrom('😀', '👩‍👩‍👧', '🇩🇪', 'é', '中文');
const codeBlock = fc
  .array(fc.stringMatching(/^[a-z =;(){}]{0,200}$/), { minLength: 1, maxLength: 60 })
  .map((lines) => `\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`);
const midLineCode = fc
  .tuple(word, fc.array(fc.stringMatching(/^[a-z =;]{0,300}$/), { minLength: 1, maxLength: 30 }))
  .map(([lead, lines]) => `- ${lead} \`\`\`\n${lines.join('\n')}\n\`\`\` `);
const separator = fc.constantFrom(' ', ' ', ' ', '\n', '\n\n');
const markdown = fc
  .array(
    fc.tuple(
      fc.oneof({ weight: 6, arbitrary: word }, longWord, link, emoji, codeBlock, midLineCode),
      separator,
    ),
    {
      maxLength: 400,
    },
  )
  .map((parts) => parts.map(([p, s]) => p + s).join(''));

describe('splitMarkdown', () => {
  it('keeps short text whole', () => {
    expect(splitMarkdown('hello\n\nworld', 100)).toEqual(['hello\n\nworld']);
  });

  it('splits at paragraph boundaries first', () => {
    const a = 'a'.repeat(60);
    const b = 'b'.repeat(60);
    expect(splitMarkdown(`${a}\n\n${b}`, 100)).toEqual([a, b]);
  });

  it('splits a long paragraph at line boundaries, then at spaces', () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const chunks = splitMarkdown(lines, 64);
    expect(chunks.every((c) => c.length <= 64)).toBe(true);
    expect(chunks.join('\n')).toBe(lines);
  });

  it('never cuts inside a link', () => {
    const link = '[the release notes for this week](https://example.com/a/very/long/path)';
    const text = `${'word '.repeat(30)}${link} ${'more '.repeat(30)}`;
    const chunks = splitMarkdown(text, 100);
    expect(chunks.some((c) => c.includes(link))).toBe(true);
  });

  it('closes and reopens a code block that does not fit, keeping its language', () => {
    const code = Array.from({ length: 100 }, (_, i) => `const x${i} = ${i};`).join('\n');
    const chunks = splitMarkdown(`before\n\`\`\`ts\n${code}\n\`\`\`\nafter`, 300);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(300);
      expect(fences(chunk) % 2).toBe(0);
    }
    expect(chunks.filter((c) => c.startsWith('```ts\n')).length).toBeGreaterThan(3);
  });

  it('treats a fence in the middle of a line as the start of a code block', () => {
    const code = Array.from({ length: 40 }, (_, i) => `line ${i} ${'y'.repeat(20)}`).join('\n');
    const chunks = splitMarkdown(`- see this \`\`\`js\n${code}\n\`\`\`\n- next point`, 200);
    expect(chunks[0]).toMatch(/^- see this\n```js\nline 0 /);
    for (const chunk of chunks.slice(1, -1)) expect(chunk).toMatch(/^```js\n[^`]*\n```$/);
    for (const chunk of chunks) expect(fences(chunk) % 2).toBe(0);
    expect(chunks.at(-1)).toMatch(/- next point$/);
  });

  it('closes an unterminated code block', () => {
    const [chunk] = splitMarkdown('```\nno end', 100);
    expect(chunk).toBe('```\nno end\n```');
  });

  it('splits 40,000 characters of hostile brackets and backticks into full chunks, losing nothing', () => {
    // Each used to take up to 1.6 s (every `[` scanned to the end of the line); bench/split-markdown.ts
    // has the figures, this asserts only the output.
    for (const unit of ['[', '[a', '[a](', '`', '[a] (']) {
      const text = unit.repeat(40_000 / unit.length);
      const chunks = splitMarkdown(text, 2000);
      expect(strip(chunks.join(''))).toBe(strip(text));
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(2000);
      expect(chunks.length).toBeLessThanOrEqual(21);
    }
    expect(splitMarkdown('['.repeat(40_000), 2000)).toEqual(Array(20).fill('['.repeat(2000)));
  });

  it('never cuts a backslash escape from the character it escapes', () => {
    const text = 'see \\[the docs\\](https://example.com/x) and \\*stars\\* '.repeat(400);
    for (const chunk of splitMarkdown(text, 100)) {
      expect(chunk).toMatch(/^(?:[^\\[\]*]|\\[[\]*])*$/);
    }
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(500);
    for (const chunk of splitMarkdown(text, 101)) {
      expect(chunk.length).toBeLessThanOrEqual(101);
      expect(chunk).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    }
    expect(hardSplit('a😀', 2)).toEqual(['a', '😀']);
  });

  it('holds the limit, balances fences and loses no text for arbitrary Markdown', () => {
    fc.assert(
      fc.property(markdown, fc.constantFrom(64, 1024, 2000, 4096), (text, max) => {
        const chunks = splitMarkdown(text, max);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(max);
          expect(chunk.trim()).toBe(chunk);
          expect(chunk).not.toBe('');
          expect(fences(chunk) % 2).toBe(0);
        }
        expect(strip(chunks.join(''))).toBe(strip(text));
      }),
      { numRuns: 150 },
    );
  });
});
