import { endsWithQuestionMark } from '../text.ts';
import type { Conversation, Turn } from './conversation.ts';
import {
  ACKNOWLEDGEMENT,
  AGREEMENT,
  ANSWER_START,
  ASKS_A_FACT,
  BUMP,
  DECISION,
  LAUGHTER,
  NON_ANSWER,
  QUESTION_START,
  REQUEST,
  SELF_RESOLVED,
  SMALL_TALK,
  shows,
  TEMPORAL,
  TOPIC_SHIFT,
  WHOLE,
  YES_NO,
} from './cues.ts';
import { firstAfter } from './ranking.ts';
import type { Topics } from './topics.ts';
import { fold, readingWords, wordCount, wordCountUpTo } from './words.ts';

/** A question asked in the window and, when someone answered it, the answer. */
export interface Question {
  turn: number;
  /** Index of the question sentence in the turn. */
  sentence: number;
  /** Set when it was answered: the answering turn. */
  answer?: number;
  /** Set when the asker asked again later ("bumping my question"): someone waits for its answer. */
  bumped?: boolean;
  /** Set when the asker answered it themselves ("nvm, found it: …"). */
  byAsker?: boolean;
  /** True when the question proposes a plan ("should we…?", "can we…?") rather than asks for facts. */
  proposal: boolean;
}

// How far after a question an unreferenced answer may come: the next few messages, within half an hour.
const NEXT_TURNS = 5;
const NEXT_MS = 45 * 60 * 1000;
// How far a mention or a "bump" may reach back.
const FAR_TURNS = 150;

const PROPOSAL_QUESTION =
  /\b(?:should|shall|can|could) we\b|\b(?:what|how) about\b|\bdo we want\b|\binstead\b|\b(?:sollen|konnen|wollen) wir\b|\bon (?:fait|pourrait)\b|\b(?:podemos|hacemos|vamos)\b|\b(?:zullen|kunnen) we\b/;

// Japanese asks at the end of the sentence ("…進めていますか", "…でしょうか"), often without "？".
const ASKING_ENDING = /(?:ですか|ますか|でしょうか|ませんか|ましたか)[。\s]*$/u;

/** ASKING_ENDING, looked for only in a sentence whose last letter is "か" (most sentences are not). */
function asksAtEnd(sentence: string): boolean {
  let i = sentence.length - 1;
  while (i >= 0 && (sentence.charCodeAt(i) <= 32 || sentence.charCodeAt(i) === 0x3002)) i--;
  return i >= 0 && sentence.charCodeAt(i) === 0x304b && ASKING_ENDING.test(sentence);
}

/** Whether a sentence asks something (a "?", an interrogative opening or ending) worth listing. */
export function isQuestion(sentence: string, folded: string, words: number): boolean {
  if (words < 2) return false;
  if (ENDS_ASKING.test(sentence) || QUESTION_MARK.test(sentence.slice(-3))) return true;
  if (asksAtEnd(sentence)) return true;
  return QUESTION_START.test(folded) && !ENDS_STATING.test(sentence.trim()) && words >= 3;
}

// Made once (a literal makes a RegExp object each time it is reached): every sentence is tested.
// "?" in any script: the fullwidth "？" of Chinese and Japanese too.
const QUESTION_MARK = /[?？]/;
// A "?" at the end, or before a short tail ("? 🙂", "? lol").
const ENDS_ASKING = /[?？]\s*(?:\S{1,3}\s*)?$/u;
const ENDS_STATING = /[.!。！]$/;

/**
 * Finds the questions of a conversation and their answers: a reply to the question, a message mentioning
 * the asker on the question's words, or the next on-topic message from someone else that is not itself a
 * non-answer ("no idea", "good question") or small talk.
 */
export function findQuestions(conversation: Conversation, topics: Topics): Question[] {
  const { turns } = conversation;
  const index = indexTurns(turns);
  const questions: Question[] = [];
  for (const turn of turns) {
    if (turn.message.isBot) continue;
    const question = questionOf(turn, turns, index, topics);
    if (question) questions.push(question);
  }
  // A question asked again later ("bumping my question", "anyone tested X yet?") is one question: keep the
  // last asking, answered if any asking was.
  return questions;
}

