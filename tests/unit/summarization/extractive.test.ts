import { describe, expect, it } from 'vitest';
import { syntheticMessages } from '../../../bench/dialogsum.ts';
import {
  DEFAULT_TUNING,
  ExtractiveSummarizer,
  summarizeExtractive,
} from '../../../lib/summarization/extractive.ts';
import { summaryToMarkdown } from '../../../lib/summarization/markdown.ts';
import { summaryToPlainText } from '../../../lib/summarization/plain-text.ts';
import { parseTranscript } from '../../../lib/summarization/transcript.ts';
import { conversation } from './conversation.ts';

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
      'carol: We decided to roll back the migration until Friday.',
    ]);
    expect(summary.decisions[0]?.sources).toEqual([messages[2]?.jumpLink]);

    const owners = Object.fromEntries(summary.actionItems.map((a) => [a.text, a.owner]));
    expect(owners["alice: I'll fix the cache key in the pipeline today."]).toBe('alice');
    expect(owners['bob: @dave will update the docs for the new schema']).toBe('dave');
    expect(summary.actionItems.map((a) => a.text)).toContain('dave: can you review my migration PR later?');

    // erin's question was answered by bob; carol's was not.
    expect(summary.openQuestions.map((q) => q.text)).toEqual([
      'carol: Who owns the metrics dashboard for the release?',
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
    for (const point of summary.keyPoints) {
      expect(point.sources).toHaveLength(1);
      expect(messages.map((m) => m.jumpLink)).toContain(point.sources[0]);
    }
  });

  it('writes more for longer lengths', async () => {
    const messages = syntheticMessages(400);
    const counts = [];
    for (const length of ['brief', 'detailed', 'comprehensive'] as const) {
      const s = await summarizer.summarize(messages, { length });
      counts.push({ overview: s.overview.length, keyPoints: s.keyPoints.length, links: s.links.length });
    }
    const [brief, detailed, comprehensive] = counts;
    expect(brief?.keyPoints).toBeLessThan(detailed?.keyPoints ?? 0);
    expect(detailed?.keyPoints).toBeLessThan(comprehensive?.keyPoints ?? 0);
    expect(brief?.overview).toBeLessThan(detailed?.overview ?? 0);
    expect(detailed?.overview).toBeLessThan(comprehensive?.overview ?? 0);
  });

  it('biases the overview towards code for developers and towards decisions for executives', () => {
    const messages = parseTranscript(
      [
        'ann: The photos from the team offsite are on the shared drive for everyone to see now.',
        'ben: The build fails with a TypeError exception in the api client, stack trace in the logs.',
        'cid: We decided the launch date is March 3 and the budget is $40k for the quarter.',
        'dan: Lunch was nice today, the new place near the office has good soup and bread.',
      ].join('\n'),
    );
    const overview = (focus: 'developer' | 'executive') =>
      summarizeExtractive(
        messages,
        { length: 'brief', focus },
        {
          ...DEFAULT_FOR_TEST,
        },
      ).overview;
    expect(overview('developer')).toContain('TypeError');
    expect(overview('executive')).toContain('launch date');
    expect(overview('developer')).not.toContain('launch date');
  });

  it('says there was nothing to summarize for an empty window', async () => {
    const summary = await summarizer.summarize([], { length: 'brief' });
    expect(summary.stats.messages).toBe(0);
    expect(summary.overview).toMatch(/no messages/);
    expect(summary.keyPoints).toEqual([]);
    expect(summaryToMarkdown(summary)).toContain('no messages');
  });

  it('summarizes thousands of messages (smoke; speed is measured in bench/dialogsum.ts)', () => {
    const summary = summarizeExtractive(syntheticMessages(3_000), { length: 'detailed' });
    expect(summary.stats.messages).toBe(3_000);
    expect(summary.keyPoints.length).toBeGreaterThan(0);
  });

  it('renders markdown with sections and source links, and plain text from the overview', async () => {
    const summary = await summarizer.summarize(conversation(), { length: 'detailed' });
    const markdown = summaryToMarkdown(summary);
    expect(markdown).toMatch(/^# /);
    for (const heading of ['Key points', 'Decisions', 'Action items', 'Open questions', 'Links']) {
      expect(markdown).toContain(`## ${heading}`);
    }
    expect(markdown).toContain('([source](<https://discord.com/channels/0/0/');
    expect(summaryToPlainText(summary)).toBe(summary.overview);
  });
});

// One overview sentence and no position prior make the focus effect visible on its own.
const DEFAULT_FOR_TEST = {
  ...DEFAULT_TUNING,
  positionWeight: 0,
  shortDialogue: 0,
  limits: {
    ...DEFAULT_TUNING.limits,
    brief: { overview: 1, keyPoints: 1, decisions: 1, actionItems: 1, openQuestions: 1, links: 1 },
  },
};
