import type { SummaryFocus, SummaryLength } from '../tasks/task.ts';
import { speakerLine } from './plain-text.ts';
import type { KeyPoint, NormalizedMessage, SummarizeOptions, Summarizer, Summary } from './summarizer.ts';
import { clip, contentTokens, findUrls, splitSentences } from './text.ts';

/** How many items of each kind a summary of a given length holds. */
export interface LengthLimits {
  overview: number;
  keyPoints: number;
  decisions: number;
  actionItems: number;
  openQuestions: number;
  links: number;
}

const LIMITS: Record<SummaryLength, LengthLimits> = {
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
  speakerPrefix: true,
  unit: 'sentence',
  wordBudget: { brief: 0, detailed: 0, comprehensive: 0 },
  questionWeight: 1,
  stripFillers: true,
};

export const EXTRACTIVE_FOOTER = 'Made by the built-in extractive summarizer';

interface Unit {
  message: number;
  text: string;
  vector: Map<string, number>;
  norm: number;
  score: number;
}

const DECISION_CUE =
  /\b(we(?:'ve| have)? decided|decided to|decision:|let'?s go with|we'?ll go with|going with|agreed|we agree|consensus|settled on|approved|final call)\b/i;
const ACTION_SELF =
  /\b(i'?ll|i will|i'm going to|i am going to|i can take|i'll take|todo|to-do|action item|ai:|will do)\b/i;
const ACTION_REQUEST = /\b(can you|could you|would you|will you|please)\b/i;
const MENTION_WILL = /(?:^|\s)@([\w.-]+)\s+(?:will|to|should|can you|please)\b/i;
const MENTION = /(?:^|\s)@([\w.-]+)/;
const ADDRESSED = /^([A-Z][\w.-]{1,30}),\s+(?:can|could|would|will|please)\b/;
const ANSWER_START =
  /^(yes|yeah|yep|yup|no|nope|nah|sure|i think|probably|because|it'?s|it is|we|you can|use|try|maybe|not yet|done)\b/i;

const DEVELOPER_CUE =
  /```|`[^`]+`|\b(error|exception|stack ?trace|bug|crash|fail(?:ed|ing|ure)?|traceback|null|undefined|timeout|PR|pull request|merge|commit|branch|deploy|release|build|test|CI|api|github\.com)\b|#\d+/i;
const EXECUTIVE_CUE =
  /\b(decid\w*|agreed|approved|deadline|budget|cost|revenue|customer|launch|priority|risk|q[1-4]|monday|tuesday|wednesday|thursday|friday|tomorrow|next week|january|february|march|april|may|june|july|august|september|october|november|december)\b|\$\s?\d|\d+\s?%|\b\d{4}-\d{2}-\d{2}\b/i;
const CODE_CUE = /```/;
const URL_ANYWHERE = /https?:\/\/\S+/g;

/** The built-in summarizer: TF-IDF centroid scoring with an MMR redundancy penalty. No network, deterministic. */
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
  const messages = chronological(input);
  const first = messages[0];
  const last = messages[messages.length - 1];
  if (!first || !last) return emptySummary();

  const limits = tuning.limits[options.length];
  // Split once: scoring and every cue finder below read the same sentences.
  const sentences = messages.map((m) => splitSentences(m.content));
  const units = buildUnits(messages, sentences, tuning.unit);
  const centroid = scoreUnits(units, messages, options.focus ?? 'general', tuning);

  const overviewCount = Math.max(
    1,
    messages.length < tuning.shortDialogue ? limits.overview - 1 : limits.overview,
  );
  const ranked = selectMmr(units, Math.max(overviewCount, limits.keyPoints), tuning.lambda);
  const overviewUnits = withinBudget(ranked.slice(0, overviewCount), tuning.wordBudget[options.length]).sort(
    (a, b) => a.message - b.message,
  );
  const line = (u: Unit) => {
    const text = tuning.stripFillers ? withoutFillers(u.text) : u.text;
    return tuning.speakerPrefix ? speakerLine(authorOf(messages, u.message), text) : terminate(text);
  };
  const overview = overviewUnits.map(line).join(' ');

  const keyPoints = ranked
    .slice(0, limits.keyPoints)
    .sort((a, b) => a.message - b.message)
    .map((u) => pointFor(messages, u.message, u.text));

  const best = bestUnitPerMessage(units);
  const participants = countParticipants(messages);
  return {
    title: titleFrom(centroid, participants),
    overview,
    keyPoints,
    decisions: pick(findDecisions(messages, sentences), best, limits.decisions),
    actionItems: pick(findActionItems(messages, sentences), best, limits.actionItems),
    openQuestions: pick(findOpenQuestions(messages, sentences), best, limits.openQuestions),
    participants,
    links: findLinks(messages).slice(0, limits.links),
    stats: {
      messages: messages.length,
      participants: participants.length,
      from: first.timestamp,
      to: last.timestamp,
    },
    footer: EXTRACTIVE_FOOTER,
  };
}

/** What any summarizer reports the same way: who took part, which links were shared, the window. */
export function conversationFacts(
  input: NormalizedMessage[],
  length: SummaryLength,
): Pick<Summary, 'participants' | 'links' | 'stats'> {
  const messages = chronological(input);
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
    title: 'Nothing to summarize',
    overview: 'There were no messages to summarize in this period.',
    keyPoints: [],
    decisions: [],
    actionItems: [],
    openQuestions: [],
    participants: [],
    links: [],
    stats: { messages: 0, participants: 0, from: '', to: '' },
    footer: EXTRACTIVE_FOOTER,
  };
}

/** Messages in time order; equal or unreadable timestamps keep their input order. */
export function chronological(messages: NormalizedMessage[]): NormalizedMessage[] {
  // Stable sort: equal timestamps keep their input order, so the output stays deterministic.
  return messages
    .map((m, i) => ({ m, i, t: Date.parse(m.timestamp) }))
    .sort((a, b) => (a.t === b.t || Number.isNaN(a.t - b.t) ? a.i - b.i : a.t - b.t))
    .map((x) => x.m);
}

function authorOf(messages: NormalizedMessage[], index: number): string {
  return messages[index]?.authorName ?? 'unknown';
}

const LEADING_FILLERS =
  /^(?:(?:well|oh|ok|okay|yes|yeah|no|so|um|uh|hmm|hi|hello|hey|sure|right|alright|excuse me|sorry|thanks|thank you|wow|ah)\b[,.!]*\s+)+(?=\S)/i;

/** Interjections at the start of a sentence carry nothing a summary needs. */
function withoutFillers(sentence: string): string {
  const rest = sentence.replace(LEADING_FILLERS, '');
  return rest.length >= 3 ? rest.charAt(0).toUpperCase() + rest.slice(1) : sentence;
}

function terminate(sentence: string): string {
  return /[.!?…"')\]]$/.test(sentence) ? sentence : `${sentence}.`;
}

function buildUnits(
  messages: NormalizedMessage[],
  sentences: string[][],
  unit: ExtractiveTuning['unit'],
): Unit[] {
  const units: Unit[] = [];
  messages.forEach((m, message) => {
    const texts = unit === 'sentence' ? (sentences[message] ?? []) : [m.content.trim()];
    for (const text of texts) {
      const vector = new Map<string, number>();
      // A URL's path words are not what the message says; links are listed separately.
      for (const token of contentTokens(text.replace(URL_ANYWHERE, ' ')))
        vector.set(token, (vector.get(token) ?? 0) + 1);
      units.push({ message, text, vector, norm: 0, score: 0 });
    }
  });
  return units;
}

/** Weights every unit by TF-IDF, scores it against the centroid, applies priors. Returns the centroid. */
function scoreUnits(
  units: Unit[],
  messages: NormalizedMessage[],
  focus: SummaryFocus,
  tuning: ExtractiveTuning,
): Map<string, number> {
  // Document frequency over messages: a term every message uses says nothing about any one of them.
  const df = new Map<string, number>();
  let lastMessage = -1;
  let seen = new Set<string>();
  for (const u of units) {
    if (u.message !== lastMessage) {
      seen = new Set();
      lastMessage = u.message;
    }
    for (const term of u.vector.keys()) {
      if (seen.has(term)) continue;
      seen.add(term);
      df.set(term, (df.get(term) ?? 0) + 1);
    }
  }
  const n = messages.length;
  const positionWeight = tuning.positionWeight * Math.min(1, 40 / n);
  const centroid = new Map<string, number>();
  for (const u of units) {
    let norm = 0;
    for (const [term, tf] of u.vector) {
      const w = tf * (Math.log((n + 1) / ((df.get(term) ?? 0) + 1)) + 1);
      u.vector.set(term, w);
      norm += w * w;
      centroid.set(term, (centroid.get(term) ?? 0) + w);
    }
    u.norm = Math.sqrt(norm);
  }
  let centroidNorm = 0;
  for (const w of centroid.values()) centroidNorm += w * w;
  centroidNorm = Math.sqrt(centroidNorm) || 1;

  for (const u of units) {
    const m = messages[u.message] as NormalizedMessage;
    let dot = 0;
    for (const [term, w] of u.vector) dot += w * (centroid.get(term) ?? 0);
    let score = u.norm > 0 ? dot / (u.norm * centroidNorm) : 0;
    score *= Math.min(1, u.vector.size / tuning.minContentTokens);
    score += positionWeight * (1 - u.message / n);
    score *= focusBoost(u.text, m.content, focus);
    score *= 1 + 0.1 * Math.log1p(m.reactionCount);
    if (m.isBot) score *= 0.5;
    if (u.text.endsWith('?')) score *= tuning.questionWeight;
    u.score = score;
  }
  return centroid;
}

function focusBoost(sentence: string, message: string, focus: SummaryFocus): number {
  if (focus === 'developer') {
    return DEVELOPER_CUE.test(sentence) || CODE_CUE.test(message) ? 1.5 : 1;
  }
  if (focus === 'executive') {
    if (CODE_CUE.test(message)) return 0.6;
    return EXECUTIVE_CUE.test(sentence) || DECISION_CUE.test(sentence) ? 1.5 : 1;
  }
  return 1;
}

/** The leading units whose words fit the budget (always at least one). */
function withinBudget(units: Unit[], budget: number): Unit[] {
  if (budget <= 0) return units;
  const kept: Unit[] = [];
  let words = 0;
  for (const u of units) {
    if (kept.length > 0 && words >= budget) break;
    kept.push(u);
    words += u.text.split(/\s+/).length;
  }
  return kept;
}

function cosine(a: Unit, b: Unit): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.vector.size <= b.vector.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [term, w] of small.vector) dot += w * (large.vector.get(term) ?? 0);
  return dot / (a.norm * b.norm);
}

/**
 * Maximal marginal relevance over the best candidates only (a bounded pool), so selection costs O(k²)
 * for k picks regardless of how many messages there are.
 */
function selectMmr(units: Unit[], k: number, lambda: number): Unit[] {
  const pool = [...units]
    .sort((a, b) => b.score - a.score || a.message - b.message)
    .slice(0, Math.max(4 * k, 30));
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

function pointFor(messages: NormalizedMessage[], index: number, sentence: string): KeyPoint {
  const m = messages[index] as NormalizedMessage;
  // A short message reads better whole; a long one is represented by its best sentence.
  const text = m.content.length <= 200 ? m.content : sentence;
  return { text: clip(`${m.authorName}: ${text}`, 240), sources: [m.jumpLink] };
}

function bestUnitPerMessage(units: Unit[]): Map<number, Unit> {
  const best = new Map<number, Unit>();
  for (const u of units) {
    const current = best.get(u.message);
    if (!current || u.score > current.score) best.set(u.message, u);
  }
  return best;
}

interface Candidate<T extends KeyPoint> {
  message: number;
  point: T;
}

/** Keeps the `limit` highest-scoring candidates, shown in conversation order. */
function pick<T extends KeyPoint>(candidates: Candidate<T>[], best: Map<number, Unit>, limit: number): T[] {
  return candidates
    .map((c) => ({ ...c, score: best.get(c.message)?.score ?? 0 }))
    .sort((a, b) => b.score - a.score || a.message - b.message)
    .slice(0, limit)
    .sort((a, b) => a.message - b.message)
    .map((c) => c.point);
}

function findDecisions(messages: NormalizedMessage[], sentences: string[][]): Candidate<KeyPoint>[] {
  const found: Candidate<KeyPoint>[] = [];
  messages.forEach((m, message) => {
    const sentence = (sentences[message] ?? []).find((s) => DECISION_CUE.test(s) && !s.endsWith('?'));
    if (sentence) {
      found.push({
        message,
        point: { text: clip(`${m.authorName}: ${sentence}`, 240), sources: [m.jumpLink] },
      });
    }
  });
  return found;
}

function findActionItems(
  messages: NormalizedMessage[],
  sentences: string[][],
): Candidate<KeyPoint & { owner?: string }>[] {
  const found: Candidate<KeyPoint & { owner?: string }>[] = [];
  messages.forEach((m, message) => {
    for (const sentence of sentences[message] ?? []) {
      const owner = actionOwner(messages, message, sentence);
      if (owner === null) continue;
      const point: KeyPoint & { owner?: string } = {
        text: clip(`${m.authorName}: ${sentence}`, 240),
        sources: [m.jumpLink],
      };
      if (owner) point.owner = owner;
      found.push({ message, point });
      break;
    }
  });
  return found;
}

/** The owner of an action item in `sentence`; `undefined` when unknown, `null` when it is no action item. */
function actionOwner(
  messages: NormalizedMessage[],
  index: number,
  sentence: string,
): string | undefined | null {
  const m = messages[index] as NormalizedMessage;
  const mentionWill = MENTION_WILL.exec(sentence);
  if (mentionWill?.[1]) return mentionWill[1];
  if (ACTION_REQUEST.test(sentence)) {
    const addressed = ADDRESSED.exec(sentence)?.[1] ?? MENTION.exec(sentence)?.[1];
    if (addressed) return addressed;
    // An unaddressed request is owned by whoever answers it next.
    for (let j = index + 1; j < Math.min(messages.length, index + 4); j++) {
      const reply = messages[j] as NormalizedMessage;
      if (reply.authorName !== m.authorName) return reply.authorName;
    }
    return undefined;
  }
  if (ACTION_SELF.test(sentence) && !sentence.endsWith('?')) return m.authorName;
  return null;
}

const ANSWER_WINDOW = 8;

function findOpenQuestions(messages: NormalizedMessage[], sentences: string[][]): Candidate<KeyPoint>[] {
  const found: Candidate<KeyPoint>[] = [];
  messages.forEach((m, message) => {
    const question = (sentences[message] ?? []).find(
      (s) => s.endsWith('?') && !ACTION_REQUEST.test(s) && contentTokens(s).length >= 2,
    );
    if (!question || answered(messages, message, question)) return;
    found.push({
      message,
      point: { text: clip(`${m.authorName}: ${question}`, 240), sources: [m.jumpLink] },
    });
  });
  return found;
}

/** A question counts as answered when a later message by someone else looks like a reply to it. */
function answered(messages: NormalizedMessage[], index: number, question: string): boolean {
  const asker = messages[index] as NormalizedMessage;
  const terms = new Set(contentTokens(question));
  const askerName = asker.authorName.toLowerCase();
  for (let j = index + 1; j < Math.min(messages.length, index + 1 + ANSWER_WINDOW); j++) {
    const reply = messages[j] as NormalizedMessage;
    if (reply.authorName === asker.authorName) continue;
    const text = reply.content.trim();
    if (ANSWER_START.test(text)) return true;
    if (text.toLowerCase().includes(`@${askerName}`)) return true;
    if (!text.endsWith('?') && contentTokens(text).some((t) => terms.has(t))) return true;
  }
  return false;
}

function countParticipants(messages: NormalizedMessage[]): Summary['participants'] {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.authorName, (counts.get(m.authorName) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, messages: count }))
    .sort((a, b) => b.messages - a.messages || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function findLinks(messages: NormalizedMessage[]): Summary['links'] {
  const seen = new Set<string>();
  const links: Summary['links'] = [];
  for (const m of messages) {
    for (const url of findUrls(m.content)) {
      if (seen.has(url)) continue;
      seen.add(url);
      links.push({ url, sharedBy: m.authorName });
    }
  }
  return links;
}

// Words that carry a message's intent (deciding, asking) but never name what the talk was about.
const NOT_A_TOPIC = new Set(
  'decided decide decision agreed agree check checked think thought please thanks thank need needs want wants know make sure going let lets question questions help done update updated look looks'.split(
    ' ',
  ),
);

function titleFrom(centroid: Map<string, number>, participants: Summary['participants']): string {
  const names = new Set(participants.map((p) => p.name.toLowerCase()));
  const terms = [...centroid]
    .filter(([term]) => term.length > 2 && !/^\d+$/.test(term) && !names.has(term) && !NOT_A_TOPIC.has(term))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([term]) => term);
  if (terms.length === 0) return 'Conversation summary';
  // The dominant terms read as a list of topics, not as a sentence.
  const list =
    terms.length === 1 ? terms[0] : `${terms.slice(0, -1).join(', ')} and ${terms[terms.length - 1]}`;
  return `Topics: ${list}`;
}
