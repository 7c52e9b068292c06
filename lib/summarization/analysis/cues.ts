import { asciiOnly, boundaryFirst } from './pattern-forms.ts';
import { fold } from './words.ts';

/**
 * Language cues for what a chat sentence does (asks, answers, agrees, decides, commits, requests), for
 * English, German, French, Spanish, Portuguese, Italian, Dutch, Polish, Swedish (with the Norwegian and
 * Danish forms that differ), Russian, Turkish, Indonesian, Hindi in Latin letters, Korean, Chinese and
 * Japanese. Every pattern runs on folded text (lowercase, accents removed, see `fold`), so "décidé" is
 * written "decide" and "söndag" "sondag" here. They are patterns of the languages, not of any one
 * community's vocabulary. JavaScript's `\b` knows ASCII letters only: a cue that starts or ends in another
 * letter is written without it (ł, Chinese, Japanese, Korean) or between lookarounds that know the script's
 * letters (Russian, Turkish).
 */

/** A cue: tells whether a folded sentence shows it. */
export interface Cue {
  /** Which bits of a turn's remembered answers are this cue's (see `shows`). */
  readonly id: number;
  test(text: string): boolean;
}

// Two bits per cue in a 32-bit word: known, and the answer.
const MAX_CUES = 15;
let cues = 0;

// A character outside ASCII: a sentence without one is tested with the cue's ASCII form.
const NON_ASCII = /[\u0080-\uffff]/;
// Matches nothing: the ASCII form of a cue none of whose alternatives is ASCII.
const NEVER = /(?!)/;

const any = (parts: string[], flags = ''): Cue => {
  const source = flags.includes('y') ? parts.join('|') : boundaryFirst(parts.join('|'));
  const pattern = new RegExp(source, flags);
  // Cheaper forms with the same answers (see pattern-forms.ts): the alternatives under one `\b` or `^`, and
  // for a sentence with no character outside ASCII, without the alternatives that need one (V8 tries them on
  // a sentence stored two bytes a character). Unicode mode folds case and parses escapes otherwise, so such
  // a cue keeps one pattern.
  const ascii = /[uv]/.test(flags) ? pattern : asciiFormOf(source, flags);
  if (cues >= MAX_CUES) throw new RangeError(`at most ${MAX_CUES} cues fit a turn's memo`);
  return { id: cues++, test: (text: string) => (NON_ASCII.test(text) ? pattern : ascii).test(text) };
};

function asciiFormOf(source: string, flags: string): RegExp {
  const kept = asciiOnly(source);
  return kept === null ? NEVER : new RegExp(kept, flags);
}

// Russian words between letters that are neither Cyrillic nor Latin (JavaScript's `\b` knows ASCII only),
// written as people write them and folded as the text is (й → и, ё → е).
const CYRILLIC = String.raw`\u0430-\u044f`;
const ru = (words: string[], start = '', end = true): string =>
  `${start}(?<![${CYRILLIC}a-z0-9])(?:${words.map(fold).join('|')})${end ? `(?![${CYRILLIC}a-z0-9])` : ''}`;

// Korean as folded text holds it: NFKD takes each syllable apart into its letters (jamo), so a cue is folded
// the same way. No boundaries: particles and endings are written onto the word ("토요일로", "할게요").
const ko = (parts: string[]): string => parts.map(fold).join('|');
// The promise ending "-ㄹ게(요)" ("할게요", "올릴게", "가져갈게요"): a final ㄹ, then 게 with no final of its own.
const KO_WILL = `\u11af${fold('게')}(?![\u11a8-\u11ff])`;

// Turkish words between other letters: folded Turkish keeps its dotless ı, which `\b` does not know as a letter.
const tr = (words: string[], start = ''): string =>
  `${start}(?<![a-z0-9\u0131])(?:${words.map(fold).join('|')})(?![a-z0-9\u0131])`;

/** What `shows` needs of a turn: its folded sentences and a memo word per sentence (and one for all). */
export interface CueTarget {
  folded: string[];
  /** Shared by the turns of a conversation; this turn's words (and those of its text) start at `memoAt`. */
  memo: Int32Array;
  memoAt: number;
}

/**
 * A turn's folded sentences joined by spaces: the whole message for the cues that look at it. Built when
 * asked rather than kept on every turn (a window of 50,000 messages kept 8 MB of them); `shows` remembers
 * its answers, so a cue asks for it once per text.
 */
export function wholeFolded(turn: { folded: string[] }): string {
  return turn.folded.length === 1 ? (turn.folded[0] as string) : turn.folded.join(' ');
}

/** The whole message rather than one sentence, for `shows`. */
export const WHOLE = -1;

/**
 * Whether sentence `i` of a turn (its folded text, or `WHOLE`: every sentence joined) shows the cue. The
 * answer is kept on the turn, and shared by turns of the same text: the modules ask the same turns the
 * same questions many times over (every question looks at its next few messages), channels repeat
 * themselves ("+1", "same", bot lines), and a remembered bit costs far less than the pattern.
 */
export function shows(turn: CueTarget, cue: Cue, i: number): boolean {
  const sentences = turn.folded.length;
  if (i >= sentences && sentences > 0) return cue.test('');
  // A turn without sentences has one word: its sentence 0 and its whole text are both ''.
  const at = turn.memoAt + (i < 0 || i >= sentences ? sentences : i);
  const bits = turn.memo[at] as number;
  const known = 1 << (2 * cue.id);
  if (bits & known) return (bits & (known << 1)) !== 0;
  const text = i < 0 ? wholeFolded(turn) : (turn.folded[i] ?? '');
  const hit = cue.test(text);
  turn.memo[at] = bits | known | (hit ? known << 1 : 0);
  return hit;
}

// Start of a sentence, possibly after a filler ("ok so", "hmm,") or an @mention.
const LEAD = String.raw`^(?:(?:@\S+|ok(?:ay)?|so|and|also|hmm+|well|alors|bon|also|ja|pues|bueno|entao|e|allora|quindi|nou|dus|oke|dobra|no to|to)[\s,:]+)*`;

/**
 * Interrogative openings that make a question even without "?" ("how long is our slot btw"): question
 * words, and asking the room ("anyone know…", "is there…"). Yes/no openings ("will", "is") need the "?":
 * "@dave will update the docs" is a statement.
 */
