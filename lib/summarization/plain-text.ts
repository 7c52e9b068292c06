import type { Summary } from './summarizer.ts';

/**
 * The summary as one paragraph of plain text: the overview, then every item's text in section order (what
 * ROUGE scores and `--jsonl` prints). Owners and sources are left out; a reader of one paragraph wants the
 * sentences.
 */
export function summaryToPlainText(summary: Summary): string {
  const items = [
    ...summary.keyPoints,
    ...summary.decisions,
    ...summary.actionItems,
    ...summary.openQuestions,
  ];
  return [summary.overview, ...items.map((i) => terminated(i.text))]
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter((t) => t !== '')
    .join(' ');
}

function terminated(text: string): string {
  const t = text.trim();
  return /[.!?…"')\]]$/.test(t) ? t : `${t}.`;
}

/** One sentence as the overview writes it (`Alice: text.`); the ROUGE baselines use it too, for a fair comparison. */
export function speakerLine(author: string, text: string): string {
  const line = `${author}: ${text.replace(/\s+/g, ' ').trim()}`;
  return /[.!?…"')\]]$/.test(line) ? line : `${line}.`;
}
