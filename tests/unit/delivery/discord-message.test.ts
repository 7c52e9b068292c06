import type { RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildEmbedMessages,
  buildMarkdownMessages,
  DISCORD_LIMITS,
  deliveryNonce,
} from '../../../lib/delivery/discord-message.ts';
import { validateMessageBody } from '../../../lib/local/sandbox/message-limits.ts';
import type { KeyPoint, Summary } from '../../../lib/summarization/summarizer.ts';
import { makeContext, makeSummary } from '../../support/delivery-fixtures.ts';

/** Our own stricter check: UTF-16 lengths (never fewer than Discord's character count). */
function assertStrictLimits(body: RESTPostAPIChannelMessageJSONBody): void {
  expect(validateMessageBody(body)).toEqual([]);
  expect(body.allowed_mentions).toEqual({ parse: [] });
  expect(body.enforce_nonce).toBe(true);
  expect(String(body.nonce).length).toBeLessThanOrEqual(DISCORD_LIMITS.nonce);
  expect((body.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  const embeds = body.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  let total = 0;
  for (const e of embeds) {
    const fields = e.fields ?? [];
    expect(fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
    for (const f of fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value.trim()).not.toBe('');
      expect((f.value.split('```').length - 1) % 2).toBe(0);
      total += f.name.length + f.value.length;
    }
    if (e.description) expect((e.description.split('```').length - 1) % 2).toBe(0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  if (body.content) expect((body.content.split('```').length - 1) % 2).toBe(0);
}

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  fc.integer({ min: 1000, max: 5000 }).map((n) => 'x'.repeat(n)),
  fc.constant('@everyone look at <@&123456789012345678> and @here'),
  fc
    .array(fc.stringMatching(/^[a-z ;=]{0,120}$/), { maxLength: 80 })
    .map((l) => `code:\n\`\`\`js\n${l.join('\n')}\n\`\`\``),
  fc.constant('see [the very long link text](https://example.com/path?q=1) for details '.repeat(40)),
  fc.constant('👩‍👩‍👧🇩🇪'.repeat(700)),
);
const point: fc.Arbitrary<KeyPoint> = fc.record({
  text,
  sources: fc.array(
    fc.constantFrom('https://discord.com/channels/1/2/3', 'javascript:alert(1)', 'not a url'),
    {
      maxLength: 5,
    },
  ),
});
const summaryArb: fc.Arbitrary<Summary> = fc.record({
  title: text,
  overview: text,
  keyPoints: fc.array(point, { maxLength: 120 }),
  decisions: fc.array(point, { maxLength: 10 }),
  actionItems: fc.array(
    fc.record({ text, sources: fc.constant([]), owner: fc.option(text, { nil: undefined }) }),
    {
      maxLength: 10,
    },
  ),
  openQuestions: fc.array(point, { maxLength: 10 }),
  participants: fc.array(fc.record({ name: text, messages: fc.nat(1000) }), { maxLength: 60 }),
  links: fc.array(fc.record({ url: fc.webUrl(), sharedBy: text }), { maxLength: 30 }),
  stats: fc.constant({
    messages: 5,
    participants: 2,
    from: '2024-05-01T00:00:00.000Z',
    to: '2024-05-08T00:00:00.000Z',
  }),
  footer: fc.option(text, { nil: undefined }),
});

describe('buildEmbedMessages', () => {
  it('renders one message with title, overview, section fields and footer', () => {
    const summary = makeSummary();
    const [body, ...rest] = buildEmbedMessages(summary, makeContext(summary));
    expect(rest).toEqual([]);
    const embed = body?.embeds?.[0];
    expect(embed?.title).toBe('Weekly #general digest');
    expect(embed?.description).toContain('<t:1714521600:f>');
    expect(embed?.description).toContain('The team shipped the release');
    expect(embed?.fields?.map((f) => f.name)).toEqual([
      'Key points',
      'Decisions',
      'Action items',
      'Open questions',
      'Participants',
      'Links',
    ]);
    expect(embed?.footer?.text).toContain('extractive summarizer');
    assertStrictLimits(body as RESTPostAPIChannelMessageJSONBody);
  });

  it('continues a long section in further fields, embeds and messages', () => {
    const keyPoints = Array.from({ length: 100 }, (_, i) => ({
      text: `Point ${i}: ${'detail '.repeat(40)}`,
      sources: ['https://discord.com/channels/1/2/3'],
    }));
    const summary = makeSummary({ keyPoints });
    const bodies = buildEmbedMessages(summary, makeContext(summary));
    expect(bodies.length).toBeGreaterThan(1);
    const names = bodies
      .flatMap((b) => b.embeds ?? [])
      .flatMap((e) => e.fields ?? [])
      .map((f) => f.name);
    expect(names.filter((n) => n === 'Key points (continued)').length).toBeGreaterThan(20);
    const all = JSON.stringify(bodies);
    for (let i = 0; i < 100; i++) expect(all).toContain(`Point ${i}:`);
    bodies.forEach(assertStrictLimits);
  });

  it('keeps every body within Discord limits for arbitrary summaries', () => {
    fc.assert(
      fc.property(summaryArb, (summary) => {
        const bodies = buildEmbedMessages(summary, makeContext(summary));
        expect(bodies.length).toBeGreaterThan(0);
        bodies.forEach(assertStrictLimits);
      }),
      { numRuns: 60 },
    );
  });

  it('neutralizes @everyone, @here and role mentions in every text', () => {
    const summary = makeSummary({
      title: '@everyone',
      overview: 'ping @here and <@&123456789012345678>',
      keyPoints: [{ text: '@everyone please', sources: [] }],
    });
    const json = JSON.stringify(buildEmbedMessages(summary, makeContext(summary)));
    expect(json).not.toMatch(/@everyone|@here|<@&\d/);
  });
});

describe('buildMarkdownMessages', () => {
  it('posts short summaries as one content message with suppressed link previews', () => {
    const summary = makeSummary();
    const bodies = buildMarkdownMessages(summary, makeContext(summary));
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.content).toContain('## Weekly #general digest');
    expect(bodies[0]?.content).toContain('### Key points');
    expect(bodies[0]?.flags).toBe(1 << 2);
    bodies.forEach(assertStrictLimits);
  });

  it('keeps every body within Discord limits for arbitrary summaries', () => {
    fc.assert(
      fc.property(summaryArb, (summary) => {
        const bodies = buildMarkdownMessages(summary, makeContext(summary));
        expect(bodies.length).toBeGreaterThan(0);
        bodies.forEach(assertStrictLimits);
        const joined = bodies.map((b) => b.content).join('\n');
        expect(joined).not.toMatch(/@everyone|@here|<@&\d/);
      }),
      { numRuns: 60 },
    );
  });
});

describe('nonces', () => {
  it('are stable for the same task and scheduled time, distinct per part, scope and time', () => {
    const summary = makeSummary({
      keyPoints: Array.from({ length: 60 }, () => ({ text: 'z'.repeat(900), sources: [] })),
    });
    const context = makeContext(summary);
    const a = buildMarkdownMessages(summary, context, { scope: 'c1' }).map((b) => b.nonce);
    const b = buildMarkdownMessages(summary, context, { scope: 'c1' }).map((b) => b.nonce);
    const other = buildMarkdownMessages(summary, context, { scope: 'c2' }).map((b) => b.nonce);
    expect(a.length).toBeGreaterThan(1);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
    expect(other[0]).not.toBe(a[0]);
    expect(deliveryNonce('t', '2024-01-01T00:00:00Z', 0)).not.toBe(
      deliveryNonce('t', '2024-01-01T00:00:01Z', 0),
    );
    expect(deliveryNonce('t', 'x', 9999)).toHaveLength(25);
  });
});