export const QUESTION_START = new RegExp(
  `${LEAD}(?:${[
    // English
    'how',
    'what',
    "what's",
    'whats',
    'when',
    'where',
    'which',
    'who',
    "who's",
    'whom',
    'why',
    'does anyone',
    'do you know',
    'anyone know',
    'anyone have',
    'anybody know',
    'is there',
    'are there',
    'any idea',
    'any ideas',
    // German
    'wie',
    'was',
    'wann',
    'wo',
    'wer',
    'warum',
    'wieso',
    'weshalb',
    'welche[rsnm]?',
    'gibt es',
    'weiss jemand',
    'hat jemand',
    // French
    'comment',
    'quand',
    'pourquoi',
    'quel(?:le)?s?',
    'qui',
    'est-ce que',
    'est ce que',
    "quelqu'un",
    'y a-t-il',
    'combien',
    // Spanish
    'como',
    'cuando',
    'donde',
    'por que',
    'cual(?:es)?',
    'quien(?:es)?',
    'cuanto',
    'cuanta',
    'alguien sabe',
    // Portuguese
    'quando',
    'onde',
    'por que',
    'qual',
    'quais',
    'quem',
    'quanto',
    'alguem sabe',
    // Italian
    'come',
    'dove',
    'perche',
    'quale',
    'quali',
    'chi',
    'qualcuno sa',
    'qualcuno ha',
    // A verb before its pronoun asks ("are we getting paid for this one or…", "is it just me"); a verb
    // before a name does not ("will dave update the docs" is rare, "@dave will update" a statement).
    "(?:are|is|do|does|did|will|would|should|have|has) (?:we|you|they|it|there|he|she|i|u|y'all)",
    '(?:sind|haben|gibt|konnen|mussen|sollen) (?:wir|ihr|sie|es)',
    // Dutch
    'hoe',
    'hoeveel',
    'wat',
    'wanneer',
    'waar',
    'welke?',
    'wie',
    'waarom',
    'weet iemand',
    'heeft iemand',
    'is er',
    'zijn er',
    '(?:zijn|hebben|kunnen|moeten|gaan|doen|is|heeft) (?:we|jullie|jij|je|het|er)',
    // Polish ("czy" opens every yes/no question)
    'jak',
    'co(?!-)',
    'kiedy',
    'gdzie',
    'ktor[yaeo]',
    'kto',
    'dlaczego',
    'czemu',
    'ile',
    'czy',
    'ktos wie',
    // Swedish, Norwegian and Danish ("var" only before a verb: alone it is also "was", "be")
    'vad',
    'nar',
    'vem',
    'hur',
    'vilk(?:en|et|a)',
    'varfor',
    'var (?:ar|finns|hittar|ligger|kan|ska)',
    'hva',
    'hvem',
    'hvor(?:dan|for)?',
    'hvilk(?:en|et|e)',
    'vet nagon',
    'har nagon',
    'vet noen',
    'har noen',
    'ved nogen',
    'har nogen',
    'finns det',
    '(?:far|kan|ska|bor|maste) (?:man|vi|ni|du|jag)',
    '(?:skal|kan|bor|ma) (?:man|vi|dere|du|jeg|i)',
  ].join('|')})\\b`,
);

/** Proposals: a plan put to the others ("can we do wednesday instead?", "how about", "let's"). */
export const PROPOSAL = any([
  String.raw`\b(?:can|could|shall|should) we\b`,
  String.raw`\b(?:what|how) about\b`,
  String.raw`\bwhy don'?t we\b`,
  String.raw`\b(?:i|we) (?:want|propose|suggest|vote) (?:to|for|we|that)?\b`,
  String.raw`\bi'?d (?:do|go|say|vote|suggest|prefer)\b`,
  String.raw`\b(?:proposal|suggestion|idea|plan)\s*:`,
  String.raw`\bmaybe we\b`,
  String.raw`\binstead\b`,
  // German, French, Spanish, Portuguese
  String.raw`\b(?:sollen|sollten|konnen|wollen) wir\b`,
  String.raw`\bwie ware es\b`,
  String.raw`\b(?:vorschlag|idee)\s*:`,
  String.raw`\b(?:on pourrait|et si on|je propose|on fait|pourquoi pas)\b`,
  String.raw`\b(?:podemos|podriamos|propongo|que tal|y si)\b`,
  String.raw`\b(?:podemos|poderiamos|proponho|que tal|e se|bora)\b`,
  String.raw`\b(?:propongo|possiamo|potremmo|che ne dite|e se)\b`,
  String.raw`\b(?:statt|stattdessen|plutot|au lieu|en vez|en lugar|em vez|ao inves)\b`,
  // Dutch
  String.raw`\b(?:zullen|kunnen|moeten) we\b|\bwat dacht(?:en)? (?:je|jullie) van\b|\b(?:ik stel voor|wat als we|waarom niet|ik zou)\b|\bvoorstel\s*:|\b(?:in plaats van|liever)\b`,
  // Polish
  String.raw`\b(?:mozemy|moglibysmy|proponuje|a moze|co powiecie na|moze zamiast|zamiast)\b`,
  // Swedish, Norwegian, Danish
  String.raw`\b(?:ska vi|kan vi|borde vi|skal vi|vad sags om|hva med|hvad med|jag foreslar|jeg foreslar|i stallet|istallet|i stedet)\b|\bforslag\s*:`,
  ru(['может', 'давайте', 'давай', 'предлагаю', 'а если', 'вместо', 'как насчет', 'может лучше']),
  ko(['할까', '어때', '어떨까', '어떠세요', '대신', '말고']),
  tr(['ne dersiniz', 'ne dersin', 'olur mu', 'yerine', 'yapalım mı', 'yapsak', 'alalım mı']),
  String.raw`\b(?:gimana kalau|gimana kalo|bagaimana kalau|gmn kalo|kalau kita|kalo kita|mendingan|mending kita|usul|daripada)\b`,
  // Hindi as chat writes it in Latin letters (Hinglish)
  String.raw`\b(?:kya hum|kyu na|kyun na|ya phir|ke bajaye|ki jagah)\b`,
  // Chinese: "要不要…", "…怎么样", "不如…", and a day put as a question ("那周四晚上八点呢")
  '要不要|要不|怎么样|好不好|行不行|不如|改成|改到|换到|(?:周[一二三四五六日天]|星期|明天|后天|下周)[^。!?]*呢\\s*$',
  // Japanese: "…しませんか", "…しましょうか", "…はどうですか"
  'ませんか|ましょうか|はどうですか|はどうでしょう|でどうですか|のほうがいい',
]);

