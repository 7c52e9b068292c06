import { describe, expect, it } from 'vitest';
import { syntheticMessages } from '../../../bench/dialogsum.ts';
import { renderForDiscord } from '../../../lib/delivery/render.ts';
import { ExtractiveSummarizer, summarizeExtractive } from '../../../lib/summarization/extractive.ts';
import { summaryToPlainText } from '../../../lib/summarization/plain-text.ts';
import { parseTranscript } from '../../../lib/summarization/transcript.ts';
import { conversation } from '../../support/conversation.ts';

const summarizer = new ExtractiveSummarizer();

describe('ExtractiveSummarizer', () => {
  it('returns the same summary for the same input', async () => {
    const messages = syntheticMessages(300);
    const a = await summarizer.summarize(messages, { length: 'detailed' });
    const b = await summarizer.summarize(structuredClone(messages), { length: 'detailed' });
    expect(b).toEqual(a);
  });

  it('does not depend on the order messages arrive in', async () => {
    const messages = conversation();
    const shuffled = [...messages].reverse();
    expect(await summarizer.summarize(shuffled, { length: 'detailed' })).toEqual(
      await summarizer.summarize(messages, { length: 'detailed' }),
    );
  });

  it('finds decisions, action items with owners, open questions, links and participants', async () => {
    const messages = conversation();
    const summary = await summarizer.summarize(messages, { length: 'comprehensive' });

    expect(summary.decisions.map((d) => d.text)).toEqual([
      'We decided to roll back the migration until Friday.',
    ]);
    expect(summary.decisions[0]?.sources).toEqual([messages[2]?.jumpLink]);
    expect(summary.actionItems).toContainEqual({
      text: 'Fix the cache key in the pipeline today',
      owner: 'alice',
      sources: [messages[3]?.jumpLink],
    });
    // dave asked for a review nobody took on: no one owns it, so it is no action item.
    expect(summary.actionItems.map((a) => a.owner)).not.toContain('dave');
    // erin's question was answered by bob; carol's was not.
    expect(summary.openQuestions.map((q) => q.text)).toEqual([
      'Who owns the metrics dashboard for the release?',
    ]);
    expect(summary.links).toEqual([{ url: 'https://github.com/org/repo/pull/42', sharedBy: 'alice' }]);
    expect(summary.participants).toEqual(
      [
        { name: 'alice', messages: 2 },
        { name: 'bob', messages: 3 },
        { name: 'carol', messages: 2 },
        { name: 'dave', messages: 1 },
        { name: 'erin', messages: 1 },
      ].sort((a, b) => b.messages - a.messages || a.name.localeCompare(b.name)),
    );
    expect(summary.stats).toEqual({
      messages: 9,
      participants: 5,
      from: messages[0]?.timestamp,
      to: messages[8]?.timestamp,
    });
    expect(summary.title).not.toBe('');
    expect(summary.overview).not.toBe('');
  });

  it('spends more words for longer lengths, always a fraction of the conversation', async () => {
    const messages = syntheticMessages(400);
    const written = messages.reduce((n, m) => n + m.content.split(/\s+/).length, 0);
    const counts = [];
    for (const length of ['brief', 'detailed', 'comprehensive'] as const) {
      const s = await summarizer.summarize(messages, { length });
      const items = [
        s.overview,
        s.title,
        ...[...s.keyPoints, ...s.decisions, ...s.actionItems, ...s.openQuestions].map((p) => p.text),
      ];
      counts.push(items.join(' ').split(/\s+/).length);
    }
    const [brief, detailed, comprehensive] = counts as [number, number, number];
    expect(brief).toBeLessThan(detailed);
    expect(detailed).toBeLessThan(comprehensive);
    expect(comprehensive).toBeLessThan(written / 2);
  });

  it('puts the topics about code first for developers and those about decisions first for executives', () => {
    const messages = parseTranscript(
      [
        'ann: The photos from the team offsite are on the shared drive for everyone to see now.',
        'ben: The build fails with a TypeError exception in the api client, stack trace in the logs.',
        'cid: The launch date is March 3 and the budget is $40k for the quarter.',
        'dan: Lunch was nice today, the new place near the office has good soup and bread.',
      ].join('\n'),
    );
    const overview = (focus: 'developer' | 'executive') =>
      summarizeExtractive(messages, { length: 'brief', focus }).overview;
    expect(overview('developer')).toContain('TypeError');
    expect(overview('executive')).toContain('launch date');
    expect(overview('developer')).not.toContain('launch date');
  });

  it('says there was nothing to summarize for an empty window', async () => {
    const summary = await summarizer.summarize([], { length: 'brief' });
    expect(summary.stats.messages).toBe(0);
    expect(summary.overview).toMatch(/no messages/);
    expect(summary.keyPoints).toEqual([]);
    expect(renderForDiscord(summary)).toContain('no messages');
  });

  it('summarizes thousands of messages (smoke; speed is measured in bench/dialogsum.ts)', () => {
    const summary = summarizeExtractive(syntheticMessages(3_000), { length: 'detailed' });
    expect(summary.stats.messages).toBe(3_000);
    expect(summary.keyPoints.length).toBeGreaterThan(0);
  });

  it('renders markdown with sections and source links, and plain text from the overview and items', async () => {
    const summary = await summarizer.summarize(conversation(), { length: 'comprehensive' });
    const markdown = renderForDiscord(summary);
    expect(markdown).toMatch(/^## /);
    for (const heading of ['Decisions', 'Action items', 'Open questions', 'Links']) {
      expect(markdown).toContain(`### ${heading}`);
    }
    expect(markdown).toMatch(/ \(\[1\]\(https:\/\/discord\.com\/channels\/0\/0\/\d+\)/);
    const plain = summaryToPlainText(summary);
    expect(plain.startsWith(summary.overview)).toBe(true);
    for (const d of summary.decisions) expect(plain).toContain(d.text);
  });
});