/** Where a question looks for its answer: replies by parent, turns addressing someone, each author's turns. */
interface TurnIndex {
  repliesTo: Map<number, number[]>;
  /** The turns that address someone, in order: a question looks for its asker among them only. */
  addressing: number[];
  /** Each author's turns in order: a question looks among its asker's next few for "nvm, found it". */
  byAuthor: Map<string, number[]>;
}

function indexTurns(turns: Turn[]): TurnIndex {
  // Made before the loop, and only returned after it: the loop's optimised code had no type feedback for
  // an object made after it, and fell out there every summary.
  const index: TurnIndex = { repliesTo: new Map(), addressing: [], byAuthor: new Map() };
  const { repliesTo, addressing, byAuthor } = index;
  for (const t of turns) {
    if (t.addressed.length > 0) addressing.push(t.index);
    let own = byAuthor.get(t.author);
    if (!own) {
      own = [];
      byAuthor.set(t.author, own);
    }
    own.push(t.index);
    if (t.replyTo === undefined) continue;
    const list = repliesTo.get(t.replyTo) ?? [];
    list.push(t.index);
    repliesTo.set(t.replyTo, list);
  }
  return index;
}

// A function per turn, called from a short loop: as the loop's body, it was compiled twice per process (for
// the loop's on-stack replacement, then for the next call), the longest compile jobs of a summary.
/** The question a turn asks, with its answer when someone (or the asker) gave one; undefined when it asks none. */
function questionOf(turn: Turn, turns: Turn[], index: TurnIndex, topics: Topics): Question | undefined {
  const { repliesTo, addressing, byAuthor } = index;
  const sentence = questionSentence(turn);
  if (sentence === undefined) return undefined;
  const folded = turn.folded[sentence] ?? '';
  // A request ("can you bring…?") is an action item, not a question to answer.
  if (shows(turn, REQUEST, sentence) && !ASKS_WHO_KNOWS.test(folded) && !ASKS_ANYONE.test(folded))
    return undefined;
  // Every field is set here, in one order: questions answered, bumped or not share one shape.
  const question: Question = {
    turn: turn.index,
    sentence,
    answer: undefined,
    bumped: undefined,
    byAsker: undefined,
    // "does the hotfix land before thursday?" asks a fact with a day in it: no plan.
    proposal:
      PROPOSAL_QUESTION.test(folded) || (shows(turn, TEMPORAL, sentence) && !ASKS_A_FACT.test(folded)),
  };
  let answer = findAnswer(turns, turn, repliesTo, addressing, topics);
  // Asked again later ("bumping the christmas eve question"): what came before did not settle it, and it
  // is a question to answer, whatever it proposed.
  const bump = bumpedBy(turns, turn, answer ?? turn.index, byAuthor.get(turn.author) ?? []);
  if (bump !== undefined) {
    question.proposal = false;
    question.bumped = true;
    answer = findAnswer(turns, turns[bump] as Turn, repliesTo, addressing, topics);
  }
  if (answer !== undefined) question.answer = answer;
  else {
    const own = resolvedByAsker(turns, turn, byAuthor.get(turn.author) ?? []);
    if (own !== undefined) {
      question.answer = own;
      question.byAsker = true;
    }
  }
  return question;
}