/** Agreement with what was just proposed. */
export const AGREEMENT = any([
  String.raw`^(?:\+1|\+\d|yes+|yess*|yeah|yep|yup|ok(?:ay)?|k|sure|agreed?|deal|done|perfect|great|cool|nice|fine|works|sounds good|sgtm|lgtm|makes sense|fair|of course|absolutely|definitely|same|me too|yes pls|yes please)\b`,
  String.raw`\b(?:agreed|agree w(?:ith|\/)?|i agree|sounds (?:good|great|fine|perfect)|fine (?:by|with) me|works for me|that works|\w+ works|works\b|makes sense|good (?:idea|call|plan)|i'?m in|count me in|let'?s do (?:it|that|this)|ship it|love (?:it|that)|on board|no objections?|perfect|fair enough|\w+ it is)\b`,
  // German, French, Spanish, Portuguese
  String.raw`\b(?:einverstanden|passt|klingt gut|gute idee|genau|klar|ja|jep|super|machen wir|bin dabei|geht klar)\b`,
  String.raw`\b(?:d'accord|ca marche|ca me va|oui|parfait|carrement|bonne idee|ok pour moi|je valide|valide|vendu)\b`,
  String.raw`\b(?:de acuerdo|vale|perfecto|me parece bien|buena idea|dale|si|claro|genial|hecho|me sirve)\b`,
  String.raw`\b(?:concordo|beleza|fechado|combinado|perfeito|boa ideia|sim|claro|pode ser|show|bora)\b`,
  String.raw`\b(?:va bene|perfetto|ci sto|ci sono|certo|ottimo|ottima idea|sono d'accordo|d'accordo|vale)\b`,
  // Dutch and French: "prima", "top" only as the reply itself ("top !"; not "la prima volta", "top priority")
  String.raw`\b(?:akkoord|goed idee|klinkt goed|mee eens|helemaal eens|lijkt me goed|doen we|ja hoor|is goed|dat is goed)\b|^(?:prima|top)\s*(?:[!.,]|$)`,
  String.raw`\b(?:zgoda|pasuje|spoko|brzmi dobrze|zgadzam sie|moze byc|jasne|dla mnie ok)\b|\bdobry pomysł`,
  String.raw`\b(?:funkar|fungerar|haller med|later bra|bra ide|kor vi|absolut|japp|passar|sjalvklart|enig|funker|passer|hores bra|lyder godt|fint for meg|fint med mig)\b`,
  ko([
    '좋아',
    '좋습니다',
    '콜',
    '오케이',
    '찬성',
    '동의',
    '넵',
    '네네',
    'ㅇㅇ',
    '괜찮아',
    '저도요',
    '나도 좋아',
    '가능해요',
  ]),
  tr([
    'tamam',
    'tamamdır',
    'olur',
    'uyar',
    'bana uyar',
    'katılıyorum',
    'harika',
    'evet',
    'aynen',
    'anlaştık',
    'bence de',
  ]),
  // Not "gas", "sip" or "mending": English words too
  String.raw`\b(?:oke|setuju|boleh|siap|mantap|cocok|aku bisa|saya bisa|bisa kok|yuk)\b`,
  String.raw`\b(?:theek hai|thik hai|theek h|thik h|haan|han ji|sahi hai|chalega|pakka|bilkul)\b`,
  ru([
    'ок',
    'окей',
    'да',
    'ага',
    'норм',
    'нормально',
    'согласен',
    'согласна',
    'договорились',
    'отлично',
    'супер',
    'го',
    'я в деле',
    'подходит',
    'устраивает',
    'пойдет',
    'идет',
    'плюсую',
  ]),
  // Chinese ("周四ok": no word boundary after a Chinese character)
  '可以|同意|没问题|好的|好啊|赞成|没毛病|就这样|[\u4e00-\u9fff]ok\\b',
  // Japanese (no word boundaries in the script: plain alternatives)
  '賛成|いいと思います|いいですね|了解|オッケー|異議なし|それでいきましょう|そうしましょう|同意|問題ありません|大丈夫です|いいよ',
  '👍|✅|🙌|💯|👌',
]);

/** A decision stated: commitment language for the group ("then we…", "let's…", "ok ship it"). */
export const DECISION = any([
  String.raw`\b(?:we(?:'ve| have)? decided|decided to|it'?s final|that'?s final|settled)\b`,
  // A label with a colon ("Final call: …"): no word boundary after the colon when a space follows it.
  String.raw`\b(?:decision|final(?: call| answer| decision)?|besluit|beslissing|decyzja)\s*:`,
  String.raw`\b(?:let'?s|let us) (?:go|do|use|keep|move|push|ship|stick|stay|get|buy|order|take|switch|make|put|drop|try|pick|meet|say|have|add|go with|leave|pin|post|start|skip|cancel|book|run|set|split|rotate|merge|release|schedule|change|vote)\b`,
  // A recap states where the plan ended ("to recap: saturday 8am", "ricapitolando", "zusammengefasst")
  String.raw`^(?:so )?(?:to )?(?:recap|summing up|to sum up)\b|\b(?:zusammengefasst|pour resumer|en resume|recapitulando|resumiendo|en resumen|resumindo|ricapitolando|riassumendo)\b`,
  String.raw`\b(?:then we|we'?ll (?:go|do|use|keep|move|ship|stick|stay|switch)|we go with|going with|we'?re going with)\b`,
  String.raw`^(?:ok(?:ay)? |so |then |fine,? )?we (?:keep|ship|move|stay|stick|switch|skip|cancel|drop)\b(?! \w+ing\b)`,
  String.raw`^(?:ok(?:ay)?|alright|fine|right|cool|good|great)\b[ ,:]+(?:so )?(?:\S+ ){0,6}\S+ then\b`,
  // "saturday it is for me" is one person's pick, not the group's
  String.raw`\b\w+ it is\b(?! for me\b)`,
  String.raw`(?<!\b(?:got|get|was|were|been|is|are|has|have|had) )\b(?:switching|moving|moves|changing)(?: (?!to\b)\S+){0,4} to\b`,
  String.raw`\b(?:ok(?:ay)?|fine|alright)\s*:\s*\S`,
  String.raw`\bship it\b`,
  // "actually make it 10am, the hall opens at 10": the plan changed in a word
  String.raw`\b(?:actually|ok(?:ay)?|so|fine)[ ,]+(?:let'?s )?(?:make it|change it to|move it to)\b`,
  String.raw`\bno objections\b.*\bfinal\b`,
  // German
  String.raw`\b(?:entschieden|beschlossen|abgemacht|dann machen wir|machen wir (?:es|das)? ?so|wir nehmen|wir bleiben bei|lass(?:t)? uns|dann eben|es bleibt bei)\b`,
  // French
  String.raw`\b(?:c'est decide|on a decide|j'ai decide|on part sur|on garde|on reste sur|va pour|allons-y|on fait comme ca|c'est acte|on valide)\b`,
  // Spanish
  String.raw`\b(?:decidido|hemos decidido|vamos con|nos quedamos con|hagamos|queda (?:en|asi)|lo dejamos (?:en|asi)|entonces (?:el|la|los|las|es|quedamos))\b`,
  // Portuguese
  String.raw`\b(?:decidimos|ficou decidido|vamos de|vamos com|ficamos com|fica (?:assim|para|pra)|entao fica|fechado)\b`,
  // "vamos mudar pro Foundry": vamos with an infinitive is the group's plan ("vamos ver" decides nothing)
  String.raw`^vamos (?!ver\b)\w+(?:ar|er|ir)\b`,
  // Italian
  String.raw`\b(?:deciso|abbiamo deciso|e deciso|facciamo cosi|allora facciamo|restiamo su|rimaniamo su|andiamo con|confermato|anticipiamo|rimandiamo|spostiamo)\b`,
  // Dutch
  String.raw`\b(?:besloten|afgesproken|dan wordt het|het wordt|dan doen we|we doen het|laten we|we gaan voor|we houden het|we blijven bij)\b`,
  // Polish
  String.raw`\b(?:ustalone|postanowione|zdecydowalismy|zrobmy|robimy to|zostajemy przy|idziemy z|w takim razie (?:robimy|zostajemy|przenosimy)|przenosimy|przesuwamy)\b`,
  // Swedish, Norwegian, Danish: the verb before "vi" after "då"/"da"/"så" ("då köper vi från…", "så gør vi")
  String.raw`\b(?:da|sa) (?!\w+ vi inte\b)\w+ vi\b|\b(?:kor pa|kjor pa|vi kor|bestamt|beslutat|bestemt|besluttet|avtalt|aftalt|sa blir det|da blir det)\b`,
  // Russian: "решили", "договорились", "тогда переносим на субботу" (a verb of "we" after "тогда")
  ru(['решили', 'решено', 'договорились', 'итак', 'переносим', 'отменяем', 'остаемся на', 'делаем так']),
  `${ru(['тогда'])} [${CYRILLIC}]+(?:ем|им)(?![${CYRILLIC}])`,
  // Korean: "토요일로 하자", "그렇게 합시다", "확정", "결정"
  ko(['하자', '합시다', '확정', '결정', '정했', '로 할게요', '그렇게 하죠']),
  // Turkish: "karar verdik", "anlaştık", the "let's" of a verb the group uses ("cumartesi yapalım")
  tr([
    'karar verdik',
    'karar verildi',
    'anlaştık',
    'kesinleşti',
    'yapalım',
    'alalım',
    'gidelim',
    'buluşalım',
    'başlayalım',
    'kalalım',
    'erteleyelim',
    'taşıyalım',
    'kullanalım',
    'oynayalım',
  ]),
  // Indonesian: "jadi kita…", "sepakat", "udah fiks"
  String.raw`\b(?:jadi kita|jadinya|sepakat|diputuskan|fiks|udah fix|sudah fix|oke deal|kita pakai|kita pindah|kita ganti)\b`,
  // Hinglish: "final hai", "tay hua", "chalo saturday ko khelte hain"
  String.raw`\b(?:final hai|fix hai|tay hua|tay hai|pakka hua|chalo (?:\w+ ){1,4}(?:karte|rakhte|milte|khelte|chalte) hain)\b`,
  // Chinese: "那就定周四", "就这么定了", "决定"
  '就定|定了|决定|就这么|敲定|那就',
  // Japanese
  // "…にします" (we go with…) and "…しましょう" (let's…), not their questions "…にしますか", "…しましょうか"
  '決定|決まり(?:です|ました)|決めました|にしましょう|でいきましょう|で行きましょう|ことにしま|にします(?!か)|ましょう(?!か)',
]);

