import type { Summary } from './summarizer.ts';

/** The summary as one paragraph of plain text (its overview): what ROUGE scores and `--jsonl` prints. */
export function summaryToPlainText(summary: Summary): string {
  return summary.overview.replace(/\s+/g, ' ').trim();
}

/** One sentence as the overview writes it (`Alice: text.`); the ROUGE baselines use it too, for a fair comparison. */
export function speakerLine(author: string, text: string): string {
  const line = `${author}: ${text.replace(/\s+/g, ' ').trim()}`;
  return /[.!?…"')\]]$/.test(line) ? line : `${line}.`;
}
