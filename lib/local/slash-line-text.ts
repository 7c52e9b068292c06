import { ValidationError } from '../errors.ts';

/** How the CLI splits a typed slash command line into its command words and `name:value` options. */

/** The command path words (`schedule create daily`) and the option text after them. */
export function leadingWords(text: string): { words: string[]; rest: string } {
  const words: string[] = [];
  let rest = text;
  for (;;) {
    const m = /^([a-z0-9_-]+)(?=\s|$)\s*/.exec(rest);
    if (!m) break;
    words.push(m[1] as string);
    rest = rest.slice(m[0].length);
  }
  if (words.length === 0) throw new ValidationError('command', 'expected a slash command such as /summarize');
  return { words, rest };
}

/** Splits the option part into `name:value` pairs; a value runs until the next known `name:`. */
export function splitOptions(text: string, known: readonly string[]): [string, string][] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const names = [...known].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const start = new RegExp(`(?:^|\\s)(${names.join('|')}):`, 'g');
  const starts: { name: string; index: number; valueStart: number }[] = [];
  for (let m = start.exec(trimmed); m; m = start.exec(trimmed)) {
    const at = m.index + (/^\s/.test(m[0]) ? 1 : 0);
    starts.push({ name: m[1] as string, index: at, valueStart: m.index + m[0].length });
  }
  if (starts.length === 0 || (starts[0]?.index ?? 0) !== 0) {
    const stray = trimmed.slice(0, starts[0]?.index ?? trimmed.length).trim();
    const word = stray.split(/\s+/)[0] ?? stray;
    throw new ValidationError(
      word.includes(':') ? (word.split(':')[0] ?? word) : word,
      known.length > 0 ? `expected one of the options ${known.join(', ')}` : 'expected no options',
    );
  }
  return starts.map((s, i) => {
    const end = starts[i + 1]?.index ?? trimmed.length;
    return [s.name, unquote(trimmed.slice(s.valueStart, end).trim())];
  });
}

/** The value without one pair of matching quotes around it. */
function unquote(value: string): string {
  const m = /^(["'])([\s\S]*)\1$/.exec(value);
  return m ? (m[2] as string) : value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
