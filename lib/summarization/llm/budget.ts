/**
 * The per-server daily token budget of LLM summaries. No AI SDK import: the interactions function shows
 * the budget in `/config show` and must stay small.
 */

/** Stores the tokens each server spent per UTC day (DynamoDB beside the server's tasks). */
export interface TokenUsageStore {
  /** Tokens the server spent on `day` (`YYYY-MM-DD`, UTC); 0 when none. */
  tokensUsed(guildId: string, day: string): Promise<number>;
  /** Adds `tokens` to the server's count for `day`; returns the new count. */
  addTokensUsed(guildId: string, day: string, tokens: number): Promise<number>;
}

/** What the summarizer chain asks before calling an LLM, and tells after. */
export interface TokenBudget {
  /** Tokens the server may still spend today; 0 or less means none. */
  remaining(guildId: string): Promise<number>;
  /** Records tokens spent (failed calls included: the provider bills them). */
  spend(guildId: string, tokens: number): Promise<void>;
}

/** The UTC day of an instant, as usage is keyed: `2026-03-01`. */
export function usageDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export interface GuildTokenBudgetOptions {
  usage: TokenUsageStore;
  /** The server's own daily limit (`/config llm-budget`), or undefined for the deployment's default. */
  limitOf: (guildId: string) => Promise<number | undefined>;
  defaultLimit: number;
  now: () => Date;
}

/** Daily budget per server: its own limit if set, else the deployer's default; resets at 00:00 UTC. */
export class GuildTokenBudget implements TokenBudget {
  constructor(private readonly options: GuildTokenBudgetOptions) {}

  /** The limit that applies to the server today. */
  async limit(guildId: string): Promise<number> {
    return (await this.options.limitOf(guildId)) ?? this.options.defaultLimit;
  }

  async remaining(guildId: string): Promise<number> {
    const [limit, used] = await Promise.all([
      this.limit(guildId),
      this.options.usage.tokensUsed(guildId, usageDay(this.options.now())),
    ]);
    return limit - used;
  }

  async spend(guildId: string, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    await this.options.usage.addTokensUsed(guildId, usageDay(this.options.now()), tokens);
  }
}