/**
 * Where or when it is, set against what it is not ("saturday's distribution is at St Anne's gym, not the
 * hall", "das Turnier ist am Sonntag, nicht Samstag"): the plan corrected ("…, not to mention…" is none). Not
 * a part of DECISION: only a sentence with ", " can show it, and every other sentence is spared the look.
 */
export const CORRECTED_PLAN =
  /\b(?:is|are|will be|stays|ist|sind|bleibt|est|sont|reste|sera|es|son|fica|sao|sara|resta|wordt|blijft|jest|bedzie|zostaje|ar|blir|forblir)\b[^,;?]{2,40}, (?:not|nicht|pas|no (?:el|la|los|las|en|a)|nao|non|niet|nie|inte|ikke)\b(?! (?:to mention|only|just|even|that)\b)/;

/** Self-commitments: the speaker takes something on. Group 1 (when present) starts the task. */
export const SELF_COMMITMENT = any([
  String.raw`\b(?:i'?ll|i will|i'?m going to|i am going to|i'?m gonna|i can|i could|let me|i'?ll try to|i'?m happy to|happy to|i'?ll take|i take|i'?m on)\b(?! not\b)(?!'t)`,
  String.raw`\b(?:will do|on it|got it|i got (?:it|this|you)|leave it (?:to|with) me|i'?m on it)\b`,
  // German
  String.raw`\b(?:ich (?:mache|mach|kummere mich|schicke|schick|ubernehme|nehme|werde|kann|schreibe|schreib|bringe|bring|frage|erstelle|kläre|klare|teste|baue|backe|koche|hole|kaufe|besorge|organisiere|buche|reserviere|drucke|melde)|mach ich|ubernehme ich|kummere mich)\b`,
  // French
  String.raw`\b(?:je (?:vais|m'en occupe|m'occupe|fais|peux|prends|envoie|ecris|regarde|teste)|je m'en charge|je gere)\b`,
  // French future of the first person ("je ferai l'affiche", "j'apporterai"), not "je serai" (I will be)
  String.raw`\bje (?!serai\b)\w+rai\b|\bj'\w+erai\b`,
  // French present for what one will do: "j'apporte le café", "j'envoie le lien", "je réserve la salle"
  String.raw`\bj'(?:apporte|amene|envoie|ecris|achete|organise|imprime|appelle)\b|\bje (?:reserve|prepare|ramene)\b`,
  // Spanish
  String.raw`\b(?:(?:yo )?me encargo|voy a|lo hago|yo hago|yo (?:lo |la |los |las )?(?:reviso|mando|envio|escribo|preparo|llevo|traigo|hago|reservo|busco)|puedo (?:hacer|llevar|traer|revisar|preparar|mandar))\b`,
  // Portuguese
  String.raw`\b(?:eu (?:faco|vou|cuido|posso|mando|escrevo|levo|trago|reviso)|deixa comigo|pode deixar|vou (?:fazer|mandar|levar|trazer|escrever|revisar|preparar|atualizar))\b`,
  // Italian: "ci penso io", "me ne occupo", first person with io ("te la porto io", "io aggiorno la traccia")
  String.raw`\b(?:ci penso io|me ne occupo|mi occupo|posso (?:portare|fare|controllare|preparare|scrivere)|\w+o io)\b|^io \w+o\b`,
  // Dutch
  String.raw`\b(?:ik (?:doe|regel|neem|zal|ga|breng|stuur|schrijf|maak|kan|bestel|check|zorg)|regel ik|doe ik|laat (?:het|maar) aan mij over)\b`,
  // Polish: first person future ("zrobię", "przyniosę", "wyślę", "zajmę się")
  String.raw`\b(?:zrobie|ogarne|wezme|przyniose|napisze|wysle|sprawdze|zajme sie|zamowie|przygotuje|zaktualizuje|biore to|ja sie tym zajme|wrzuce|poprawie|dodam|ustawie|zapytam|zadzwonie|kupie|zorganizuje|zalatwie|ja moge)\b`,
  // Swedish, Norwegian, Danish
  String.raw`\b(?:jag|jeg) (?:kan|ska|skal|fixar|fikser|tar|tager|gor|mejlar|mailar|skickar|sender|lagger|bokar|booker|kollar|sjekker|ordnar|ordner|bestaller|hamtar|henter|skriver)\b|\b(?:det fixar jag|det ordner jeg)\b`,
  // Korean: "제가 할게요", "올릴게", "하겠습니다"
  `${KO_WILL}|${ko(['하겠습니다', '맡겠습니다', '제가 맡', '내가 맡'])}`,
  tr([
    'hallederim',
    'getiririm',
    'yaparım',
    'hazırlarım',
    'yazarım',
    'gönderirim',
    'bakarım',
    'ilgilenirim',
    'alırım',
    'ayarlarım',
    'ben hallederim',
    'bende',
  ]),
  String.raw`\b(?:aku|saya|gue|gw)(?: yang| nanti)? (?:bawa|bikin|buat|urus|siapin|siapkan|kerjain|kirim|cek|pesan|pesen|tulis|update)\b|\b(?:biar|nanti) (?:aku|saya|gue|gw)\b`,
  // Hinglish: the future of "I" ends in -ūṅgā/-ūṅgī ("main kit le aaunga", "bhej dungi")
  String.raw`\b(?!bunga\b)\w+(?:unga|ungi)\b`,
  ru([
    'сделаю',
    'напишу',
    'соберу',
    'возьму',
    'беру',
    'займусь',
    'проверю',
    'скину',
    'кину',
    'принесу',
    'закажу',
    'подготовлю',
    'я могу',
    'на мне',
  ]),
  // Chinese: "我来…", "我负责…", "会议号我明天发" (not what was done: "我问了")
  '我(?:明天|今晚|晚上|待会|等下|回头|周[一二三四五六日天])?(?:来|去|负责|准备|整理|发|做|写|帮|订|约|问)(?![了过])|交给我|包在我身上',
  // Japanese
  '^(?:私|僕|俺|自分)(?:は|が)|やります|やっておきます|しておきます|担当します|任せて|対応します(?!か)|確認します(?!か)|見ておきます|書きます(?!か)|作ります(?!か)|更新します(?!か)|送ります(?!か)',
]);

