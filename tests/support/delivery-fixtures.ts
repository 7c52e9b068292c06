import type { DeliveryContext } from '../../lib/delivery/deliverer.ts';
import type { Summary } from '../../lib/summarization/summarizer.ts';

export const GUILD = '123456789012345678';
export const CHANNEL = '223456789012345678';
export const OTHER_CHANNEL = '323456789012345678';

/** A small, ordinary summary. */
export function makeSummary(overrides: Partial<Summary> = {}): Summary {
  return {
    title: 'Weekly #general digest',
    overview: 'The team shipped the release and planned the next sprint.',
    keyPoints: [
      {
        text: 'Release 2.3 went out on Tuesday',
        sources: [`https://discord.com/channels/${GUILD}/${CHANNEL}/1234567890123456789`],
      },
    ],
    decisions: [{ text: 'Adopt pnpm', sources: [] }],
    actionItems: [{ text: 'Write the migration guide', owner: 'alice', sources: [] }],
    openQuestions: [{ text: 'Do we drop Node 18?', sources: [] }],
    participants: [
      { name: 'alice', messages: 12 },
      { name: 'bob', messages: 1 },
    ],
    links: [{ url: 'https://example.com/changelog', sharedBy: 'bob' }],
    stats: {
      messages: 13,
      participants: 2,
      from: '2024-05-01T00:00:00.000Z',
      to: '2024-05-08T00:00:00.000Z',
    },
    footer: 'extractive summarizer',
    ...overrides,
  };
}

/** The delivery context of one run of task `tsk_abcdefgh` at a fixed scheduled time. */
export function makeContext(
  summary: Summary = makeSummary(),
  overrides: Partial<DeliveryContext> = {},
): DeliveryContext {
  return {
    taskId: 'tsk_abcdefgh',
    taskName: 'Weekly digest',
    guildId: GUILD,
    channelIds: [CHANNEL],
    scheduledTime: '2024-05-08T09:00:00.000Z',
    window: { from: '2024-05-01T00:00:00.000Z', to: '2024-05-08T00:00:00.000Z' },
    summary,
    ...overrides,
  };
}
