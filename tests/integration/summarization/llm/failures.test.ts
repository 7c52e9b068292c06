import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../../../lib/config.ts';
import { MemoryLogger } from '../../../../lib/observability/logger.ts';
import { ExtractiveSummarizer } from '../../../../lib/summarization/extractive.ts';
import { SummarizerChain } from '../../../../lib/summarization/llm/chain.ts';
import { resolveSummarizerSettings, SummarizerEnv } from '../../../../lib/summarization/llm/index.ts';
import { LlmSummarizer } from '../../../../lib/summarization/llm/llm-summarizer.ts';
import { conversation } from '../../../support/conversation.ts';
import { citingAnswer, documentOf, type LlmStandIn, startLlmStandIn } from '../../../support/llm-stand-in.ts';

let standIn: LlmStandIn;
beforeAll(async () => {
  standIn = await startLlmStandIn();
});
afterAll(() => standIn.close());
afterEach(() => {
  standIn.requests.length = 0;
});

const KEY = 'sk-ant-api03-failure-test-key-abcdefghijkl';
const EXTRACTIVE = 'This summary was made by the built-in extractive summarizer.';

/** A chain of one Anthropic LLM (or an OpenAI-compatible one) ending in the extractive summarizer. */
function chain(
  options: { provider?: 'anthropic' | 'openai-compatible'; timeoutMs?: number; maxChunkChars?: number } = {},
) {
  const provider = options.provider ?? 'anthropic';
  const env =
    provider === 'anthropic'
      ? { SUMMARIZER: 'anthropic', SUMMARIZER_BASE_URL: `${standIn.origin}/v1`, ANTHROPIC_API_KEY: KEY }
      : {
          SUMMARIZER: 'openai-compatible',
          SUMMARIZER_MODEL: 'qwen2.5',
          SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
          OPENAI_API_KEY: KEY,
        };
  const [spec] = resolveSummarizerSettings(parseEnv(SummarizerEnv, env)).llms;
  if (!spec) throw new Error('no spec');
  const sleeps: number[] = [];
  const logger = new MemoryLogger();
  const llm = new LlmSummarizer({
    spec,
    timeoutMs: options.timeoutMs ?? 10_000,
    logger,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...(options.maxChunkChars ? { maxChunkChars: options.maxChunkChars } : {}),
  });
  return {
    summarizer: new SummarizerChain({ llms: [llm], last: new ExtractiveSummarizer(), logger }),
    sleeps,
    logger,
  };
}

/** Whatever failed, the footer says so in plain words: never the provider's message, never the key. */
function expectPlainFooter(footer: string | undefined, reason: string, providerMessage: string) {
  expect(footer).toBe(`Anthropic (claude-haiku-4-5) could not be used: ${reason}. ${EXTRACTIVE}`);
  expect(footer).not.toContain(providerMessage);
  expect(footer).not.toContain(KEY);
}

