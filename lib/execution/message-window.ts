import { timeFromSnowflake } from '../shared/snowflake.ts';
import type { NormalizedMessage } from '../summarization/summarizer.ts';
import type { SummaryOptions } from '../tasks/summary-options.ts';
import type { SummaryTask } from '../tasks/task.ts';
import type { ChannelHistory, ReadWindow } from './ports.ts';

const HOUR_MS = 3_600_000;
/** With a cursor, a run never reads further back than this (a bot that was off for months starts fresh). */
const MAX_CURSOR_LOOKBACK_MS = 30 * 24 * HOUR_MS;

/** The read window of one channel for a run that ends at `to`. */
export function readWindowFor(
  task: SummaryTask,
  channelId: string,
  to: Date,
  /**
   * A category or whole-server run: how many channels it reads (the budget is spread over those), and no
   * threads with a channel: its active threads are sources of their own.
   */
  expanded?: { channels: number },
): ReadWindow {
  const { lookback, maxMessages } = task.options;
  const includeThreads = expanded ? false : task.options.includeThreads;
  // Spread the budget over the channels so one busy channel cannot starve the others.
  const limit = Math.max(1, Math.ceil(maxMessages / (expanded?.channels ?? task.channelIds.length)));
  if (lookback.mode === 'fixed') {
    // A fixed window is "the last N hours": when it holds more than the task reads, the latest talk matters.
    return {
      from: new Date(to.getTime() - lookback.hours * HOUR_MS),
      to,
      limit,
      includeThreads,
      keep: 'newest',
    };
  }
  const cursor = task.cursors[channelId];
  if (cursor) {
    return {
      afterId: cursor,
      from: new Date(to.getTime() - MAX_CURSOR_LOOKBACK_MS),
      to,
      limit,
      includeThreads,
    };
  }
  return { from: new Date(to.getTime() - lookback.initialHours * HOUR_MS), to, limit, includeThreads };
}

/**
 * Where a run's window starts: the earliest channel's start. After a cursor a channel is read from the last
 * message summarized, not the whole lookback: that instant is what the digest's header says it covers.
 */
export function windowStart(reads: { window: ReadWindow }[], to: Date): Date {
  let from = to;
  for (const { window } of reads) {
    const readFrom = window.afterId
      ? new Date(Math.max(window.from.getTime(), timeFromSnowflake(window.afterId).getTime()))
      : window.from;
    if (readFrom < from) from = readFrom;
  }
  return from;
}

/** Drops system messages, bots (unless asked for) and excluded members. */
export function filterMessages(
  history: ChannelHistory['messages'],
  options: Pick<SummaryOptions, 'includeBots' | 'excludedUserIds'>,
): NormalizedMessage[] {
  const excluded = new Set(options.excludedUserIds);
  const kept: NormalizedMessage[] = [];
  for (const { isSystem, ...message } of history) {
    if (isSystem) continue;
    if (message.isBot && !options.includeBots) continue;
    if (excluded.has(message.authorId)) continue;
    kept.push(message);
  }
  return kept;
}

/** Oldest first across channels; ties keep snowflake order. */
export function byTime(a: NormalizedMessage, b: NormalizedMessage): number {
  return a.timestamp < b.timestamp
    ? -1
    : a.timestamp > b.timestamp
      ? 1
      : a.id.length - b.id.length || (a.id < b.id ? -1 : 1);
}
