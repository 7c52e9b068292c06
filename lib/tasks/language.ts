import * as z from 'zod';

const displayNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * The canonical BCP 47 tag of a language people write in (`de`, `pt-BR`, Discord's locales), or undefined
 * when the tag is malformed or names no known language.
 */
export function canonicalLanguage(tag: string): string | undefined {
  if (tag.length > 35) return undefined;
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(tag.trim())[0];
  } catch {
    // RangeError: not a well-formed tag; the caller reports it.
    return undefined;
  }
  if (!canonical) return undefined;
  return displayNames.of(canonical) ? canonical : undefined;
}

/** A summary language: a BCP 47 tag such as `de`, `fr` or `pt-BR`, stored canonically. */
export const LanguageTag = z.string().transform((tag, ctx) => {
  const canonical = canonicalLanguage(tag);
  if (!canonical) {
    ctx.addIssue({ code: 'custom', message: 'expected a language tag such as en, de, fr or pt-BR' });
    return z.NEVER;
  }
  return canonical;
});
