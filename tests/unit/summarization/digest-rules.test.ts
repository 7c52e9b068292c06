import { describe, expect, it } from 'vitest';
import { analyzeConversation } from '../../../lib/summarization/analysis/index.ts';
import { composeDigest } from '../../../lib/summarization/compose/digest.ts';
import { summarizeExtractive } from '../../../lib/summarization/extractive.ts';
import type { Summary } from '../../../lib/summarization/summarizer.ts';
import { chat } from '../../support/conversation.ts';

const digest = (lines: Parameters<typeof chat>[0]): Summary =>
  summarizeExtractive(chat(lines), { length: 'detailed' });
const texts = (items: { text: string }[]) => items.map((i) => i.text).join('\n');

describe('digest rules: what a member who was away reads', () => {
  it('states the decision after a lead-in and a colon, not the lead-in', () => {
    const d = digest([
      ['mia', 'the nightly build keeps failing on the staging box again, third time this week'],
      ['raf', 'looked at it, the cache volume is full again, the old artifacts are never cleaned up'],
      ['ivo', 'we could also just delete the artifacts older than a week every night'],
      [
        'mia',
        'Given how many times the staging cache filled up this month: let us move the cache to the big volume and add an alert',
      ],
      ['raf', 'agreed, I have wanted that alert for a long time'],
      ['ivo', 'the release is still open though, friday or monday? the changelog is almost done'],
      ['raf', 'friday works for me, monday I am travelling all day'],
      ['mia', 'Final call: we ship the release on friday'],
    ]);
    const decisions = texts(d.decisions);
    expect(decisions).toMatch(/move the cache to the big volume/i);
    expect(decisions).not.toMatch(/given how many/i);
    expect(decisions).toMatch(/^We ship the release on friday/im);
    expect(decisions).not.toMatch(/final call/i);
  });

  it('keeps a lead-in that names what was decided ("oat milk: …")', () => {
    const d = digest([
      ['sam', 'we keep running out of oat milk every weekend, the regulars are not happy about it'],
      ['lu', 'the supplier only delivers on tuesdays, so we have to order more at once'],
      ['jo', 'ok so, oat milk: we switch to the bigger supplier from january'],
      ['sam', 'perfect, thanks for sorting that out'],
    ]);
    expect(texts(d.decisions)).toMatch(/oat milk: we switch to the bigger supplier/i);
  });

  it('makes "anyone have X?" and "I will bring one" one action item owned by who offered, not a question', () => {
    const d = digest([
      ['lena', 'movie night at my place tomorrow, starting at 8, bring snacks if you can'],
      ['omar', 'nice, I am in. does anyone have a spare HDMI cable? mine broke last week'],
      ['kai', 'yes I have two, I will bring one'],
      ['omar', 'thanks, lifesaver'],
      ['lena', 'does anyone have a projector screen by the way?'],
      ['rui', 'i think my cousin has one, let me ask him tonight'],
      ['lena', 'cool, let me know what he says'],
      ['omar', 'what movie are we watching though?'],
    ]);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'kai', text: expect.stringMatching(/HDMI cable/) }),
    );
    expect(texts([...d.openQuestions, ...d.keyPoints])).not.toMatch(/HDMI/);
    // "i think my cousin has one" promises nothing: the screen is still asked for.
    expect(d.actionItems.filter((a) => /projector/i.test(a.text))).toEqual([]);
    expect(texts(d.openQuestions)).toMatch(/projector screen/);
  });

  it('does not describe a plan that was changed later in the overview', () => {
    const d = digest([
      ['gio', 'ride on sunday: lake loop, 80 km, we start at 8 from the bar'],
      ['ana', 'count me in!'],
      ['pol', 'sunday they forecast rain from 11 though'],
      ['gio', 'true. then we move it to saturday, same time'],
      ['ana', 'saturday works'],
      ['pol', 'ok saturday then, see you at the bar'],
      ['ana', 'is the short version of the loop still 55 km?'],
      ['gio', 'yes, you turn back at the castle junction'],
    ]);
    expect(texts(d.decisions)).toMatch(/saturday/i);
    expect(d.overview).not.toMatch(/ride on sunday/i);
  });

  it('reports the asker\'s own "nvm, found it: …" as the answer, and the question as not open', () => {
    const d = digest([
      ['fenna', 'does the photo importer have a size limit per file? my big panoramas keep failing'],
      ['dj', 'my barcode scanner stopped working after the last app update'],
      ['ozzy', 'whoever made the new dark theme, it is gorgeous'],
      ['hollis', 'that was a community PR, thanks to them'],
      [
        'fenna',
        'nvm, found it in the docs: the limit is 25 MB per file, panoramas need the desktop uploader',
      ],
      ['dj', 'anyone else with the scanner problem?'],
    ]);
    expect(texts(d.keyPoints)).toMatch(/limit is 25 MB per file/);
    expect(texts(d.keyPoints)).not.toMatch(/nvm/i);
    expect(texts(d.openQuestions)).not.toMatch(/size limit/);
  });

  it('with room for one more item, shows the answer given by reply before an open question', () => {
    const analysis = analyzeConversation(
      chat([
        ['ana', 'does the storage box count snapshots against the quota or only the live data?'],
        [
          'bo',
          'anyone tried the new firmware on the ms-01 yet, does it fix the idle power draw with two nvme drives?',
        ],
        ['cy', 'my ups battery is dying again'],
        ['dee', 'yes, the snapshots count against the storage box quota, learned it the hard way', 0],
        ['ana', 'ugh ok thanks'],
        ['cy', 'anyway the new ups arrives monday'],
      ]),
    );
    const d = composeDigest(analysis, 20);
    expect(texts(d.keyPoints)).toMatch(/snapshots count against the storage box quota/);
    expect(d.openQuestions).toEqual([]);
  });

  it('keeps a task whose owner reports part of it done and the rest still to come', () => {
    const d = digest([
      ['zoe', 'the VLAN DNS question comes up every week in here, it is always the same firewall rule'],
      ['busra', "I'll write a wiki page on VLANs with the DNS rule gotcha"],
      ['zoe', 'yes please, that would save us so much time'],
      ['kim', 'my new switch arrived today, setting it up tonight'],
      ['busra', 'wiki page draft is done, posting it tomorrow after a proofread'],
    ]);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'busra', text: expect.stringMatching(/wiki page/) }),
    );
  });

  it('Japanese: 〜しましょう decides and answers "いつがいいですか", 〜ますか asks without "？", 〜します commits', () => {
    const analysis = analyzeConversation(
      chat([
        ['やまだ', '次のミーティングはいつがいいですか'],
        ['すずき', '木曜日の夜でやりましょう'],
        ['たなか', '賛成です'],
        ['たなか', 'CI のキャッシュはどこに保存されていますか'],
        ['やまだ', 'ビルドの警告は直りましたか'],
        ['すずき', 'はい、昨日のパッチで直りました'],
        ['すずき', 'Docker イメージは明日更新します'],
        ['やまだ', 'お疲れさまです'],
      ]),
    );
    // Words are whitespace-separated tokens: a Japanese sentence is one or two of them.
    const d = composeDigest(analysis, 30);
    expect(texts(d.decisions)).toMatch(/木曜日の夜でやりましょう/);
    expect(texts(d.openQuestions)).toMatch(/キャッシュ/);
    expect(texts(d.openQuestions)).not.toMatch(/ミーティング|警告/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'すずき', text: expect.stringMatching(/Docker イメージ/) }),
    );
  });

  it('names what "them" is in a task from the rest of its own message', () => {
    const d = digest([
      ['ana', 'the lan party is on saturday, doors open at 10 in the community hall'],
      ['ben', 'I can bring the big switch and a few long cables for the back tables'],
      ['cy', 'old arcade sticks from the club storage: I will bring them on saturday morning'],
      ['ana', 'great, the power strips are still missing though'],
      ['ben', 'the hall has some in the back room I think'],
      ['dee', 'what games are we playing first?'],
    ]);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'cy', text: expect.stringMatching(/bring them.*arcade sticks/i) }),
    );
  });

  it('reports the plan confirmed last ("monday it is"), not a question asked before the confirmation', () => {
    const d = digest([
      ['priya', 'ok then we ship 2.4 on friday, release notes tomorrow'],
      ['mk', 'incremental builds are broken on main, partials do not rebuild'],
      [
        'priya',
        'ok I am not shipping 2.4 with broken builds. lets push 2.4 to monday, gives mk time for the fix',
      ],
      ['dee', '+1, monday then'],
      ['dee', 'so the 2.4 friday lunch is off?', 2],
      ['jonas', 'yes sadly', 4],
      ['priya', 'ok logging off. 2.4 on monday it is, thanks all'],
    ]);
    expect(texts(d.decisions)).toMatch(/monday/i);
    expect(texts(d.decisions)).not.toMatch(/friday/i);
  });

  it('lists a question asked without "?" by a verb before its pronoun ("are we getting paid … lol")', () => {
    const d = digest([
      ['lea', 'practice is on wednesday at 7 this week, studio B is booked for the whole evening'],
      ['tobi', 'cool, I will print the setlist for everyone and bring the spare cables'],
      ['lea', 'the anchor wants our final set list and a photo for the poster by friday'],
      ['dani', 'the photo from the summer fest is the best one we have, the light was great'],
      ['marcus', 'are we getting paid for the anchor gig or is it just free drinks again lol'],
      ['tobi', '😂😂'],
      ['dani', 'ok gotta go, see you wednesday!!'],
    ]);
    expect(texts(d.openQuestions)).toMatch(/getting paid/);
  });

  it("reports a decision made while handing out tasks, worded without the speaker's own task", () => {
    const d = digest([
      [
        'pieter',
        'Millbrook emailed: no delivery on mondays and the minimum order is 20 sacks, we have room for 8',
      ],
      ['marta', 'that kills it, monday is our biggest baking day'],
      [
        'sam',
        "ok scrap that. we stay with Hartley until january, and I'll try to renegotiate the price with them. Pieter can you tell Millbrook thanks but no?",
      ],
      ['pieter', 'sure, will do'],
      ['jess', 'good call, the Hartley rye is better anyway'],
    ]);
    expect(texts(d.decisions)).toMatch(/^We stay with Hartley until january$/m);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'sam', text: expect.stringMatching(/renegotiate/i) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'pieter', text: expect.stringMatching(/Millbrook/) }),
    );
  });

  it('lists a question its asker bumps as open, though a reply seemed to answer it', () => {
    const d = digest([
      [
        'jess',
        'are we doing the christmas eve late opening this year or not? people keep asking at the counter',
      ],
      ['renee', 'last year we did till 8pm'],
      ['marta', 'the new oven guy comes thursday morning, someone has to let him in'],
      ['olu', "I'll be there at 7:30 and let him in"],
      ['jess', 'bumping the christmas eve question, people really keep asking'],
      ['dev', 'the holiday menu photos are done, posting them tonight'],
    ]);
    expect(texts(d.openQuestions)).toMatch(/christmas eve late opening/);
    expect(texts(d.keyPoints)).not.toMatch(/8pm/);
  });

  it('with room for one task, shows the one taken on when asked before one promised with an "if"', () => {
    const analysis = analyzeConversation(
      chat([
        ['mateus', 'the show and tell is on sunday, ten minutes per person'],
        ['mateus', 'I will present my gpu passthrough saga if it works by then'],
        ['zoe', 'wren, can you set up the stage channel for it?'],
        ['wren', 'sure, on it tonight'],
      ]),
    );
    const d = composeDigest(analysis, 20);
    expect(d.actionItems.map((a) => a.owner)).toEqual(['wren']);
  });

  it('names what "them" is from the lead-in before a colon in the same message', () => {
    const d = digest([
      ['priya', 'lumen 2.4 is out, incremental builds are way faster and the migration guide is in the docs'],
      [
        'dee',
        'sticker giveaway for first-time contributors: DM me your address and I will mail them with a thank-you card',
      ],
      ['ferris', 'yay, I just got my first PR merged last month'],
      ['chloe', 'the new docs search is so much better, great work everyone'],
    ]);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'dee', text: expect.stringMatching(/mail them.*sticker giveaway/i) }),
    );
  });

  it('does not take a laugh or a request to someone else for the answer to a question', () => {
    const analysis = analyzeConversation(
      chat([
        ['joost', 'who referees the final this year? Henk did it last year but he cannot make it'],
        ['mila', 'haha that final last year was pure chaos 😂'],
        ['sanne', 'where do we stop for lunch on the ride?'],
        ['pieter', 'davide, can you check if the river path is still closed for the works?'],
        ['davide', 'sure, I will ride past it tomorrow morning and let you know', 3],
        ['mila', 'the new club jerseys arrived today, they look great'],
      ]),
    );
    const d = composeDigest(analysis, 45);
    const open = texts(d.openQuestions);
    expect(open).toMatch(/referees the final/);
    expect(open).toMatch(/lunch/);
  });

  it('keeps a question open when the reply only sends the asker elsewhere ("ask in #hardware maybe")', () => {
    const analysis = analyzeConversation(
      chat([
        ['dan', 'does anyone know the idle power draw of the MS-01 with two nvme drives and no pcie card?'],
        ['grumpy', 'ask in #hardware maybe, the power nerds hang out there'],
        ['dan', 'will do, thanks'],
        ['ollie', 'my new rack arrived today, cable management time'],
      ]),
    );
    expect(texts(composeDigest(analysis, 40).openQuestions)).toMatch(/idle power draw/);
  });

  it("Polish: the date moved to Sunday, an offer and a request taken on, the asker's own answer, an open question", () => {
    const analysis = analyzeConversation(
      chat([
        ['Kasia', 'Cześć! Kiedy robimy następny turniej planszówek? W sobotę?'],
        ['Bartek', 'W sobotę nie mogę, mam wesele kuzyna. Może zamiast tego w niedzielę o 16?'],
        ['Ola', 'Niedziela o 16 pasuje 👍'],
        ['Kasia', 'Dobra, ustalone: niedziela o 16 w świetlicy.'],
        ['Ola', 'Czy ktoś ma dodatkowe stoły? Nasze dwa nie wystarczą'],
        ['Bartek', 'Przyniosę dwa składane stoły z piwnicy', 4],
        ['Kasia', 'Ola, możesz przygotować tabelę wyników?'],
        ['Ola', 'Jasne, zrobię to jutro', 6],
        ['Michał', 'Ile kosztuje wpisowe w tym roku? Dalej 10 zł?'],
        ['Michał', 'Nieważne, już znalazłem: wpisowe to 15 zł od osoby'],
        ['Bartek', 'Kto sędziuje finał? Zeszłym razem był chaos'],
        ['Ola', 'Dobranoc wszystkim!'],
      ]),
    );
    const d = composeDigest(analysis, 60);
    expect(texts(d.decisions)).toMatch(/^Niedziela o 16 w świetlicy/m);
    expect(texts(d.decisions)).not.toMatch(/sobot/i);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Bartek', text: expect.stringMatching(/stoły/) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Ola', text: expect.stringMatching(/tabelę wyników/) }),
    );
    expect(texts(d.keyPoints)).toMatch(/15 zł od osoby/);
    expect(texts(d.openQuestions)).toMatch(/sędziuje finał/);
    expect(texts(d.openQuestions)).not.toMatch(/wpisowe|stoły/);
  });

  it('reads a Korean study group: the later plan decides, a request taken on and a promise are owned', () => {
    const d = digest([
      ['지민', '다들 안녕! 중간고사 스터디 이번 주 금요일 7시 어때?'],
      ['현우', '금요일은 알바 있어서 안 돼 ㅠㅠ'],
      ['서연', '토요일 2시는 어때? 도서관 스터디룸으로', 0],
      ['현우', '토요일 좋아'],
      ['지민', 'ㅇㅇ 나도 좋아'],
      ['서연', '그럼 토요일 2시 도서관 스터디룸으로 하자'],
      ['현우', '시험 범위 3장까지야 4장까지야?'],
      ['지민', '교수님이 4장 앞부분까지라고 하셨어', 6],
      ['서연', '민수야 지난 기출문제 좀 정리해 줄 수 있어?'],
      ['민수', '넵 제가 할게요', 8],
      ['지민', '제가 요약 슬라이드 만들게요'],
      ['현우', '계산기 가져가도 되나요?'],
      ['서연', '글쎄 모르겠어'],
    ]);
    expect(texts(d.decisions)).toMatch(/토요일 2시 도서관/);
    expect(texts(d.decisions)).not.toMatch(/금요일/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: '민수', text: expect.stringMatching(/기출문제/) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: '지민', text: expect.stringMatching(/슬라이드/) }),
    );
    // "글쎄 모르겠어" answers nothing.
    expect(texts(d.openQuestions)).toMatch(/계산기/);
  });

  it('reads a Turkish makerspace: "cumartesi 14te yapalım" decides, "getirebilir misin?" "ben hallederim" is owned', () => {
    const d = digest([
      ['Deniz', 'selam! atölyede lazer kesim eğitimi cuma akşamı mı yapsak?'],
      ['Emre', 'cuma olmaz, işten geç çıkıyorum'],
      ['Zeynep', 'cumartesi saat 14 olur mu?', 0],
      ['Emre', 'bana uyar'],
      ['Deniz', 'tamam o zaman cumartesi 14te yapalım'],
      ['Zeynep', 'kontrplaklar nerede duruyor?'],
      ['Emre', 'depodaki mavi rafta, en altta', 5],
      ['Deniz', 'Emre, koruyucu gözlükleri getirebilir misin?'],
      ['Emre', 'tamam, ben hallederim', 7],
      ['Zeynep', 'kayıt formunu ben hazırlarım'],
      ['Deniz', 'ocak ayı kirasını kim ödeyecek?'],
      ['Emre', 'bilmiyorum'],
    ]);
    expect(texts(d.decisions)).toMatch(/cumartesi 14te/);
    expect(texts(d.decisions)).not.toMatch(/cuma akşamı/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Emre', text: expect.stringMatching(/gözlükleri/) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Zeynep', text: expect.stringMatching(/kayıt formunu/i) }),
    );
    expect(texts(d.openQuestions)).toMatch(/kirasını/);
  });

  it('reads an Indonesian cricket club: "jadi kita latihan sabtu" decides, "bisa tolong…?" "siap" is owned', () => {
    const d = digest([
      ['Rizky', 'halo semua! latihan kriket minggu ini gimana kalau jumat sore?'],
      ['Ayu', 'jumat aku gak bisa, ada kuliah sampai jam 6'],
      ['Bima', 'gimana kalau sabtu jam 4?', 0],
      ['Ayu', 'setuju'],
      ['Rizky', 'oke jadi kita latihan sabtu jam 4 di lapangan kampus ya'],
      ['Bima', 'bola sama bat disimpan di mana?'],
      ['Rizky', 'di gudang belakang, kuncinya di pos satpam', 5],
      ['Ayu', 'Bima, bisa tolong booking lapangan ke bagian olahraga?'],
      ['Bima', 'siap', 7],
      ['Ayu', 'aku bawa air minum sama es batu'],
      ['Rizky', 'ada yang tahu kapan turnamen antar kampus dimulai?'],
      ['Bima', 'gak tau'],
    ]);
    expect(texts(d.decisions)).toMatch(/sabtu jam 4/);
    expect(texts(d.decisions)).not.toMatch(/jumat sore/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Bima', text: expect.stringMatching(/booking lapangan/i) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Ayu', text: expect.stringMatching(/air minum/i) }),
    );
  });

  it('reads a cricket club in Hinglish: "saturday 7 baje final hai" decides, "kar doge?" "haan kar dunga" is owned', () => {
    const d = digest([
      ['Arjun', 'guys is baar nets practice friday shaam ko rakhein?'],
      ['Vikram', 'friday nahi ho payega bhai, office late tak hai'],
      ['Rohit', 'saturday subah 7 baje?', 0],
      ['Vikram', 'saturday chalega'],
      ['Arjun', 'theek hai, saturday 7 baje final hai. friday cancel'],
      ['Rohit', 'ground ka booking kisne kiya?'],
      ['Arjun', 'maine kal hi kar diya, slot 7 se 9 tak', 5],
      ['Arjun', 'Vikram, tum naye balls order kar doge?'],
      ['Vikram', 'haan kar dunga aaj raat', 7],
      ['Rohit', 'main kit bag le aaunga'],
      ['Arjun', 'league ki fees kab tak deni hai?'],
      ['Vikram', 'pata nahi yaar'],
    ]);
    expect(texts(d.decisions)).toMatch(/saturday 7 baje final/);
    expect(texts(d.decisions)).not.toMatch(/shaam/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Vikram', text: expect.stringMatching(/balls order/) }),
    );
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'Rohit', text: expect.stringMatching(/kit bag/) }),
    );
    // "pata nahi" answers nothing.
    expect(texts(d.openQuestions)).toMatch(/fees/);
  });

  it('says the answer after a welcome that opens it, not the welcome', () => {
    const d = digest([
      ['priya', 'the van is booked for the Tesco pickup on friday morning, Kwame has the keys'],
      ['sam', 'hi everyone! first shift at the pantry this saturday. do i need to bring anything?'],
      ['maggie', 'welcome Sam! just closed shoes, and an apron if you have one. we have spares', 1],
      ['sam', 'great, thanks 😊'],
      ['kwame', 'the freezer in the back room is making that noise again, someone should look at it'],
    ]);
    expect(texts(d.keyPoints)).toMatch(/closed shoes/i);
    expect(texts(d.keyPoints)).not.toMatch(/welcome/i);
    expect(texts(d.openQuestions)).not.toMatch(/bring anything/);
  });

  it('does not read a reply opening "top priority…" as agreeing with a proposal', () => {
    const d = digest([
      ['priya', 'the 2.4 milestone has three PRs left, reviews are coming in slowly'],
      ['priya', 'can we ship the 2.4 release on friday?'],
      ['mk', 'top priority for me is the cache bug, it blocks the incremental builds', 1],
      ['dee', 'the release notes draft is half done, 47 merged PRs since 2.3'],
    ]);
    expect(texts(d.decisions)).not.toMatch(/friday/i);
  });

  it("keeps availability, a request and an answer's own task apart from decisions, tasks and answers", () => {
    const d = digest([
      ['aerith', 'prog night this week on thursday 8:30pm server time, we are still stuck on the P3 adds'],
      ['tessa', 'sorry late!! I can only do thursday or later this week'],
      ['pip', 'do we need to bring our own food and pots or is the FC covering it?'],
      ['tessa', "FC covers food, I'll leave a stack of the new tier food in the chest. pots are on you", 2],
      ['pip', 'Kuro can you record the pulls? I want to check my positioning in P3'],
      ['kuro', "sure, I'll record and upload to the drive", 4],
      ['moonbeam', 'the new mit sheet is up, tankbuster 2 now has the tank swap'],
    ]);
    expect(texts(d.decisions)).not.toMatch(/positioning/);
    expect(d.actionItems.map((a) => a.text).join('\n')).not.toMatch(/thursday or later/);
    expect(texts(d.keyPoints)).toMatch(/FC covers food/);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'tessa', text: expect.stringMatching(/stack of the new tier food/) }),
    );
  });

  it('does not make an action item of when someone can come to a proposed date ("je peux arriver vers 20h30")', () => {
    const d = digest([
      ['margaux', 'on cale la prochaine soirée jeux ? je propose samedi 12 à la salle des fêtes'],
      ['thomas', 'attention samedi 12 il y a le marché de Noël, la salle est prise toute la journée'],
      ['margaux', 'ah mince. vendredi 11 au soir alors ?', 1],
      ['julien', 'vendredi je finis tard mais je peux arriver vers 20h30'],
      ['camille', 'dimanche 13 après-midi ça irait à tout le monde ? les familles peuvent venir'],
      ['thomas', 'dimanche aprem c est parfait'],
      ['margaux', "bon, c'est décidé : dimanche 13 à 14h à la salle des fêtes"],
    ]);
    expect(d.actionItems.filter((a) => a.owner === 'julien')).toEqual([]);
    expect(texts(d.decisions)).toMatch(/dimanche 13 à 14h/);
  });

  it('takes neither someone else\'s bump for an answer nor an "nvm, found it:" opener for its words', () => {
    const analysis = analyzeConversation(
      chat([
        ['sara', 'is the design review still on thursday at 3?'],
        ['maya', 'bumping the design review question, anyone know?'],
        ['leo', 'lol the coffee machine is broken again'],
        ['sara', 'nvm, found it in the calendar: design review moved to friday 11am'],
        ['dev', 'the staging deploy is green again after the timeout fix'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(texts(d.keyPoints)).toMatch(/design review moved to friday 11am/i);
    expect(texts(d.keyPoints)).not.toMatch(/nvm|bumping/i);
  });

  it('words a decided question by the reply that states the plan, without the time first asked about', () => {
    const d = digest([
      ['Lukas', 'Servus! Wann spielen wir die nächste Runde? Freitag um 20 Uhr?'],
      ['Anna', 'Freitag kann ich nicht, da hab ich Spätschicht. Wie wäre es mit Samstag 19 Uhr?'],
      ['Jonas', 'Samstag passt mir'],
      ['Lukas', 'Gut, dann machen wir Samstag 19 Uhr.'],
      ['Anna', 'Hat jemand noch ein zweites Headset? Meins ist kaputt'],
      ['Jonas', 'Ich bringe dir meins mit, ich hab zwei', 4],
      ['Lukas', 'Gute Nacht zusammen!'],
    ]);
    const decisions = texts(d.decisions);
    expect(decisions).toMatch(/dann machen wir Samstag 19 Uhr/);
    expect(decisions).not.toMatch(/20 Uhr|Freitag/);
  });

  it('reports a task done within the window as news, not as an action item', () => {
    const analysis = analyzeConversation(
      chat([
        ['jonas', 'windows CI flaked again on the watcher tests, third time this week'],
        ['mk', 'it is the runner image, windows-latest moved to the 2025 image last week'],
        ['jonas', "ugh. ok I'll pin the runner to windows-2022 until we figure it out", 1],
        ['dee', 'the release notes draft is half done'],
        ['jonas', 'windows runner pinned to windows-2022 in ci.yml, the PR is up'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(d.actionItems.filter((a) => a.owner === 'jonas')).toEqual([]);
    expect(texts(d.keyPoints)).toMatch(/runner pinned to windows-2022/i);
  });

  it('keeps a question open that was asked beside a decision ("ok lets do friday at 8. who brings the snacks?")', () => {
    const analysis = analyzeConversation(
      chat([
        ['ana', 'movie night is this week, the common room is booked all evening'],
        ['ana', 'ok lets do friday at 8. who brings the snacks?'],
        ['ben', 'my new headphones arrived, the noise cancelling is great'],
        ['cy', 'the projector is in the storage room, the key is at the front desk'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(texts(d.decisions)).toMatch(/friday at 8/);
    expect(texts(d.openQuestions)).toMatch(/who brings the snacks/i);
  });

  it("takes a task's context from the person it addresses when it replies to its author's own message", () => {
    const d = digest([
      ['dj_rover', 'my barcode scanner stopped working on iOS 18, camera permission is granted'],
      ['ozzy', 'whoever made the new dark theme, it is gorgeous'],
      ['hollis', '❤️ that was a community PR'],
      ['dj_rover', 'bump on the iOS barcode thing, safari and the app both fail'],
      [
        'hollis',
        "@dj_rover that's a bug on our side, the iOS 18 camera API changed. I'll open an issue and link it here",
        2,
      ],
      ['sage', 'the 4.2 migration note is pinned in #announcements now'],
    ]);
    expect(d.actionItems).toContainEqual(
      expect.objectContaining({ owner: 'hollis', text: expect.stringMatching(/open an issue.*barcode/i) }),
    );
  });

  it('answers a question by the reply that answers it, not by a reply asking back', () => {
    const analysis = analyzeConversation(
      chat([
        ['tomasz', 'how do I restore a backup of the pantry data volume?'],
        ['lin', 'which version are you on?', 0],
        ['tomasz', '4.2, the docker image'],
        ['marek', 'stop the container and untar the whole data dir back in place, worked twice for me', 0],
        ['nadia', 'the new shopping list view is really nice'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(texts(d.keyPoints)).toMatch(/untar the whole data dir/);
  });

  it('answers a yes/no question about a fact with a bare "yes", and makes no plan of it', () => {
    const analysis = analyzeConversation(
      chat([
        ['dreg', 'does the hotfix for the P3 hitbox bug land before thursday?'],
        ['aerith', 'yes', 0],
        ['kuro', 'the mit sheet is updated with the tank swap'],
        ['pip', 'who records the pulls this week?'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(d.decisions).toEqual([]);
    expect(texts(d.keyPoints)).toMatch(/hitbox bug: yes/i);
    expect(texts(d.openQuestions)).not.toMatch(/hotfix/);
  });

  it('lets the overview say the question an answer key point answers (the key point gives only its gist)', () => {
    const analysis = analyzeConversation(
      chat([
        ['tomasz', 'what is the recommended backup strategy for the pantry data volume?'],
        ['marek', 'I just stop the container and tar the whole data dir, restored twice without problems', 0],
        ['tomasz', 'ok simple enough, ty'],
        ['ozzy', 'gn all'],
      ]),
    );
    const d = composeDigest(analysis, 40);
    expect(d.overview).toMatch(/recommended backup strategy/);
    expect(texts(d.keyPoints)).toMatch(/stop the container and tar/);
  });

  it('Polish: "dobry pomysł" agrees (a word ending in "ł" ends the cue, though "ł" is no ASCII letter)', () => {
    const analysis = analyzeConversation(
      chat([
        ['Kasia', 'Turniej planszówek w tym miesiącu: może zrobimy go w niedzielę 14 grudnia o 16?'],
        ['Bartek', 'dobry pomysł'],
        ['Ola', 'dobry pomysł!'],
        ['Michał', 'nowe gry już przyszły do świetlicy'],
      ]),
    );
    expect(texts(composeDigest(analysis, 40).decisions)).toMatch(/niedzielę 14 grudnia/);
  });
});
