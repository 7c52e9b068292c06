import type { Summary } from '../summarization/summarizer.ts';

/**
 * The summary with the run's notes after its footer, each its own sentence. Summarizers end their footer
 * without a full stop ("Made by the built-in extractive summarizer"), so a note appended with a bare space
 * read as part of that phrase.
 */
export function withFooterNotes(summary: Summary, notes: readonly string[]): Summary {
  if (notes.length === 0) return summary;
  const note = notes.join(' ');
  const footer = summary.footer?.trim();
  if (!footer) return { ...summary, footer: note };
  return { ...summary, footer: `${footer}${/[.!?…]$/.test(footer) ? '' : '.'} ${note}` };
}

/**
 * "Not readable by the bot: channel 123…": footers show no channel mentions (a `<#id>` stays as typed), and
 * the bot, which Discord keeps from these channels, knows no name for them.
 */
export function unreadableNote(channelIds: readonly string[]): string | undefined {
  if (channelIds.length === 0) return undefined;
  return `Not readable by the bot: ${channelIds.length === 1 ? 'channel' : 'channels'} ${channelIds.join(', ')}.`;
}
