/**
 * What the support, moderation and community readers look for in a channel, for the extractive digest:
 * which sentences and topics come first, which section each kind of item is worth most in, and which
 * messages are worth a point of their own (a report, an event) though they ask or decide nothing. General,
 * developer and executive digests are untouched by this module (their cues live in central.ts).
 * Patterns run on folded text (lowercase, accents removed, see `fold`) and cover English, German, French,
 * Spanish and Portuguese chat: words of the subject, not of any one community.
 */
import type { SummaryFocus } from '../../tasks/summary-options.ts';
import type { Turn } from '../analysis/conversation.ts';
import { SMALL_TALK, shows, wholeFolded } from '../analysis/cues.ts';
import { contentWords, fold } from '../analysis/words.ts';
import type { ListSection } from '../sections.ts';
import { condense } from './condense.ts';

const SUPPORT =
  /\b(?:help|issue|problem|error|bug|crash\w*|broken|not working|doesn'?t work|does not work|won'?t (?:start|load|work|open|connect)|can'?t|cannot|unable to|stuck|fix(?:ed|es)?|solved|workaround|tried|reinstall\w*|restart\w*|logs?|how (?:do|can) i|hilfe|fehler|funktioniert nicht|geht nicht|kaputt|gelost|ayuda|no funciona|falla|arreglad\w*|solucion\w*|aide|erreur|marche pas|fonctionne pas|resolu|ajuda|erro|nao funciona|resolvid\w*|problema)\b/;
const MODERATION =
  /\b(?:ban(?:ned|s)?|unban\w*|kick(?:ed)?|mute[ds]?|timeout|timed out|warn(?:ed|ing|s)?|report(?:ed|s)?|spam\w*|scam\w*|phishing|raid\w*|harass\w*|toxic|slurs?|nsfw|rules?|violat\w*|appeal\w*|alt accounts?|automod|moderat\w*|sperre|gesperrt|gebannt|verwarn\w*|gemeldet|regel\w*|belastig\w*|baneado|expulsad\w*|silenciad\w*|advertencia|denuncia\w*|reglas?|normas?|acoso|banni\w*|signale\w*|regles?|avertissement|harcelement|banid\w*|regras?|aviso|assedio)\b/;
const COMMUNITY =
  /\b(?:events?|meetups?|meet-up|streams?|livestream|announce\w*|contest|competition|tournament|poll|vote|voting|birthday|anniversary|milestone|newcomers?|new members?|shout-?out|showcase|newsletter|game night|party|hangout|workshop|feedback|veranstaltung|treffen|umfrage|abstimmung|geburtstag|jubilaum|neue mitglieder|evento|quedada|encuesta|votacion|cumpleanos|aniversario|nuevos miembros|evenement|rencontre|sondage|anniversaire|nouveaux membres|encontro|enquete|votacao|novos membros)\b|🎉|🥳/u;
// A member reporting a problem, and the same member saying it is fixed.
const PROBLEM =
  /\b(?:error|crash\w*|broken|not working|doesn'?t work|does not work|won'?t (?:start|load|work|open|connect)|can'?t|cannot|unable to|stuck|fails?|failing|fehler|funktioniert nicht|geht nicht|kaputt|no funciona|no puedo|falla|erreur|marche pas|fonctionne pas|bloque|nao funciona|nao consigo|erro)\b/;
const SOLVED =
  /\b(?:fixed|solved|works|worked|that did it|that was it|thanks|thank you|thx|danke|geht jetzt|funktioniert jetzt|gelost|gracias|funciona|arreglado|resuelto|merci|ca marche|resolu|obrigad[oa]|funcionou|resolvido)\b/;

const CUES: Partial<Record<SummaryFocus, RegExp>> = {
  support: SUPPORT,
  moderation: MODERATION,
  community: COMMUNITY,
};

/** Whether a folded text is about what this focus's reader looks for (never, for the other focuses). */
export function concerns(focus: SummaryFocus, folded: string): boolean {
  return CUES[focus]?.test(folded) ?? false;
}

/** Whether this focus chooses its sections' items its own way (support, moderation, community). */
export function hasOwnSections(focus: SummaryFocus): boolean {
  return CUES[focus] !== undefined;
}

/** Whether this focus gives messages that match its cues a point of their own (reports, events). */
export function hasHighlights(focus: SummaryFocus): boolean {
  return focus === 'moderation' || focus === 'community';
}

// Per focus, the sections worth most to its reader: a helper wants who still waits for help first, then
// what was solved; a community manager who volunteered. Added to an item's priority (decisions are about
// 100, action items 90, open questions and answers 70-82).
const SECTION_WEIGHT: Partial<Record<SummaryFocus, Partial<Record<ListSection, number>>>> = {
  support: { openQuestions: 25, keyPoints: 15 },
  moderation: { decisions: 5 },
  community: { actionItems: 8 },
};
// An item in the reader's subject (a moderation action, an event) over one that is not; for moderators and
// community managers an item off their subject (a code question) comes after their own highlights.
const ON_SUBJECT = 20;
const OFF_SUBJECT = -15;

/** How much more an item of `section` with this folded text is worth to this focus's reader. */
export function focusPriority(focus: SummaryFocus, section: ListSection, folded: string): number {
  const weight = SECTION_WEIGHT[focus]?.[section] ?? 0;
  if (concerns(focus, folded)) return weight + ON_SUBJECT;
  return hasHighlights(focus) ? weight + OFF_SUBJECT : weight;
}

/** A candidate item of a focus's own (the digest adds its wording priority and fits it to the budget). */
export interface FocusItem {
  section: ListSection;
  text: string;
  sources: string[];
  at: number;
  priority: number;
  topic: number;
}

// Longest item, in words (as the digest's).
const ITEM_WORDS = 12;
// How far after a problem its fix and the reporter's "that fixed it" are looked for.
const FOLLOW_UP_TURNS = 12;

/**
 * The latest messages in the reader's subject that no other item already reports (a report of spam, an
 * event announced), as key points: they ask and decide nothing, yet they are what this reader reads for.
 */
export function highlights(
  turns: Turn[],
  topicOf: ArrayLike<number>,
  focus: SummaryFocus,
  taken: Set<number>,
  room: number,
): FocusItem[] {
  const found: FocusItem[] = [];
  for (let i = turns.length - 1; i >= 0 && found.length < room; i--) {
    const turn = turns[i] as Turn;
    if (taken.has(i) || !substantive(turn)) continue;
    const at = turn.folded.findIndex((f) => concerns(focus, f));
    if (at < 0) continue;
    const text = condense(turn.sentences[at] as string, ITEM_WORDS);
    if (contentWords(text).length < 2) continue;
    found.push({
      section: 'keyPoints',
      text,
      sources: [turn.message.jumpLink],
      at: i,
      priority: 60,
      topic: topicOf[i] as number,
    });
  }
  return found;
}

/**
 * Problems members reported, for support: solved when someone else answered and the reporter then said it
 * works ("that fixed it, thanks"), said as problem and fix; still waiting when nobody replied to it or
 * addressed its reporter. `covers` are the turns a solved problem accounts for (its fix asked as a question
 * "did you set X?" is no open question).
 */
export function problems(
  turns: Turn[],
  topicOf: ArrayLike<number>,
  room: number,
): { items: FocusItem[]; covers: Set<number> } {
  const items: FocusItem[] = [];
  const covers = new Set<number>();
  for (let i = turns.length - 1; i >= 0 && items.length < room; i--) {
    const turn = turns[i] as Turn;
    if (!substantive(turn)) continue;
    const at = turn.folded.findIndex((f) => PROBLEM.test(f));
    if (at < 0) continue;
    let helper: number | undefined;
    let solved: number | undefined;
    let addressed = false;
    for (let j = i + 1; j < turns.length; j++) {
      const next = turns[j] as Turn;
      if (next.replyTo === i || next.addressed.includes(turn.author)) addressed = true;
      if (j > i + FOLLOW_UP_TURNS) continue;
      if (next.author !== turn.author) {
        if (helper === undefined && substantive(next) && (next.replyTo === undefined || next.replyTo === i))
          helper = j;
      } else if (helper !== undefined && SOLVED.test(wholeFolded(next)) && !PROBLEM.test(wholeFolded(next))) {
        solved = j;
        break;
      }
    }
    const problem = condense(problemClause(turn.sentences[at] as string), ITEM_WORDS - 4);
    if (contentWords(problem).length < 2) continue;
    const topic = topicOf[i] as number;
    if (solved !== undefined && helper !== undefined) {
      const fix = condense(asFix((turns[helper] as Turn).sentences[0] ?? ''), ITEM_WORDS - 3);
      const links = [i, helper, solved].map((k) => (turns[k] as Turn).message.jumpLink);
      items.push({
        section: 'keyPoints',
        text: `${problem.replace(/[.!…]+$/u, '')}: ${fix}`,
        sources: links,
        at: helper,
        priority: 80,
        topic,
      });
      for (const k of [i, helper, solved]) covers.add(k);
    } else if (!addressed && helper === undefined) {
      items.push({
        section: 'openQuestions',
        text: problem,
        sources: [turn.message.jumpLink],
        at: i,
        priority: 76,
        topic,
      });
    }
  }
  return { items, covers };
}

// "did you set X?" / "try X" is the fix X.
const SUGGESTING =
  /^(?:(?:ok|so|hm+|ah)[,\s]+)*(?:did you (?:try )?|have you (?:tried )?|you (?:need|have) to |try |maybe |probier(?:e|s)? |hast du |intenta |prueba |has probado |essaie |as-tu essaye |tenta |ja tentou )/i;

/** The part of a sentence that says what is wrong ("my bot won't start" of "hey all, my bot won't start"). */
function problemClause(sentence: string): string {
  const clauses = sentence.split(/[,;:]\s+/);
  return clauses.find((c) => PROBLEM.test(fold(c))) ?? sentence;
}

/** A helper's suggestion said as the fix it turned out to be. */
function asFix(sentence: string): string {
  const fix = sentence
    .replace(SUGGESTING, '')
    .replace(/\?+\s*$/u, '')
    .trim();
  return fix.length >= 3 ? fix : sentence;
}

// A greeting that leads into a report ("hey all, my bot won't start after the update") still reports it:
// only a short message opening with small talk is small talk here.
function substantive(turn: Turn): boolean {
  if (turn.message.isBot || turn.words.size < 3) return false;
  return turn.words.size >= 6 || !shows(turn, SMALL_TALK, 0);
}
