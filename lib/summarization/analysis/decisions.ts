import { endsWithQuestionMark } from '../text.ts';
import type { Conversation, Turn } from './conversation.ts';
import {
  AGREEMENT,
  ANNOUNCING_LABEL,
  ASKS_A_FACT,
  CORRECTED_PLAN,
  DECISION,
  LEADING_FILLER,
  PROPOSAL,
  REQUEST,
  SELF_COMMITMENT,
  SMALL_TALK,
  shows,
  TEMPORAL,
  WHOLE,
} from './cues.ts';
import type { Question } from './questions.ts';
import type { Topics } from './topics.ts';
import { fold, wordCount } from './words.ts';

/** A decision: the sentence that settles something, and the messages that settled it. */
export interface Decision {
  /** The turn holding the deciding sentence. */
  turn: number;
  sentence: number;
  /** Turns that carried it: proposal, agreements, confirmations. */
  support: number[];
  /** How many people other than the proposer agreed or confirmed. */
  agreements: number;
  topic: number;
  /** Later decision that replaced it, when one did. */
  supersededBy?: number;
}

// How many later messages may hold agreement with a proposal.
const AGREEMENT_REACH = 6;
const AGREEMENT_MS = 3 * 60 * 60 * 1000;
const COUNTER = /\b(?:but|aber|mais|pero|mas|however|though|tho|not|nicht|pas|no|maar|niet|ale|nie)\b/;

/**
 * Finds decisions: stated ones ("then we…", "let's…", "ok: …"), and proposals others agreed to. A short
 * confirmation ("medium it is", "ok then") counts for the proposal it confirms rather than standing alone,
 * and a later decision on the same thing supersedes an earlier one.
 */
export function findDecisions(
  conversation: Conversation,
  topics: Topics,
  questions: readonly Question[] = [],
): Decision[] {
  const { turns } = conversation;
  const decisions: Decision[] = [];
  const byTurn = new Map<number, Decision>();
  for (const turn of turns) {
    if (turn.message.isBot) continue;
    const stated = statedDecision(turn);
    if (stated !== undefined) {
      // "ship it" as a joke under a cat photo: a bare cue decides nothing unless it confirms a plan.
      const bare = turn.words.size < 2;
      const confirmed = confirmedDecision(turn, stated, turns, decisions, topics);
      if (confirmed) {
        if (!confirmed.support.includes(turn.index)) confirmed.support.push(turn.index);
        confirmed.agreements++;
        // "ok, saturday 6pm then" after "saturday instead?": the confirmation says it more exactly.
        if (addsWords(turn, confirmed, turns)) {
          confirmed.turn = turn.index;
          confirmed.sentence = stated;
        }
        continue;
      }
      if (bare) continue;
      const d: Decision = {
        turn: turn.index,
        sentence: stated,
        support: [turn.index],
        agreements: 0,
        topic: topics.topicOf[turn.index] as number,
      };
      decisions.push(d);
      byTurn.set(turn.index, d);
      continue;
    }
    const proposal = proposalSentence(turn);
    if (proposal === undefined) continue;
    const agreeing = agreementsTo(turn, turns, topics);
    const announced = !shows(turn, PROPOSAL, proposal) && !/\?/.test(turn.sentences[proposal] ?? '');
    // An announcement ("raid saturday 20:00, react if you're in") needs more than one person to say yes.
    if (agreeing.length < (announced ? 2 : 1) && turn.message.reactionCount < 2) continue;
    const d: Decision = {
      turn: turn.index,
      sentence: proposal,
      support: [turn.index, ...agreeing],
      agreements: agreeing.length + Math.min(turn.message.reactionCount, 3),
      topic: topics.topicOf[turn.index] as number,
    };
    decisions.push(d);
    byTurn.set(turn.index, d);
  }
  choicesMade(turns, questions, decisions, topics);
  markSuperseded(decisions, turns);
  return decisions;
}

