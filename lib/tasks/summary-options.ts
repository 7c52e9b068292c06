import * as z from 'zod';
import { Snowflake } from './fields.ts';
import { LanguageTag } from './language.ts';

/** How a summary task reads and writes: its window, its length and focus, whose messages count. */

export const SummaryLength = z.enum(['brief', 'detailed', 'comprehensive']);
export type SummaryLength = z.infer<typeof SummaryLength>;
export const SummaryFocus = z.enum([
  'general',
  'developer',
  'executive',
  'support',
  'moderation',
  'community',
]);
export type SummaryFocus = z.infer<typeof SummaryFocus>;

/** How far back a run reads: since the last successful run (per-channel cursor) or a fixed window. */
export const Lookback = z.discriminatedUnion('mode', [
  // The first run (no cursor yet) reads `initialHours`.
  z.object({ mode: z.literal('since_last_run'), initialHours: z.number().int().min(1).max(720).default(24) }),
  z.object({ mode: z.literal('fixed'), hours: z.number().int().min(1).max(720) }),
]);
export type Lookback = z.infer<typeof Lookback>;

/** A summary task's options, each with its default. */
export const SummaryOptions = z.object({
  lookback: Lookback.default({ mode: 'since_last_run', initialHours: 24 }),
  /** A run with fewer messages is skipped, not failed. */
  minMessages: z.number().int().min(0).max(10_000).default(1),
  maxMessages: z.number().int().min(1).max(50_000).default(1_000),
  length: SummaryLength.default('detailed'),
  focus: SummaryFocus.default('general'),
  includeBots: z.boolean().default(false),
  includeThreads: z.boolean().default(true),
  excludedUserIds: z.array(Snowflake).max(100).default([]),
  /** Post a short "quiet period" note instead of nothing when a run is skipped. */
  postWhenQuiet: z.boolean().default(false),
  /** The language an LLM writes this task's summaries in; the server's language when absent. */
  language: LanguageTag.optional(),
  /**
   * The creator's explicit `include_private:true`: sources not every member can read may still go to this
   * task's webhook, e-mail and file destinations, whose readers Discord does not know. Discord destinations
   * keep the audience rule either way.
   */
  includePrivate: z.boolean().default(false),
});
export type SummaryOptions = z.infer<typeof SummaryOptions>;
