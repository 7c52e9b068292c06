import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../../../../lib/config.ts';
import { MemoryLogger } from '../../../../lib/observability/logger.ts';
import {
  createSummarizer,
  resolveSummarizerSettings,
  SummarizerEnv,
} from '../../../../lib/summarization/llm/index.ts';
import { conversation } from '../../../support/conversation.ts';
import { citingAnswer, documentOf, type LlmStandIn, startLlmStandIn } from '../../../support/llm-stand-in.ts';

let standIn: LlmStandIn;
beforeAll(async () => {
  standIn = await startLlmStandIn();
});
afterAll(() => standIn.close());
afterEach(() => {
  standIn.requests.length = 0;
  vi.unstubAllEnvs();
});

const ANTHROPIC_KEY = 'sk-ant-api03-standin-anthropic-key-0123456789';
const OPENAI_KEY = 'sk-proj-standin-openai-key-0123456789';

function summarizerFor(env: Record<string, string>, logger = new MemoryLogger()) {
  return createSummarizer(resolveSummarizerSettings(parseEnv(SummarizerEnv, env)), { logger });
}

const SETUPS = [
  {
    name: 'anthropic',
    env: () => ({
      SUMMARIZER: 'anthropic',
      SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
    }),
    path: '/v1/messages',
    model: 'claude-haiku-4-5',
    footer: 'Summarized by Anthropic (claude-haiku-4-5)',
  },
  {
    name: 'openai',
    env: () => ({
      SUMMARIZER: 'openai',
      SUMMARIZER_BASE_URL: `${standIn.origin}/v1`,
      OPENAI_API_KEY: OPENAI_KEY,
    }),
    path: '/v1/chat/completions',
    model: 'gpt-4o-mini',
    footer: 'Summarized by OpenAI (gpt-4o-mini)',
  },
  {
    name: 'openai-compatible',
    env: () => ({
      SUMMARIZER: 'openai-compatible',
      SUMMARIZER_MODEL: 'llama3.1',
      SUMMARIZER_BASE_URL: `${standIn.origin}/v1/`,
    }),
    path: '/v1/chat/completions',
    model: 'llama3.1',
    footer: 'Summarized by the OpenAI-compatible server (llama3.1)',
  },
  {
    name: 'bedrock',
    env: () => ({
      SUMMARIZER: 'bedrock',
      SUMMARIZER_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      SUMMARIZER_BASE_URL: standIn.origin,
      AWS_REGION: 'eu-west-1',
    }),
    path: '/model/eu.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse',
    model: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    footer: 'Summarized by Amazon Bedrock (eu.anthropic.claude-haiku-4-5-20251001-v1:0)',
  },
] as const;

