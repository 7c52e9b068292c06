import { describe, expect, it } from 'vitest';
import { forYouPoints, MAX_FOR_YOU, sinceOwnLastMessage } from '../../../lib/execution/catchup.ts';
import type { NormalizedMessage } from '../../../lib/summarization/summarizer.ts';

const ME = '900';
let n = 0;
function msg(authorId: string, content: string, extra: Partial<NormalizedMessage> = {}): NormalizedMessage {
  n += 1;
  return {
    id: String(1000 + n),
    channelId: '1',
    authorId,
    authorName: authorId === ME ? 'You' : `Member ${authorId}`,
    isBot: false,
    timestamp: new Date(Date.UTC(2026, 11, 1, 9, n)).toISOString(),
    content,
    attachments: [],
    reactionCount: 0,
    jumpLink: `https://discord.com/channels/5/1/${1000 + n}`,
    ...extra,
  };
}

describe('catching up since your own last message', () => {
  it('keeps only what came after your latest message', () => {
    const early = msg(ME, 'hi');
    const a = msg('1', 'one');
    const last = msg(ME, 'me again');
    const b = msg('2', 'two');
    const { missed, lastOwn } = sinceOwnLastMessage([early, a, last, b], ME);
    expect(missed).toEqual([b]);
    expect(lastOwn).toBe(last);
  });

  it('keeps everything read when none of your messages was among it', () => {
    const all = [msg('1', 'one'), msg('2', 'two')];
    expect(sinceOwnLastMessage(all, ME)).toEqual({ missed: all });
  });

  it('names who asked you, mentioned you or answered you, and nothing else', () => {
    const mine = msg(ME, 'When is the release?');
    const answer = msg('2', 'Friday.', { replyTo: mine.id });
    const ask = msg('3', '@You can you review the backup PR?', { mentions: [{ id: ME, name: 'You' }] });
    const note = msg('4', 'Thanks @You', { mentions: [{ id: ME, name: 'You' }] });
    const other = msg('5', 'unrelated', { mentions: [{ id: '6', name: 'Someone' }] });
    const points = forYouPoints([answer, ask, note, other], [mine, answer, ask, note, other], ME);
    expect(points.map((p) => p.text)).toEqual([
      'Member 2 answered you: “Friday.”',
      'Member 3 asked you: “@You can you review the backup PR?”',
      'Member 4 mentioned you: “Thanks @You”',
    ]);
    expect(points[1]?.sources).toEqual([ask.jumpLink]);
  });

  it('keeps the latest few when many mention you', () => {
    const many = Array.from({ length: MAX_FOR_YOU + 3 }, (_, i) =>
      msg('1', `ping ${i}`, { mentions: [{ id: ME, name: 'You' }] }),
    );
    const points = forYouPoints(many, many, ME);
    expect(points).toHaveLength(MAX_FOR_YOU);
    expect(points.at(-1)?.text).toContain(`ping ${MAX_FOR_YOU + 2}`);
  });
});
