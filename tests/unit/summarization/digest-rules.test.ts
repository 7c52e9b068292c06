import { describe, expect, it } from 'vitest';
import { summarizeExtractive } from '../../../lib/summarization/extractive.ts';
import type { NormalizedMessage, Summary } from '../../../lib/summarization/summarizer.ts';

/** Messages one minute apart; `replyTo` names an earlier line by its position. */
function chat(lines: [author: string, content: string, replyTo?: number][]): NormalizedMessage[] {
  const start = Date.parse('2026-12-01T10:00:00Z');
  return lines.map(([author, content, replyTo], i) => {
    const m: NormalizedMessage = {
      id: String(1000 + i),
      channelId: '1',
      authorId: author,
      authorName: author,
      isBot: false,
      timestamp: new Date(start + i * 60_000).toISOString(),
      content,
      attachments: [],
      reactionCount: 0,
      jumpLink: `https://discord.com/channels/0/1/${1000 + i}`,
    };
    if (replyTo !== undefined) m.replyTo = String(1000 + replyTo);
    return m;
  });
}

const digest = (lines: Parameters<typeof chat>[0]): Summary =>
  summarizeExtractive(chat(lines), { length: 'detailed' });
const texts = (items: { text: string }[]) => items.map((i) => i.text).join('\n');

describe('digest rules: what a member who was away reads', () => {
  it('states the decision after a lead-in and a colon, not the lead-in', () => {
    const d = digest([
      ['mia', 'the nightly build keeps failing on the staging box again, third time this week'],
      ['raf', 'looked at it, the cache volume is full again, the old artifacts are never cleaned up'],
      ['ivo', 'we could also just delete the artifacts older than a week every night'],
      [
        'mia',
        'Given how many times the staging cache filled up this month: let us move the cache to the big volume and add an alert',
      ],
      ['raf', 'agreed, I have wanted that alert for a long time'],
      ['ivo', 'the release is still open though, friday or monday? the changelog is almost done'],
      ['raf', 'friday works for me, monday I am travelling all day'],
      ['mia', 'Final call: we ship the release on friday'],
    ]);
    const decisions = texts(d.decisions);
    expect(decisions).toMatch(/move the cache to the big volume/i);
    expect(decisions).not.toMatch(/given how many/i);
    expect(decisions).toMatch(/^We ship the release on friday/im);
    expect(decisions).not.toMatch(/final call/i);
  });

  it('keeps a lead-in that names what was decided ("oat milk: …")', () => {
    const d = digest([
      ['sam', 'we keep running out of oat milk every weekend, the regulars are not happy about it'],
      ['lu', 'the supplier only delivers on tuesdays, so we have to order more at once'],
      ['jo', 'ok so, oat milk: we switch to the bigger supplier from january'],
      ['sam', 'perfect, thanks for sorting that out'],
    ]);
    expect(texts(d.decisions)).toMatch(/oat milk: we switch to the bigger supplier/i);
  });
});
