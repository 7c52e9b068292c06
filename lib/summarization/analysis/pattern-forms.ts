/**
 * Cheaper forms of a cue's pattern source that give the same `test` answers, derived from the one source so
 * a cue added later has every form. V8 tries each top-level alternative at every position of a sentence:
 * `boundaryFirst` puts the alternatives that open on the same assertion (`\b`, `^`) under one, so a position
 * inside a word fails once; `asciiOnly` drops the alternatives that need a character outside ASCII (Russian,
 * Korean, Chinese, Japanese, Turkish ı, Polish ł) for sentences that have none. V8 already skips those when
 * the sentence is stored one byte a character, but a sentence cut from a message with an emoji or a curly
 * quote is often stored two bytes a character (a slice of it) and pays for every one of them.
 */

/** Why a source is kept whole: group numbers would shift under a backreference if groups were removed. */
const BACKREFERENCE = /\\(?:[1-9]|k<)/;

// A quantifier after an atom; a `{` that is not one is a literal outside unicode mode.
const QUANTIFIER = /^(?:[?*+]|\{(\d+)(?:,\d*)?\})\??/;

interface Parsed {
  /** The kept source, or null when nothing of it can match ASCII text. */
  source: string | null;
  end: number;
}

/**
 * The part of `source` (a RegExp source without the `u` or `v` flag) that can match ASCII text, or null
 * when none of it can: on text of code points below 128 the result tests true exactly when `source` does.
 */
export function asciiOnly(source: string): string | null {
  if (BACKREFERENCE.test(source)) return source;
  const parsed = disjunction(source, 0);
  if (parsed.end !== source.length) throw new SyntaxError(`unbalanced pattern: ${source}`);
  return parsed.source;
}

// Alternatives up to an unmatched `)` or the end; the impossible ones dropped.
function disjunction(source: string, at: number): Parsed {
  const kept: string[] = [];
  let i = at;
  for (;;) {
    const alt = alternative(source, i);
    if (alt.source !== null) kept.push(alt.source);
    i = alt.end;
    if (source[i] !== '|') break;
    i++;
  }
  return { source: kept.length > 0 ? kept.join('|') : null, end: i };
}

// A sequence of terms: impossible when any term that must match is.
function alternative(source: string, at: number): Parsed {
  let out = '';
  let possible = true;
  let i = at;
  while (i < source.length && source[i] !== '|' && source[i] !== ')') {
    const term = atom(source, i);
    i = term.end;
    const q = QUANTIFIER.exec(source.slice(i));
    const quantifier = q ? q[0] : '';
    i += quantifier.length;
    // `?`, `*`, `{0,…}` may match nothing: an impossible atom under them is dropped, not fatal.
    const optional = q !== null && (q[1] === undefined ? q[0][0] !== '+' : Number(q[1]) === 0);
    if (term.source === null) {
      if (!optional) possible = false;
    } else if (term.source !== '') {
      out += term.source + quantifier;
    }
  }
  return { source: possible ? out : null, end: i };
}

// One atom: '' when it is a negative lookaround that always holds on ASCII text, null when it cannot match.
function atom(source: string, at: number): Parsed {
  const c = source[at] as string;
  if (c === '\\') return escaped(source, at);
  if (c === '[') return characterClass(source, at);
  if (c === '(') {
    const opener = /^\((?:\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>))?/.exec(source.slice(at))![0];
    const inner = disjunction(source, at + opener.length);
    if (source[inner.end] !== ')') throw new SyntaxError(`unbalanced pattern: ${source}`);
    const end = inner.end + 1;
    if (inner.source !== null) return { source: `${opener}${inner.source})`, end };
    // Nothing inside can match: a negative lookaround always holds, anything else never matches.
    return { source: opener === '(?!' || opener === '(?<!' ? '' : null, end };
  }
  return { source: c.charCodeAt(0) < 128 ? c : null, end: at + 1 };
}