/** Requests: someone is asked to do something. */
export const REQUEST = any([
  String.raw`\b(?:can|could|would|will) (?:you|someone|somebody|anyone|anybody|u)\b`,
  String.raw`\b(?:who can|who could|who wants to|who'?s (?:doing|taking))\b`,
  String.raw`\b(?:someone|somebody) (?:needs to|should|has to|must)\b`,
  String.raw`\b(?:please|pls|plz) (?!no\b)\w+`,
  // German, French, Spanish, Portuguese
  String.raw`\b(?:kannst du|konntest du|kann jemand|konnte jemand|wer kann|konnt ihr|bitte)\b`,
  String.raw`\b(?:tu peux|tu pourrais|vous pouvez|pourrais-tu|quelqu'un (?:peut|pourrait)|qui peut|s'il te plait|stp|svp)\b`,
  String.raw`\b(?:puedes|podrias|alguien puede|alguien podria|quien puede|por favor|porfa)\b`,
  String.raw`\b(?:pode|podes|voce pode|alguem pode|quem pode|por favor|pfv|(?:voce )?consegue|da pra voce)\b`,
  String.raw`\b(?:puoi|potresti|riesci a|qualcuno (?:puo|potrebbe)|chi (?:puo|porta)|per favore|per piacere)\b`,
  String.raw`\b(?:kun je|kan je|kun jij|kan jij|kunt u|kan iemand|kunnen jullie|wie kan|wil je|wil jij|zou je|zou jij|alsjeblieft|aub)\b`,
  String.raw`\b(?:mozesz|moglbys|moglabys|czy ktos moze|kto moze|prosze|zrobisz|ogarniesz|wrzucisz|sprawdzisz|napiszesz|przyniesiesz|wezmiesz|dasz rade|zajmiesz sie|poprawisz|zaktualizujesz|przygotujesz)\b`,
  String.raw`\b(?:kan du|kan ni|skulle du kunna|kan nagon|vem kan|kan noen|hvem kan|kan dere|kan nogen|vem (?:haller i|tar|fixar))\b`,
  '你(?:能不能|可不可以|能|可以)|能不能(?:帮|给)|麻烦你|请你|拜托',
  ko(['줄 수 있', '줄수있', '주실 수', '주세요', '줄래', '부탁']),
  `[a-z\u0131]+(?:abilir|ebilir|[ae]r|[ıi]r) m[iı]s[iı]n|${tr(['rica etsem', 'lütfen', 'kim yapabilir', 'kim getirebilir'])}`,
  String.raw`\b(?:bisa tolong|tolong|minta tolong|kamu bisa|siapa yang bisa|bisa (?:gak|nggak|ga) )`,
  String.raw`\b(?:kar|kr|la|laa|le|le aa|bhej|dekh|de|bana|likh|rakh) (?:doge|dogi|loge|logi|sakte ho|sakti ho)\b`,
  ru([
    'можешь',
    'можете',
    'сможешь',
    'сможете',
    'кто может',
    'пожалуйста',
    'плиз',
    'не мог бы',
    'не могла бы',
    'не могли бы',
  ]),
  // Japanese
  '[てで](?:もらえ(?:ます|ません)か|ください|くれ(?:ます|ません)か)|お願い(?:します|できますか)',
]);

/**
 * Asking the room for a thing ("anyone have a pump I could borrow?", "qualcuno ha una pompa?"): a request
 * once someone offers it ("I'll bring mine"). Group 0 ends where the thing asked for starts.
 */
export const ASKS_FOR_THING = any([
  String.raw`\b(?:does |do )?(?:anyone|anybody|someone|somebody|any of you|one of you) (?:here )?(?:have|has|got|own|(?:could|can) lend)\b|\bhas (?:anyone|anybody) got\b|\b(?:can|could) (?:i|we) borrow\b|\bwho (?:has|have|got) (?:a|an|some|spare|one)\b`,
  // German, French, Spanish, Portuguese, Italian
  String.raw`\b(?:hat|hatte) (?:jemand|wer|einer) (?:von euch )?(?:ein|eine|einen|noch|zufallig)\b|\bkann mir (?:jemand|wer)\b`,
  String.raw`\bquelqu'un (?:a|aurait|peut me preter|pourrait me preter)\b|\bvous auriez\b`,
  String.raw`\balguien (?:tiene|me (?:presta|puede prestar|deja))\b`,
  String.raw`\balguem (?:tem|me empresta|pode me emprestar)\b`,
  String.raw`\bqualcuno (?:ha|mi presta|puo prestarmi)\b`,
  String.raw`\bheeft (?:er )?iemand\b`,
  String.raw`\b(?:czy )?ktos ma\b|\bma ktos\b`,
  // Japanese: "誰か…持っていますか／貸して"
  '誰か.*(?:持って|貸して|あります)',
]);

/** Hedging: the speaker is not sure ("i think my roommate has it"), so nothing is promised. */
export const HEDGE =
  /\b(?:i think|i guess|i believe|maybe|probably|not sure|might|ich glaube|ich denke|vielleicht|wahrscheinlich|je crois|je pense|peut-etre|creo que|quizas|tal vez|acho que|talvez|penso che|credo che|forse|ik denk|misschien|waarschijnlijk|volgens mij|chyba|mysle ze|pewnie|raczej|jag tror|kanske|troligen|jeg tror|kanskje|maske)\b|たぶん|多分|かも|好像|可能|也许|大概/;

