import { describe, expect, it } from 'vitest';
import { buildConversation } from '../../../lib/summarization/analysis/conversation.ts';
import type { NormalizedMessage } from '../../../lib/summarization/summarizer.ts';

const message = (i: number, timestamp: string, replyTo?: number): NormalizedMessage => ({
  id: String(100 + i),
  channelId: '1',
  authorId: 'a',
  authorName: 'ana',
  isBot: false,
  timestamp,
  content: `message ${i}`,
  attachments: [],
  reactionCount: 0,
  jumpLink: `https://discord.com/channels/0/1/${100 + i}`,
  ...(replyTo === undefined ? {} : { replyTo: String(100 + replyTo) }),
});

describe('buildConversation', () => {
  it('reads every time as Date.parse does and orders by it: leap days, 24:00, offsets, before 1970, unreadable', () => {
    const stamps = [
      '2024-02-29T12:00:00.000Z',
      '2023-02-29T12:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2024-04-31T00:00:00.000Z',
      '2000-02-29T00:00:00.000Z',
      '2100-02-29T00:00:00.000Z',
      '2024-01-01T00:00:60.000Z',
      '2024-03-01T10:00:00.000+02:00',
      '2024-03-01T09:00:00Z',
      'not a time',
      '2024-12-31T23:59:59.999Z',
    ];
    const turns = buildConversation(stamps.map((s, i) => message(i, s))).turns;
    for (const t of turns) expect(t.time).toEqual(Date.parse(t.message.timestamp));
    const times = turns.map((t) => t.time).filter((t) => !Number.isNaN(t));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('resolves a reply to the earlier message it names, whether or not the window holds other replies', () => {
    const start = Date.parse('2026-12-01T10:00:00.000Z');
    const at = (i: number) => new Date(start + i * 60_000).toISOString();
    const turns = buildConversation([
      message(0, at(0)),
      message(1, at(1)),
      message(2, at(2), 0),
      message(3, at(3), 9),
    ]).turns;
    expect(turns.map((t) => t.replyTo)).toEqual([undefined, undefined, 0, undefined]);
    expect(buildConversation([message(0, at(0)), message(1, at(1))]).turns.map((t) => t.replyTo)).toEqual([
      undefined,
      undefined,
    ]);
  });
});