describe.each(SETUPS)('the $name provider against its protocol stand-in', (setup) => {
  it('sends the model, the schema as structured output, instructions as system and the messages as JSON data', async () => {
    // Bedrock signs with AWS credentials from the SDK's chain: the environment here.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSTANDIN0000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'standin-aws-secret-access-key');
    const logger = new MemoryLogger();
    const messages = conversation();
    await (await summarizerFor(setup.env(), logger)).summarize(messages, { length: 'detailed' });

    expect(standIn.requests).toHaveLength(1);
    const [request] = standIn.requests;
    if (!request) throw new Error('no request');
    expect(request.path).toBe(setup.path);
    const { body } = request;

    // The answer's JSON schema is declared to the provider's structured-output mechanism.
    switch (request.protocol) {
      case 'anthropic':
        expect(body.model).toBe(setup.model);
        expect(request.headers['x-api-key']).toBe(ANTHROPIC_KEY);
        expect(body.output_config.format.type).toBe('json_schema');
        expect(body.output_config.format.schema.required).toEqual([
          'title',
          'overview',
          'keyPoints',
          'decisions',
          'actionItems',
          'openQuestions',
        ]);
        expect(body.temperature).toBe(0);
        break;
      case 'openai':
        expect(body.model).toBe(setup.model);
        expect(body.response_format.type).toBe('json_schema');
        expect(body.response_format.json_schema).toMatchObject({ name: 'channel_summary', strict: true });
        expect(body.response_format.json_schema.schema.properties.actionItems.items.required).toEqual([
          'text',
          'owner',
          'sources',
        ]);
        if (setup.name === 'openai') expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
        else expect(request.headers.authorization).toBeUndefined();
        break;
      case 'bedrock': {
        expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSTANDIN0000000000\//);
        const tool = body.toolConfig.tools[0].toolSpec;
        expect(tool.name).toBe('json');
        expect(tool.inputSchema.json.required).toContain('keyPoints');
        expect(body.toolConfig.toolChoice).toEqual({ any: {} });
        break;
      }
    }

    // Instructions in the system prompt, never channel text; the conversation as JSON in the user turn.
    expect(request.system).toContain('untrusted data');
    for (const m of messages) expect(request.system).not.toContain(m.content);
    const doc = documentOf(request);
    expect(doc.messages).toHaveLength(messages.length);
    expect(doc.messages[2]).toMatchObject({ id: 'm3', author: 'carol', text: messages[2]?.content });
    expect(doc.hints.decisions[0].sources).toEqual(['m3']);

    // No key in any log line.
    expect(logger.text()).not.toContain(ANTHROPIC_KEY);
    expect(logger.text()).not.toContain(OPENAI_KEY);
  });

  it('returns the cited digest: ids become jump links, unknown ids and uncited items are dropped', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDSTANDIN0000000000');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'standin-aws-secret-access-key');
    standIn.script({
      answer: {
        title: 'Staging deploy',
        overview: 'The staging deploy failed; see [the fix](https://evil.example/phish) @everyone.',
        keyPoints: [
          { text: 'The cache key broke after the migration.', sources: ['m1', '[m2]', 'm999'] },
          { text: 'An invented point.', sources: ['m404'] },
          { text: 'Another invented point.', sources: [] },
        ],
        decisions: [{ text: 'Roll back the migration until Friday.', sources: ['m3'] }],
        actionItems: [{ text: 'Fix the cache key.', owner: 'alice', sources: ['m4'] }],
        openQuestions: [{ text: 'Who owns the metrics dashboard?', sources: ['6'] }],
      },
      usage: { input: 900, output: 150 },
    });
    const messages = conversation();
    const summary = await (await summarizerFor(setup.env())).summarize(messages, { length: 'detailed' });

    const link = (i: number) => messages[i]?.jumpLink;
    expect(summary.title).toBe('Staging deploy');
    expect(summary.keyPoints).toEqual([
      { text: 'The cache key broke after the migration.', sources: [link(0), link(1)] },
    ]);
    expect(summary.decisions).toEqual([
      { text: 'Roll back the migration until Friday.', sources: [link(2)] },
    ]);
    expect(summary.actionItems).toEqual([{ text: 'Fix the cache key.', owner: 'alice', sources: [link(3)] }]);
    expect(summary.openQuestions[0]?.sources).toEqual([link(5)]);
    // The model writes no links and no mass mentions: the bot builds links from the cited ids.
    expect(summary.overview).toBe('The staging deploy failed; see the fix everyone.');
    expect(summary.stats.messages).toBe(messages.length);
    expect(summary.links[0]?.url).toBe('https://github.com/org/repo/pull/42');
    expect(summary.footer).toBe(setup.footer);
    expect(summary.usage).toMatchObject({
      model: `${setup.name}/${setup.model}`,
      inputTokens: 900,
      outputTokens: 150,
    });
  });
});

describe('estimated cost', () => {
  it('comes from the default model list price, or from SUMMARIZER_PRICE', async () => {
    standIn.script({ ...citingAnswerFixed(), usage: { input: 1_000_000, output: 200_000 } });
    const priced = await (await summarizerFor(SETUPS[0].env())).summarize(conversation(), {
      length: 'brief',
    });
    expect(priced.usage?.estimatedCostUsd).toBe(2); // $1 per million input, $5 per million output

    standIn.script({ ...citingAnswerFixed(), usage: { input: 1_000_000, output: 1_000_000 } });
    const local = await (await summarizerFor({ ...SETUPS[2].env(), SUMMARIZER_PRICE: '0.2/0.6' })).summarize(
      conversation(),
      { length: 'brief' },
    );
    expect(local.usage?.estimatedCostUsd).toBe(0.8);

    standIn.script({ ...citingAnswerFixed(), usage: { input: 10, output: 10 } });
    const unknown = await (await summarizerFor(SETUPS[2].env())).summarize(conversation(), {
      length: 'brief',
    });
    expect(unknown.usage).toEqual({ model: 'openai-compatible/llama3.1', inputTokens: 10, outputTokens: 10 });
  });
});

function citingAnswerFixed() {
  const reply = citingAnswer({
    protocol: 'openai',
    path: '',
    headers: {},
    body: {},
    system: '',
    userTexts: [JSON.stringify({ messages: [{ id: 'm1' }, { id: 'm2' }] })],
  });
  if (!('answer' in reply)) throw new Error('expected an answer');
  return reply;
}