// A question putting two plans to the group: "or" between them (not a sentence's first word: "czy" opens
// every Polish yes/no question), and the group in it ("we", "wir", "on", "nós", "vi", "我们", a Polish verb
// of "we": "otwieramy").
const OR_BETWEEN = /\s(?:or|oder|ou|czy|albo|eller|ofwel)\s|还是|それとも/;
const THE_GROUP =
  /\b(?:we|us|our|wir|uns|on|nous|nosotros|vamos|a gente|noi|wij|vi|oss|dere)\b|\b\w{3,}(?:emy|imy|amy|ymy)\b|我们|咱们/;

// "do we need to bring our own food or is the FC covering it?" asks what is required, a fact: its answer
// ("FC covers food") informs; it chooses no plan.
const OBLIGATION =
  /\b(?:need|needs|have to|has to|must|brauchen|mussen|faut|hay que|tenemos que|precisa|precisamos|temos que|bisogna|dobbiamo|moeten|hoeven|musimy|trzeba|maste|behover)\b|需要|必须/;

/**
 * Adds the answers that pick one of the plans a question put to the group ("a whitelista zostaje czy
 * otwieramy serwer dla wszystkich?" answered "whitelista zostaje."): a reply by someone else that states,
 * not asks, and takes up the question's words decides it.
 */
function choicesMade(
  turns: Turn[],
  questions: readonly Question[],
  decisions: Decision[],
  topics: Topics,
): void {
  if (questions.length === 0) return;
  const deciding = new Set<number>();
  for (const d of decisions) for (const s of d.support) deciding.add(s);
  for (const q of questions) {
    if (q.answer === undefined || q.byAsker || deciding.has(q.turn) || deciding.has(q.answer)) continue;
    const question = turns[q.turn] as Turn;
    const answer = turns[q.answer] as Turn;
    const folded = question.folded[q.sentence] as string;
    if (answer.replyTo !== q.turn || answer.message.isBot || !OR_BETWEEN.test(folded)) continue;
    if (!THE_GROUP.test(folded) || OBLIGATION.test(folded) || endsWithQuestionMark(answer.sentences[0] ?? ''))
      continue;
    let shared = 0;
    for (const w of answer.words.list) if (question.words.has(w)) shared++;
    if (shared === 0) continue;
    deciding.add(q.answer);
    decisions.push({
      turn: q.answer,
      sentence: 0,
      support: [q.answer],
      agreements: 0,
      topic: topics.topicOf[q.answer] as number,
    });
  }
}

/** Whether sentence `i` is a yes/no question about something other than the group. */
function asksAFact(turn: Turn, i: number): boolean {
  return endsWithQuestionMark(turn.sentences[i] as string) && ASKS_A_FACT.test(turn.folded[i] as string);
}

// "…or it's final?" asks nothing: the question is a decision put firmly.
const FINAL = /\bfinal\b/;

function statedDecision(turn: Turn): number | undefined {
  for (let i = 0; i < turn.folded.length; i++) {
    const f = turn.folded[i] as string;
    const s = turn.sentences[i] as string;
    if (endsWithQuestionMark(s) && !(f.includes('final') && FINAL.test(f))) continue;
    if (shows(turn, DECISION, i)) return i;
    if (f.includes(', ') && CORRECTED_PLAN.test(f)) return i;
    // "oat milk: we switch suppliers", "ok so: we ship friday": the cue opens the clause after the lead-in.
    if (f.includes(':')) {
      const rest = afterLeadIn(f);
      if (rest !== undefined && DECISION.test(rest)) return i;
    }
    // "ok tuesday 2pm." — a bare time after an "ok" settles when to meet ("ok je m'en occupe ce soir" takes a
    // task on, for tonight).
    if (
      /^(?:ok(?:ay)?|alright|so|fine|then|dann|alors|entonces|entao)\b/.test(f) &&
      shows(turn, TEMPORAL, i) &&
      f.split(/\s+/).length <= 6 &&
      !shows(turn, SELF_COMMITMENT, i)
    ) {
      return i;
    }
  }
  return undefined;
}

