import { describe, expect, it } from 'vitest';
import { renderForDiscord, renderPlainText } from '../../../lib/delivery/render.ts';
import { summarizeExtractive } from '../../../lib/summarization/extractive.ts';
import { summarizeInstructions } from '../../../lib/summarization/llm/prompt.ts';
import type { Summary } from '../../../lib/summarization/summarizer.ts';
import { parseTranscript } from '../../../lib/summarization/transcript.ts';
import type { SummaryFocus } from '../../../lib/tasks/summary-options.ts';

/** A community server's busy channel: a help request solved, one still waiting, a scam raid, an event. */
const CHANNEL = `maya: hey all, my bot won't start after the 3.2 update, it crashes with a missing token error
sam: did you set DISCORD_TOKEN in the new config file? 3.2 moved it out of .env
maya: that fixed it, thanks!
lee: is there a way to export my saved playlists? the export button does nothing on mobile
rin: heads up mods, someone is posting scam links to a fake nitro giveaway in #general
jo: I deleted the posts and gave the account a 24h timeout
rin: they came back on an alt account, same phishing link
jo: banned the alt as well, we should add that domain to the automod filter
kai: I'll add the domain to the automod list tonight
ava: reminder that the community game night is this Saturday at 8pm UTC on the voice channel 🎉
ben: can someone host the quiz round on Saturday?
ava: sure, I can host the quiz round
tom: the art contest got 40 entries this month, voting opens on Monday
lee: still no way to export playlists on mobile?
pat: we just passed 5,000 members, thanks everyone for being here`;

const digest = (focus: SummaryFocus, length: 'brief' | 'detailed' = 'detailed') =>
  summarizeExtractive(parseTranscript(CHANNEL), { length, focus });
const texts = (items: { text: string }[]) => items.map((i) => i.text).join('\n');
const headings = (summary: Summary) =>
  [...renderForDiscord(summary).matchAll(/^### (.+)$/gm)].map((m) => m[1]);

describe('focus:support', () => {
  it('reports a solved problem as problem and fix, and who still waits for help', () => {
    const summary = digest('support');
    expect(texts(summary.keyPoints)).toMatch(/bot won't start.*: Set DISCORD_TOKEN in the new config file/);
    // The fix was asked as a question ("did you set…?"), answered by "that fixed it": not open.
    expect(texts(summary.openQuestions)).not.toMatch(/DISCORD_TOKEN/);
    expect(texts(summary.openQuestions)).toMatch(/export/);
    expect(summary.focus).toBe('support');
  });

  it('heads its sections for helpers, in every format', () => {
    const summary = digest('support');
    expect(headings(summary)).toEqual(expect.arrayContaining(['Solved', 'Still waiting for help']));
    expect(headings(summary)).not.toContain('Key points');
    const context = {
      taskId: 't',
      taskName: 'Help desk',
      guildId: '1',
      channelIds: [],
      scheduledTime: summary.stats.to,
      window: { from: summary.stats.from, to: summary.stats.to },
      summary,
    };
    expect(renderPlainText(summary, context)).toMatch(/^Still waiting for help\n-+$/m);
  });
});

describe('focus:moderation', () => {
  it('puts the reports and what moderators did first, headed for moderators', () => {
    const summary = digest('moderation');
    expect(texts(summary.keyPoints)).toMatch(/scam links/);
    expect(texts(summary.keyPoints)).toMatch(/24h timeout/);
    expect(headings(summary)).toContain('Reports and incidents');
    expect(headings(summary)).not.toContain('Key points');
    // Even a brief digest keeps the report.
    expect(texts(digest('moderation', 'brief').keyPoints)).toMatch(/scam links/);
  });
});

describe('focus:community', () => {
  it('puts events and milestones first, and who volunteered, headed for the community team', () => {
    const summary = digest('community');
    expect(texts(summary.keyPoints)).toMatch(/game night/);
    expect(texts(summary.keyPoints)).toMatch(/art contest/);
    expect(summary.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'ava', text: expect.stringMatching(/quiz/) }),
    );
    expect(headings(summary)).toEqual(expect.arrayContaining(['Highlights', 'Volunteers']));
  });
});

describe('the other focuses', () => {
  it('keep the general headings and record no focus', () => {
    for (const focus of ['general', 'developer', 'executive'] as const) {
      const summary = digest(focus);
      expect(summary.focus).toBeUndefined();
      expect(headings(summary)).not.toContain('Solved');
      expect(headings(summary)).toContain('Action items');
    }
  });

  it('differ from each other on the same channel', () => {
    const keyPoints = (['support', 'moderation', 'community'] as const).map((f) =>
      texts(digest(f).keyPoints),
    );
    expect(new Set(keyPoints).size).toBe(3);
  });
});

describe('the LLM prompt per focus', () => {
  it('tells the model who reads the digest and what each list holds for them', () => {
    const support = summarizeInstructions({ length: 'detailed', focus: 'support' });
    expect(support).toMatch(/support team/);
    expect(support).toMatch(/"openQuestions" \(shown as "Still waiting for help"\): help requests/);
    const moderation = summarizeInstructions({ length: 'detailed', focus: 'moderation' });
    expect(moderation).toMatch(/"decisions" \(shown as "Rulings and actions taken"\)/);
    const community = summarizeInstructions({ length: 'detailed', focus: 'community' });
    expect(community).toMatch(/"actionItems" \(shown as "Volunteers"\): who volunteered/);
    expect(summarizeInstructions({ length: 'detailed' })).not.toMatch(/lists hold/);
  });
});
