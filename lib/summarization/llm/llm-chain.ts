import type { Logger } from '../../observability/logger.ts';
import type { Summarizer } from '../summarizer.ts';
import type { TokenBudget } from './budget.ts';
import { SummarizerChain } from './chain.ts';
import { LlmSummarizer } from './llm-summarizer.ts';
import type { SummarizerSettings } from './settings.ts';

/** The chain's LLMs in order, ending in `last`. Loaded only when an LLM is configured (see index.ts). */
export function buildLlmChain(
  settings: SummarizerSettings,
  last: Summarizer,
  deps: { budget?: TokenBudget; logger?: Logger },
): Summarizer {
  routeProviderWarnings(deps.logger);
  const llms = settings.llms.map(
    (spec) =>
      new LlmSummarizer({
        spec,
        timeoutMs: settings.timeoutMs,
        ...(deps.logger ? { logger: deps.logger } : {}),
      }),
  );
  return new SummarizerChain({
    llms,
    last,
    ...(deps.budget ? { budget: deps.budget } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}

/**
 * The AI SDK prints provider warnings (an unsupported setting, say) to the console unless this global says
 * otherwise: they go to the logger instead, or nowhere without one.
 */
function routeProviderWarnings(logger: Logger | undefined): void {
  const target = globalThis as { AI_SDK_LOG_WARNINGS?: false | ((options: unknown) => void) };
  target.AI_SDK_LOG_WARNINGS = logger
    ? (options) => {
        const { warnings, provider, model } = options as {
          warnings: unknown;
          provider: string;
          model: string;
        };
        logger.warn('model provider warning', { provider, model, warnings });
      }
    : false;
}
