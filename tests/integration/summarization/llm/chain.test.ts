import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../lib/config.ts';
import { DynamoTokenUsageStore } from '../../../../lib/dynamo/dynamo-token-usage-store.ts';
import { MemoryLogger } from '../../../../lib/observability/logger.ts';
import {
  createSummarizer,
  GuildTokenBudget,
  resolveSummarizerSettings,
  SummarizerEnv,
  type TokenUsageStore,
} from '../../../../lib/summarization/llm/index.ts';
import { conversation } from '../../../support/conversation.ts';
import { useEmbeddedStore } from '../../../support/embedded-dynamo.ts';
import { type LlmStandIn, startLlmStandIn } from '../../../support/llm-stand-in.ts';

let standIn: LlmStandIn;
beforeAll(async () => {
  standIn = await startLlmStandIn();
});
afterAll(() => standIn.close());
afterEach(() => {
  standIn.requests.length = 0;
});

const GUILD = '111111111111111111';
const NOW = new Date('2026-03-01T12:00:00Z');

async function fromEnv(env: Record<string, string>, budget?: GuildTokenBudget) {
  const logger = new MemoryLogger();
  const summarizer = await createSummarizer(resolveSummarizerSettings(parseEnv(SummarizerEnv, env)), {
    logger,
    ...(budget ? { budget } : {}),
  });
  return { summarizer, logger };
}

const local = () => ({
  SUMMARIZER: 'openai-compatible',
  SUMMARIZER_MODEL: 'llama3.1',
  SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
});

describe('the fallback chain', () => {
  it('tries SUMMARIZER_FALLBACK in order and says why the first one was skipped', async () => {
    const { summarizer } = await fromEnv({
      SUMMARIZER: 'anthropic',
      SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-rejected-key-000000000000',
      SUMMARIZER_FALLBACK: `openai-compatible=llama3.1@${standIn.origin}/v1, extractive`,
    });
    standIn.script({ status: 401, type: 'authentication_error', message: 'invalid x-api-key' });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });

    expect(standIn.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/chat/completions']);
    expect(standIn.requests[1]?.body.model).toBe('llama3.1');
    expect(summary.footer).toBe(
      'Anthropic (claude-haiku-4-5) could not be used: the API key was rejected. Summarized by the OpenAI-compatible server (llama3.1)',
    );
    expect(summary.usage?.model).toBe('openai-compatible/llama3.1');
    expect(summary.decisions[0]?.sources).toHaveLength(1);
  });

  it('ends in the extractive summarizer when every LLM fails', async () => {
    const { summarizer } = await fromEnv({
      ...local(),
      SUMMARIZER_FALLBACK: `openai-compatible=qwen2.5@${standIn.origin}/v1`,
    });
    const down = {
      status: 400,
      type: 'invalid_request_error',
      message: 'model "x" not found, try pulling it first',
    };
    standIn.script(down, down);
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(summary.footer).toBe(
      'The OpenAI-compatible server (llama3.1) could not be used: the model was not found (it may have been retired). ' +
        'The OpenAI-compatible server (qwen2.5) could not be used: the model was not found (it may have been retired). ' +
        'This summary was made by the built-in extractive summarizer.',
    );
    expect([...summary.keyPoints, ...summary.decisions, ...summary.actionItems].length).toBeGreaterThan(0);
  });
});

describe('the daily token budget', () => {
  const db = useEmbeddedStore();
  const budgetOf = (limit: number | undefined, usage?: TokenUsageStore) =>
    new GuildTokenBudget({
      usage: usage ?? new DynamoTokenUsageStore({ client: db.documentClient, tableName: db.tableName }),
      limitOf: async () => limit,
      defaultLimit: 5_000,
      now: () => NOW,
    });

  it('records what each summary spent, failed attempts included', async () => {
    const usage = new DynamoTokenUsageStore({ client: db.documentClient, tableName: db.tableName });
    const { summarizer } = await fromEnv(local(), budgetOf(undefined, usage));
    standIn.script(
      { status: 400, type: 'invalid_request_error', message: 'bad' },
      {
        answer: 'not json at all',
        usage: { input: 300, output: 20 },
      },
    );
    await summarizer.summarize(conversation(), { length: 'brief', guildId: GUILD });
    await summarizer.summarize(conversation(), { length: 'brief', guildId: GUILD });
    // The second run's bad answer (320) and its repair (the stand-in's default: 120 + 40) both count.
    expect(await usage.tokensUsed(GUILD, '2026-03-01')).toBe(480);
    expect(await usage.tokensUsed(GUILD, '2026-03-02')).toBe(0);
  });

  it('is checked before a call: over budget, no request is sent and the footer says so', async () => {
    const usage = new DynamoTokenUsageStore({ client: db.documentClient, tableName: db.tableName });
    await usage.addTokensUsed(GUILD, '2026-03-01', 4_990);
    const { summarizer } = await fromEnv(local(), budgetOf(undefined, usage));
    const summary = await summarizer.summarize(conversation(), { length: 'brief', guildId: GUILD });
    expect(standIn.requests).toHaveLength(0);
    expect(summary.footer).toBe(
      "This server's daily AI token budget is used up. This summary was made by the built-in extractive summarizer.",
    );
    expect(summary.usage).toBeUndefined();
    // Another server has its own budget.
    await summarizer.summarize(conversation(), { length: 'brief', guildId: '222222222222222222' });
    expect(standIn.requests).toHaveLength(1);
  });

  it("uses the server's own limit over the default; 0 turns LLM summaries off for it", async () => {
    const { summarizer } = await fromEnv(local(), budgetOf(0));
    const summary = await summarizer.summarize(conversation(), { length: 'brief', guildId: GUILD });
    expect(standIn.requests).toHaveLength(0);
    expect(summary.footer).toContain('daily AI token budget is used up');
  });

  it('fails closed when the count cannot be read', async () => {
    const broken = new DynamoTokenUsageStore({ client: db.documentClient, tableName: 'no-such-table' });
    const { summarizer, logger } = await fromEnv(local(), budgetOf(undefined, broken));
    const summary = await summarizer.summarize(conversation(), { length: 'brief', guildId: GUILD });
    expect(standIn.requests).toHaveLength(0);
    expect(summary.footer).toBe(
      "This server's AI token budget could not be checked. This summary was made by the built-in extractive summarizer.",
    );
    expect(logger.lines.some((l) => l.level === 'error')).toBe(true);
  });

  it('the CLI (no server) has no budget', async () => {
    const { summarizer } = await fromEnv(local(), budgetOf(0));
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(1);
    expect(summary.footer).toBe('Summarized by the OpenAI-compatible server (llama3.1)');
  });
});
