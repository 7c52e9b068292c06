import { LEADING_FILLER, TRAILING_FILLER } from '../analysis/cues.ts';
import { wordCount } from '../analysis/words.ts';

const URL = /<?https?:\/\/\S+>?/g;
const EMOJI =
  /(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\u{FE0F}|\u{200D}|\u{20E3})+|:[a-z0-9_+-]{2,30}:/gu;
const LEADING_MENTION = /^(?:@[\p{L}\p{N}_.-]+[\s,:]*)+/u;

/**
 * A sentence as a digest says it: links, emoji, greetings and filler dropped, at most `maxWords` words,
 * cut at a clause boundary where there is one (never mid-word), capitalised.
 */
export function condense(text: string, maxWords: number): string {
  let s = text.replace(URL, ' ').replace(EMOJI, ' ').replace(/\s+/g, ' ').trim();
  s = s.replace(LEADING_MENTION, '');
  const stripped = s.replace(LEADING_FILLER, '');
  if (wordCount(stripped) >= 2) s = stripped;
  s = s
    .replace(TRAILING_FILLER, '')
    .replace(/[\s,;:–—-]+$/u, '')
    .trim();
  s = s
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([!?.])\1+/g, '$1')
    .replace(/\(\s*\)/g, '')
    .trim();
  s = shorten(s, maxWords);
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** At most `maxWords` words, preferring to end at a clause boundary in the second half. */
export function shorten(text: string, maxWords: number): string {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (wordCount(text) <= maxWords) return text;
  let counted = 0;
  let cut = tokens.length;
  for (let i = 0; i < tokens.length; i++) {
    if (/[\p{L}\p{N}]/u.test(tokens[i] as string)) counted++;
    if (counted > maxWords) {
      cut = i;
      break;
    }
  }
  let end = cut;
  for (let i = cut - 1; i >= Math.ceil(cut / 2); i--) {
    if (
      /[,;:.!?)]$/.test(tokens[i] as string) ||
      /^(?:and|but|so|because|which|und|aber|et|mais|y|pero|e|mas|en|maar|omdat)$/i.test(tokens[i + 1] ?? '')
    ) {
      end = i + 1;
      break;
    }
  }
  const kept = tokens
    .slice(0, end)
    .join(' ')
    .replace(/[\s,;:(–—-]+$/u, '');
  // Unbalanced parenthesis after the cut: close it rather than leave it hanging.
  const open = (kept.match(/\(/g) ?? []).length - (kept.match(/\)/g) ?? []).length;
  return end < tokens.length ? `${kept}${open > 0 ? ')' : ''}…` : kept;
}
