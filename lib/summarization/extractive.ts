import type { SummaryLength } from '../tasks/summary-options.ts';
import { chronological } from './analysis/conversation.ts';
import { analyzeConversation } from './analysis/index.ts';
import { wordCount } from './analysis/words.ts';
import { BUDGET_WORDS_CAP, wordBudget } from './compose/budget.ts';
import { DEFAULT_TUNING, type ExtractiveTuning, LIMITS } from './compose/central.ts';
import { composeDigest } from './compose/digest.ts';
import { recordedFocus } from './sections.ts';
import {
  type NormalizedMessage,
  noticeSummary,
  type SummarizeOptions,
  type Summarizer,
  type Summary,
} from './summarizer.ts';
import { findUrls } from './text.ts';

export { chronological } from './analysis/conversation.ts';
export { DEFAULT_TUNING, type ExtractiveTuning, type LengthLimits } from './compose/central.ts';

export const EXTRACTIVE_FOOTER = 'Made by the built-in extractive summarizer';

/**
 * The built-in summarizer: analyses the conversation (topics, questions and answers, decisions, action
 * items with owners) and writes a digest within a word budget. No network, deterministic.
 */
export class ExtractiveSummarizer implements Summarizer {
  readonly name = 'extractive';
  private readonly tuning: ExtractiveTuning;

  constructor(tuning: Partial<ExtractiveTuning> = {}) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
  }

  async summarize(messages: NormalizedMessage[], options: SummarizeOptions): Promise<Summary> {
    return summarizeExtractive(messages, options, this.tuning);
  }
}

/** Synchronous core of the extractive summarizer (the benchmark times it directly). */
export function summarizeExtractive(
  input: NormalizedMessage[],
  options: SummarizeOptions,
  tuning: ExtractiveTuning = DEFAULT_TUNING,
): Summary {
  if (input.length === 0) return emptySummary();
  const analysis = analyzeConversation(input);
  // Pushed, not mapped: see buildConversation (an optimised map makes a holey array, which later calls trip on).
  const messages: NormalizedMessage[] = [];
  for (const t of analysis.conversation.turns) messages.push(t.message);
  let conversationWords = 0;
  for (const m of messages) {
    if (conversationWords >= BUDGET_WORDS_CAP) break;
    conversationWords += wordCount(m.content);
  }
  const budget = wordBudget(options.length, messages.length, conversationWords);
  const digest = composeDigest(analysis, budget, options.focus ?? 'general', tuning);
  return {
    ...digest,
    ...factsInOrder(messages, options.length),
    footer: EXTRACTIVE_FOOTER,
    ...recordedFocus(options.focus),
  };
}

/** What any summarizer reports the same way: who took part, which links were shared, the window read. */
export function conversationFacts(
  input: NormalizedMessage[],
  length: SummaryLength,
): Pick<Summary, 'participants' | 'links' | 'stats'> {
  return factsInOrder(chronological(input), length);
}

function factsInOrder(
  messages: NormalizedMessage[],
  length: SummaryLength,
): Pick<Summary, 'participants' | 'links' | 'stats'> {
  const participants = countParticipants(messages);
  return {
    participants,
    links: findLinks(messages).slice(0, LIMITS[length].links),
    stats: {
      messages: messages.length,
      participants: participants.length,
      from: messages[0]?.timestamp ?? '',
      to: messages[messages.length - 1]?.timestamp ?? '',
    },
  };
}

/** The summary of an empty window: valid, and says so. */
export function emptySummary(): Summary {
  return {
    ...noticeSummary('Nothing to summarize', 'There were no messages to summarize in this period.', {
      messages: 0,
      participants: 0,
      from: '',
      to: '',
    }),
    footer: EXTRACTIVE_FOOTER,
  };
}

function countParticipants(messages: NormalizedMessage[]): Summary['participants'] {
  const participants = participantsOf(messageCounts(messages));
  return participants.sort(
    (a, b) => b.messages - a.messages || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

// Counting, listing and sorting are functions of their own, with plain loops: as one function, the code after
// the counting loop was optimised without type feedback and fell back to the interpreter every summary.
function messageCounts(messages: NormalizedMessage[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.authorName, (counts.get(m.authorName) ?? 0) + 1);
  return counts;
}

function participantsOf(counts: Map<string, number>): Summary['participants'] {
  const participants: Summary['participants'] = [];
  for (const [name, count] of counts) participants.push({ name, messages: count });
  return participants;
}

function findLinks(messages: NormalizedMessage[]): Summary['links'] {
  const seen = new Set<string>();
  const links: Summary['links'] = [];
  for (const m of messages) {
    // Every link starts with "http": most messages need no search.
    if (!m.content.includes('http')) continue;
    for (const url of findUrls(m.content)) {
      if (seen.has(url)) continue;
      seen.add(url);
      links.push({ url, sharedBy: m.authorName });
    }
  }
  return links;
}
