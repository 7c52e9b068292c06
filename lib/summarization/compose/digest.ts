import type { SummaryFocus } from '../../tasks/summary-options.ts';
import { withoutOwnTask } from '../analysis/actions.ts';
import type { Turn } from '../analysis/conversation.ts';
import {
  DECISION,
  HEDGE,
  PRONOUN_OBJECT,
  SELF_COMMITMENT,
  SMALL_TALK,
  shows,
  TEMPORAL,
  WHOLE,
  YES_NO,
} from '../analysis/cues.ts';
import { decidingClause } from '../analysis/decisions.ts';
import type { Analysis } from '../analysis/index.ts';
import { type Phrase, topicPhrases } from '../analysis/phrases.ts';
import { resolutionClause } from '../analysis/questions.ts';
import { topRanked } from '../analysis/ranking.ts';
import { contentWords, fold, STOP_WORDS, wordCount } from '../analysis/words.ts';
import { speakerLine } from '../plain-text.ts';
import type { KeyPoint, Summary } from '../summarizer.ts';
import {
  centralSentences,
  DEFAULT_TUNING,
  type ExtractiveTuning,
  focusBoost,
  withoutFillers,
} from './central.ts';
import { condense, shorten } from './condense.ts';
import { focusPriority, hasHighlights, hasOwnSections, highlights, problems } from './focus.ts';
import { capitalise, overlapRatio, unique } from './overlap.ts';

type Section = 'decisions' | 'actionItems' | 'keyPoints' | 'openQuestions';

interface Item {
  section: Section;
  text: string;
  owner?: string;
  sources: string[];
  /** Position in the conversation, for display order. */
  at: number;
  /** Every turn the item says (its agreements, its request…), when more than `at`: the overview skips them. */
  covers?: number[];
  priority: number;
  topic: number;
  /** For an answer: the question, whose gist leads the item ("Slot: 45 min"). */
  gist?: Turn;
}

// Words of its own a plan that hands out parts needs to be a decision too (more than "ok proposal:").
const DECISION_BEYOND_WORDS = 3;

// Longest item, in words: one sentence a reader takes in at a glance.
const ITEM_WORDS = 12;
// How many of a topic's latest messages its overview line is chosen from.
const OVERVIEW_TURNS = 1000;