// A question opening with where, what, who, which, how or why (not when: "when? saturday?" puts a day).
const ASKS_WHERE_OR_WHAT =
  /^(?:where|what|who|which|how|why|wo|was|wer|welche\w*|ou|qui|quel\w*|comment|donde|quien|cual\w*|onde|quem|qual|dove|chi|quale|waar|wat|wie|welke|gdzie|kto|ktor\w+|var|vad|vem|hur|vilk\w+)\b/;

function proposalSentence(turn: Turn): number | undefined {
  // Agreeing with a plan is not proposing one ("thursday 7 works 👍").
  if (shows(turn, AGREEMENT, 0) && !shows(turn, PROPOSAL, 0)) return undefined;
  // "Kuro can you record the pulls? I want to check my positioning": the replies take the request on; they
  // agree to no plan.
  for (let i = 0; i < turn.folded.length; i++)
    if (shows(turn, REQUEST, i) && !/\b(?:can|could|should|shall) we\b/.test(turn.folded[i] as string))
      return undefined;
  for (let i = 0; i < turn.folded.length; i++) {
    if (
      shows(turn, PROPOSAL, i) ||
      (endsWithQuestionMark(turn.sentences[i] as string) &&
        turn.words.size <= 8 &&
        shows(turn, TEMPORAL, i) &&
        // "does the hotfix land before thursday?" asks a fact about something else; it plans nothing.
        !asksAFact(turn, i) &&
        // "can you bring your notes from tuesday?" asks someone to do something; it plans nothing.
        !shows(turn, REQUEST, i) &&
        // "where are we meeting for the 10k on sunday?" asks where: the answer says it, nobody agrees to it.
        !ASKS_WHERE_OR_WHAT.test(turn.folded[i] as string))
    ) {
      return i;
    }
  }
  // An announcement of a plan with a time ("RAID saturday 20:00, react ✅ if you're in").
  if (turn.replyTo !== undefined || turn.words.size < 5) return undefined;
  for (let i = 0; i < turn.folded.length; i++) {
    // "I will write the announcement tonight" is the speaker's own task, not a plan for the group.
    if (asksAFact(turn, i)) continue;
    if (shows(turn, TEMPORAL, i) && !shows(turn, SELF_COMMITMENT, i) && !shows(turn, REQUEST, i)) return i;
  }
  return undefined;
}

/** Later turns by others that agree with `proposal`: replies to it, or short agreeing messages right after. */
function agreementsTo(proposal: Turn, turns: Turn[], topics: Topics): number[] {
  const found: number[] = [];
  const people = new Set<string>();
  let looked = 0;
  for (let j = proposal.index + 1; j < turns.length && looked < AGREEMENT_REACH; j++) {
    const t = turns[j] as Turn;
    if (t.time - proposal.time > AGREEMENT_MS) break;
    const reply = t.replyTo === proposal.index;
    // Another plan put as a reply to something else ("¿y si vamos a Cercedilla?" in reply to the first plan)
    // ends the agreeing too: what follows agrees with it.
    if (!reply && t.replyTo !== undefined && t.author !== proposal.author && shows(t, PROPOSAL, 0)) break;
    if (!reply && (t.replyTo !== undefined || t.thread !== proposal.thread)) continue;
    if (!reply && topics.topicOf[j] !== topics.topicOf[proposal.index]) continue;
    looked++;
    if (t.author === proposal.author || people.has(t.author)) continue;
    const first = t.folded[0] ?? '';
    if (endsWithQuestionMark(t.sentences[0] ?? '') || shows(t, SMALL_TALK, 0)) continue;
    if (
      !shows(t, AGREEMENT, 0) ||
      (COUNTER.test(first) && !/\b(?:not (?:bad|a problem)|no objections?)\b/.test(first))
    ) {
      // A different plan ends the agreeing.
      if (shows(t, PROPOSAL, 0) || shows(t, DECISION, 0)) break;
      continue;
    }
    found.push(j);
    people.add(t.author);
  }
  return found;
}

// A confirmation adds at most this many words of its own to what it confirms.
const CONFIRMATION_NEW_WORDS = 1;

