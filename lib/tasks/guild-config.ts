import * as z from 'zod';
import { IsoInstant, Snowflake } from './fields.ts';
import { LanguageTag } from './language.ts';
import { SummaryStyle } from './summary-style.ts';
import { MAX_CHANNELS_PER_TASK } from './task-source.ts';
import { TimeZone } from './time-zone.ts';

/** Tokens a server may spend on LLM summaries per UTC day; 0 turns them off for the server. */
export const DailyTokenBudget = z
  .number()
  .int('expected a whole number of tokens')
  .min(0, 'expected 0 or more tokens')
  .max(1_000_000_000, 'expected at most 1,000,000,000 tokens');

/** Per-server defaults, stored beside the guild's tasks. */
export const GuildConfig = z.object({
  guildId: Snowflake,
  timeZone: TimeZone.optional(),
  notifyChannelId: Snowflake.optional(),
  managerRoleId: Snowflake.optional(),
  /** The server's own daily LLM token budget (`/config llm-budget`); the deployment's default otherwise. */
  llmDailyTokenBudget: DailyTokenBudget.optional(),
  /** The server's language (Discord's `guild_locale`, kept from its interactions): what LLM summaries are written in. */
  language: LanguageTag.optional(),
  /** The server's style note for LLM summaries (`/config summary-style`): a preference, never instructions. */
  summaryStyle: SummaryStyle.optional(),
  /** How many channels a category or whole-server task reads a run (`/config channel-limit`). */
  maxChannelsPerTask: z.number().int().min(1).max(MAX_CHANNELS_PER_TASK).optional(),
  updatedAt: IsoInstant,
  version: z.number().int().min(1),
});
export type GuildConfig = z.infer<typeof GuildConfig>;

/** Changes to a server's defaults: a value sets it, `null` clears it, an absent key keeps it. */
export const GuildConfigChanges = z
  .strictObject({
    timeZone: TimeZone,
    notifyChannelId: Snowflake.nullable(),
    managerRoleId: Snowflake.nullable(),
    llmDailyTokenBudget: DailyTokenBudget.nullable(),
    language: LanguageTag.nullable(),
    summaryStyle: SummaryStyle.nullable(),
    maxChannelsPerTask: z.number().int().min(1).max(MAX_CHANNELS_PER_TASK).nullable(),
  })
  .partial();
export type GuildConfigChanges = z.input<typeof GuildConfigChanges>;
