import * as z from 'zod';

/**
 * A server's style note for LLM summaries (`/config summary-style`): a preference such as "short bullet
 * points, a friendly tone, say who decided what". 300 characters hold two or three such sentences and keep
 * the note a small part of the prompt beside the conversation.
 */
export const SUMMARY_STYLE_MAX = 300;

// Control characters (line breaks included: one line cannot fake a new section of the prompt), line and
// paragraph separators, and bidirectional marks that make a text read differently from what it is.
const UNSAFE_CHARACTER = /[\p{Cc}\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// Discord mentions (<@1>, <@&1>, <#1>, @everyone, @here): summaries never ping, and a note needs no one.
const MENTION = /<[@#][!&]?\d+>|@(?:everyone|here)\b/i;
// Links: the bot builds every link of a digest itself, so a note must not ask the model for one.
const LINK = /\b(?:https?:\/\/|www\.)|\bdiscord(?:\.gg|app\.com\/invite|\.com\/invite)\//i;

/** Why a style note is refused, in words for the reply; undefined when it is fine. */
export function summaryStyleProblem(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return 'expected a few words on how summaries should read';
  if (trimmed.length > SUMMARY_STYLE_MAX)
    return `expected at most ${SUMMARY_STYLE_MAX} characters (this is ${trimmed.length})`;
  if (UNSAFE_CHARACTER.test(trimmed))
    return 'expected one line of text, without control characters, line breaks or bidirectional marks';
  if (MENTION.test(trimmed)) return 'expected no mentions (@member, @role, #channel, @everyone)';
  if (LINK.test(trimmed)) return 'expected no links: the bot adds the links to the messages itself';
  return undefined;
}

/** A style note as stored: one trimmed line of at most 300 characters, no mentions, no links. */
export const SummaryStyle = z
  .string()
  .trim()
  .superRefine((text, ctx) => {
    const problem = summaryStyleProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
