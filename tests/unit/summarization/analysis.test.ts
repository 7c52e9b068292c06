import { describe, expect, it } from 'vitest';
import { analyzeConversation } from '../../../lib/summarization/analysis/index.ts';
import { fold, words } from '../../../lib/summarization/analysis/words.ts';
import { condense } from '../../../lib/summarization/compose/condense.ts';
import type { NormalizedMessage } from '../../../lib/summarization/summarizer.ts';
import { chat } from '../../support/conversation.ts';

const text = (a: ReturnType<typeof analyzeConversation>, turn: number, sentence: number) =>
  a.conversation.turns[turn]?.sentences[sentence];

describe('conversation analysis', () => {
  it('keeps accented names whole and compares words accent-folded', () => {
    expect(words('Chloé and Büşra fixed ms-01 in v2.4')).toEqual([
      'Chloé',
      'and',
      'Büşra',
      'fixed',
      'ms-01',
      'in',
      'v2.4',
    ]);
    expect(fold('Décidé, Straße')).toBe('decide, strasse');
  });

  it('reports the later plan as the decision and the earlier one as superseded', () => {
    const a = analyzeConversation(
      chat([
        ['ana', 'meetup friday at 6pm?'],
        ['ben', 'friday works'],
        ['cy', 'friday is bad for me, can we do saturday instead?'],
        ['ana', 'saturday works for me'],
        ['ben', 'ok, saturday 6pm then'],
      ]),
    );
    const standing = a.decisions.filter((d) => d.supersededBy === undefined);
    expect(standing.map((d) => text(a, d.turn, d.sentence))).toEqual(['ok, saturday 6pm then']);
    expect(a.decisions.some((d) => d.turn === 0 && d.supersededBy !== undefined)).toBe(true);
  });

  it('takes the reply that picks one of the plans a question put to the group for the decision', () => {
    const a = analyzeConversation(
      chat([
        ['ana', 'do we meet in the library or online this time?'],
        ['ben', 'haha online pls, my bike is broken'],
        ['cy', 'library, room 3 is booked already', 0],
        ['ana', 'is the quiz open book or not?'],
        ['ben', 'open book', 3],
      ]),
    );
    // "is the quiz open book or not?" asks a fact of no one's plan: its answer decides nothing.
    expect(a.decisions.map((d) => text(a, d.turn, d.sentence))).toEqual([
      'library, room 3 is booked already',
    ]);
  });

  it('takes a plan set against what it is not for a decision, not "…, not to mention…"', () => {
    const a = analyzeConversation(
      chat([
        ['mo', "ok so saturday's distribution is at St Anne's gym, not the hall."],
        ['jo', 'the first year is hard for everyone, not to mention the move.'],
      ]),
    );
    expect(a.decisions.map((d) => d.turn)).toEqual([0]);
  });

  it("takes a mention of the asker right after a question for its answer, and a bot's ping for none", () => {
    const messages = chat([
      ['marco', 'did someone refill the generator? it was on empty last night'],
      ['rosie', '@marco jess did it this morning before opening'],
      ['zosia', 'who pays for the hosting in january?'],
      ['MEE6', 'GG @zosia, you just reached level 9!'],
    ]).map((m) => (m.authorName === 'MEE6' ? { ...m, isBot: true } : m));
    const a = analyzeConversation(messages);
    const answerOf = (turn: number) => a.questions.find((q) => q.turn === turn)?.answer;
    expect(answerOf(0)).toBe(1);
    expect(answerOf(2)).toBeUndefined();
  });

  it('counts a proposal others agree to as a decision, with its agreements as support', () => {
    const a = analyzeConversation(
      chat([
        ['lea', 'I want to swap the opener for the new song'],
        ['tom', 'agreed'],
        ['max', 'sounds good 👍'],
      ]),
    );
    expect(a.decisions).toHaveLength(1);
    expect(a.decisions[0]?.support).toEqual([0, 1, 2]);
  });

  it('answers a question by its reply, skipping non-answers, and leaves unanswered ones open', () => {
    const a = analyzeConversation(
      chat([
        ['sam', 'how long is our slot at the venue'],
        ['kim', 'no idea tbh'],
        ['joe', '45 min, we play second', 0],
        ['sam', 'are we getting paid for this one?'],
        ['kim', '😂'],
        ['joe', 'ok gotta go, bye'],
      ]),
    );
    expect(a.questions.map((q) => [q.turn, q.answer])).toEqual([
      [0, 2],
      [3, undefined],
    ]);
  });

  it('makes a request and its acknowledgement one action item owned by whoever took it on', () => {
    const a = analyzeConversation(
      chat([
        ['marc', 'can someone bring the spare snare stand? ours is broken'],
        ['dani', 'got it, I will bring mine', 0],
        ['lea', "I'll send the final setlist tonight"],
      ]),
    );
    expect(a.actions.map((x) => [x.owner, x.task])).toEqual([
      ['dani', 'bring the spare snare stand'],
      ['lea', 'send the final setlist tonight'],
    ]);
  });

  it('hands out the parts of a plan to the people it names', () => {
    const a = analyzeConversation(
      chat([
        ['hana', 'plan: kwame does Q1-3, lukas Q4-6 and I will draft the cheat sheet'],
        ['kwame', '👍'],
        ['lukas', 'ok'],
      ]),
    );
    expect(a.actions.map((x) => [x.owner, x.task])).toEqual([
      ['kwame', 'does Q1-3'],
      ['lukas', 'Q4-6'],
      ['hana', 'draft the cheat sheet'],
    ]);
  });

  it('leaves out a commitment its owner reports done later', () => {
    const a = analyzeConversation(
      chat([
        ['hana', "I'll book a room at the library"],
        ['hana', 'booked room 3.12 at the library ✅'],
      ]),
    );
    expect(a.actions).toEqual([]);
  });

  it('takes no farewell for a task: leaving for dinner is not an action item, a task said with one is', () => {
    const a = analyzeConversation(
      chat([
        ['Mateo', 'me voy a cenar, hasta mañana'],
        ['Ana', "I'm off to dinner, see you tomorrow"],
        ['Lukas', 'ich schicke die Folien heute Abend, bis morgen'],
        ['Diego', 'voy a revisar el resumen del tema 4, hasta luego'],
      ]),
    );
    expect(a.actions.map((x) => [x.owner, x.task])).toEqual([
      ['Lukas', 'die Folien heute Abend'],
      ['Diego', 'revisar el resumen del tema 4'],
    ]);
  });

  it('recognises decisions, questions and commitments in German, French, Spanish and Portuguese', () => {
    const a = analyzeConversation(
      chat([
        ['jonas', 'Sollen wir das Treffen auf Donnerstag legen?'],
        ['lena', 'passt, dann machen wir Donnerstag'],
        ['lena', 'Ich schreibe die Einladung morgen'],
        ['chloé', 'On part sur la version 3 pour la démo'],
        ['inés', '¿Quién puede revisar el presupuesto?'],
        ['pablo', 'yo me encargo de revisar el presupuesto', 4],
        ['joão', 'Eu vou atualizar a documentação hoje'],
      ]),
    );
    const standing = a.decisions.filter((d) => d.supersededBy === undefined);
    expect(standing.find((d) => d.support.includes(0))?.support).toContain(1);
    expect(standing.map((d) => d.turn)).toContain(3);
    expect(a.actions.map((x) => x.owner)).toEqual(['lena', 'pablo', 'joão']);
    expect(a.questions.map((q) => q.turn)).toContain(0);
  });

  it('puts replies and threads in their parent topic and splits after a long silence', () => {
    const messages = chat([
      ['ana', 'the nightly build fails on arm64 runners'],
      ['ben', 'looking at the arm64 logs now'],
      ['cy', 'who brings snacks to the meetup on saturday?'],
      ['dan', 'it is the linker flags on arm64', 0],
    ]);
    const later = chat([['eve', 'anyone up for a game tonight?']])[0] as NormalizedMessage;
    later.timestamp = '2026-12-01T18:00:00Z';
    const a = analyzeConversation([...messages, later]);
    const { topicOf } = a.topics;
    expect(topicOf[3]).toBe(topicOf[0]);
    expect(topicOf[4]).not.toBe(topicOf[0]);
  });
});

describe('condense', () => {
  it('drops filler, links and emoji and cuts at a clause boundary', () => {
    expect(condense('ok so lol the deploy is green again 🎉 https://ci.example/run/1', 20)).toBe(
      'The deploy is green again',
    );
    expect(
      condense(
        'we fixed the cache key, the pipeline runs again and the docs are updated for everyone today',
        8,
      ),
    ).toBe('We fixed the cache key…');
  });
});

describe('questions without a question mark', () => {
  it('count when they open with a question word, not when a statement opens with "will" or "is"', () => {
    const a = analyzeConversation(
      chat([
        ['tobi', 'how long is our slot at the venue btw'],
        ['bob', '@dave will update the docs for the new schema'],
      ]),
    );
    expect(a.questions.map((q) => q.turn)).toEqual([0]);
  });
});