/** The earlier decision or proposal `turn` merely confirms ("medium it is" after "let's do medium"). */
function confirmedDecision(
  turn: Turn,
  sentence: number,
  turns: Turn[],
  decisions: Decision[],
  topics: Topics,
): Decision | undefined {
  // Its own words (not agreement); a fourth ends the look: a confirmation says little of its own.
  const own: string[] = [];
  for (const w of turn.words.list) {
    if (AGREEMENT.test(w)) continue;
    own.push(w);
    if (own.length > 3) return undefined;
  }
  const parent = turn.replyTo;
  for (let k = decisions.length - 1; k >= Math.max(0, decisions.length - SUPERSEDE_REACH); k--) {
    const d = decisions[k] as Decision;
    const target = turns[d.turn] as Turn;
    const context = new Set([...target.words, ...d.support.flatMap((s) => [...(turns[s] as Turn).words])]);
    const fresh = own.filter((w) => !context.has(w)).length;
    const near = parent === d.turn || topics.topicOf[turn.index] === d.topic;
    if (fresh <= CONFIRMATION_NEW_WORDS && (near || own.length > 0) && own.length - fresh >= (near ? 0 : 1)) {
      return d;
    }
  }
  void sentence;
  return undefined;
}

function addsWords(turn: Turn, d: Decision, turns: Turn[]): boolean {
  const before = new Set(
    d.support.filter((s) => s !== turn.index).flatMap((s) => [...(turns[s] as Turn).words]),
  );
  return [...turn.words].some((w) => !before.has(w) && !AGREEMENT.test(w));
}

// A later decision replaces an earlier one within this many decisions (keeps the pass linear).
const SUPERSEDE_REACH = 40;

/** What the comparisons of `markSuperseded` read of a decision; its context's words only when one needs them. */
interface DecisionFacts {
  temporal: boolean;
  sentence: string[];
  context: Set<string> | undefined;
  words: ReadonlySet<string>;
}

function markSuperseded(found: Decision[], turns: Turn[]): void {
  // In the order they were last said: a confirmation moves a decision to its own turn ("monday it is"
  // after "let's push 2.4 to monday"), after decisions created in between.
  const decisions = [...found].sort((a, b) => a.turn - b.turn);
  // Pushed, not mapped (see buildConversation: an optimised map makes a holey array).
  const facts: DecisionFacts[] = [];
  for (const d of decisions) {
    const turn = turns[d.turn] as Turn;
    facts.push({
      temporal: shows(turn, TEMPORAL, d.sentence) || shows(turn, TEMPORAL, WHOLE),
      sentence: sentenceWords(turn, d.sentence),
      context: undefined,
      words: turn.words,
    });
  }
  const contextOf = (k: number): Set<string> => {
    const f = facts[k] as DecisionFacts;
    f.context ??= contextWords(decisions[k] as Decision, turns);
    return f.context;
  };
  for (let i = 0; i < decisions.length; i++) {
    const earlier = decisions[i] as Decision;
    const e = facts[i] as DecisionFacts;
    for (let j = i + 1; j < Math.min(decisions.length, i + SUPERSEDE_REACH); j++) {
      const later = decisions[j] as Decision;
      const l = facts[j] as DecisionFacts;
      const bothTemporal = e.temporal && l.temporal;
      const sentenceShared = sharedUpTo(e.sentence, l.words, 2);
      const sameTopic = earlier.topic === later.topic;
      if (
        (sameTopic && (bothTemporal || sentenceShared >= 1)) ||
        sentenceShared >= 2 ||
        (bothTemporal && sharedUpTo(contextOf(i), contextOf(j), 1) >= 1) ||
        counters(later, earlier, turns)
      ) {
        earlier.supersededBy = later.turn;
        break;
      }
    }
  }
}

/**
 * Whether `later` was put as a question in reply to `earlier`'s plan ("¿y si vamos a Cercedilla?" replying to
 * "propongo La Pedriza"): another plan offered in its place, with no word or day of it in common.
 */
function counters(later: Decision, earlier: Decision, turns: Turn[]): boolean {
  const proposal = turns[later.support[0] ?? later.turn] as Turn;
  if (proposal.replyTo === undefined || !earlier.support.includes(proposal.replyTo)) return false;
  return proposal.sentences.some((x) => endsWithQuestionMark(x));
}