// `\u0430`, `\x41`: a character of that code; any other escape (`\b`, `\s`, `\S`, `\.`) can match ASCII.
function escaped(source: string, at: number): Parsed {
  const code = /^\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(source.slice(at));
  if (code) {
    const value = parseInt((code[1] ?? code[2]) as string, 16);
    return { source: value < 128 ? code[0] : null, end: at + code[0].length };
  }
  const next = source[at + 1] as string;
  return { source: `\\${next}`, end: at + 2 };
}

// `[...]`: kept whole; impossible only when it is not negated and every member is a non-ASCII character
// or a range starting above ASCII (`[\u4e00-\u9fff]`, `[一二三]`, `[\u11a8-\u11ff]`).
function characterClass(source: string, at: number): Parsed {
  let i = at + 1;
  const negated = source[i] === '^';
  if (negated) i++;
  let ascii = false;
  // `[]` and `[^]` are kept as written: keeping is always safe, only a removal has to be right.
  if (source[i] === ']') ascii = true;
  while (i < source.length && source[i] !== ']') {
    const member = classMember(source, i);
    i = member.end;
    if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
      // A range: it reaches ASCII when it starts there.
      i = classMember(source, i + 1).end;
    }
    if (member.ascii) ascii = true;
  }
  if (source[i] !== ']') throw new SyntaxError(`unbalanced class: ${source}`);
  const end = i + 1;
  return { source: negated || ascii ? source.slice(at, end) : null, end };
}

// One member of a class, and whether it is (or starts at) an ASCII character; class escapes such as `\d`,
// `\s`, `\W` hold ASCII characters.
function classMember(source: string, at: number): { ascii: boolean; end: number } {
  if (source[at] !== '\\') return { ascii: source.charCodeAt(at) < 128, end: at + 1 };
  const code = /^\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/.exec(source.slice(at));
  if (code) return { ascii: parseInt((code[1] ?? code[2]) as string, 16) < 128, end: at + code[0].length };
  return { ascii: true, end: at + 2 };
}

/**
 * The top-level alternatives of `source` as written (`a|(?:b|c)|d` → `a`, `(?:b|c)`, `d`).
 */
export function alternativesOf(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

/**
 * `source` (without the sticky flag) with its alternatives that open on `\b` put under one `\b`, and those
 * that open on `^` under one `^`: the same matches (an assertion takes no characters, and `test` asks only
 * whether one exists), but a position inside a word, or past the start, fails once instead of once per
 * alternative. Each alternative's opening is made cheaper first (see `cheaperOpening`).
 */
export function boundaryFirst(source: string): string {
  // Reordered alternatives would renumber the groups a backreference names.
  if (BACKREFERENCE.test(source)) return source;
  const alts = alternativesOf(source).map(cheaperOpening);
  const out: string[] = [];
  for (const lead of ['\\b', '^']) {
    const led = alts.filter((a) => a.startsWith(lead));
    if (led.length > 1) out.push(`${lead}(?:${led.map((a) => a.slice(lead.length)).join('|')})`);
    else out.push(...led);
  }
  out.push(...alts.filter((a) => !a.startsWith('\\b') && !a.startsWith('^')));
  return out.join('|');
}

// One character's atom: a class, a class escape or `.`.
const ONE_CHARACTER = /^(?:\[(?:[^\]\\]|\\.)*\]|\\[dDsSwW]|\.)/;

/**
 * A top-level alternative opened more cheaply, for an unanchored `test`: a leading one-character atom under
 * `+` or `*` cut to one or none (`[a-z]+ir misin` → `[a-z]ir misin`). Wherever k ≥ 1 such characters and
 * the rest match, the last of them and the rest match too; and V8 no longer tries every length of the run
 * at every position (REQUEST's Turkish "…abilir misin" took a third of that cue's time).
 */
export function cheaperOpening(alt: string): string {
  const one = ONE_CHARACTER.exec(alt);
  if (!one) return alt;
  const q = /^[+*]\??/.exec(alt.slice(one[0].length));
  if (!q) return alt;
  const rest = alt.slice(one[0].length + q[0].length);
  return q[0][0] === '+' ? one[0] + rest : rest;
}
