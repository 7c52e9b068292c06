import type { RunUsage } from './run-record.ts';

const count = new Intl.NumberFormat('en-US');

/**
 * A run's LLM usage in words for `/schedule status`, the status page and the CLI:
 * `1,500 tokens (1,200 in, 300 out), about $0.0027`. Without a known price the cost is left out rather
 * than shown as zero.
 */
export function usageWords(usage: RunUsage): string {
  const total = usage.inputTokens + usage.outputTokens;
  const tokens = `${count.format(total)} token${total === 1 ? '' : 's'} (${count.format(usage.inputTokens)} in, ${count.format(usage.outputTokens)} out)`;
  return usage.estimatedCostUsd === undefined
    ? tokens
    : `${tokens}, about ${costWords(usage.estimatedCostUsd)}`;
}

/** USD with the precision a small amount needs: `$0.0027`, `$1.25`. */
export function costWords(usd: number): string {
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toPrecision(2).replace(/0+$/, '')}` : `$${usd.toFixed(2)}`;
}
