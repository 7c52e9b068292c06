import { describe, expect, it } from 'vitest';
import {
  AGREEMENT,
  DECISION,
  PROPOSAL,
  REQUEST,
  TEMPORAL,
} from '../../../lib/summarization/analysis/cues.ts';
import {
  alternativesOf,
  asciiOnly,
  boundaryFirst,
  cheaperOpening,
} from '../../../lib/summarization/analysis/pattern-forms.ts';
import { fold } from '../../../lib/summarization/analysis/words.ts';

describe('asciiOnly', () => {
  it('drops the alternatives that need a character outside ASCII, at any depth', () => {
    expect(asciiOnly('ok|да|sure')).toBe('ok|sure');
    expect(asciiOnly(String.raw`\b(?:zgoda|spoko)\b|\bdobry pomysł`)).toBe(String.raw`\b(?:zgoda|spoko)\b`);
    expect(asciiOnly(String.raw`\b(?:wysłane|gotowe)\b`)).toBe(String.raw`\b(?:gotowe)\b`);
    expect(asciiOnly(String.raw`[\u4e00-\u9fff]ok\b|fine`)).toBe('fine');
    expect(asciiOnly(String.raw`\u0041|\u0430`)).toBe(String.raw`\u0041`);
  });

  it('keeps a source mixing scripts inside one group, and character classes that hold ASCII', () => {
    const turkish = String.raw`(?<![a-z0-9\u0131])(?:tamam|tamamdır)(?![a-z0-9\u0131])`;
    expect(asciiOnly(turkish)).toBe(String.raw`(?<![a-z0-9\u0131])(?:tamam)(?![a-z0-9\u0131])`);
    expect(asciiOnly('[^。!?]*x')).toBe('[^。!?]*x');
  });

  it('says nothing can match when every alternative needs another script', () => {
    expect(asciiOnly(String.raw`(?<![\u0430-\u044fa-z0-9])(?:да|ок)(?![\u0430-\u044fa-z0-9])`)).toBeNull();
    expect(asciiOnly('a(?:б)+c|[一二]x')).toBeNull();
  });

  it('drops an optional atom that cannot match and a negative lookaround that always holds', () => {
    expect(asciiOnly('a(?:б)?c|(?:ł){0,2}d')).toBe('ac|d');
    expect(asciiOnly(String.raw`x(?![\u11a8-\u11ff])`)).toBe('x');
    expect(asciiOnly('x(?=б)|y')).toBe('y');
  });

  it('keeps a source with a backreference whole, whose group numbers a removal would shift', () => {
    expect(asciiOnly(String.raw`(б)?(a)\2`)).toBe(String.raw`(б)?(a)\2`);
  });
});

describe('boundaryFirst', () => {
  it('puts the alternatives opening on \\b, and those opening on ^, under one assertion each', () => {
    expect(boundaryFirst(String.raw`\ba\b|^x|\bb(?:c|d)|y|^z`)).toBe(
      String.raw`\b(?:a\b|b(?:c|d))|^(?:x|z)|y`,
    );
    expect(boundaryFirst(String.raw`\ba|(?:\bb|c)`)).toBe(String.raw`\ba|(?:\bb|c)`);
  });

  it('splits only at the top level, not inside groups, classes or after an escape', () => {
    expect(alternativesOf(String.raw`\ba|(?:b|c)|[|]d|\|e`)).toEqual([
      String.raw`\ba`,
      '(?:b|c)',
      '[|]d',
      String.raw`\|e`,
    ]);
  });
});

describe('cheaperOpening', () => {
  it('cuts a leading run of one-character atoms to the one the rest needs', () => {
    expect(cheaperOpening('[a-zı]+(?:abilir|[ae]r) m[iı]s[iı]n')).toBe('[a-zı](?:abilir|[ae]r) m[iı]s[iı]n');
    expect(cheaperOpening(String.raw`\S+?y`)).toBe(String.raw`\Sy`);
    expect(cheaperOpening(String.raw`\w*x`)).toBe('x');
  });

  it('leaves an opening that is not such a run as written', () => {
    expect(cheaperOpening('ab+')).toBe('ab+');
    expect(cheaperOpening(String.raw`\b\w+ it is`)).toBe(String.raw`\b\w+ it is`);
    expect(cheaperOpening('(?:ab)+c')).toBe('(?:ab)+c');
  });
});

describe('cues through their cheaper forms', () => {
  // The answers the cues gave before they had them (main at e8f93b9), on folded sentences.
  it('answer as before on sentences with and without other scripts', () => {
    const says = (s: string) => [PROPOSAL, AGREEMENT, TEMPORAL, DECISION].map((c) => c.test(fold(s)));
    expect(says('can we do wednesday instead?')).toEqual([true, false, false, false]);
    expect(says('давайте в субботу')).toEqual([true, false, true, false]);
    expect(says('周四ok')).toEqual([false, true, true, false]);
    expect(says('dobry pomysł')).toEqual([false, true, false, false]);
    expect(says('w poniedziałek')).toEqual([false, false, true, false]);
    expect(says('on the fence about it')).toEqual([false, false, false, false]);
    expect(REQUEST.test(fold('please send the slides'))).toBe(true);
  });
});