/** Replies that take a request on. */
export const ACKNOWLEDGEMENT = any([
  String.raw`^(?:sure|yes|yeah|yep|yup|ok(?:ay)?|k|np|no problem|of course|will do|on it|got it|done|can do|absolutely|i can|i'?ll|i will|i got (?:it|this|you)|leave it (?:to|with) me|mine|me)\b`,
  String.raw`\b(?:will do|on it|got it|i'?ll (?:do|take|bring|handle|grab|send|get)|i can (?:do|take|bring|handle)|np\b|no problem)`,
  // Italian puts the subject after the verb to stress who does it ("la porto io", "ci penso io")
  String.raw`\b\w+o io\b`,
  String.raw`^(?:klar|mach ich|gerne|ja|ok|passt|d'accord|oui|pas de souci|je m'en occupe|ca marche|claro|vale|dale|hecho|me encargo|sim|beleza|pode deixar|deixa comigo|bora|certo|va bene|volentieri|ci penso io|me ne occupo|consigo|komt goed|regel ik|doe ik|geen probleem|is goed|tuurlijk|jasne|dobra|spoko|sie robi|nie ma sprawy|zrobie|ogarne|visst|japp|inga problem|ingen problem|sjalvklart|jag kan|jeg kan|jag tar|jeg tar|greit)\b`,
  '^(?:可以|好的|好啊|没问题|行|收到|交给我|包在我身上|我来)',
  `^(?:${ko(['네', '넵', '넹', 'ㅇㅇ', '오케이', '알겠', '좋아요', '콜', '가능', '제가 할게', '내가 할게'])})`,
  tr(
    [
      'tamam',
      'tamamdır',
      'olur',
      'tabii',
      'tabi',
      'hallederim',
      'bende',
      'sorun değil',
      'oke',
      'siap',
      'boleh',
      'aman',
      'beres',
    ],
    '^',
  ),
  String.raw`^(?:haan|han|theek hai|thik hai|pakka|ho jayega|kar dunga|kar dungi)\b`,
  ru(
    [
      'ок',
      'окей',
      'ладно',
      'да',
      'хорошо',
      'без проблем',
      'сделаю',
      'конечно',
      'го',
      'принято',
      'понял',
      'поняла',
      'беру',
    ],
    '^',
  ),
  '^(?:了解|承知|わかりました|分かりました|はい|やります|任せて|オッケー|いいですよ|大丈夫です)',
]);

/**
 * The asker's own answer ("nvm, found it: …", "never mind, it was the firewall", "hat sich erledigt",
 * "laisse tomber", "ya lo encontré", "achei", "risolto", "自己解決しました"): the question is settled.
 */
