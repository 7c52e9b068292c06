import { endsWithQuestionMark, squeezeSpaces, withoutTrailingPunctuation } from '../text.ts';
import type { Conversation, NameIndex, Turn } from './conversation.ts';
import { nameIndex, resolveName } from './conversation.ts';
import {
  ACKNOWLEDGEMENT,
  ASKS_FOR_THING,
  DONE,
  HEDGE,
  IN_PROGRESS,
  NON_ANSWER,
  REQUEST,
  SELF_COMMITMENT,
  SMALL_TALK,
  STILL_TO_COME,
  shows,
  TEMPORAL,
  WHOLE,
  wholeFolded,
} from './cues.ts';
import { firstAfter } from './ranking.ts';
import type { Topics } from './topics.ts';
import { contentWords, fold, hasUnspacedScript } from './words.ts';

/** A task taken on and reported done within the window: who, what, and the message that says it is done. */
export interface CompletedTask {
  owner: string;
  task: string;
  /** The owner's message reporting it done. */
  turn: number;
  topic: number;
}

/** Something someone took on: who, what, and the messages it comes from. */
export interface ActionItem {
  owner: string;
  /** What is to be done, as the people said it (a clause, not the whole message). */
  task: string;
  /** The turn the task's words come from, then the rest (acknowledgement, …). */
  turns: number[];
  topic: number;
}

const ACK_REACH = 6;
const ACK_MS = 6 * 60 * 60 * 1000;
// How far after a commitment its owner's "done" is looked for (keeps the pass linear).
const DONE_REACH = 400;

