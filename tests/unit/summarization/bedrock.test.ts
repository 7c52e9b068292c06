import {
  AccessDeniedException,
  BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
  ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BedrockSummarizer } from '../../../lib/summarization/bedrock.ts';
import { ExtractiveSummarizer } from '../../../lib/summarization/extractive.ts';
import { createSummarizer } from '../../../lib/summarization/index.ts';
import { conversation } from './conversation.ts';

const bedrock = mockClient(BedrockRuntimeClient);
afterEach(() => {
  bedrock.reset();
});

function reply(text: string): ConverseCommandOutput {
  return {
    $metadata: {},
    output: { message: { role: 'assistant', content: [{ text }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: 10, outputTokens: 10, totalTokens: 20 },
    metrics: { latencyMs: 5 },
  };
}

const GOOD = {
  title: 'Staging deploy and migration rollback',
  overview: 'The staging deploy failed because of a cache key; the migration is rolled back.',
  keyPoints: [{ text: 'Cache key broken by the migration', sources: ['m1', '[m2]', 'm999'] }],
  decisions: [{ text: 'Roll back the migration until Friday', sources: ['m3'] }],
  actionItems: [
    { text: 'Fix the cache key', owner: 'alice', sources: ['m4'] },
    { text: 'Review the PR', owner: null, sources: [] },
  ],
  openQuestions: [{ text: 'Who owns the dashboard?', sources: ['m6'] }],
};

const sleeps: number[] = [];
function summarizer(extra: Partial<ConstructorParameters<typeof BedrockSummarizer>[0]> = {}) {
  sleeps.length = 0;
  return new BedrockSummarizer({
    client: new BedrockRuntimeClient({ region: 'us-east-1' }),
    modelId: 'anthropic.test-model',
    fallback: new ExtractiveSummarizer(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...extra,
  });
}

describe('BedrockSummarizer', () => {
  it('parses a fenced JSON reply and maps cited message ids to jump links', async () => {
    bedrock.on(ConverseCommand).resolves(reply(`Here it is:\n\`\`\`json\n${JSON.stringify(GOOD)}\n\`\`\``));
    const messages = conversation();
    const summary = await summarizer().summarize(messages, { length: 'detailed' });

    expect(summary.title).toBe(GOOD.title);
    expect(summary.keyPoints[0]?.sources).toEqual([messages[0]?.jumpLink, messages[1]?.jumpLink]);
    expect(summary.decisions[0]?.sources).toEqual([messages[2]?.jumpLink]);
    expect(summary.actionItems).toEqual([
      { text: 'Fix the cache key', owner: 'alice', sources: [messages[3]?.jumpLink] },
      { text: 'Review the PR', sources: [] },
    ]);
    expect(summary.stats.messages).toBe(messages.length);
    expect(summary.links[0]?.url).toBe('https://github.com/org/repo/pull/42');
    expect(summary.footer).toContain('Amazon Bedrock');

    expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
    const input = bedrock.commandCalls(ConverseCommand)[0]?.args[0].input;
    expect(input?.modelId).toBe('anthropic.test-model');
    expect(input?.system?.[0]).toMatchObject({ text: expect.stringContaining('"keyPoints"') });
    const prompt = input?.messages?.[0]?.content?.[0];
    expect(prompt && 'text' in prompt ? prompt.text : '').toContain('[m3] carol: We decided');
    expect(input?.inferenceConfig?.maxTokens).toBeGreaterThan(0);
  });

  it('summarizes a long window in chunks, then merges the chunk summaries in one more call', async () => {
    bedrock.on(ConverseCommand).resolves(reply(JSON.stringify(GOOD)));
    const messages = conversation();
    await summarizer({ maxChunkChars: 200 }).summarize(messages, { length: 'brief' });

    const calls = bedrock.commandCalls(ConverseCommand);
    expect(calls.length).toBeGreaterThan(2);
    const texts = calls.map((c) => {
      const block = c.args[0].input.messages?.[0]?.content?.[0];
      return block && 'text' in block ? (block.text ?? '') : '';
    });
    expect(texts.slice(0, -1).every((t) => t.includes('<conversation>'))).toBe(true);
    expect(texts.at(-1)).toContain('<partial-summaries>');
    // Every message is sent exactly once across the chunks.
    const sent = texts
      .slice(0, -1)
      .join('\n')
      .match(/\[m\d+\]/g);
    expect(sent).toHaveLength(messages.length);
  });

  it('retries throttling with growing backoff, then succeeds', async () => {
    const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
    bedrock
      .on(ConverseCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves(reply(JSON.stringify(GOOD)));
    const summary = await summarizer().summarize(conversation(), { length: 'brief' });

    expect(summary.title).toBe(GOOD.title);
    expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]).toBeGreaterThan(sleeps[0] ?? 0);
  });

  it('falls back to the extractive summary with a footer when access is denied', async () => {
    bedrock
      .on(ConverseCommand)
      .rejects(new AccessDeniedException({ message: 'secret internal detail', $metadata: {} }));
    const messages = conversation();
    const summary = await summarizer().summarize(messages, { length: 'brief' });

    expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 1);
    expect(summary.footer).toBe(
      'Bedrock was unavailable (access to the model was denied); this summary was made by the built-in extractive summarizer',
    );
    expect(summary.footer).not.toContain('secret');
    const extractive = await new ExtractiveSummarizer().summarize(messages, { length: 'brief' });
    expect({ ...summary, footer: undefined }).toEqual({ ...extractive, footer: undefined });
  });

  it('asks once more after an unreadable reply, then falls back', async () => {
    bedrock.on(ConverseCommand).resolves(reply('{"title": "cut off'));
    const summary = await summarizer().summarize(conversation(), { length: 'brief' });

    expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 2);
    expect(summary.footer).toMatch(/reply could not be read.*extractive summarizer/);
  });

  it('accepts a good reply after one unreadable one', async () => {
    bedrock
      .on(ConverseCommand)
      .resolvesOnce(reply('not json at all'))
      .resolves(reply(JSON.stringify(GOOD)));
    const summary = await summarizer().summarize(conversation(), { length: 'brief' });
    expect(summary.title).toBe(GOOD.title);
  });

  it('does not call the model for an empty window', async () => {
    const summary = await summarizer().summarize([], { length: 'brief' });
    expect(bedrock).toHaveReceivedCommandTimes(ConverseCommand, 0);
    expect(summary.stats.messages).toBe(0);
  });
});

describe('createSummarizer', () => {
  it('builds the configured summarizer', () => {
    const client = new BedrockRuntimeClient({ region: 'us-east-1' });
    expect(createSummarizer({ SUMMARIZER: 'extractive', BEDROCK_MODEL_ID: 'x' }).name).toBe('extractive');
    expect(createSummarizer({ SUMMARIZER: 'bedrock', BEDROCK_MODEL_ID: 'x' }, client).name).toBe('bedrock');
  });
});
