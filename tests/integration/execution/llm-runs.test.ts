/**
 * Runs with an LLM summarizer: the executor on the embedded store and the Discord stand-in, the summarizer
 * chain built from the environment as the runtimes build it, pointed at the loopback LLM stand-in, and the
 * per-server daily token budget on the same table.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../lib/config.ts';
import { DynamoTokenUsageStore } from '../../../lib/dynamo/dynamo-token-usage-store.ts';
import { serverTokenBudget } from '../../../lib/execution/token-budget.ts';
import {
  createSummarizer,
  resolveSummarizerSettings,
  SummarizerEnv,
  usageDay,
} from '../../../lib/summarization/llm/index.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import {
  ADMIN,
  DIGEST,
  GENERAL,
  GUILD,
  type Harness,
  seedConversation,
  startHarness,
  summaryTask,
} from '../../support/executor-harness.ts';
import { type LlmStandIn, startLlmStandIn } from '../../support/llm-stand-in.ts';

const SCHEDULED = '2026-11-27T08:00:00.000Z';
const NOW = new Date('2026-11-27T08:00:20.000Z');
const scheduled = (scheduledTime = SCHEDULED) => ({
  type: 'scheduled' as const,
  taskId: 'task0000001',
  guildId: GUILD,
  scheduledTime,
  executionId: `exec-${scheduledTime}`,
  attempt: 1,
});

let llm: LlmStandIn;
beforeAll(async () => {
  llm = await startLlmStandIn();
});
afterAll(() => llm.close());

describe('runs with an LLM summarizer', () => {
  const db = useEmbeddedStore();
  let h: Harness;
  let usage: DynamoTokenUsageStore;

  async function start(env: Record<string, string> = {}) {
    usage = new DynamoTokenUsageStore({ client: db.documentClient, tableName: db.tableName });
    const settings = resolveSummarizerSettings(
      parseEnv(SummarizerEnv, {
        SUMMARIZER: 'openai-compatible',
        SUMMARIZER_MODEL: 'llama3.1',
        SUMMARIZER_BASE_URL: `${llm.origin}/v1`,
        ...env,
      }),
    );
    h = await startHarness(() => db.store, NOW, {
      summarizer: (clock) =>
        createSummarizer(settings, {
          budget: serverTokenBudget({
            store: db.store,
            usage,
            defaultLimit: settings.defaultDailyTokenBudget,
            clock,
          }),
        }),
    });
    seedConversation(h.standIn, GENERAL, new Date(SCHEDULED));
    await db.store.createTask(summaryTask());
  }

  beforeEach(() => {
    llm.requests.length = 0;
  });
  afterEach(() => h?.close());

  it('records the tokens and the estimated cost on the run record and counts them for the server', async () => {
    await start({ SUMMARIZER_PRICE: '1/5' });
    llm.script({
      answer: {
        title: 'ARM builds',
        overview: 'The team moved the ARM builds to larger runners.',
        keyPoints: [{ text: 'ARM builds move to the large runners.', sources: ['m3'] }],
        decisions: [],
        actionItems: [],
        openQuestions: [],
      },
      usage: { input: 1_200, output: 300 },
    });

    const outcome = await h.executor.execute(scheduled());

    expect(outcome.status).toBe('succeeded');
    expect(llm.requests).toHaveLength(1);
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.usage).toEqual({
      model: 'openai-compatible/llama3.1',
      inputTokens: 1_200,
      outputTokens: 300,
      estimatedCostUsd: 0.0027,
    });
    expect(await usage.tokensUsed(GUILD, usageDay(NOW))).toBe(1_500);
    const posted = JSON.stringify(h.standIn.postedMessages(DIGEST));
    expect(posted).toContain('ARM builds move to the large runners.');
    expect(posted).toContain('Summarized by the OpenAI-compatible server (llama3.1)');
  });

  it("uses the fallback without calling the model once the server's own budget is spent, and says so", async () => {
    await start();
    await db.store.putGuildConfig(
      { guildId: GUILD, llmDailyTokenBudget: 1_000, updatedAt: NOW.toISOString(), version: 1 },
      0,
    );
    await usage.addTokensUsed(GUILD, usageDay(NOW), 1_000);

    const outcome = await h.executor.execute(scheduled());

    expect(outcome.status).toBe('succeeded');
    expect(llm.requests).toHaveLength(0);
    const run = await db.store.getRun('task0000001', SCHEDULED);
    expect(run?.usage).toBeUndefined();
    expect(JSON.stringify(h.standIn.postedMessages(DIGEST))).toContain(
      "This server's daily AI token budget is used up. This summary was made by the built-in extractive summarizer.",
    );
  });

  it('lets /summarize spend from the same budget, so the next scheduled run falls back', async () => {
    await start();
    const outcome = await h.executor.execute({
      type: 'adhoc',
      guildId: GUILD,
      channelIds: [GENERAL],
      requestedBy: ADMIN,
      requestedAt: NOW.toISOString(),
      window: { hours: 24 },
      length: 'brief',
      focus: 'general',
      maxMessages: 2000,
      ephemeral: true,
      reply: { applicationId: h.standIn.applicationId, token: 'summarize-token' },
    });
    expect(outcome).toEqual({ status: 'adhoc', messages: 10 });
    expect(llm.requests).toHaveLength(1);
    // The stand-in's default answer reports 120 input and 40 output tokens.
    const spent = await usage.tokensUsed(GUILD, usageDay(NOW));
    expect(spent).toBe(160);

    // The server's budget is exactly what /summarize spent: the scheduled run may not call the model.
    await db.store.putGuildConfig(
      { guildId: GUILD, llmDailyTokenBudget: spent, updatedAt: NOW.toISOString(), version: 1 },
      0,
    );
    await h.executor.execute(scheduled());
    expect(llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.standIn.postedMessages(DIGEST))).toContain(
      "This server's daily AI token budget is used up.",
    );
  });

  it("writes in the task's language, else the server's, else the messages' own", async () => {
    await start();
    await db.store.putGuildConfig(
      { guildId: GUILD, language: 'de', updatedAt: NOW.toISOString(), version: 1 },
      0,
    );
    await h.executor.execute(scheduled());
    expect(llm.requests[0]?.system).toContain('in German (de)');

    const task = (await db.store.getTask(GUILD, 'task0000001'))!;
    if (task.kind !== 'summary') throw new Error('expected a summary task');
    await db.store.updateTask({ ...task, options: { ...task.options, language: 'fr' } }, task.version);
    const next = '2026-11-28T08:00:00.000Z';
    seedConversation(h.standIn, GENERAL, new Date(next));
    await h.executor.execute(scheduled(next));
    expect(llm.requests[1]?.system).toContain('in French (fr)');
  });

  it("passes the server's style note to the model, quoted in its delimited block (#18)", async () => {
    await start();
    await db.store.putGuildConfig(
      {
        guildId: GUILD,
        summaryStyle: 'Short bullet points, a friendly tone.',
        updatedAt: NOW.toISOString(),
        version: 1,
      },
      0,
    );
    expect((await h.executor.execute(scheduled())).status).toBe('succeeded');
    expect(llm.requests[0]?.system).toContain(
      '<style_preference>"Short bullet points, a friendly tone."</style_preference>',
    );
    // /summarize in the same server takes the same note.
    await h.executor.execute({
      type: 'adhoc',
      guildId: GUILD,
      channelIds: [GENERAL],
      requestedBy: ADMIN,
      requestedAt: NOW.toISOString(),
      window: { hours: 24 },
      length: 'brief',
      focus: 'general',
      maxMessages: 2000,
      ephemeral: true,
      reply: { applicationId: h.standIn.applicationId, token: 'style-token' },
    });
    expect(llm.requests).toHaveLength(2);
    expect(llm.requests[1]?.system).toContain(
      '<style_preference>"Short bullet points, a friendly tone."</style_preference>',
    );
  });

  it('leaves the language to the messages when neither the task nor the server has one', async () => {
    await start();
    await h.executor.execute(scheduled());
    expect(llm.requests[0]?.system).toContain(
      'Write in the language most of the conversation is written in.',
    );
  });

  it('gives each server a new budget on the next UTC day', async () => {
    await start({ LLM_DAILY_TOKEN_BUDGET: '5000' });
    await usage.addTokensUsed(GUILD, usageDay(NOW), 5_000);
    await h.executor.execute(scheduled());
    expect(llm.requests).toHaveLength(0);

    const tomorrow = '2026-11-28T08:00:00.000Z';
    h.clock.current = new Date('2026-11-28T08:00:20.000Z');
    seedConversation(h.standIn, GENERAL, new Date(tomorrow));
    await h.executor.execute(scheduled(tomorrow));
    expect(llm.requests).toHaveLength(1);
    expect((await db.store.getRun('task0000001', tomorrow))?.usage?.inputTokens).toBe(120);
  });
});