/** The sections of a digest, chosen from the analysis to fit `budget` words, most useful first. */
export function composeDigest(
  analysis: Analysis,
  budget: number,
  focus: SummaryFocus = 'general',
  tuning: ExtractiveTuning = DEFAULT_TUNING,
): Pick<Summary, 'title' | 'overview' | 'keyPoints' | 'decisions' | 'actionItems' | 'openQuestions'> {
  const { conversation, topics } = analysis;
  const turns = conversation.turns;
  const names = new Set(conversation.participants.flatMap((p) => contentWords(p)));
  const df = conversation.frequency;
  const activity = topics.topics
    .map((t) => {
      const active = t.turns.filter((i) => substantive(turns[i] as Turn));
      // A reader's focus puts the topics about code (developer) or decisions (executive) first.
      let boost = 1;
      for (const i of active.slice(-50)) {
        const turn = turns[i] as Turn;
        boost = Math.max(boost, focusBoost(turn.text, turn.message.content, focus));
      }
      return { t, weight: active.length * boost };
    })
    .filter((x) => x.weight > 0)
    .sort(
      (a, b) => b.weight - a.weight || b.t.turns[b.t.turns.length - 1]! - a.t.turns[a.t.turns.length - 1]!,
    );
  const labels = new Map<number, Phrase[]>();
  const labelOf = (topic: number): Phrase[] => {
    let l = labels.get(topic);
    if (!l) {
      const t = topics.topics[topic];
      l = t
        ? topicPhrases(
            t.turns.map((i) => turns[i] as Turn),
            df,
            turns.length,
            names,
            3,
          )
        : [];
      labels.set(topic, l);
    }
    return l;
  };
  const link = (i: number) => (turns[i] as Turn).message.jumpLink;
  const items: Item[] = [];

  // A plan that hands out parts is reported as its action items, not again as a decision.
  const assigning = new Set(
    analysis.actions.map((a) => a.turns[0] as number).filter((t, i, all) => all.indexOf(t) !== i),
  );
  // "we stay with Hartley until january, and I'll try to renegotiate": a decision besides the parts handed
  // out, when its sentence says more than the tasks and the people's names.
  const decidesBeyond = (sentence: string, turn: number): boolean => {
    let rest = fold(sentence);
    for (const a of analysis.actions) if (a.turns[0] === turn) rest = rest.replace(fold(a.task), ' ');
    return contentWords(rest).filter((w) => !names.has(w)).length >= DECISION_BEYOND_WORDS;
  };
  // The speaker's own task in a deciding sentence is its action item: the decision is said without it.
  const owning = new Set(analysis.actions.map((a) => a.turns[0] as number));
  const wordedDecision = (sentence: string, turn: number): string =>
    owning.has(turn) ? withoutOwnTask(sentence) : sentence;
  const answered = new Map(
    analysis.questions.filter((q) => q.answer !== undefined).map((q) => [q.answer as number, q.turn]),
  );
  // A busy window holds far more candidates than a digest has room for: only the likeliest few of each
  // kind are worded (the rest would cost time and never be shown).
  const room = Math.max(20, Math.ceil(budget / 3));
  const decisions = analysis.decisions
    .filter((d) => d.supersededBy === undefined)
    .sort((a, b) => b.agreements - a.agreements || b.turn - a.turn)
    .slice(0, room);
  const actions = analysis.actions.slice(-room);
  const questions = topRanked(
    analysis.questions,
    room * 2,
    (a, b) => (turns[b.turn] as Turn).words.size - (turns[a.turn] as Turn).words.size || a.turn - b.turn,
  ).sort((a, b) => a.turn - b.turn);
  for (const d of decisions) {
    if (d.supersededBy !== undefined) continue;
    const turn = turns[d.turn] as Turn;
    if (assigning.has(d.turn) && !decidesBeyond(turn.sentences[d.sentence] as string, d.turn)) continue;
    let text = withContext(
      condense(asStatement(decidingClause(wordedDecision(decidingSentence(d, turns), d.turn))), ITEM_WORDS),
      labelOf(d.topic),
    );
    // A decision that answers a question says what it is about ("Community call: Thursday, 17:00 UTC").
    const asked = d.support.map((s) => answered.get(s)).find((q) => q !== undefined);
    // A question that offered a plan of its own ("i'll order 20 bags from the garden centre?") names what was
    // replaced: no gist of it.
    if (asked !== undefined && !shows(turns[asked] as Turn, SELF_COMMITMENT, WHOLE)) {
      const gist = questionGist(turns[asked] as Turn, df, turns.length, names, text);
      // A time asked about ("Freitag um 20 Uhr?") is the plan being replaced, not what the decision is about.
      if (gist && !TEMPORAL.test(fold(gist)))
        text = `${gist}: ${text.replace(/^(?:yes|yeah|ok(?:ay)?|sure)\b[,.!]?\s*/i, '')}`;
    }
    items.push({
      section: 'decisions',
      text,
      sources: unique([d.turn, ...d.support.slice(1)].slice(0, 3).map(link)),
      at: d.turn,
      covers: d.support,
      priority: 100 + Math.min(d.agreements, 5),
      topic: d.topic,
    });
  }
  const proposing = new Set(analysis.questions.filter((q) => q.proposal).map((q) => q.turn));
  for (const a of actions) {
    const first = turns[a.turns[0] as number] as Turn;
    const task = condense(a.task, ITEM_WORDS - 2);
    // A short task ("open an issue tonight") names its object through the message it answers.
    const parent = answeredTurn(first, turns) ?? answered.get(first.index);
    // "Friday evening then?" "je peux arriver vers 20h30": when the speaker can come, not a task.
    if (parent !== undefined && proposing.has(parent) && a.turns.length === 1 && TEMPORAL.test(fold(a.task)))
      continue;
    // A task worded from the message it answers ("a pump: I'll bring mine") names its object already.
    // With no message it answers, the rest of its own message says what "them" is ("sticker giveaway: DM me
    // your address and I'll mail them").
    const context =
      parent !== undefined && a.turns.includes(parent)
        ? []
        : topicPhrases(
            [turns[parent ?? first.index] as Turn],
            df,
            turns.length,
            names,
            parent === undefined ? 2 : 1,
          );
    // A lead-in before a colon names what its message is about ("sticker giveaway for first-time contributors:
    // … I'll mail them"): it says what "them" is before any phrase does.
    const lead = parent === undefined ? leadInOf(first, a.task) : undefined;
    if (lead) context.unshift(lead);
    // Its own message names the object only of a pronoun ("mail them"); a short task takes the one it answers.
    const text = withContext(task, context, parent !== undefined && contentWords(task).length < 3);
    items.push({
      section: 'actionItems',
      text,
      owner: a.owner,
      sources: unique(a.turns.map(link)),
      at: a.turns[0] as number,
      covers: a.turns,
      priority: 90 + actionWeight(a.task, a.turns.length),
      topic: a.topic,
    });
  }
  // A task done within the window is news, not an action item: what its owner reported ("windows runner
  // pinned to windows-2022 in ci.yml").
  for (const c of analysis.completed.slice(-room)) {
    const report = condense((turns[c.turn] as Turn).text, ITEM_WORDS);
    if (contentWords(report).length < 2) continue;
    items.push({
      section: 'keyPoints',
      text: report,
      sources: [link(c.turn)],
      at: c.turn,
      priority: COMPLETED_PRIORITY,
      topic: c.topic,
    });
  }
  const decidingTurns = new Set(analysis.decisions.flatMap((d) => [d.turn, ...d.support]));
  const askedPlans = new Set(
    analysis.decisions
      .filter((d) => /[?？]\s*\S{0,3}\s*$/u.test((turns[d.turn] as Turn).sentences[d.sentence] ?? ''))
      .map((d) => d.turn),
  );
  // "Anyone have a pump?" answered "I'll bring mine" is an action item: not again as an answer.
  const actingTurns = new Set(analysis.actions.flatMap((a) => a.turns));
  const asked = new Map<string, Item>();
  const recentAsked: Item[] = [];
  const questionAt = new Map(analysis.questions.map((q) => [q.turn, q]));
  for (const q of questions) {
    const question = turns[q.turn] as Turn;
    const topic = topics.topicOf[q.turn] as number;
    if (q.answer !== undefined) {
      // Answered by a decision: the decision says it.
      if (q.proposal || decidingTurns.has(q.answer)) continue;
      if (actingTurns.has(q.turn) && actingTurns.has(q.answer)) continue;
      const answer = turns[q.answer] as Turn;
      // "FC covers food, I'll leave a stack in the chest": the task after the answer is its action item.
      const answerText = owning.has(q.answer) ? withoutOwnTask(answer.text) : afterGreeting(answer);
      // "nvm, found it in the calendar: …" says its answer after the opener, whoever asked.
      const said = condense(resolutionClause(answerText), ITEM_WORDS - 3);
      // A bare "yes" or "nope" answers too: said after the question's gist ("Hotfix before thursday: Yes").
      if (
        contentWords(said).length === 0 &&
        !(YES_NO.test(fold(said)) && questionGist(question, df, turns.length, names, said))
      )
        continue;
      items.push({
        section: 'keyPoints',
        text: said,
        gist: question,
        sources: unique([link(q.answer), link(q.turn)]),
        at: q.answer,
        // An answer linked to its question (a reply to it, addressed to the asker, the asker's own) settles
        // it: it comes before an open question of the same size.
        priority: 75 + Math.min(question.words.size, 8) + (settles(q, answer, question) ? SETTLED_BONUS : 0),
        topic,
      });
      continue;
    }
    // "Who takes care of the soldering irons?" answered by "I'll bring mine": taken on, so not open.
    if (takenOn(question, analysis.actions, turns)) continue;
    // "Kiedy robimy turniej? W sobotę?" put a plan to the room, and the plan was settled (or replaced); "ok
    // let's do friday. who brings snacks?" decided, and still asks.
    if (askedPlans.has(q.turn)) continue;
    const text = condense(question.sentences[q.sentence] as string, ITEM_WORDS - 2);
    if (contentWords(text).length < 2) continue;
    const key = contentWords(text).sort().join(' ');
    const item: Item = {
      section: 'openQuestions',
      text,
      sources: [link(q.turn)],
      at: q.turn,
      // Asked again and still unanswered: what someone in the channel is waiting for.
      priority: 74 + Math.min(question.words.size, 8) + (q.bumped ? BUMPED_BONUS : 0),
      topic,
    };
    // The same person asking again ("bumping my question") is one open question.
    // Compared with the last few open questions only: a bump comes soon enough, and this stays linear.
    const again = recentAsked.find((o) => overlapRatio(o.text, text) >= 0.5);
    if (again) {
      again.sources.push(link(q.turn));
      continue;
    }
    asked.set(key, item);
    recentAsked.push(item);
    if (recentAsked.length > 20) recentAsked.shift();
    items.push(item);
  }
  // Questions answered by a decision are not open.
  const decidedTopics = new Set(items.filter((i) => i.section === 'decisions').map((i) => i.topic));
  for (const item of items) {
    if (item.section === 'openQuestions' && decidedTopics.has(item.topic)) {
      const q = questionAt.get(item.at);
      if (q?.proposal) item.priority = -1;
    }
  }

  if (hasHighlights(focus))
    items.push(...highlights(turns, topics.topicOf, focus, new Set(items.map((i) => i.at)), room));
  if (focus === 'support') {
    // A problem solved is said once, as problem and fix: not again as the questions its fix asked.
    const { items: found, covers } = problems(turns, topics.topicOf, room);
    for (const item of items) if (item.section !== 'actionItems' && covers.has(item.at)) item.priority = -1;
    items.push(...found);
  }
  // Each reader's sections first (who still waits for help, a moderation action…); the others as they were.
  if (hasOwnSections(focus)) {
    for (const item of items)
      if (item.priority >= 0) item.priority += focusPriority(focus, item.section, fold(item.text));
  }
  // Only the best candidates can fit; the gist of their questions is worked out when one is considered.
  const best = items
    .filter((i) => i.priority >= 0)
    .sort((a, b) => b.priority - a.priority || a.at - b.at)
    .slice(0, Math.max(50, budget));
  const withGist = (item: Item): Item => {
    if (!item.gist) return item;
    const gist = questionGist(item.gist, df, turns.length, names, item.text);
    const done: Item = { ...item, text: gist ? `${gist}: ${item.text}` : item.text };
    delete done.gist;
    return done;
  };
  const order = activity.map((a) => a.t.id);
  const overviewFor = (topic: number, exclude: Set<number>, k: number): { text: string; at: number }[] => {
    const t = topics.topics[topic];
    if (!t) return [];
    // Where a topic ended shows in its latest messages: a long topic is read from its last stretch.
    const pool = t.turns
      .slice(-OVERVIEW_TURNS)
      .map((i) => turns[i] as Turn)
      .filter((x) => !exclude.has(x.index) && !x.message.isBot);
    return centralSentences(pool, k, focus, tuning).map((u) => {
      const author = (turns[u.message] as Turn).author;
      // "laat maar, al gevonden: er staan 12 teams…" says its news after the opener.
      const said = resolutionClause(u.text);
      const text = condense(tuning.stripFillers ? withoutFillers(said) : said, ITEM_WORDS);
      return { text: tuning.speakerPrefix ? speakerLine(author, text) : terminate(text), at: u.message };
    });
  };
  // A plan changed later is not what the window came to: the overview does not say it.
  const overridden = analysis.decisions.filter((d) => d.supersededBy !== undefined).map((d) => d.turn);
  return fitToBudget(best, budget, order, labelOf, overviewFor, withGist, overridden);
}

