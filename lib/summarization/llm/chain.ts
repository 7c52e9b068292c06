import type { Logger } from '../../observability/logger.ts';
import type {
  NormalizedMessage,
  SummarizeOptions,
  Summarizer,
  Summary,
  SummaryUsage,
} from '../summarizer.ts';
import type { TokenBudget } from './budget.ts';
import { LlmFailure, type TokenCounts } from './failures.ts';
import type { LlmSummarizer } from './llm-summarizer.ts';

export interface SummarizerChainOptions {
  /** Tried in order. */
  llms: LlmSummarizer[];
  /** Ends the chain and never fails: the built-in extractive summarizer. */
  last: Summarizer;
  /** Without it (the CLI) no budget applies. */
  budget?: TokenBudget;
  logger?: Logger;
}

/**
 * Runs the LLMs of the chain in order and ends with the extractive summarizer, so a summary is always made.
 * Before the first call it asks the server's budget what is left; every failure becomes a plain-words note
 * in the footer of the summary that was made instead, and the tokens spent are recorded either way.
 */
export class SummarizerChain implements Summarizer {
  readonly name: string;
  private readonly options: SummarizerChainOptions;

  constructor(options: SummarizerChainOptions) {
    this.options = options;
    this.name = options.llms[0]?.name ?? options.last.name;
  }

  async summarize(messages: NormalizedMessage[], options: SummarizeOptions): Promise<Summary> {
    const { llms, last, budget, logger } = this.options;
    if (messages.length === 0 || llms.length === 0) return last.summarize(messages, options);
    const notes: string[] = [];
    const spent: { llm: LlmSummarizer; counts: TokenCounts }[] = [];
    let allowance = Number.POSITIVE_INFINITY;
    if (budget && options.guildId) {
      try {
        allowance = await budget.remaining(options.guildId);
      } catch (error) {
        // Fail closed: spending without knowing the budget is what the budget exists to prevent.
        logger?.error('could not read the token budget; using the fallback summarizer', { error });
        allowance = 0;
        notes.push("This server's AI token budget could not be checked");
      }
    }
    let summary: Summary | undefined;
    for (const llm of llms) {
      if (allowance - total(spent) <= 0) {
        if (notes.length === 0) notes.push(capitalize(new LlmFailure('budget').message));
        break;
      }
      try {
        summary = await llm.summarize(messages, options, allowance - total(spent));
        if (summary.usage) spent.push({ llm, counts: summary.usage });
        break;
      } catch (error) {
        const failure = error instanceof LlmFailure ? error : new LlmFailure('unexpected', { cause: error });
        spent.push({ llm, counts: failure.spent });
        logger?.warn('LLM summarizer failed; trying the next summarizer', {
          provider: llm.name,
          kind: failure.kind,
        });
        notes.push(
          capitalize(
            failure.kind === 'budget'
              ? failure.message
              : `${llm.label} could not be used: ${failure.message}`,
          ),
        );
        if (failure.kind === 'budget') break;
      }
    }
    await this.record(options.guildId, spent);
    const usage = combinedUsage(spent);
    if (summary && notes.length === 0) return { ...summary, ...(usage ? { usage } : {}) };
    const made = summary ?? (await last.summarize(messages, options));
    const by = summary
      ? (summary.footer ?? '')
      : 'This summary was made by the built-in extractive summarizer.';
    return {
      ...made,
      footer: `${notes.join('. ')}. ${by}`.trim(),
      ...(usage ? { usage } : {}),
    };
  }

  private async record(
    guildId: string | undefined,
    spent: { llm: LlmSummarizer; counts: TokenCounts }[],
  ): Promise<void> {
    const { budget, logger } = this.options;
    const tokens = total(spent);
    if (!budget || !guildId || tokens === 0) return;
    try {
      await budget.spend(guildId, tokens);
    } catch (error) {
      // The summary exists; losing one count must not lose the run. Logged for the operator.
      logger?.error('could not record LLM token usage', { guildId, tokens, error });
    }
  }
}

function total(spent: { counts: TokenCounts }[]): number {
  return spent.reduce((sum, s) => sum + s.counts.inputTokens + s.counts.outputTokens, 0);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Usage of every LLM tried, summed; the cost only when every one of them has a known price. */
function combinedUsage(spent: { llm: LlmSummarizer; counts: TokenCounts }[]): SummaryUsage | undefined {
  const used = spent.filter((s) => s.counts.inputTokens + s.counts.outputTokens > 0);
  if (used.length === 0) return undefined;
  const parts = used.map((s) => s.llm.usage(s.counts));
  const usage: SummaryUsage = {
    model: parts.map((p) => p.model).join(', '),
    inputTokens: parts.reduce((sum, p) => sum + p.inputTokens, 0),
    outputTokens: parts.reduce((sum, p) => sum + p.outputTokens, 0),
  };
  if (parts.every((p) => p.estimatedCostUsd !== undefined)) {
    usage.estimatedCostUsd =
      Math.round(parts.reduce((sum, p) => sum + (p.estimatedCostUsd ?? 0), 0) * 1_000_000) / 1_000_000;
  }
  return usage;
}
