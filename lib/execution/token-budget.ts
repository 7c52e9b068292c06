import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { GuildTokenBudget, type TokenUsageStore } from '../summarization/llm/budget.ts';

/**
 * The per-server daily token budget both runtimes give the summarizer chain: the server's own limit
 * (`/config llm-budget`) when it set one, else the deployer's default (`LLM_DAILY_TOKEN_BUDGET`).
 * Scheduled runs and `/summarize` spend from the same count.
 */
export function serverTokenBudget(options: {
  store: Pick<TaskStore, 'getGuildConfig'>;
  usage: TokenUsageStore;
  defaultLimit: number;
  clock: Clock;
}): GuildTokenBudget {
  const { store, usage, defaultLimit, clock } = options;
  return new GuildTokenBudget({
    usage,
    limitOf: async (guildId) => (await store.getGuildConfig(guildId))?.llmDailyTokenBudget,
    defaultLimit,
    now: () => clock.now(),
  });
}