/** How many of `words` `other` holds, counted up to `limit` (the tests above need no more). */
function sharedUpTo(words: Iterable<string>, other: ReadonlySet<string>, limit: number): number {
  let n = 0;
  for (const w of words) if (other.has(w) && ++n >= limit) break;
  return n;
}

/** The turn's words that its sentence holds (distinct, as the turn's are). */
function sentenceWords(turn: Turn, sentence: number): string[] {
  const folded = turn.folded[sentence] as string;
  const out: string[] = [];
  for (const w of turn.words.list) if (folded.includes(w)) out.push(w);
  return out;
}

function contextWords(d: Decision, turns: Turn[]): Set<string> {
  const out = new Set<string>();
  for (const s of d.support) for (const w of (turns[s] as Turn).words.list) out.add(w);
  return out;
}

// A colon that ends a lead-in: after a word (not a clock time's "16:00"), before a space.
const LEAD_IN_COLON = /(?<=[^\d\s])[:：]\s*(?=\S)/u;
// A lead-in this long before the colon is a clause of its own (a reason, a context), not the decision.
const LONG_LEAD_IN = 4;

/** The clause after a lead-in and its colon ("oat milk: we switch…"), when it has two words or more. */
function afterLeadIn(sentence: string): string | undefined {
  const colon = LEAD_IN_COLON.exec(sentence);
  if (!colon) return undefined;
  const rest = sentence.slice(colon.index + colon[0].length).trim();
  return wordCount(rest) >= 2 ? rest : undefined;
}

/**
 * The part of a deciding sentence that states the decision: without a label before a colon ("Final call: we
 * ship Friday" is "we ship Friday") or a lead-in clause when the deciding words follow the colon ("Given how
 * many people hit it today: let's pin the note"). A lead-in naming the subject ("oat milk: …") stays.
 */
export function decidingClause(sentence: string): string {
  const clause = afterLabel(sentence);
  return wordCount(clause) > LONG_DECISION ? (consequence(clause) ?? clause) : clause;
}

function afterLabel(sentence: string): string {
  const colon = LEAD_IN_COLON.exec(sentence);
  if (!colon) return sentence;
  const lead = sentence.slice(0, colon.index).trim();
  const rest = sentence.slice(colon.index + colon[0].length).trim();
  if (wordCount(rest) < 2) return sentence;
  const foldedLead = fold(lead);
  if (ANNOUNCING_LABEL.test(foldedLead)) return rest;
  const foldedRest = fold(rest);
  const leadWords = wordCount(foldedLead.replace(LEADING_FILLER, ''));
  if (leadWords >= LONG_LEAD_IN && DECISION.test(foldedRest) && !DECISION.test(foldedLead)) return rest;
  return sentence;
}

// A deciding sentence longer than a digest item says (12 words) is cut; its consequence clause is the plan.
const LONG_DECISION = 12;
// ", so we start 7:30pm instead", ", dann machen wir…", ", donc on…": the clause that follows from the reason.
const SO_CLAUSE =
  /,\s+(?:so|then|therefore|dann|also|deshalb|donc|alors|entonces|asi que|entao|quindi|dus|wiec|sa|da)\s+/;

/**
 * The clause a long deciding sentence ends on after its reason ("the uni has the track booked till 7 on
 * thursday, so we start 7:30pm instead" is "we start 7:30pm instead"), when it says when or what was decided.
 */
function consequence(sentence: string): string | undefined {
  const folded = fold(sentence);
  const so = SO_CLAUSE.exec(folded);
  if (!so || folded.length !== sentence.length) return undefined;
  const rest = sentence.slice(so.index + so[0].length).trim();
  const foldedRest = folded.slice(so.index + so[0].length);
  if (wordCount(rest) < 3) return undefined;
  return DECISION.test(foldedRest) || PROPOSAL.test(foldedRest) || TEMPORAL.test(foldedRest)
    ? rest
    : undefined;
}
