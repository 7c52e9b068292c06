import { describe, expect, it } from 'vitest';
import { unreadableNote, withFooterNotes } from '../../../lib/execution/footer-notes.ts';
import { noticeSummary } from '../../../lib/summarization/summarizer.ts';

const summary = (footer?: string) => ({
  ...noticeSummary('Daily digest', 'Nothing much.', {
    messages: 3,
    participants: 2,
    from: '2026-11-26T08:00:00.000Z',
    to: '2026-11-27T08:00:00.000Z',
  }),
  ...(footer === undefined ? {} : { footer }),
});

describe("a run's notes in the digest footer", () => {
  it("starts a new sentence after the summarizer's attribution, which ends without a stop", () => {
    expect(
      withFooterNotes(summary('Summarized by Anthropic (claude-haiku-4-5)'), [
        'Left out: #mods is private to Moderators.',
      ]).footer,
    ).toBe('Summarized by Anthropic (claude-haiku-4-5). Left out: #mods is private to Moderators.');
  });

  it('adds no second stop after a footer that has one, and stands alone without a footer', () => {
    expect(withFooterNotes(summary('“Old daily” was deleted.'), ['A.', 'B.']).footer).toBe(
      '“Old daily” was deleted. A. B.',
    );
    expect(withFooterNotes(summary(), ['A.']).footer).toBe('A.');
    expect(withFooterNotes(summary('Made by X'), []).footer).toBe('Made by X');
  });

  it('names channels the bot cannot read by id, since a footer shows no mention', () => {
    expect(unreadableNote(['200000000000000002'])).toBe(
      'Not readable by the bot: channel 200000000000000002.',
    );
    expect(unreadableNote(['1', '2'])).toBe('Not readable by the bot: channels 1, 2.');
    expect(unreadableNote([])).toBeUndefined();
  });
});