// Where the task starts after a request or commitment cue (folded text keeps the original's positions
// for ASCII; the clause is cut from the original sentence by the same offsets when lengths agree).
const REQUEST_CUE =
  /\b(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|u)(?: (?:please|pls|plz|maybe|also|just))?\s+|\bwho (?:can|could|wants to)\s+|\b(?:someone|somebody) (?:needs to|should|has to|must)\s+|\b(?:please|pls|plz)\s+|\b(?:kannst du|konntest du|kann jemand|konnte jemand|wer kann|konnt ihr)\s+|\b(?:tu peux|tu pourrais|vous pouvez|pourrais-tu|quelqu'un peut|qui peut)\s+|\b(?:puedes|podrias|alguien puede|quien puede)\s+|\b(?:voce pode|alguem pode|quem pode|pode|podes|(?:voce )?consegue)\s+|\b(?:puoi|potresti|riesci a|qualcuno (?:puo|potrebbe)|chi puo)\s+|\b(?:kun je|kan je|kun jij|kan jij|kunt u|kan iemand|wie kan|wil je|wil jij|zou je|zou jij)\s+|\b(?:mozesz|moglbys|moglabys|czy ktos moze|kto moze|zrobisz|ogarniesz|wrzucisz|sprawdzisz|napiszesz|przyniesiesz|wezmiesz|dasz rade|zajmiesz sie|poprawisz|zaktualizujesz|przygotujesz)\s+|\b(?:kan du|kan ni|skulle du kunna|kan nagon|vem kan|kan noen|hvem kan|kan dere|kan nogen|vem (?:haller i|tar|fixar))\s+|(?:你(?:能不能|可不可以|能|可以)|能不能(?=[帮给])|麻烦你|请你|拜托你?)\s*|(?<![а-я])(?:можешь|можете|сможешь|сможете|кто может|не могл?[аи]? бы)(?: пожалуйста)?\s+|\b(?:bisa tolong|minta tolong|tolong|kamu bisa|siapa yang bisa)\s+/;
// Polish and Russian say the person in the verb ("poprawię regulamin", "соберу пати"), Swedish and Indonesian
// after a pronoun ("jag mejlar dem", "aku bawa air minum"): the task starts at the verb, so those cues match no
// text of their own (a lookahead) or end before the verb. Russian letters are folded (й → и, ё → е), and `\b`
// knows none: a lookbehind stands for it.
const SELF_CUE =
  /(?:\b(?:i'?ll(?: try to| go ahead and| also)?|i will|i'?m going to|i am going to|i'?m gonna|i can|let me|i'?m happy to|happy to|i'?ll take|i take|ich (?:mache|mach|kummere mich um|schicke|schick|ubernehme|nehme|werde|kann|schreibe|schreib|bringe|bring|erstelle|teste|backe|koche|hole|kaufe|besorge|organisiere|buche|reserviere|drucke|melde)|je (?:vais|m'occupe de|fais|peux|prends|envoie|ecris|regarde|teste|(?!serai\b)\w+rai)|j'\w+erai|ci penso io a|me ne occupo|mi occupo d[ie]|^io|(?:yo )?me encargo de|voy a|yo(?: lo| la| los| las)?(?=\s+(?:reviso|mando|envio|escribo|preparo|llevo|traigo|hago|reservo|busco)\b)|eu (?:faco|vou|cuido d[aeo]|posso|mando|escrevo|levo|trago|reviso)|vou|ik (?:doe|regel|neem|zal|ga|breng|stuur|schrijf|maak|kan|bestel|check|zorg voor)|(?:ja )?(?:zajme sie|ogarne)))\s+|(?:私|僕|俺|自分)(?:は|が)\s*|\bja moge,?\s+|(?=\b(?:zrobie|wrzuce|poprawie|dodam|ustawie|zapytam|zadzwonie|kupie|zorganizuje|zalatwie|przyniose|napisze|wysle|sprawdze|zamowie|przygotuje|zaktualizuje|wezme)\b)|\b(?:jag|jeg)(?: (?:kan|ska|skal))?\s+(?=(?:fixar|fikser|tar|tager|gor|mejlar|mailar|skickar|sender|lagger|bokar|booker|kollar|sjekker|ordnar|ordner|bestaller|hamtar|henter|skriver|ta|fixa|mejla|skicka|boka|kolla|ordna)\b)|(?<![а-я])(?:я\s+)?(?=(?:сделаю|напишу|соберу|возьму|займусь|проверю|скину|кину|принесу|закажу|подготовлю)(?![а-я]))|\b(?:aku|saya|gue|gw)(?: yang| nanti)?\s+(?=(?:bawa|bikin|buat|urus|siapin|siapkan|kerjain|kirim|cek|pesan|pesen|tulis|update)\b)|\b(?:biar|nanti) (?:aku|saya|gue|gw)\s+|\bj'(?=(?:apporte|amene|envoie|ecris|achete|organise|imprime|appelle)\b)|\bje (?=(?:reserve|prepare|ramene)\b)/;
// Words of when, beside the days and times of TEMPORAL ("thursday or later", "später", "plus tard").
const AVAILABILITY =
  /^(?:later|earlier|sooner|after|before|spater|fruher|tard|tot|tarde|depois|antes|dopo|prima|eerder|pozniej|wczesniej)$/;
const NEGATED = /\b(?:can'?t|cannot|won'?t|not|nicht|pas|no puedo|nao|niet|nie)\b/;

/**
 * Finds action items: a request and its acknowledgement are one item owned by whoever took it on; a
 * self-commitment ("I'll update the docs") is owned by its speaker; a plan that hands out parts ("Kwame
 * Q1-3, Lukas Q4-6, I'll do the sheet") gives one item per person. Tasks reported done later in the
 * window by their owner are left out.
 */
export function findActionItems(
  conversation: Conversation,
  topics: Topics,
  completed: CompletedTask[] = [],
): ActionItem[] {
  const { turns } = conversation;
  return dropDone(merge(turnItems(conversation, topics), turns), turns, completed);
}

/** Every turn's items, in order, before merging. */
function turnItems(conversation: Conversation, topics: Topics): ActionItem[] {
  const { turns, participants } = conversation;
  const names = nameIndex(participants);
  const items: ActionItem[] = [];
  const consumed = new Set<number>();
  for (const turn of turns)
    if (!turn.message.isBot) addTurnItems(turn, turns, topics, names, items, consumed);
  return items;
}

// Plain loops and a function per turn rather than a closure per sentence: the closure's optimised code kept
// falling back for want of type feedback, once per summary.
/** Appends the items of one turn's sentences to `items`; `consumed`: turns already taken as acknowledgements. */
function addTurnItems(
  turn: Turn,
  turns: Turn[],
  topics: Topics,
  names: NameIndex,
  items: ActionItem[],
  consumed: Set<number>,
): void {
  // A plan handing out parts names someone: a turn naming nobody needs no look for one.
  let naming: boolean | undefined;
  for (let i = 0; i < turn.folded.length; i++) {
    const f = turn.folded[i] as string;
    const sentence = turn.sentences[i] as string;
    if (shows(turn, REQUEST, i) && !GROUP_ASKED.test(f)) {
      // Languages that put the verb last ("リリースノートを書いてもらえますか") ask after the task.
      const task = clauseAfter(sentence, f, REQUEST_CUE) ?? clauseBefore(sentence, f, REQUEST_AFTER_TASK);
      if (!task || contentWords(task).length < 2) continue;
      const ack = acknowledgement(turn, turns);
      if (ack && shows(ack, DONE, WHOLE) && !shows(ack, SELF_COMMITMENT, WHOLE)) continue;
      const owner = ack?.author ?? (turn.addressed.length === 1 ? turn.addressed[0] : undefined);
      if (!owner) continue;
      if (ack) consumed.add(ack.index);
      items.push({
        owner,
        task,
        turns: ack ? [turn.index, ack.index] : [turn.index],
        topic: topics.topicOf[turn.index] as number,
      });
      continue;
    }
    if (consumed.has(turn.index)) continue;
    // "Anyone have a pump?" answered "I'll bring mine": the one who offers it owns what was asked for.
    // Only a question asks for a thing: most sentences need no look at the cue.
    if ((sentence.includes('?') || sentence.includes('？')) && shows(turn, ASKS_FOR_THING, i)) {
      const offer = offered(turn, sentence, f, turns);
      if (offer) {
        consumed.add(offer.turn.index);
        items.push({
          owner: offer.turn.author,
          task: offer.task,
          turns: [offer.turn.index, turn.index],
          topic: topics.topicOf[turn.index] as number,
        });
        continue;
      }
    }
    // A plan handing out parts names at least two people and lists them.
    // The list's punctuation first: most sentences have none, and then no name need be looked up.
    let listed = LIST_PUNCTUATION.test(f);
    if (listed) {
      naming ??= namesAny(turn, names);
      listed = naming && namesIn(turn, names) >= 2;
    }
    const assignments = listed ? assignmentsIn(sentence, f, turn, names) : [];
    if (assignments.length >= 2) {
      for (const a of assignments) {
        items.push({
          owner: a.owner,
          task: a.task,
          turns: [turn.index],
          topic: topics.topicOf[turn.index] as number,
        });
      }
      continue;
    }
    if (!shows(turn, SELF_COMMITMENT, i) || endsWithQuestionMark(sentence)) continue;
    // Verb-final languages commit at the end ("Docker イメージは明日更新します"): the sentence is the task.
    const task =
      clauseAfter(sentence, f, SELF_CUE) ??
      (hasUnspacedScript(sentence) || VERB_LAST.test(sentence)
        ? sentence.replace(/[。！!\s]+$/u, '')
        : undefined);
    if (!task || NEGATED.test(fold(task).split(/\s+/).slice(0, 2).join(' '))) continue;
    const words = contentWords(task);
    // "I can only do thursday or later" says when the speaker is free, not what they will do.
    if (words.length < 1 || words.every((w) => TEMPORAL.test(w) || AVAILABILITY.test(w))) continue;
    if (words.length < 2) continue;
    items.push({
      owner: turn.author,
      task,
      turns: [turn.index],
      topic: topics.topicOf[turn.index] as number,
    });
  }
}

// Regular expressions of the per-sentence and per-word tests are made once here: a literal in a function
// makes a new RegExp object each time it is reached.
const GROUP_ASKED = /\b(?:can|could|should|shall) we\b/;
const LIST_PUNCTUATION = /[,;]|\s(?:and|und|et|y|e)\s/;
const REPORTED_DONE = /^sent|^done|^\w+ed\b/;
const SELF_NAMED = /\b(?:i'?ll|i will|i can|ich|je|yo|eu)\b/;
const ASCII_LOWERCASE = /^[a-z]+$/;

/**
 * A decision's sentence without the speaker's own task after it ("we stay with Hartley until january, and
 * I'll try to renegotiate" is "we stay with Hartley until january"): the task is its own action item.
 */
export function withoutOwnTask(sentence: string): string {
  const folded = fold(sentence);
  const cue = SELF_CUE.exec(folded);
  if (!cue || cue.index === 0 || folded.length !== sentence.length) return sentence;
  const before = sentence
    .slice(0, cue.index)
    .replace(/[\s,;]*(?:\b(?:and|und|et|y|e|en|so)\b)?[\s,;]*$/iu, '');
  return contentWords(before).length >= 3 ? before : sentence;
}

// A request that follows its task, and a name addressed before it ("やまださん、").
// Korean asks after the task too ("자료 좀 정리해 줄 수 있어?"), its cue folded as the text is (in jamo).
const REQUEST_AFTER_TASK = new RegExp(
  `[てで](?:もらえ(?:ます|ません)か|ください|くれ(?:ます|ません)か)|をお願い(?:します|できますか)|お願い(?:します|できますか)|\\s*(?:${['줄 수 있', '줄수있', '주실 수', '주세요', '줄래'].map(fold).join('|')})|\\s[a-z\u0131]+(?:abilir|ebilir) m[iı]s[iı]n|\\s(?:kar|kr|la|laa|le|le aa|bhej|dekh|de|bana|likh|rakh) (?:doge|dogi|loge|logi|sakte ho|sakti ho)\\b`,
);
// Korean, Turkish and Hindi put the verb last ("토요일에 슬라이드 만들게요", "topları ben getiririm", "kit le
// aaunga"): the committing sentence is the task.
const VERB_LAST =
  /[\uac00-\ud7a3]|(?:hallederim|getiririm|yaparım|hazırlarım|yazarım|gönderirim|bakarım|ilgilenirim|alırım|ayarlarım)[\s.!]*$|\b(?!bunga\b)\w+(?:unga|ungi)[\s.!]*$/;
const ADDRESSEE = /^[^\s、,]{1,12}(?:さん|くん|ちゃん|様)?[、,]\s*/u;

/** The words before a cue that ends its clause, without an addressee in front. */
function clauseBefore(sentence: string, folded: string, cue: RegExp): string | undefined {
  const match = cue.exec(folded);
  if (!match || match.index === 0) return undefined;
  const source = sentence.length === folded.length ? sentence : folded;
  const clause = source.slice(0, match.index).replace(ADDRESSEE, '').trim();
  // Folded Korean is in letters (jamo): put its syllables back together.
  return clause.length > 0 ? (source === folded ? clause.normalize('NFC') : clause) : undefined;
}

/** The words after a cue, up to the end of the clause, without trailing punctuation. */
const CLAUSE_END =
  /(?<=[.!?;])\s|\s[-–—]\s|\s(?:but|because|cause|so that|since|aber|weil|mais|parce que|pero|porque)\s/;

function clauseAfter(sentence: string, folded: string, cue: RegExp): string | undefined {
  const match = cue.exec(folded);
  if (!match) return undefined;
  // Folding keeps lengths for most text; when it does not, fall back to the folded clause.
  const start = (match.index ?? 0) + match[0].length;
  const source = sentence.length === folded.length ? sentence : folded;
  let clause = source.slice(start);
  // The clause ends where the first of these starts (the first piece of splitting at them).
  const end = CLAUSE_END.exec(clause);
  if (end) clause = clause.slice(0, end.index);
  clause = squeezeSpaces(withoutTrailingPunctuation(withoutFarewell(clause))).trim();
  return clause.length > 0 ? clause : undefined;
}

/**
 * The clause without the farewell or greeting after a comma ("cenar, hasta mañana", "send it, thanks"):
 * taking leave is no part of a task (and what is left of "me voy a cenar, hasta mañana" is too short to be
 * one).
 */
function withoutFarewell(clause: string): string {
  if (!clause.includes(',')) return clause;
  const parts = clause.split(',');
  while (parts.length > 1 && SMALL_TALK.test(fold((parts[parts.length - 1] as string).trim()))) parts.pop();
  return parts.join(',');
}

// Where the thing asked for starts after an ASKS_FOR_THING cue ("anyone have | a spare HDMI cable?").
const ASKS_FOR_CUE =
  /(?:\b(?:does |do )?(?:anyone|anybody|someone|somebody|any of you|one of you) (?:here )?(?:have|has|got|own|(?:could|can) lend)|\bhas (?:anyone|anybody) got|\b(?:can|could) (?:i|we) borrow|\bwho (?:has|have|got)|\b(?:hat|hatte) (?:jemand|wer|einer)(?: von euch)?(?: zufallig)?|\bkann mir (?:jemand|wer)|\bquelqu'un (?:a|aurait|peut me preter|pourrait me preter)|\bvous auriez|\balguien (?:tiene|me (?:presta|puede prestar|deja))|\balguem (?:tem|me empresta|pode me emprestar)|\bqualcuno (?:ha|mi presta|puo prestarmi)|\bheeft (?:er )?iemand|\b(?:czy )?ktos ma|\bma ktos)\s+/;

/**
 * The offer that answers a request for a thing: a reply by someone else, or the very next message, that
 * commits to it without hedging ("I'll bring mine", "te la porto io"; not "i think my roommate has it"),
 * unless someone else's reply brought it within the window. The item is the thing asked for, then what the
 * offer said ("Una pompa da prestarmi: te la porto io sabato"), so it reads in the channel's own language.
 */
function offered(
  request: Turn,
  sentence: string,
  folded: string,
  turns: Turn[],
): { turn: Turn; task: string } | undefined {
  const offer = acknowledgement(request, turns);
  if (!offer || (offer.replyTo !== request.index && offer.index !== request.index + 1)) return undefined;
  const first = offer.folded[0] ?? '';
  if (!shows(offer, SELF_COMMITMENT, WHOLE) || NEGATED.test(first) || HEDGE.test(first)) return undefined;
  if (broughtByReply(request, offer, turns)) return undefined;
  const thing = clauseAfter(sentence, folded, ASKS_FOR_CUE) ?? sentence.replace(/[?？\s]+$/u, '');
  const said = (offer.sentences[0] ?? offer.text).replace(/[.!。！\s]+$/u, '');
  return { turn: offer, task: `${thing}: ${said}` };
}

/** Whether a later reply to the request, by neither the asker nor the one offering, reports it done. */
function broughtByReply(request: Turn, offer: Turn, turns: Turn[]): boolean {
  const end = Math.min(turns.length, request.index + DONE_REACH);
  for (let j = offer.index + 1; j < end; j++) {
    const t = turns[j] as Turn;
    if (t.replyTo !== request.index || t.author === request.author || t.author === offer.author) continue;
    if (shows(t, DONE, WHOLE)) return true;
  }
  return false;
}

/** The first reply by someone else that takes the request on. */
function acknowledgement(request: Turn, turns: Turn[]): Turn | undefined {
  let looked = 0;
  for (let j = request.index + 1; j < turns.length && looked < ACK_REACH; j++) {
    const t = turns[j] as Turn;
    if (t.time - request.time > ACK_MS) break;
    const reply = t.replyTo === request.index;
    if (!reply && t.replyTo !== undefined) continue;
    if (!reply && t.thread !== request.thread) continue;
    looked++;
    if (t.author === request.author) continue;
    if (request.addressed.length > 0 && !request.addressed.includes(t.author) && !reply) continue;
    if (shows(t, NON_ANSWER, 0)) continue;
    const first = t.folded[0] ?? '';
    if (shows(t, ACKNOWLEDGEMENT, 0) || shows(t, SELF_COMMITMENT, WHOLE) || (reply && shows(t, DONE, WHOLE)))
      return t;
    if (REPORTED_DONE.test(first) && j - request.index <= 2) return t;
  }
  return undefined;
}

function assignmentsIn(
  sentence: string,
  folded: string,
  turn: Turn,
  names: NameIndex,
): { owner: string; task: string }[] {
  void folded;
  const body = sentence.includes(':') ? sentence.slice(sentence.indexOf(':') + 1) : sentence;
  const parts = body
    .split(/,(?![^(]*\))|;|\s(?:and|und|et|y|e)\s(?![^(]*\))/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: { owner: string; task: string }[] = [];
  for (const part of parts) {
    const m = /^@?([\p{L}\p{N}_.-]+)[:\s]+(.+)$/u.exec(part);
    if (m) {
      const owner = resolveName(m[1] as string, names);
      const task = (m[2] as string).replace(/[\s.,;:!?]+$/u, '').trim();
      if (owner && contentWords(task).length >= 1 && !/^(?:is|was|has|said|says|and|or)\b/i.test(task)) {
        out.push({ owner, task });
        continue;
      }
    }
    const self = SELF_CUE.exec(fold(part));
    if (self && (self.index ?? 0) <= 2) {
      const task = part
        .slice((self.index ?? 0) + self[0].length)
        .replace(/[\s.,;:!?]+$/u, '')
        .trim();
      if (contentWords(task).length >= 1) out.push({ owner: turn.author, task });
    }
  }
  return new Set(out.map((o) => o.owner)).size >= 2 ? out : [];
}

/** How many participants' names (or "I") a turn's words hold. */
function namesIn(turn: Turn, names: NameIndex): number {
  let n = SELF_NAMED.test(wholeFolded(turn)) ? 1 : 0;
  for (const w of turn.words.list) if (names.has(w)) n++;
  return n;
}

/** Whether any of a turn's words names a participant. */
function namesAny(turn: Turn, names: NameIndex): boolean {
  for (const w of turn.words.list) if (names.has(w)) return true;
  return false;
}

/** One item per owner and task: the same person taking on the same thing twice is one item. */
function merge(items: ActionItem[], turns: Turn[]): ActionItem[] {
  const out: ActionItem[] = [];
  // Each owner's kept items with their task words, worked out once: an item is compared with its owner's
  // items only (a busy window compared every item with every kept one).
  const byOwner = new Map<string, { item: ActionItem; words: string[] }[]>();
  for (const item of items) {
    const words = contentWords(item.task);
    const set = new Set(words);
    let own = byOwner.get(item.owner);
    if (!own) {
      own = [];
      byOwner.set(item.owner, own);
    }
    const same = own.find((o) => sharesTwo(o.words, set))?.item;
    if (same) {
      for (const t of item.turns) if (!same.turns.includes(t)) same.turns.push(t);
      continue;
    }
    out.push(item);
    own.push({ item, words });
  }
  void turns;
  return out;
}

/** Whether at least two of `words` (repeats counted) are in `set`: read no further than the second. */
function sharesTwo(words: string[], set: ReadonlySet<string>): boolean {
  let n = 0;
  for (const w of words) if (set.has(w) && ++n >= 2) return true;
  return false;
}

/**
 * Leaves out tasks their owner reported done later ("booked room 3.12 ✅", "bisected: …"), and adds them to
 * `completed` with the message that reported them.
 */
function dropDone(items: ActionItem[], turns: Turn[], completed: CompletedTask[]): ActionItem[] {
  // Each owner's turns in order: an item looks at its owner's later messages only.
  const byAuthor = new Map<string, number[]>();
  if (items.length > 0) {
    for (const t of turns) {
      let list = byAuthor.get(t.author);
      if (!list) {
        list = [];
        byAuthor.set(t.author, list);
      }
      list.push(t.index);
    }
  }
  const pending: ActionItem[] = [];
  const read: TurnReading = {
    progress: new Int8Array(items.length > 0 ? turns.length : 0),
    stems: new Map(),
  };
  for (const item of items) {
    const done = doneAt(item, turns, byAuthor.get(item.owner) ?? [], read);
    if (done === undefined) pending.push(item);
    else completed.push({ owner: item.owner, task: item.task, turn: done, topic: item.topic });
  }
  return pending;
}

/** The owner's later turn (of `own`, their turns in order) that reports the item done, if any. */
function doneAt(item: ActionItem, turns: Turn[], own: number[], read: TurnReading): number | undefined {
  // The words of the item's messages and task, by their first five letters (and four, for "-ing").
  const stems = new Set<string>();
  for (const t of item.turns) for (const w of (turns[t] as Turn).words.list) stems.add(w.slice(0, 5));
  for (const w of contentWords(item.task)) stems.add(w.slice(0, 5));
  const prefixes = new Set<string>();
  for (const s of stems) if (s.length >= 4) prefixes.add(s.slice(0, 4));
  const verb = fold(item.task).split(/\s+/)[0] ?? '';
  // A verb of four letters or more is matched by its first four; a short one ("fix", "pin") whole.
  const head = verb.length >= 4 ? verb.slice(0, 4) : undefined;
  const last = Math.max(...item.turns);
  const end = Math.min(turns.length, last + DONE_REACH);
  for (let k = firstAfter(own, last); k < own.length && (own[k] as number) < end; k++) {
    const t = turns[own[k] as number] as Turn;
    // "drafting release notes now", "80% done": under way, still to do.
    if (inProgress(t, read.progress)) continue;
    const its = stemsOf(t, read.stems);
    if (anyIn(its.going, prefixes)) continue;
    // The remembered cue first: most turns report nothing done, and then their words need no count.
    if (
      shows(t, DONE, WHOLE) &&
      !shows(t, SELF_COMMITMENT, WHOLE) &&
      sharedStems(its.stems, stems) >= 2 &&
      !STILL_TO_COME.test(wholeFolded(t))
    )
      return t.index;
    if (
      head !== undefined
        ? reportsVerbDone(t.words.list, head, verb)
        : reportsShortVerbDone(t.words.list, verb)
    )
      return t.index;
  }
  return undefined;
}

// What dropDone reads of a turn, remembered per turn for one call: each of an owner's turns is looked at for
// every earlier item of theirs (a fifth of a summary of 10,000 DialogSum turns went to reading them again).
interface TurnReading {
  /** `inProgress` per turn index: 0 not yet known, 1 no, 2 yes. */
  progress: Int8Array;
  stems: Map<number, TurnStems>;
}

/** A turn's words by their first five letters, and the first four of its "-ing" words (in word order). */
interface TurnStems {
  stems: string[];
  going: string[];
}

function stemsOf(t: Turn, known: Map<number, TurnStems>): TurnStems {
  let found = known.get(t.index);
  if (found === undefined) {
    found = { stems: [], going: [] };
    for (const w of t.words.list) {
      found.stems.push(w.slice(0, 5));
      if (w.endsWith('ing') && w.length >= 4) found.going.push(w.slice(0, 4));
    }
    known.set(t.index, found);
  }
  return found;
}

/** Whether any of `keys` is in `set`. */
function anyIn(keys: readonly string[], set: ReadonlySet<string>): boolean {
  for (let i = 0; i < keys.length; i++) if (set.has(keys[i] as string)) return true;
  return false;
}

/** Whether a turn's words report the verb whose first four letters are `head` done ("update" → "updated"). */
function reportsVerbDone(words: readonly string[], head: string, verb: string): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith(head) && (w.endsWith('ed') || w.endsWith('t')) && w !== verb) return true;
  }
  return false;
}

/**
 * Whether a turn's words report a short verb done: "pin the runner" then "runner pinned to windows-2022"
 * ("fix", "fixed"); only for a verb of three lowercase ASCII letters.
 */
function reportsShortVerbDone(words: readonly string[], verb: string): boolean {
  if (verb.length !== 3 || !ASCII_LOWERCASE.test(verb)) return false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w.startsWith(verb) && w.endsWith('ed') && w.length <= verb.length + 3) return true;
  }
  return false;
}

/** How many of a turn's word stems (repeats counted) are among an item's `stems`. */
function sharedStems(own: readonly string[], stems: ReadonlySet<string>): number {
  let n = 0;
  for (const s of own) if (stems.has(s)) n++;
  return n;
}

/** Whether a turn reports work under way (IN_PROGRESS over its whole text), remembered in `memo`. */
function inProgress(t: Turn, memo: Int8Array): boolean {
  let known = memo[t.index] as number;
  if (known === 0) {
    known = IN_PROGRESS.test(wholeFolded(t)) ? 2 : 1;
    memo[t.index] = known;
  }
  return known === 2;
}