export const SELF_RESOLVED =
  /^(?:(?:oh|ah|ok(?:ay)?|ugh|lol|update|edit)[\s,.!:]+)*(?:nvm|nevermind|never ?mind|found it|figured it out|figured it|solved it|fixed it|got it working|got it sorted|sorted it|turns out|(?:oh|ah) it was|egal|hat sich erledigt|hab(?:e|s)? es gefunden|habs gefunden|gefunden|laisse tomber|c'est bon j'ai trouve|j'ai trouve|trouve|olvidalo|ya lo encontre|lo encontre|ya esta resuelto|resuelto|esquece|deixa pra la|achei|resolvido|lascia stare|lascia perdere|trovato|risolto|laat maar|al gevonden|gevonden|zelf gevonden|niewazne|juz znalazłem|juz znalazłam|znalazłem|znalazłam|hittade det|hittat det|strunt i det|glom det|fant det|fandt det)\b|^(?:自己解決|解決しました|見つかりました|找到了|解决了|没事了)/;

/**
 * The asker asking again ("bumping my question", "anyone?", "still open btw", "nochmal", "relance"). A cue:
 * every question looks at its asker's next twenty messages, and `shows` tests each message once.
 */
export const BUMP = any([
  String.raw`\b(?:bump(?:ing)?|still open|still no answer|still waiting|any news|any update|nochmal|immer noch offen|relance|je relance|sigue abierta|ainda aberta|ancora aperta|nog steeds)\b`,
  String.raw`\b(?:anyone|anybody|jemand|quelqu'un|alguien|alguem|qualcuno|iemand)\s*\?`,
]);

/** A message that opens laughing ("haha", "lol", "jajaja", "kkkk", "mdr", "😂") comments; it answers nothing. */
export const LAUGHTER =
  /^(?:ha(?:ha)+|he(?:he)+|lol|lmao|rofl|xd|ja(?:ja)+|kkk+|mdr|ptdr|😂|🤣|😆|哈哈|ㅋㅋ|ㅎㅎ)/iu;

/** A whole reply of yes or no ("yes", "nope 👍", "はい"): an answer to a yes/no question, in a word. */
export const YES_NO =
  /^(?:yes|yep|yeah|yup|no|nope|nah|ja|jep|nein|oui|non|si|sim|nao|tak|nie|nee|はい|いいえ)[\s!.👍]*$/u;

/** A yes/no question about something other than the group ("does the hotfix…", "is the store…"): no plan. */
export const ASKS_A_FACT = /^(?:does|do|did|is|are|was|were|has|have|will) (?!we\b|us\b|our\b)/;

/** Replies that answer nothing ("no idea", "good question", "not me"). */
export const NON_ANSWER = any([
  String.raw`^(?:no idea|idk|dunno|not sure|no clue|good question|same question|not me|me neither|same|\+1|bump|following|no se|nao sei|keine ahnung|weiss nicht|aucune idee|je sais pas|sais pas|ni idea|pas moi|ich nicht|yo no|eu nao|sei la|non lo so|boh|nessuna idea|geen idee|weet ik niet|geen flauw idee|nie wiem|nie mam pojecia|dobre pytanie|ingen aning|vet inte|bra fraga|inte jag|aner ikke|vet ikke|ved ikke|godt sporsmal|ikke meg)\b`,
  '^(?:不确定|不知道|不清楚|好问题|同问|我也想知道)',
  `^(?:${ko(['모르겠', '몰라', '글쎄', '좋은 질문'])})`,
  tr(
    [
      'bilmiyorum',
      'bilmem',
      'fikrim yok',
      'iyi soru',
      'gak tau',
      'ga tau',
      'nggak tau',
      'gatau',
      'tidak tahu',
      'entah',
    ],
    '^',
  ),
  String.raw`^(?:pata nahi|pta nhi|pata nhi|nahi pata|malum nahi)\b`,
  ru(['хз', 'не знаю', 'без понятия', 'хороший вопрос', 'тоже интересно'], '^'),
  String.raw`^(?:lol|lmao|haha|xd|rip|oof|hmm+|same|this|^)+[\s!.?]*$`,
  String.raw`\b(?:ask me later|no idea|not sure|haven'?t (?:thought|tried|checked|touched)|don'?t know|i wonder)\b`,
  '^(?:わからない|分からない|わかりません|分かりません|知らない|知りません)',
  // Sending the asker elsewhere ("ask in #hardware maybe", "frag mal im Forum"): no answer yet.
  String.raw`^(?:(?:maybe|try|you could|better|just) )?(?:ask(?:ing)? (?:in|on|at|over in)|frag (?:mal )?(?:im|in|bei)|demande (?:sur|dans|a)|pregunta (?:en|a)|pergunta (?:no|na|em)|chiedi (?:in|su|a)|vraag (?:het )?(?:in|op|aan))\b`,
]);

/** A farewell or greeting: carries nothing. */
export const SMALL_TALK = any([
  String.raw`^(?:ok(?:ay)?[ ,]+)?(?:gotta go|gtg|brb|afk|gn|good ?night|night|bye|cya|see (?:you|ya)|later|signing off|logging off|off to|back|morning|good morning|gm|hi+|hey+|hello|welcome|congrats|gz|thanks|thank you|ty|thx|tschuss|bis (?:morgen|dann|spater)|gute nacht|ciao|a plus|bonne nuit|salut|bonjour|hasta (?:luego|manana)|nos vemos|buenas|tchau|ate (?:amanha|logo)|bom dia|boa noite|ola|hola|danke|merci|gracias|obrigad[oa]|me voy|muss los|buonanotte|buona notte|a domani|grazie|bonne soiree|hoi|hallo|goedemorgen|goedenavond|welterusten|doei|tot (?:morgen|later|straks|zo)|bedankt|dank je|dankjewel|fijne avond|ik moet gaan|czesc|hej|siema|dzien dobry|dobranoc|na razie|do jutra|dzieki|dziekuje|elo|hejsan|tjena|god morgon|godnatt|god natt|tack|tusen tack|vi ses|valkommen|hei|takk|god kveld|velkommen)\b`,
  '^(?:大家好|早上好|早安|晚安|谢谢|感谢|多谢|拜拜|再见|辛苦了|你好)',
  `^(?:${ko(['안녕', '좋은 아침', '잘자', '굿밤', '감사', '고마워', '고맙', '수고', '바이'])})`,
  tr(
    [
      'merhaba',
      'selam',
      'selamlar',
      'günaydın',
      'iyi geceler',
      'teşekkürler',
      'teşekkür ederim',
      'sağol',
      'sağolun',
      'görüşürüz',
      'hoşgeldin',
      'hoş geldin',
      'halo',
      'hai',
      'selamat pagi',
      'selamat malam',
      'makasih',
      'terima kasih',
      'sampai jumpa',
    ],
    '^',
  ),
  String.raw`^(?:namaste|namaskar|shukriya|dhanyavad|dhanyavaad|shubh ratri)\b`,
  ru(
    [
      'привет',
      'всем привет',
      'здравствуйте',
      'доброе утро',
      'спокойной ночи',
      'спасибо',
      'всем спасибо',
      'спс',
      'пока',
      'всем пока',
      'до завтра',
      'до встречи',
      'гг',
    ],
    '^',
  ),
  '^(?:お疲れ|おつかれ|おはよう|こんにちは|こんばんは|ありがとう|よろしく)',
]);

/** Work reported under way, not finished ("80% done", "almost there", "still fighting me"). */
export const IN_PROGRESS =
  /\b(?:\d+ ?% done|almost|nearly|still|not yet|in progress|wip|halfway|half done|fast fertig|noch nicht|presque|pas encore|casi|todavia|ainda|quase|bijna|nog niet|bezig|jeszcze nie|prawie|w trakcie|inte an|nastan|pagar|ikke enna|ikke endnu|nesten|naesten)\b/;

/**
 * A report of work done that leaves some of it to come ("draft is done, posting it tomorrow", "FAQ outline
 * done", "signup form is done, event post later"): the task is still open.
 */
export const STILL_TO_COME =
  /\b(?:tomorrow|tonight|later|next week|soon|coming|posting|i'?ll|will|draft|outline|first pass|morgen|spater|bald|entwurf|gliederung|demain|plus tard|bientot|brouillon|manana|luego|pronto|borrador|esquema|amanha|depois|logo|rascunho|esboco|domani|dopo|presto|bozza|schema|straks|binnenkort|concept|jutro|pozniej|wkrotce|szkic|imorgon|senare|snart|senere)\b|明日|来週|後で|下書き|明天|下周|回头/;

/** Something reported done ("fixed", "✅", "erledigt"): a task finished within the window. */
export const DONE = any([
  String.raw`\b(?:done|fixed|finished|merged|booked|rebooked|sent|shipped|posted|uploaded|updated|already did|completed|resolved|rotated|mailed|switched|erledigt|fertig|gemacht|fait|termine|envoye|hecho|listo|terminado|enviado|feito|pronto|enviei|terminei|fatto|finito|inviato|aggiornato|sistemato|gedaan|klaar|gefixt|opgelost|verstuurd|geregeld|geboekt|besteld|zrobione|gotowe|naprawione|wysłane|załatwione|ogarniete|fixat|fixad|lagat|lagad|skickat|bokat|bestallt|fikset|ordnet|ordnat|sendt)\b`,
  '搞定|完成了|做完了|修好了',
  '✅',
  // Japanese: fixed, finished, merged, sent
  '直りました|直った|完了しました|終わりました|できました|マージしました|修正しました|送りました|更新しました',
]);

/** Answer openings: a reply that starts so is an answer to a question asked just before. */
export const ANSWER_START = any([
  String.raw`^(?:yes|yeah|yep|yup|no|nope|nah|sure|it'?s|it is|they|there|you|we|because|cause|since|only|just|use|try|the|its|that'?s|ja|nein|doch|weil|oui|non|parce que|si|no|porque|sim|nao|perche|nee|omdat|want|tak|nie|bo|\d)`,
  '^(?:はい|いいえ|いや|ええ|うん)',
]);

/** Cues that the speaker changes the subject ("unrelated but", "btw", "other thing:"). */
export const TOPIC_SHIFT = any([
  String.raw`^(?:also|btw|by the way|unrelated|random|other thing|another thing|different topic|new topic|question for everyone|next|ok next|anyway|apropos|übrigens|ubrigens|anderes thema|sinon|autre chose|au fait|otra cosa|por cierto|cambiando de tema|outra coisa|mudando de assunto|comunque|a proposito|un'altra cosa|trouwens|overigens|ander onderwerp|los daarvan|przy okazji|inna sprawa|swoja droga|zmieniajac temat|apropa|forresten|for ovrigt|en annan sak)\b`,
  String.raw`^\S+(?: \S+)? (?:thing|question|update|q)\s*:`,
  '^(?:ところで|それと|別件|話は変わりますが|話変わるけど|对了|另外|顺便|话说)',
  ru(['кстати', 'другой вопрос', 'и еще'], '^'),
]);

/**
 * A label that only announces what follows its colon ("Final call: we ship Friday", "ok so: …", "to recap:",
 * "Fazit:", "ricapitolando:"): the decision is the part after it.
 */
export const ANNOUNCING_LABEL = new RegExp(
  `^(?:(?:ok(?:ay)?|so|and|alright|right|fine|then|also|alors|donc|bon|pues|bueno|entonces|entao|quindi|allora|e|nou|dus|oke|dobra|no to)[\\s,]+)*(?:${[
    // English
    'final (?:call|answer|decision|word|verdict|plan)',
    '(?:the |our |new |updated )?(?:decision|verdict|conclusion|result|outcome|resolution|plan|summary|recap|tl;?dr)',
    'to recap',
    'summing up',
    'to sum up',
    'locking (?:it|this) in',
    'locked in',
    "it'?s decided",
    'decided',
    'ok(?:ay)?',
    'so',
    'alright',
    'reminder',
    'update',
    'psa',
    'heads up',
    'fyi',
    // German
    'fazit',
    'ergebnis',
    'beschluss',
    'entscheidung',
    'zusammengefasst',
    'also',
    // French
    'conclusion',
    'resultat',
    'bilan',
    'pour resumer',
    'en resume',
    'bref',
    "c'est decide",
    'rappel',
    // Spanish
    'decidido',
    'decision',
    'resultado',
    'resumen',
    'en resumen',
    'resumiendo',
    'recapitulando',
    // Portuguese
    'decisao',
    'conclusao',
    'resumo',
    'resumindo',
    // Italian
    'decisione',
    'conclusione',
    'risultato',
    'ricapitolando',
    'riassumendo',
    'insomma',
    // Dutch
    'besluit',
    'beslissing',
    'conclusie',
    'samengevat',
    'kortom',
    // Polish
    'decyzja',
    'ustalone',
    'podsumowujac',
    'ustalenia',
    // Japanese
    '結論',
    '決定',
    'まとめ',
  ].join('|')})$`,
);

/**
 * Leading filler a condensed sentence drops. "no" only as an interjection ("no, only the GM pays"): before a
 * verb it negates it ("no hacen falta", "no need"), and dropping it says the opposite.
 */
export const LEADING_FILLER =
  /^(?:(?:ok(?:ay)?|so|well|oh|ah+|uh+|um+|hmm+|ugh|wait|btw|also|anyway|lol|lmao|haha|tbh|honestly|heads up|fyi|yeah|yes|yep|no(?=\s*[,.!:;-])|nope|hi+|hey+|hello|sorry|right|alright|fine|cool|great|nice|catching up|random q|quick q|question for everyone|just|actually|ja|also|naja|bon|alors|donc|bueno|pues|vale|entonces|entao|olha|tipo|allora|quindi|dunque|ecco|nou|dus|oke|trouwens)\b[\s,.:;!-]*)+/i;

/** Trailing filler a condensed sentence drops. */
export const TRAILING_FILLER =
  /(?:[\s,]+(?:lol|lmao|haha|tbh|btw|imo|imho|ngl|rn|pls|plz|please|though|tho|lo?l|xd|fr|jaja|kkk+|mdr))+\s*[.!?]*$/i;

/** When something happens: weekdays, relative days, clock times, dates (five languages, folded). */
export const TEMPORAL = any([
  String.raw`\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b`,
  String.raw`\b(?:tomorrow|tonight|next week|this week|weekend|morgen|heute abend|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|wochenende)\b`,
  String.raw`\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|demain|ce soir)\b`,
  String.raw`\b(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|manana)\b`,
  String.raw`\b(?:segunda|terca|quarta|quinta|sexta)(?:-feira)?\b|\b(?:sabado|domingo|amanha)\b`,
  String.raw`\b(?:lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica|domani|stasera)\b`,
  String.raw`\b\d{1,2}(?::\d{2})?\s?(?:am|pm|h|uhr)\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}h\d{2}\b`,
  String.raw`\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b\d{4}-\d{2}-\d{2}\b`,
  String.raw`\b(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|overmorgen|vanavond|volgende week)\b|\b\d{1,2} uur\b`,
  String.raw`\b(?:poniedziałek|poniedziałku|wtorek|wtorku|sroda|srode|czwartek|czwartku|piatek|piatku|sobota|sobote|niedziela|niedziele|jutro|pojutrze|dzis wieczorem|w przyszłym tygodniu)\b`,
  // A day before its month ("14 december", "13. Dezember", "13 de diciembre", "12 dicembre")
  String.raw`\b\d{1,2}\.? (?:de )?(?:jan|feb|mrt|maart|apr|mei|jun|jul|aug|sep|okt|oct|nov|dec|dez|janv|fevr|mars|avr|mai|juin|juil|aout|ene|abr|ago|dic|fev|out|gen|mag|giu|lug|ott)[a-z]*\b`,
  String.raw`\b(?:mandag|tisdag|tirsdag|onsdag|torsdag|fredag|lordag|sondag)\w*|\b(?:imorgon|i morgon|ikvall|i kvall|i kveld|i aften|nasta vecka|neste uke|naeste uge|i helgen)\b|\bkl\.? ?\d{1,2}\b|\b\d{1,2}/\d{1,2}\b`,
  '[月火水木金土日]曜|明日|明後日|来週|今週|今夜|\\d+時',
  `(?:${ko(['월요일', '화요일', '수요일', '목요일', '금요일', '토요일', '일요일', '내일', '모레', '오늘 밤', '다음 주', '이번 주'])})|\\d+${fold('시')}`,
  `(?<![a-z\u0131])(?:${['pazartesi', 'salı', 'çarşamba', 'perşembe', 'cuma', 'pazar', 'yarın', 'bu akşam', 'haftaya', 'gelecek hafta'].map(fold).join('|')})|\\bsaat \\d`,
  String.raw`\b(?:senin|selasa|rabu|kamis|jumat|sabtu|besok|lusa|nanti malam|malam ini|minggu depan|jam \d{1,2})\b`,
  // Not "kal" alone: a name too
  String.raw`\b(?:kal (?:subah|shaam|raat)|parso|aaj shaam|aaj raat|raat ko|shaam ko|agle hafte)\b`,
  ru(
    [
      'понедельник',
      'вторник',
      'сред[аыуе]',
      'четверг',
      'пятниц',
      'суббот',
      'воскресень',
      'завтра',
      'послезавтра',
      'сегодня вечером',
      'на этой неделе',
      'на следующей неделе',
    ],
    '',
    false,
  ),
  '(?:周|星期|礼拜)[一二三四五六日天末]|明天|后天|今晚|下周|这周|(?:\\d+|[一二三四五六七八九十]+)点',
]);

/**
 * Pronouns that stand for something named earlier ("keep it", "set it up"). Not French, Spanish or Italian
 * "le", "la", "les", "lo", "los", "las": far more often articles ("à la salle", "a las 5") than pronouns.
 */
export const PRONOUN_OBJECT =
  /\b(?:it|this|that|them|these|those|mine|one|es|das|ihn|sie|ca|eso|isso|isto|ele|ela)\b/;
