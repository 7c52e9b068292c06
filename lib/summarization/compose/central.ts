import type { SummaryFocus, SummaryLength } from '../../tasks/summary-options.ts';
import type { Turn } from '../analysis/conversation.ts';
import { DECISION } from '../analysis/cues.ts';
import { topRanked } from '../analysis/ranking.ts';
import { fold } from '../analysis/words.ts';
import type { NormalizedMessage } from '../summarizer.ts';
import { concerns } from './focus.ts';
import { TermIds } from './terms.ts';

/**
 * Central sentences: TF-IDF centroid scoring with a maximal-marginal-relevance redundancy penalty. The
 * overview says what a topic was about with its most central sentences (DialogSum measures exactly this).
 */

/** How many items of each kind a summary of a given length holds. */
export interface LengthLimits {
  overview: number;
  keyPoints: number;
  decisions: number;
  actionItems: number;
  openQuestions: number;
  links: number;
}

export const LIMITS: Record<SummaryLength, LengthLimits> = {
  brief: { overview: 3, keyPoints: 3, decisions: 3, actionItems: 3, openQuestions: 2, links: 5 },
  detailed: { overview: 4, keyPoints: 6, decisions: 5, actionItems: 6, openQuestions: 4, links: 10 },
  comprehensive: {
    overview: 6,
    keyPoints: 12,
    decisions: 10,
    actionItems: 12,
    openQuestions: 8,
    links: 25,
  },
};

/** Knobs tuned on DialogSum dev; exposed so the benchmark can compare variants. */
export interface ExtractiveTuning {
  /** Overview sentences per length; dialogues shorter than `shortDialogue` messages get one fewer. */
  limits: Record<SummaryLength, LengthLimits>;
  shortDialogue: number;
  /** MMR trade-off between relevance (1) and novelty (0). */
  lambda: number;
  /**
   * Weight of the "earlier is more important" prior: a short conversation states its topic early. It fades
   * for windows longer than 40 messages, where a channel holds many topics in turn.
   */
  positionWeight: number;
  /** Sentences with fewer content tokens than this are scaled down proportionally. */
  minContentTokens: number;
  /** Prefix each overview sentence with its author (`Alice: ...`). */
  speakerPrefix: boolean;
  /** Score sentences, or whole messages. */
  unit: 'sentence' | 'message';
  /** Overview stops adding sentences once it holds this many words (0: always use the full count). */
  wordBudget: Record<SummaryLength, number>;
  /** Drop leading interjections ("Well, oh, OK,") from overview sentences. */
  stripFillers: boolean;
  /** Multiplier for questions: a question states a topic less often than a statement does. */
  questionWeight: number;
}

/** The tuning the benchmark reports. */
export const DEFAULT_TUNING: ExtractiveTuning = {
  limits: LIMITS,
  shortDialogue: 12,
  lambda: 0.85,
  positionWeight: 1,
  minContentTokens: 3,
  speakerPrefix: false,
  unit: 'sentence',
  wordBudget: { brief: 0, detailed: 0, comprehensive: 0 },
  questionWeight: 1,
  stripFillers: true,
};

/** A sentence of the conversation and how central it is. */
export interface Unit {
  message: number;
  text: string;
  /** Its distinct content terms (ids, see `TermIds`) in order of first use, and their TF-IDF weights. */
  terms: number[];
  weights: number[];
  norm: number;
  score: number;
}

