import type { SummaryLength } from '../../tasks/summary-options.ts';

// However busy the window, a digest stays something one reads in two minutes.
const MAX_DETAILED = 400;
// Shares of the conversation's own words a digest may take.
const DETAILED_SHARE = 0.4;
const COMPREHENSIVE_SHARE = 0.5;
const FEW_MESSAGES_SHARE = 0.4;
const FEW_MESSAGES_WORDS = 30;

/**
 * From this many words of conversation on, no budget depends on the count any more (every share of it is
 * above its cap): a long window's words need not all be counted.
 */
export const BUDGET_WORDS_CAP = Math.ceil(
  Math.max(
    MAX_DETAILED / DETAILED_SHARE,
    (2 * MAX_DETAILED) / COMPREHENSIVE_SHARE,
    FEW_MESSAGES_WORDS / FEW_MESSAGES_SHARE,
  ),
);

/**
 * Words a digest may spend, scaled to the window: about 40 words plus two for every three messages (at most 400), never
 * more than 40% of what was written (a digest is a fraction of the conversation; at 28% a short chat's
 * answers did not fit). `brief` is half of
 * `detailed`, `comprehensive` twice it (capped at half the conversation); a few messages get at least
 * 30 words, or 40% of theirs.
 */
export function wordBudget(length: SummaryLength, messages: number, conversationWords: number): number {
  const detailed = Math.min(40 + (2 * messages) / 3, DETAILED_SHARE * conversationWords, MAX_DETAILED);
  const budget =
    length === 'brief'
      ? detailed / 2
      : length === 'comprehensive'
        ? Math.min(detailed * 2, COMPREHENSIVE_SHARE * conversationWords)
        : detailed;
  // A handful of messages still gets a title and its one decision or answer (within 40% of its words).
  return Math.floor(Math.max(budget, Math.min(FEW_MESSAGES_WORDS, FEW_MESSAGES_SHARE * conversationWords)));
}
