import { describe, expect, it } from 'vitest';
import {
  discordTimestamp,
  neutralizeMentions,
  renderHtml,
  renderMarkdown,
  renderPlainText,
  safeLinkUrl,
  toWebhookPayload,
} from '../../../lib/delivery/render.ts';
import { makeContext, makeSummary } from '../../support/delivery-fixtures.ts';

describe('neutralizeMentions', () => {
  it('breaks @everyone, @here, role and user mentions with a zero-width space', () => {
    const out = neutralizeMentions('@everyone @HERE <@&123456789012345678> <@123456789012345678> <@!1>');
    expect(out).not.toMatch(/@everyone|@here|<@&\d|<@\d|<@!/i);
    expect(out.replaceAll('\u200b', '')).toBe(
      '@everyone @HERE <@&123456789012345678> <@123456789012345678> <@!1>',
    );
  });
});

describe('renderMarkdown', () => {
  it('uses Discord timestamps and neutralized mentions in the Discord flavour, UTC to the minute otherwise', () => {
    const summary = makeSummary({ overview: 'hey @everyone' });
    const discord = renderMarkdown(summary, makeContext(summary), { flavor: 'discord' });
    expect(discord).toContain('<t:1714521600:f> to <t:1715126400:f>');
    expect(discord).not.toContain('@everyone');
    expect(discord).toContain('-# extractive summarizer');
    const standard = renderMarkdown(summary, makeContext(summary));
    expect(standard).toContain('2024-05-01 00:00 UTC to 2024-05-08 00:00 UTC');
    expect(standard).toContain('### Action items\n- Write the migration guide (owner: alice)');
  });

  it('shows a fence an item leaves open as backticks, so the next item stays outside any code', () => {
    const summary = makeSummary({
      keyPoints: [
        { text: 'look ```js\nconst a = 1;', sources: [] },
        { text: 'next point', sources: [] },
      ],
    });
    const md = renderMarkdown(summary, makeContext(summary));
    expect(md).toContain('- look \\`\\`\\`js\nconst a = 1;\n- next point');
  });

  it('moves text written right after a closing fence out of the code block, with its source link', () => {
    const summary = makeSummary({
      keyPoints: [
        {
          text: 'run this\n```sh\nnpm ci\n``` then restart the worker',
          sources: ['https://discord.com/channels/1/2/3'],
        },
      ],
    });
    const md = renderMarkdown(summary, makeContext(summary));
    expect(md).toContain('```sh\nnpm ci\n```\nthen restart the worker ([1](');
  });

  it('links only http(s) sources, masks only its own jump links, and escapes Markdown in names', () => {
    const jump = 'https://discord.com/channels/1/2/3';
    const summary = makeSummary({
      keyPoints: [{ text: 'p', sources: ['javascript:alert(1)', 'https://example.com/a_(b)', jump] }],
      participants: [{ name: '*bold* [x](y)', messages: 1 }],
    });
    const md = renderMarkdown(summary, makeContext(summary));
    expect(md).toContain(`- p (<https://example.com/a_%28b%29>, [2](${jump}))`);
    expect(md).not.toContain('javascript:');
    expect(md).toContain('\\*bold\\* \\[x\\]\\(y\\): 1 message');
  });

  it('shows masked links and markup quoted from messages as text, with every URL as itself', () => {
    const summary = makeSummary({
      title: 'Read [this](https://evil.example/t)',
      overview: '# Urgent\n[https://discord.com/verify](https://evil.example/phish) ||now||',
      keyPoints: [
        {
          text: '[Server Admin](https://evil.example/login): verify at [here](https://evil.example/x)',
          sources: [],
        },
      ],
      actionItems: [{ text: 'log in', owner: '[Mod](https://evil.example/m)', sources: [] }],
    });
    const md = renderMarkdown(
      summary,
      makeContext(summary, { taskName: '[Daily](https://evil.example/d)' }),
      {
        flavor: 'discord',
      },
    );
    expect(md).not.toMatch(/(?<!\\)\[[^\]]*(?<!\\)\]\(/);
    expect(md).toContain('\\[<https://discord.com/verify>\\]\\(<https://evil.example/phish>\\)');
    expect(md).toContain('## Read \\[this\\]\\(<https://evil.example/t>\\)');
    expect(md).toContain('**\\[Daily\\]\\(<https://evil.example/d>\\)**');
    expect(md).toContain('\\# Urgent');
    expect(md).toContain('\\|\\|now\\|\\|');
    expect(md).toContain('(owner: \\[Mod\\]\\(<https://evil.example/m>\\))');
  });
});

describe('renderHtml', () => {
  it('escapes every piece of summary text and links only http(s) URLs', () => {
    const summary = makeSummary({
      title: '<img src=x onerror=alert(1)>',
      overview: '"quoted" & <b>',
      links: [
        { url: 'javascript:alert(1)', sharedBy: '<i>' },
        { url: 'https://example.com/?a=1&b="2"', sharedBy: 'bob' },
      ],
    });
    const html = renderHtml(summary, makeContext(summary, { taskName: '<task>' }));
    expect(html).not.toMatch(/<img|<b>|<i>|<task>|href="javascript/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;b&gt;');
    expect(html).toContain('href="https://example.com/?a=1&amp;b=%222%22"');
  });
});

describe('renderPlainText and toWebhookPayload', () => {
  it('render UTC times to the minute and the machine-readable payload', () => {
    const context = makeContext();
    expect(renderPlainText(context.summary, context)).toContain(
      'Weekly digest: 2024-05-01 00:00 UTC to 2024-05-08 00:00 UTC, 13 messages, 2 participants',
    );
    const one = makeSummary({
      stats: {
        messages: 1,
        participants: 1,
        from: '2024-05-01T00:00:00.000Z',
        to: '2024-05-01T01:00:00.000Z',
      },
    });
    expect(renderPlainText(one, makeContext(one))).toContain(', 1 message, 1 participant\n');
    expect(renderMarkdown(one, makeContext(one), { flavor: 'discord' })).toContain(
      '· 1 message · 1 participant',
    );
    expect(renderHtml(one, makeContext(one))).toContain(', 1 message, 1 participant</p>');
    expect(toWebhookPayload(context)).toEqual({
      version: 1,
      task: { id: 'tsk_abcdefgh', name: 'Weekly digest' },
      guildId: context.guildId,
      channelIds: context.channelIds,
      scheduledTime: context.scheduledTime,
      window: context.window,
      summary: context.summary,
      stats: context.summary.stats,
    });
  });

  it('helpers: timestamps and safe URLs', () => {
    expect(discordTimestamp('2024-05-01T00:00:00Z', 'R')).toBe('<t:1714521600:R>');
    expect(discordTimestamp('garbage')).toBe('garbage');
    expect(safeLinkUrl('data:text/html,x')).toBeUndefined();
    expect(safeLinkUrl('not a url')).toBeUndefined();
  });
});