// A request that asks who knows or has something ("anyone tested X?") is still a question.
const ASKS_WHO_KNOWS =
  /\b(?:who|anyone|anybody|someone|alguien|alguem|jemand|quelqu'un)\b.*\b(?:know|knows|have|has|tested|tried|seen)\b/;
const ASKS_ANYONE = /^(?:does|do|is|are|has|have) (?:anyone|anybody|someone)\b/;

/** The first sentence of a turn that asks something (see `isQuestion`), not counting small talk. */
function questionSentence(turn: Turn): number | undefined {
  for (let i = 0; i < turn.sentences.length; i++) {
    const s = turn.sentences[i] as string;
    const folded = turn.folded[i] ?? '';
    // Neither a "?" nor a question word: not a question, whatever its length (most sentences end here).
    if (!QUESTION_MARK.test(s) && !QUESTION_START.test(folded) && !asksAtEnd(s)) continue;
    // What follows asks for fewer than five words: a long sentence is not counted to its end.
    const words = turn.plain ? wordCountUpTo(folded, 5) : readingWords(folded);
    if (!isQuestion(s, folded, words)) continue;
    if (shows(turn, SMALL_TALK, i) && words < 5) continue;
    return i;
  }
  return undefined;
}

// How many of the asker's later messages are looked at for a bump of their question.
const BUMP_TURNS = 20;

/** The asker's later message, after `after`, that asks the question again ("anyone? about the paprika import"). */
function bumpedBy(turns: Turn[], q: Turn, after: number, own: number[]): number | undefined {
  const end = q.index + FAR_TURNS;
  for (let k = firstAfter(own, after), seen = 0; k < own.length && seen < BUMP_TURNS; k++, seen++) {
    const j = own[k] as number;
    if (j >= end) break;
    const t = turns[j] as Turn;
    if (t.thread !== q.thread) continue;
    if (!shows(t, BUMP, WHOLE)) continue;
    if (shares(q, t) >= 1 || t.words.size <= 2) return j;
  }
  return undefined;
}

// How many of the asker's next messages may say they found the answer themselves.
const ASKER_TURNS = 4;

/** The asker's later message saying they found the answer ("nvm, found it in the release notes: …"). */
function resolvedByAsker(turns: Turn[], q: Turn, own: number[]): number | undefined {
  const end = q.index + FAR_TURNS;
  for (let k = firstAfter(own, q.index), seen = 0; k < own.length && seen < ASKER_TURNS; k++, seen++) {
    const j = own[k] as number;
    if (j >= end) break;
    const t = turns[j] as Turn;
    if (t.thread !== q.thread) continue;
    if (SELF_RESOLVED.test(t.folded[0] ?? '')) return j;
  }
  return undefined;
}

/**
 * What the asker's own answer says, without the "nvm, found it…" that announces it: the clause after its
 * colon ("nvm, found it in the release notes: postgres 16 is supported since 4.0"), or after the opener.
 */
export function resolutionClause(text: string): string {
  const colon = /(?<=[^\d\s])[:：]\s+(?=\S)/u.exec(text);
  if (colon && SELF_RESOLVED.test(fold(text.slice(0, colon.index))))
    return text.slice(colon.index + colon[0].length);
  const folded = fold(text);
  const opener = SELF_RESOLVED.exec(folded);
  // Folding keeps the positions of most text; when it does not, the whole text is kept.
  if (opener && folded.length === text.length) {
    const rest = text.slice(opener[0].length).replace(/^[\s,.!:;-]+/u, '');
    if (wordCount(rest) >= 2) return rest;
  }
  return text;
}

const DIGIT = /\d/;

/** Whether a turn answers nothing; `reply`: it is a Discord reply to the question. */
function isNonAnswer(t: Turn, reply = false): boolean {
  // A bot's ping ("GG @Zosia, you reached level 9!") answers nobody's question.
  if (t.message.isBot) return true;
  if (t.words.size === 0 && !DIGIT.test(t.text)) return !YES_NO.test(t.folded[0] ?? '');
  // "bumping the design review question, anyone know?" asks again; it answers nothing.
  return shows(t, NON_ANSWER, 0) || (shows(t, SMALL_TALK, 0) && !(reply && saysMore(t))) || shows(t, BUMP, 0);
}

/**
 * Whether a message opening with a greeting goes on to say something ("welcome Sam! just closed shoes…",
 * "välkommen! nej, du behöver gå introt först"): a newcomer's question is often answered so. Only for a
 * Discord reply to the question: a message that merely follows and greets ("hi Bill! how are you?") more
 * often opens a conversation of its own (DialogSum's dev ROUGE-2 fell when every one counted).
 */
function saysMore(t: Turn): boolean {
  for (let i = 1; i < t.folded.length; i++)
    if (!shows(t, SMALL_TALK, i) && wordCountUpTo(t.folded[i] as string, 2) >= 2) return true;
  return false;
}

// A reply opening with yes or no, and how soon after the question it answers it without a reply reference.
const YES_NO_START =
  /^(?:yes|yeah|yep|yup|no|nope|nah|ja|nein|oui|non|si|sim|nao|tak|nie|nee|nej|да|нет|はい|いいえ)\b/u;
const YES_NO_MS = 15 * 60 * 1000;

function findAnswer(
  turns: Turn[],
  q: Turn,
  repliesTo: Map<number, number[]>,
  addressing: number[],
  topics: Topics,
): number | undefined {
  // 1. Replies to the question, by someone else; a reply asking back ("which version?") only when no
  // other reply answers.
  let askingBack: number | undefined;
  for (const r of repliesTo.get(q.index) ?? []) {
    const reply = turns[r] as Turn;
    if (reply.author === q.author || isNonAnswer(reply, true)) continue;
    if (!endsWithQuestionMark(reply.text)) return r;
    askingBack ??= r;
  }
  if (askingBack !== undefined) return askingBack;
  // 2. A message addressing the asker that shares the question's words, or that comes right after it
  // ("did someone refill the generator?" "@Marco Jess did it this morning").
  const end = Math.min(turns.length, q.index + FAR_TURNS);
  for (let k = firstAfter(addressing, q.index); k < addressing.length; k++) {
    const j = addressing[k] as number;
    if (j >= end) break;
    const t = turns[j] as Turn;
    if (t.author === q.author || !t.addressed.includes(q.author)) continue;
    if (t.replyTo !== undefined || isNonAnswer(t)) continue;
    const soon = j - q.index <= NEXT_TURNS && t.time - q.time <= NEXT_MS && !endsWithQuestionMark(t.text);
    if (soon || shares(q, t) >= 1) return j;
  }
  // 3. The next on-topic message from someone else.
  const topic = topics.topicOf[q.index];
  let seen = 0;
  for (let j = q.index + 1; j < turns.length && seen < NEXT_TURNS; j++) {
    const t = turns[j] as Turn;
    if (t.time - q.time > NEXT_MS) break;
    if (t.author === q.author) continue;
    if (t.replyTo !== undefined && t.replyTo !== q.index) continue;
    if (q.thread !== t.thread) continue;
    seen++;
    if (isNonAnswer(t)) continue;
    // Laughing at it ("haha die finale van vorig jaar was chaos 😂") or asking a third person to do something
    // ("Davide, puoi controllare…") answers nobody's question.
    if (
      LAUGHTER.test(t.text) ||
      (shows(t, REQUEST, 0) && t.addressed.length > 0 && !t.addressed.includes(q.author))
    )
      continue;
    const shared = shares(q, t);
    if (shows(t, TOPIC_SHIFT, 0) && shared === 0) break;
    // "is the pond bit safe for kids?" "yes if they stay on the decking side…": a yes or no right after a
    // question answers it, whatever the topic split made of words the two do not share.
    const onTopic =
      topics.topicOf[j] === topic || (YES_NO_START.test(t.folded[0] ?? '') && t.time - q.time <= YES_NO_MS);
    const isQ = endsWithQuestionMark(t.text);
    if (shared >= 1 && (!isQ || shared >= 2)) return j;
    if (
      onTopic &&
      !isQ &&
      seen === 1 &&
      (shows(t, ANSWER_START, 0) ||
        shows(t, AGREEMENT, 0) ||
        shows(t, ACKNOWLEDGEMENT, 0) ||
        // "when do we meet?" "let's do thursday evening": the plan answers it.
        shows(t, DECISION, 0))
    )
      return j;
  }
  return undefined;
}

function shares(a: Turn, b: Turn): number {
  const words = a.words.list;
  let n = 0;
  for (let i = 0; i < words.length; i++) if (b.words.has(words[i] as string)) n++;
  return n;
}
