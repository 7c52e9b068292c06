import type { Logger } from '../../observability/logger.ts';
import { ExtractiveSummarizer } from '../extractive.ts';
import type { Summarizer } from '../summarizer.ts';
import type { TokenBudget } from './budget.ts';
import type { SummarizerSettings } from './settings.ts';

export interface SummarizerDeps {
  /** Per-server daily token budget; absent in the CLI. */
  budget?: TokenBudget;
  logger?: Logger;
}

/**
 * The configured summarizer: the chain's LLMs in order, ending in the extractive summarizer; with no LLM
 * configured, the extractive summarizer itself. Built once per process. The AI SDK is loaded only when an
 * LLM is configured, so the default deployment's executor does not pay its start-up cost.
 */
export async function createSummarizer(
  settings: SummarizerSettings,
  deps: SummarizerDeps = {},
): Promise<Summarizer> {
  const extractive = new ExtractiveSummarizer();
  if (settings.llms.length === 0) return extractive;
  const { buildLlmChain } = await import('./llm-chain.ts');
  return buildLlmChain(settings, extractive, deps);
}

export { GuildTokenBudget, type TokenBudget, type TokenUsageStore, usageDay } from './budget.ts';
export * from './settings.ts';
