import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeExtractive } from '../../../lib/summarization/extractive.ts';
import type { Summary } from '../../../lib/summarization/summarizer.ts';
import { parseTranscript } from '../../../lib/summarization/transcript.ts';

// Channels in other languages than the dev cases' (bench/fixtures/digests, in the discord-digests format):
// what comes through on cues of the language and on signals of none (replies, "？", word segmentation).
function digestOf(id: string): Summary {
  const file = new URL(`../../../bench/fixtures/digests/${id}.json`, import.meta.url);
  const { messages } = JSON.parse(readFileSync(file, 'utf8')) as { messages: unknown[] };
  return summarizeExtractive(parseTranscript(JSON.stringify(messages)), { length: 'detailed' });
}

describe('digests of channels in German, Spanish, Japanese, Italian, Portuguese, French, Dutch, Polish, Swedish, Chinese and Russian', () => {
  it('German: the date the plan ended on, not the Saturday it started with, and who brings what', () => {
    const digest = digestOf('de-hackerspace-orga');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/Sonntag, 13\.12\./);
    expect(decisions).not.toMatch(/Samstag/);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Kai', text: expect.stringMatching(/Lötstation/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Lena', text: expect.stringMatching(/Flyer/) }),
    );
  });

  it('German: a question someone took on is not open, and the answer about insurance has room', () => {
    const digest = digestOf('de-hackerspace-orga');
    // "Wer kümmert sich um die Lötstationen?" answered by Kai's "Ich bringe meine Lötstation mit".
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/Lötstation/);
    expect(digest.keyPoints.map((k) => k.text).join('\n')).toMatch(/Vereinshaftpflicht deckt Besucher/);
  });

  it('Spanish: Friday is decided, and a request with a weekday in it is not a decision', () => {
    const digest = digestOf('es-grupo-estudio');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/viernes/);
    expect(decisions).not.toMatch(/apuntes|jueves/);
    // "a las 5 en la biblioteca": articles, not a pronoun asking for what "la" is.
    expect(decisions).not.toMatch(/\(/);
    // "Yo preparo una hoja con ejercicios…": the speaker's own task.
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Sofía', text: expect.stringMatching(/hoja con ejercicios/) }),
    );
  });

  it('Japanese: a fullwidth "？" asks, segmentation finds the words, 決定 decides, the request is owned', () => {
    const digest = digestOf('ja-oss-dev');
    expect(digest.decisions.map((d) => d.text).join('\n')).toMatch(/月曜/);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'やまだ', text: expect.stringMatching(/リリースノート/) }),
    );
    // The Windows question was answered the next message: never open.
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/Windows/);
  });

  it('Italian: the recap is the decision, a request and a self-commitment are owned by who took them', () => {
    const digest = digestOf('it-ciclismo-club');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/sabato alle 8/i);
    expect(decisions).not.toMatch(/domenica/);
    // "Davide, puoi controllare…?" taken on by Davide; "Io aggiorno la traccia GPX" by Marta.
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Davide', text: expect.stringMatching(/ciclabile/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Marta', text: expect.stringMatching(/GPX/) }),
    );
  });

  it('Portuguese: "vamos mudar…" decides, and a request to a person with a weekday in it decides nothing', () => {
    const digest = digestOf('pt-br-rpg-mesa');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/sábado às 15h/);
    expect(decisions).toMatch(/Foundry/);
    expect(decisions).not.toMatch(/ficha|quinta/i);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Gustavo', text: expect.stringMatching(/ficha/) }),
    );
  });

  it('French: a task in the future tense ("je ferai l\'affiche") is the speaker\'s action item', () => {
    const digest = digestOf('fr-asso-jeux');
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Inès', text: expect.stringMatching(/affiche/) }),
    );
    expect(digest.decisions.map((d) => d.text).join('\n')).toMatch(/dimanche 13/);
    // "Et pour le goûter on fait comment ?" is decided by the reply that says the plan.
    expect(digest.decisions.map((d) => d.text).join('\n')).toMatch(/chacun apporte quelque chose à partager/);
  });

  it('Dutch: Sunday is decided, the fee after "Besluit:", the offered projector and the requested cups are Joost\'s', () => {
    const digest = digestOf('nl-voetbal-vrijwilligers');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/zondag 14 december/);
    expect(decisions).not.toMatch(/zaterdag|besluit/i);
    expect(decisions).toMatch(/5 euro per team/);
    // "Heeft iemand een beamer…?" answered "Ik neem de mijne mee"; "Joost, kun jij de bekers…?" "Ja, regel ik".
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Joost', text: expect.stringMatching(/beamer/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Joost', text: expect.stringMatching(/bekers/) }),
    );
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/ingeschreven|beamer/);
  });

  it('Swedish: "då köper vi…" and "kör på söndag" decide, not the AliExpress plan or Saturday; tasks are owned', () => {
    const digest = digestOf('sv-makerspace-verkstad');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/svenska leverantören/);
    expect(decisions).toMatch(/söndag 14\/12/);
    expect(decisions).not.toMatch(/AliExpress|lördag/);
    // "jag mejlar dem imorgon…" is Erik's; "vem håller i tisdagens intro?" "jag kan ta den" is Sara's.
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Erik_E', text: expect.stringMatching(/offert/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Sara', text: expect.stringMatching(/intro/) }),
    );
    // A reply opening with a welcome answers the newcomer's question: it is not left open.
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/3D-skrivarna/);
    expect(digest.keyPoints.map((k) => k.text).join('\n')).toMatch(/introt först/);
  });

  it('Chinese: "那就定周四…" decides, "我来…" and "能不能给大家讲…？" "可以" are owned, "吗？" stays open', () => {
    const digest = digestOf('zh-shujujiegou-fuxi');
    expect(digest.decisions.map((d) => d.text).join('\n')).toMatch(/周四晚上8点/);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: '小雨', text: expect.stringMatching(/错题/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: '王浩', text: expect.stringMatching(/背包/) }),
    );
    expect(digest.openQuestions.map((q) => q.text).join('\n')).toMatch(/A4/);
  });

  it('Polish: "zrobisz spawn…?" taken on with "jasne", and first-person futures ("poprawię regulamin") are tasks', () => {
    const digest = digestOf('pl-minecraft-serwer');
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'ola.builds', text: expect.stringMatching(/spawn/i) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Wiktor', text: expect.stringMatching(/regulamin/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Kuba_admin', text: expect.stringMatching(/#archiwum/) }),
    );
  });

  it('English: a rota bot takes no overview line', () => {
    expect(digestOf('en-foodbank-volunteers').overview).not.toMatch(/Reminder|shifts filled/);
  });

  it('Japanese: the last words of an 8-word budget take one more item (the Docker image)', () => {
    const digest = digestOf('ja-oss-dev');
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'すずき', text: expect.stringMatching(/Docker/) }),
    );
  });

  it('Polish and English: the answer picking one of two plans decides, and so does a plan set against another', () => {
    const pl = digestOf('pl-minecraft-serwer');
    // "a whitelista zostaje czy otwieramy serwer dla wszystkich?" answered "whitelista zostaje."
    expect(pl.decisions.map((d) => d.text).join('\n')).toMatch(/Whitelista zostaje/i);
    const en = digestOf('en-foodbank-volunteers');
    expect(en.decisions.map((d) => d.text).join('\n')).toMatch(/St Anne's gym, not the hall/);
  });

  it('Dutch: the asker\'s own find is said without its "laat maar", a question\'s gist is not "weet iemand"', () => {
    const digest = digestOf('nl-voetbal-vrijwilligers');
    const said = [digest.overview, ...digest.keyPoints.map((k) => k.text)].join('\n');
    expect(said).toMatch(/12 teams/);
    expect(said).not.toMatch(/laat maar|weet iemand/i);
  });

  it('the title names one topic when two would take more than a twentieth of a short digest', () => {
    expect(digestOf('en-foodbank-volunteers').title.split(/\s+/).length).toBeLessThanOrEqual(3);
  });

  it('Russian: "тогда переносим на субботу" decides, not Friday; "можешь…?" "ок, сделаю" and "я соберу…" are owned', () => {
    const digest = digestOf('ru-gildiya-reid');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/субботу 19:00/);
    expect(decisions).not.toMatch(/пятница 20:00/);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Лёша', text: expect.stringMatching(/тактику/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Kira', text: expect.stringMatching(/пати/) }),
    );
    // "хз" answers nothing: the patch question stays open.
    expect(digest.openQuestions.map((q) => q.text).join('\n')).toMatch(/патч 2\.3/);
  });

  it('English running club: the plan after its reason, no one\'s own pick, no "where…?" as a decision', () => {
    const digest = digestOf('en-running-club');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    // "the uni has the track booked till 7 on thursday, so we start 7:30pm instead" is cut at its plan.
    expect(decisions).toMatch(/start 7:30pm instead/);
    expect(decisions).not.toMatch(/6:30|it is for me|where are we meeting/i);
    // "@Tom W trainers are fine…": the two-word mention goes whole.
    expect(digest.keyPoints.map((k) => k.text).join('\n')).not.toMatch(/\bW trainers/);
  });

  it('English community garden: "actually make it 10am" decides, a "yes…" right after a question answers it', () => {
    const digest = digestOf('en-community-garden');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/10am/);
    // "jobs: pruning, clearing the pond, mending the fence" proposes nothing ("mending" is no Indonesian here).
    expect(decisions).not.toMatch(/9am|mending/);
    // "let's get the council compost then" answers "i'll order 20 bags…?": it is not worded by the replaced plan.
    expect(decisions).toMatch(/council compost/);
    expect(decisions).not.toMatch(/20 bags/);
    // "is the pond bit safe for kids?" "yes if they stay on the decking side": answered, never open.
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/pond/);
  });

  it('English food truck: "@Marco Jess did it this morning" answers the generator question', () => {
    const digest = digestOf('en-food-truck');
    expect(digest.openQuestions.map((q) => q.text).join('\n')).not.toMatch(/generator/);
  });

  it('German chess club: "ich backe einen Kuchen" is Anke\'s task, Saturday is decided and Friday is not', () => {
    const digest = digestOf('de-schachverein');
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Anke', text: expect.stringMatching(/Kuchen/) }),
    );
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/Samstag 15 Uhr/);
    expect(decisions).not.toMatch(/Freitag/);
  });

  it('Spanish hiking club: the counter-proposal replaces the first plan, and "no hacen falta" keeps its "no"', () => {
    const digest = digestOf('es-senderismo');
    const decisions = digest.decisions.map((d) => d.text).join('\n');
    expect(decisions).toMatch(/Cercedilla/);
    // "¿y si vamos a Cercedilla?" in reply to "propongo La Pedriza" replaces it; the snow warning decides nothing.
    expect(decisions).not.toMatch(/Pedriza|nieve/);
    expect(digest.keyPoints.map((k) => k.text).join('\n')).toMatch(/No hacen falta/);
  });

  it('French climbing club: "ok je m\'en occupe ce soir" takes a task on, decides nothing; "j\'apporte…" is a task', () => {
    const digest = digestOf('fr-club-escalade');
    expect(digest.decisions.map((d) => d.text).join('\n')).not.toMatch(/occupe/);
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Hugo', text: expect.stringMatching(/créneau/) }),
    );
    expect(digest.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Nadia', text: expect.stringMatching(/croissants/) }),
    );
  });
});
