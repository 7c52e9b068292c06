import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../lib/local/clock.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../../lib/local/sandbox/discord-stand-in.ts';
import { SAMPLE_CHANNELS, seedSampleServer } from '../../../../lib/local/sandbox/sample-server.ts';
import { ExtractiveSummarizer } from '../../../../lib/summarization/extractive.ts';
import type { NormalizedMessage, Summary } from '../../../../lib/summarization/summarizer.ts';

// The sandbox's sample day: what a member who missed it reads in the digest of the last 24 hours.
describe("the sandbox's digest of its sample day", () => {
  const clock = new ManualClock(new Date('2026-12-02T12:00:00Z'));
  let standIn: DiscordStandIn;
  let summary: Summary;
  beforeAll(async () => {
    standIn = await startDiscordStandIn({ now: () => clock.now() });
    seedSampleServer(standIn, clock);
    const since = clock.now().getTime() - 24 * 3_600_000;
    const messages: NormalizedMessage[] = [];
    for (const channelId of [SAMPLE_CHANNELS.general, SAMPLE_CHANNELS.dev, SAMPLE_CHANNELS.releaseThread]) {
      for (const m of standIn.messages(channelId)) {
        if (Date.parse(m.timestamp) < since) continue;
        const message: NormalizedMessage = {
          id: m.id,
          channelId,
          authorId: m.author.id,
          authorName: m.author.global_name ?? m.author.username,
          isBot: false,
          timestamp: m.timestamp,
          content: m.content,
          attachments: [],
          reactionCount: 0,
          jumpLink: `https://discord.com/channels/1/${channelId}/${m.id}`,
        };
        if (channelId === SAMPLE_CHANNELS.releaseThread) message.threadName = 'release-checklist';
        if (m.message_reference?.message_id) message.replyTo = m.message_reference.message_id;
        messages.push(message);
      }
    }
    summary = await new ExtractiveSummarizer().summarize(messages, { length: 'detailed' });
  });
  afterAll(async () => {
    await standIn.close();
  });

  it('reports the mobile upload API decision', () => {
    expect(summary.decisions.map((d) => d.text).join('\n')).toMatch(/keep it in 2\.4 and remove it in 2\.5/i);
  });

  it('reports the community call plan with Eli owning the invite', () => {
    const all = [
      summary.overview,
      ...summary.decisions.map((d) => d.text),
      ...summary.keyPoints.map((k) => k.text),
    ];
    expect(all.join('\n')).toMatch(/thursday/i);
    expect(summary.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Eli', text: expect.stringMatching(/invite/i) }),
    );
  });

  it('lists no answered question as open', () => {
    const open = summary.openQuestions.map((q) => q.text).join('\n');
    expect(open).not.toMatch(/mobile upload API/i);
    expect(open).not.toMatch(/community call/i);
  });
});