const DEVELOPER_CUE =
  /```|`[^`]+`|\b(error|exception|stack ?trace|bug|crash|fail(?:ed|ing|ure)?|traceback|null|undefined|timeout|PR|pull request|merge|commit|branch|deploy|release|build|test|CI|api|github\.com)\b|#\d+/i;
const EXECUTIVE_CUE =
  /\b(decid\w*|agreed|approved|deadline|budget|cost|revenue|customer|launch|priority|risk|q[1-4]|monday|tuesday|wednesday|thursday|friday|tomorrow|next week|january|february|march|april|may|june|july|august|september|october|november|december)\b|\$\s?\d|\d+\s?%|\b\d{4}-\d{2}-\d{2}\b/i;
const CODE_CUE = /```/;
const URL_ANYWHERE = /https?:\/\/\S+/g;

const LEADING_FILLERS =
  /^(?:(?:well|oh|ok|okay|yes|yeah|no|so|um|uh|hmm|hi|hello|hey|sure|right|alright|excuse me|sorry|thanks|thank you|wow|ah)\b[,.!]*\s+)+(?=\S)/i;

/** Interjections at the start of a sentence carry nothing a summary needs. */
export function withoutFillers(sentence: string): string {
  const rest = sentence.replace(LEADING_FILLERS, '');
  return rest.length >= 3 ? rest.charAt(0).toUpperCase() + rest.slice(1) : sentence;
}

/** Sentences of `turns`, most central first (at most `k`, one per message, redundancy penalised). */
export function centralSentences(
  turns: Turn[],
  k: number,
  focus: SummaryFocus,
  tuning: ExtractiveTuning,
): Unit[] {
  // Pushed, not mapped: an optimised map makes a holey array where the interpreter made a packed one, and
  // the code reading them then falls out of its optimised form (see buildConversation).
  const messages: NormalizedMessage[] = [];
  const sentences: string[][] = [];
  for (const t of turns) {
    messages.push(t.message);
    sentences.push(t.sentences);
  }
  terms.trim();
  const units = buildUnits(messages, sentences, tuning.unit);
  scoreUnits(units, messages, focus, tuning);
  return selectMmr(units, k, tuning.lambda).map((u) => ({ ...u, message: (turns[u.message] as Turn).index }));
}

// The window's terms, kept from topic to topic (see TermIds.trim).
const terms = new TermIds();
// Per term id, reused by every call and left zeroed (or stale, for the stamps): when a term was last seen
// (a unit or message stamp), where it stands in the current unit, its document frequency and weight in
// the centroid, and a unit's weights for the cosine.
let seenAt = new Int32Array(1024);
let positionIn = new Int32Array(1024);
let documents = new Int32Array(1024);
let centroid = new Float64Array(1024);
let scratch = new Float64Array(1024);
let stamp = 0;
const STAMP_LIMIT = 2 ** 30;

/** Room for `size` term ids (and fresh stamps, long before they could overflow). */
function grow(size: number): void {
  if (stamp > STAMP_LIMIT) {
    seenAt.fill(0);
    stamp = 0;
  }
  if (size <= seenAt.length) return;
  const length = Math.max(size, seenAt.length * 2);
  seenAt = new Int32Array(length);
  positionIn = new Int32Array(length);
  documents = new Int32Array(length);
  centroid = new Float64Array(length);
  scratch = new Float64Array(length);
  stamp = 0;
}

const TOKENS: number[] = [];

function buildUnits(
  messages: NormalizedMessage[],
  sentences: string[][],
  unit: ExtractiveTuning['unit'],
): Unit[] {
  const units: Unit[] = [];
  messages.forEach((m, message) => {
    const texts = unit === 'sentence' ? (sentences[message] ?? []) : [m.content.trim()];
    for (const text of texts) {
      // A URL's path words are not what the message says; links are listed separately.
      const tokens = TOKENS;
      tokens.length = 0;
      terms.contentTermsOf(text.includes('http') ? text.replace(URL_ANYWHERE, ' ') : text, tokens);
      // Term frequencies, the terms in order of first use (as a Map keyed by term would hold them).
      grow(terms.size);
      stamp++;
      const ids: number[] = [];
      const counts: number[] = [];
      for (const id of tokens) {
        if (seenAt[id] === stamp) {
          (counts[positionIn[id] as number] as number)++;
          continue;
        }
        seenAt[id] = stamp;
        positionIn[id] = ids.length;
        ids.push(id);
        counts.push(1);
      }
      units.push({ message, text, terms: ids, weights: counts, norm: 0, score: 0 });
    }
  });
  return units;
}

/** Weights every unit by TF-IDF, scores it against the centroid, applies priors. */
function scoreUnits(
  units: Unit[],
  messages: NormalizedMessage[],
  focus: SummaryFocus,
  tuning: ExtractiveTuning,
): void {
  // Document frequency over messages: a term every message uses says nothing about any one of them.
  let lastMessage = -1;
  for (const u of units) {
    if (u.message !== lastMessage) {
      stamp++;
      lastMessage = u.message;
    }
    for (const id of u.terms) {
      if (seenAt[id] === stamp) continue;
      seenAt[id] = stamp;
      documents[id] = (documents[id] as number) + 1;
    }
  }
  stamp++;
  const n = messages.length;
  const positionWeight = tuning.positionWeight * Math.min(1, 40 / n);
  // The centroid's terms in order of first use: its norm sums them in that order.
  const order: number[] = [];
  for (const u of units) {
    let norm = 0;
    const { terms: ids, weights } = u;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      const w = (weights[k] as number) * (Math.log((n + 1) / ((documents[id] as number) + 1)) + 1);
      weights[k] = w;
      norm += w * w;
      if (seenAt[id] !== stamp) {
        seenAt[id] = stamp;
        order.push(id);
      }
      centroid[id] = (centroid[id] as number) + w;
    }
    u.norm = Math.sqrt(norm);
  }
  let centroidNorm = 0;
  for (const id of order) centroidNorm += (centroid[id] as number) * (centroid[id] as number);
  centroidNorm = Math.sqrt(centroidNorm) || 1;

  for (const u of units) {
    const m = messages[u.message] as NormalizedMessage;
    let dot = 0;
    for (let k = 0; k < u.terms.length; k++)
      dot += (u.weights[k] as number) * (centroid[u.terms[k] as number] as number);
    let score = u.norm > 0 ? dot / (u.norm * centroidNorm) : 0;
    score *= Math.min(1, u.terms.length / tuning.minContentTokens);
    score += positionWeight * (1 - u.message / n);
    score *= focusBoost(u.text, m.content, focus);
    score *= 1 + 0.1 * Math.log1p(m.reactionCount);
    if (m.isBot) score *= 0.5;
    if (u.text.endsWith('?')) score *= tuning.questionWeight;
    u.score = score;
  }
  // Left zeroed for the next call.
  for (const id of order) {
    centroid[id] = 0;
    documents[id] = 0;
  }
}

/** How much a sentence matters to a reader with this focus (code for developers, reports for moderators…). */
export function focusBoost(sentence: string, message: string, focus: SummaryFocus): number {
  if (focus === 'developer') {
    return DEVELOPER_CUE.test(sentence) || CODE_CUE.test(message) ? 1.5 : 1;
  }
  if (focus === 'executive') {
    if (CODE_CUE.test(message)) return 0.6;
    return EXECUTIVE_CUE.test(sentence) || DECISION.test(fold(sentence)) ? 1.5 : 1;
  }
  if (focus === 'general') return 1;
  return concerns(focus, fold(sentence)) ? 1.5 : 1;
}

function cosine(a: Unit, b: Unit): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.terms.length <= b.terms.length ? [a, b] : [b, a];
  for (let k = 0; k < large.terms.length; k++) scratch[large.terms[k] as number] = large.weights[k] as number;
  let dot = 0;
  for (let k = 0; k < small.terms.length; k++)
    dot += (small.weights[k] as number) * (scratch[small.terms[k] as number] as number);
  for (const id of large.terms) scratch[id] = 0;
  return dot / (a.norm * b.norm);
}

/**
 * Maximal marginal relevance over the best candidates only (a bounded pool), so selection costs O(k²)
 * for k picks regardless of how many messages there are.
 */
function selectMmr(units: Unit[], k: number, lambda: number): Unit[] {
  const pool = topRanked(units, Math.max(4 * k, 30), (a, b) => b.score - a.score || a.message - b.message);
  const chosen: Unit[] = [];
  const chosenMessages = new Set<number>();
  while (chosen.length < k) {
    let best: Unit | undefined;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const u of pool) {
      if (chosen.includes(u) || chosenMessages.has(u.message)) continue;
      let redundancy = 0;
      for (const c of chosen) redundancy = Math.max(redundancy, cosine(u, c));
      const value = lambda * u.score - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = u;
      }
    }
    if (!best) break;
    chosen.push(best);
    chosenMessages.add(best.message);
  }
  return chosen;
}