type OverviewFor = (topic: number, exclude: Set<number>, k: number) => { text: string; at: number }[];

// Most of the budget a title may take, and the words a title of two labels may always have. The title holds
// no decision, answer or task: at 15% a short digest spent on a second label the words of an item.
const TITLE_SHARE = 0.05;
const TITLE_WORDS = 2;
// Share of the words kept for the overview, so a digest always says what the window was about.
const OVERVIEW_SHARE = 0.1;

function fitToBudget(
  candidates: Item[],
  budget: number,
  topicOrder: number[],
  labelOf: (topic: number) => Phrase[],
  overviewFor: OverviewFor,
  complete: (item: Item) => Item,
  overridden: number[],
): Pick<Summary, 'title' | 'overview' | 'keyPoints' | 'decisions' | 'actionItems' | 'openQuestions'> {
  const titleLabels = topicOrder
    .slice(0, 2)
    .map((t) => labelOf(t)[0]?.text)
    .filter((x): x is string => !!x);
  // A small budget (a short window, a script without spaces) cannot spend a fifth of itself on the title.
  const both = titleLabels.join(' and ');
  const labels =
    wordCount(both) > Math.max(TITLE_WORDS, TITLE_SHARE * budget) ? titleLabels.slice(0, 1) : titleLabels;
  const title = labels.length > 0 ? capitalise(labels.join(' and ')) : 'Conversation summary';
  let used = wordCount(title) + Math.round(OVERVIEW_SHARE * budget);
  const kept: Item[] = [];
  // Far more candidates than words (a busy channel): only the best few hundred can make it in.
  const sorted = [...candidates]
    .sort((a, b) => b.priority - a.priority || a.at - b.at)
    .slice(0, Math.max(50, budget * 2));
  for (const candidate of sorted) {
    // Up to the last word: an item of a script without spaces costs one or two ("Docker イメージを更新します。").
    if (used >= budget) break;
    if (kept.some((k) => overlapRatio(k.text, candidate.text) >= 0.6)) continue;
    const item = complete(candidate);
    const cost = wordCount(item.text);
    if (used + cost > budget) continue;
    kept.push(item);
    used += cost;
  }
  // The overview: one line per topic, most active first, from what the items above do not already say.
  used -= Math.round(OVERVIEW_SHARE * budget);
  const covered = new Set(overridden);
  for (const k of kept) {
    covered.add(k.at);
    for (const t of k.covers ?? []) covered.add(t);
  }
  const lines: { text: string; at: number }[] = [];
  const single = topicOrder.length <= 1;
  for (const topic of topicOrder) {
    if (used >= budget) break;
    const candidatesFor = overviewFor(topic, covered, single ? 3 : 1);
    for (const line of candidatesFor) {
      if (
        kept.some((k) => overlapRatio(k.text, line.text) >= 0.6) ||
        lines.some((l) => overlapRatio(l.text, line.text) >= 0.6)
      )
        continue;
      // The last line is shortened to the words left rather than dropped.
      const room = budget - used;
      const text = wordCount(line.text) > room && room >= 6 ? shorten(line.text, room) : line.text;
      const cost = wordCount(text);
      if (used + cost > budget) continue;
      lines.push({ ...line, text });
      used += cost;
    }
    if (lines.length >= 6) break;
  }
  // Never an empty overview: the most central line, shortened to what is left (at least a clause).
  if (lines.length === 0 && topicOrder[0] !== undefined) {
    const line = overviewFor(topicOrder[0], new Set(), 1)[0];
    if (line) lines.push({ ...line, text: shorten(line.text, Math.max(6, budget - used)) });
  }
  const overview = lines
    .sort((a, b) => a.at - b.at)
    .map((l) => l.text)
    .join(' ');
  const section = (s: Section) =>
    kept
      .filter((k) => k.section === s)
      .sort((a, b) => a.at - b.at)
      .map((k): KeyPoint & { owner?: string } =>
        k.owner ? { text: k.text, sources: k.sources, owner: k.owner } : { text: k.text, sources: k.sources },
      );
  return {
    title,
    overview,
    keyPoints: section('keyPoints'),
    decisions: section('decisions'),
    actionItems: section('actionItems'),
    openQuestions: section('openQuestions'),
  };
}