describe('LLM failures end in the next summarizer with a plain-words footer', () => {
  it('a 429 waits what retry-after asks, then succeeds', async () => {
    const { summarizer, sleeps } = chain();
    standIn.script(
      {
        status: 429,
        type: 'rate_limit_error',
        message: 'Number of requests has exceeded your rate limit',
        headers: { 'retry-after': '7' },
      },
      { status: 429, type: 'rate_limit_error', message: 'slow down', headers: { 'retry-after-ms': '1500' } },
    );
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(sleeps).toEqual([7_000, 1_500]);
    expect(standIn.requests).toHaveLength(3);
    expect(summary.footer).toBe('Summarized by Anthropic (claude-haiku-4-5)');
  });

  it('a 429 asking for longer than the cap gives up at once', async () => {
    const { summarizer, sleeps } = chain();
    const message = 'Your organization is over its token rate limit of 50000';
    standIn.script({ status: 429, type: 'rate_limit_error', message, headers: { 'retry-after': '600' } });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(sleeps).toEqual([]);
    expect(standIn.requests).toHaveLength(1);
    expectPlainFooter(summary.footer, "the provider's rate limit was reached", message);
    expect([...summary.keyPoints, ...summary.decisions, ...summary.actionItems].length).toBeGreaterThan(0);
  });

  it('5xx answers are retried with backoff, four attempts in all', async () => {
    const { summarizer, sleeps } = chain();
    const message = 'Overloaded: internal cluster eu-7 at capacity';
    const overloaded = { status: 529, type: 'overloaded_error', message };
    standIn.script(overloaded, { ...overloaded, status: 500 }, { ...overloaded, status: 503 }, overloaded);
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(4);
    expect(sleeps).toEqual([375, 750, 1_500]);
    expectPlainFooter(summary.footer, 'the service stayed unavailable', message);
  });

  it('a timeout ends the attempt', async () => {
    const { summarizer } = chain({ timeoutMs: 300 });
    standIn.script({ hang: true });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(1);
    expectPlainFooter(summary.footer, 'the request timed out', 'timeout');
  });

  it('a context-length error shrinks the parts and retries once', async () => {
    const { summarizer } = chain({ maxChunkChars: 100_000 });
    const tooLong = {
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long: 212345 tokens > 200000 maximum',
    };
    standIn.script(tooLong);
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    // One whole-window call refused, then the window in halves and one merge.
    expect(standIn.requests.length).toBe(4);
    expect(documentOf(standIn.requests[1]!).messages.length).toBeLessThan(conversation().length);
    expect(standIn.requests[1]!.system).toContain('This is part 1 of 2');
    expect(documentOf(standIn.requests[3]!).parts).toHaveLength(2);
    expect(summary.footer).toBe('Summarized by Anthropic (claude-haiku-4-5)');
    expect(summary.keyPoints[0]?.sources.length).toBeGreaterThan(0);
  });

  it('a context-length error that persists after shrinking falls back', async () => {
    const { summarizer } = chain();
    const tooLong = {
      status: 400,
      type: 'invalid_request_error',
      message: 'prompt is too long: 9 tokens > 1 maximum',
    };
    standIn.script(tooLong, tooLong);
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(2);
    expectPlainFooter(summary.footer, 'the conversation was too long for the model', 'prompt is too long');
  });

  it('an answer that is not the schema JSON gets one repair request', async () => {
    const { summarizer } = chain();
    standIn.script({ answer: '{"title": "Half an answer", "overview": ' }, citingAnswer);
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(2);
    const repair = standIn.requests[1]!;
    expect(repair.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(repair.userTexts[1]).toContain('not a JSON object of the required schema (not valid JSON)');
    expect(summary.footer).toBe('Summarized by Anthropic (claude-haiku-4-5)');
  });

  it('an answer wrapped in a code fence is read without a second call', async () => {
    const { summarizer } = chain();
    const fenced = citingAnswer(standInRequest());
    if (!('answer' in fenced)) throw new Error('expected an answer');
    standIn.script({ answer: `Here is the summary:\n\`\`\`json\n${JSON.stringify(fenced.answer)}\n\`\`\`` });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(1);
    expect(summary.title).toBe('Release planning');
  });

  it('an answer still unreadable after the repair falls back', async () => {
    const { summarizer } = chain();
    standIn.script({ answer: 'I cannot produce JSON today.' }, { answer: '{"title": 3}' });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(2);
    expect(standIn.requests[1]!.userTexts[1]).toContain('not valid JSON');
    expectPlainFooter(summary.footer, "the model's answer could not be read", 'I cannot');
  });

  it('a refusal falls back', async () => {
    const { summarizer } = chain();
    standIn.script({ answer: '', finish: 'refusal' });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(1);
    expectPlainFooter(summary.footer, 'the model declined to summarize this conversation', 'refusal');
  });

  it('a removed model falls back', async () => {
    const { summarizer } = chain();
    const message = 'model: claude-haiku-4-5 has reached the end of its life on 2027-01-01';
    standIn.script({ status: 404, type: 'not_found_error', message });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expectPlainFooter(summary.footer, 'the model was not found (it may have been retired)', message);
  });

  it('a rejected key falls back, and the key is in no log line and no footer', async () => {
    const { summarizer, logger } = chain();
    const message = `invalid x-api-key ${KEY.slice(0, 12)}...${KEY.slice(-4)}: ${KEY}`;
    standIn.script({ status: 401, type: 'authentication_error', message });
    const summary = await summarizer.summarize(conversation(), { length: 'brief' });
    expect(standIn.requests).toHaveLength(1);
    expectPlainFooter(summary.footer, 'the API key was rejected', 'invalid x-api-key');
    expect(logger.text()).toContain('bad_key');
    expect(logger.text()).not.toContain(KEY);
  });

  it('an unreachable server falls back after its retries', async () => {
    const closed = await startLlmStandIn();
    const origin = closed.origin;
    await closed.close();
    const [spec] = resolveSummarizerSettings(
      parseEnv(SummarizerEnv, {
        SUMMARIZER: 'openai-compatible',
        SUMMARIZER_MODEL: 'llama3.1',
        SUMMARIZER_BASE_URL: `${origin}/v1`,
      }),
    ).llms;
    const llm = new LlmSummarizer({ spec: spec!, timeoutMs: 5_000, sleep: async () => {}, maxAttempts: 2 });
    const summary = await new SummarizerChain({ llms: [llm], last: new ExtractiveSummarizer() }).summarize(
      conversation(),
      { length: 'brief' },
    );
    expect(summary.footer).toBe(
      `The OpenAI-compatible server (llama3.1) could not be used: the service could not be reached. ${EXTRACTIVE}`,
    );
  });
});

function standInRequest() {
  return {
    protocol: 'anthropic' as const,
    path: '',
    headers: {},
    body: {},
    system: '',
    userTexts: [JSON.stringify({ messages: conversation().map((_, i) => ({ id: `m${i + 1}` })) })],
  };
}