// "can we do wednesday instead?" agreed to is the decision "wednesday instead".
const PROPOSING = /^(?:.*?\b)?(?:can|could|should|shall) we (?:do |go with |go for |just )?/i;

// Words of its own an agreeing reply needs to say the plan a question asked for, and what stating the
// plan outweighs.
const PLAN_REPLY_WORDS = 3;
const STATED_PLAN_BONUS = 100;

/**
 * The sentence that says a decision: its own, or for a question asking how ("et pour le goûter on fait
 * comment ?") the agreeing reply that says the plan ("Oui, chacun apporte quelque chose à partager").
 */
function decidingSentence(d: Analysis['decisions'][number], turns: Turn[]): string {
  const own = (turns[d.turn] as Turn).sentences[d.sentence] as string;
  if (!/\?\s*\S{0,3}\s*$/u.test(own) || PROPOSING.test(own)) return own;
  // A reply that states the plan ("Gut, dann machen wir Samstag 19 Uhr.") before one that only agrees
  // ("Samstag passt mir"); the later of two alike, as the plan ended.
  let best: Turn | undefined;
  let bestScore = 0;
  for (const s of d.support) {
    const t = turns[s] as Turn;
    if (s === d.turn || t.author === (turns[d.turn] as Turn).author || t.words.size < PLAN_REPLY_WORDS)
      continue;
    const score = t.words.size + (shows(t, DECISION, WHOLE) ? STATED_PLAN_BONUS : 0);
    if (score >= bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best ? (best.sentences[0] as string) : own;
}

/** A proposal others agreed to, said as the plan it became. */
function asStatement(sentence: string): string {
  if (!/\?\s*\S{0,3}\s*$/u.test(sentence)) return sentence;
  const rest = sentence.replace(PROPOSING, '').replace(/\?+/g, '').trim();
  return rest.length >= 3 ? rest : sentence;
}

// A task someone was asked to do and took on is surer than one said in passing; one said with an "if" or
// "I guess" less sure than either.
const TAKEN_ON_BONUS = 2;
const TENTATIVE_MALUS = 6;
// "if" after a verb of checking asks whether ("check if the path is closed", "controllare se…"): no condition.
const CONDITIONAL =
  /(?<!\b(?:check|see|ask|know|verify|find out|controllare|vedere|chiedere|verificare|verifier|voir|comprobar|ver|verificar|checken|kijken|vragen) )\b(?:if|unless|wenn|falls|si|se|als|tenzij)\b/;

/** How much surer than a plain commitment an action item is (a request taken on), or less (tentative). */
function actionWeight(task: string, turns: number): number {
  const folded = fold(task);
  if (HEDGE.test(folded) || CONDITIONAL.test(folded)) return -TENTATIVE_MALUS;
  return turns > 1 ? TAKEN_ON_BONUS : 0;
}

// A task reported done ranks below the answers, with an open question of a few words.
const COMPLETED_PRIORITY = 76;

// What an open question asked again gains: above the action items (90), below the decisions.
const BUMPED_BONUS = 12;

// What an answer linked to its question gains over one found by position alone.
const SETTLED_BONUS = 5;

/** Whether an answer is linked to its question: a reply to it, addressed to the asker, or the asker's own. */
function settles(q: Analysis['questions'][number], answer: Turn, question: Turn): boolean {
  return (
    q.byAsker === true || answer.replyTo === question.index || answer.addressed.includes(question.author)
  );
}

// How soon after a question someone's commitment counts as its answer.
const TAKEN_ON_REACH = 4;

/** Whether someone else took on what a question asks about within its next few messages. */
function takenOn(question: Turn, actions: Analysis['actions'], turns: Turn[]): boolean {
  const stems = new Set([...question.words].filter((w) => w.length >= 5).map((w) => w.slice(0, 5)));
  if (stems.size === 0) return false;
  return actions.some((a) => {
    const first = a.turns[0] as number;
    if (first <= question.index || first > question.index + TAKEN_ON_REACH) return false;
    if (a.owner === question.author) return false;
    return [...(turns[first] as Turn).words].some((w) => stems.has(w.slice(0, 5)));
  });
}

/**
 * A message's text after a greeting that opens it ("welcome Sam! just closed shoes…" says "just closed
 * shoes…"): the answer is what follows, and a digest has no words for the welcome.
 */
function afterGreeting(turn: Turn): string {
  if (turn.sentences.length < 2 || !shows(turn, SMALL_TALK, 0)) return withoutAddressee(turn, turn.text);
  const rest = turn.sentences.slice(1).join(' ');
  return wordCount(rest) >= 2 ? rest : turn.text;
}

/**
 * The text without the @mention of a person it opens with, a name of several words too ("@Tom W trainers
 * are fine…" is "trainers are fine…"; a mention's first word alone would leave "W trainers are fine").
 */
function withoutAddressee(turn: Turn, text: string): string {
  if (!text.startsWith('@')) return text;
  for (const name of turn.addressed)
    if (name.includes(' ') && text.startsWith(`@${name}`))
      return text.slice(name.length + 1).replace(/^[\s,:]+/u, '');
  return text;
}

function terminate(sentence: string): string {
  return /[.!?…"')\]]$/.test(sentence) ? sentence : `${sentence}.`;
}

function substantive(turn: Turn): boolean {
  return !turn.message.isBot && turn.words.size >= 2 && !shows(turn, SMALL_TALK, 0);
}

// Words of a lead-in that may stand for what a task's pronoun names.
const LEAD_IN_WORDS = 4;

/** The lead-in before a colon of the sentence holding `task` ("sticker giveaway for first-time contributors"). */
function leadInOf(turn: Turn, task: string): Phrase | undefined {
  // The task may be cut from the folded sentence (when folding changed its length): compared folded.
  const folded = fold(task);
  const sentence = turn.sentences.find((x) => fold(x).includes(folded));
  if (!sentence) return undefined;
  const colon = /(?<=[^\d\s])[:：]\s+(?=\S)/u.exec(sentence);
  if (!colon || !fold(sentence.slice(colon.index)).includes(folded)) return undefined;
  const kept = condense(sentence.slice(0, colon.index), LEAD_IN_WORDS).replace(/…$/u, '').split(' ');
  // Cut short, it ends on a word of its own ("sticker giveaway for first-time", not "… for").
  while (kept.length > 1 && STOP_WORDS.has(fold(kept[kept.length - 1] as string))) kept.pop();
  const lead = kept.join(' ');
  const words = contentWords(lead);
  if (words.length === 0) return undefined;
  return { text: lead.charAt(0).toLowerCase() + lead.slice(1), key: words.join(' '), score: 0 };
}

// How far back the message of someone addressed is looked for.
const ADDRESSED_REACH = 20;

/**
 * The message a turn answers: the one it replies to, or, when it replies to its own author's message while
 * addressing someone ("@dj_rover that's a bug on our side, I'll open an issue"), that person's latest one.
 */
function answeredTurn(turn: Turn, turns: Turn[]): number | undefined {
  if (turn.replyTo === undefined) return undefined;
  if ((turns[turn.replyTo] as Turn).author !== turn.author || turn.addressed.length === 0)
    return turn.replyTo;
  for (let j = turn.index - 1; j >= Math.max(0, turn.index - ADDRESSED_REACH); j--)
    if (turn.addressed.includes((turns[j] as Turn).author)) return j;
  return turn.replyTo;
}

/** A task or decision that says "it" gets the thing it is about, from its topic's words. */
function withContext(text: string, labels: Phrase[], always = false): string {
  if (!always && !PRONOUN_OBJECT.test(fold(text))) return text;
  const folded = fold(text);
  // The thing it is about already named ("Una pompa: te la porto io"): the pronoun stands for it.
  const best = labels[0];
  if (!always && best && best.key.split(' ').every((w) => folded.includes(w))) return text;
  const label = labels.find((l) => !l.key.split(' ').some((w) => folded.includes(w)));
  return label ? `${text.replace(/[.!…]+$/u, '')} (${label.text})` : text;
}

function questionGist(
  question: Turn,
  df: Map<string, number>,
  n: number,
  names: ReadonlySet<string>,
  answer: string,
): string | undefined {
  const phrase = topicPhrases([question], df, n, names, 1)[0];
  if (!phrase) return undefined;
  const folded = fold(answer);
  if (phrase.key.split(' ').every((w) => folded.includes(w))) return undefined;
  return capitalise(phrase.text);
}
