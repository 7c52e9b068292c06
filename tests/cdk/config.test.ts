import { describe, expect, it } from 'vitest';
import { loadStackConfig, StackConfigError } from '../../cdk/config.ts';
import { useCdkApps } from './build-stack.ts';

const { buildStack } = useCdkApps();

const load = (context: Record<string, unknown>) => loadStackConfig((key) => context[key]);

describe('stack configuration from CDK context', () => {
  it('has a default for every key, so a fresh clone synthesizes without -c flags', () => {
    expect(load({})).toMatchObject({
      stage: 'dev',
      summarizer: 'bedrock',
      summariesRetentionDays: 90,
      logRetentionDays: 30,
      interactionsConcurrency: 'off',
    });
    expect(load({}).alarmEmail).toBeUndefined();
  });

  it('accepts the strings `-c key=value` passes', () => {
    expect(
      load({
        stage: 'prod',
        summariesRetentionDays: '30',
        interactionsConcurrency: '25',
        alarmEmail: 'a@b.co',
      }),
    ).toMatchObject({
      stage: 'prod',
      summariesRetentionDays: 30,
      interactionsConcurrency: 25,
      alarmEmail: 'a@b.co',
    });
    expect(load({ interactionsConcurrency: 'off' }).interactionsConcurrency).toBe('off');
  });

  it('defaults Bedrock to an active model through an inference profile callable from any Region', () => {
    // Claude 3.5 Haiku (the first default) is Legacy on Bedrock; Haiku 4.5 is Active and, like newer
    // Claude models, answers on-demand calls through an inference profile (global.… works everywhere).
    expect(load({ summarizer: 'bedrock' }).bedrockModelId).toBe(
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    expect(load({}).bedrockModelId).toMatch(/^global\.anthropic\.claude-haiku-4-5-/);
    expect(
      load({ summarizer: 'bedrock', bedrockModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' }),
    ).toMatchObject({ summarizer: 'bedrock', bedrockModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0' });
  });

  it.each([
    ['stage', 'Prod!', 'lowercase stage name'],
    ['summarizer', 'gpt', 'summarizer'],
    ['bedrockModelId', 'not a model', 'Bedrock model id'],
    ['alarmEmail', 'nobody', 'e-mail address'],
    ['sesFromAddress', 'bot@', 'SES sender'],
    ['summariesRetentionDays', '-1', 'summariesRetentionDays'],
    ['logRetentionDays', '31', 'expected one of 1, 3, 5, 7, 14, 30'],
    ['interactionsConcurrency', '0', 'interactionsConcurrency'],
  ])('stops on a bad %s with a message naming the key and what was expected', (key, value, expected) => {
    expect(() => load({ [key]: value })).toThrow(StackConfigError);
    try {
      load({ [key]: value });
    } catch (error) {
      expect((error as Error).message).toContain(`-c ${key}=${JSON.stringify(value)}`);
      expect((error as Error).message).toContain(expected);
    }
  });

  it('takes any summarizer the bot speaks; Bedrock keeps its own model key and default model', () => {
    expect(load({ summarizer: 'anthropic' })).toMatchObject({
      summarizer: 'anthropic',
      llmDailyTokenBudget: 200_000,
    });
    expect(load({ summarizer: 'bedrock' }).summarizerModel).toBeUndefined();
    expect(
      load({
        summarizer: 'openai-compatible',
        summarizerModel: 'llama3.1',
        summarizerBaseUrl: 'https://llm.example.com/v1',
        llmDailyTokenBudget: '0',
      }),
    ).toMatchObject({ summarizerBaseUrl: 'https://llm.example.com/v1', llmDailyTokenBudget: 0 });
  });

  it.each([
    [
      { summarizer: 'openai-compatible', summarizerModel: 'llama3.1' },
      '-c summarizerBaseUrl (not set)',
      'base URL',
    ],
    [
      { summarizer: 'openai-compatible', summarizerBaseUrl: 'https://x.example/v1' },
      '-c summarizerModel',
      'model',
    ],
    [{ summarizer: 'bedrock', summarizerModel: 'claude' }, '-c summarizerModel="claude"', 'bedrockModelId'],
    [
      { summarizer: 'anthropic', summarizerBaseUrl: 'ftp://proxy' },
      '-c summarizerBaseUrl="ftp://proxy"',
      'base URL',
    ],
    [
      { summarizer: 'anthropic', summarizerFallback: 'bedrock' },
      '-c summarizerFallback="bedrock"',
      'bedrock=<model id>',
    ],
    [{ llmDailyTokenBudget: '-5' }, '-c llmDailyTokenBudget="-5"', '0'],
  ])('stops on a summarizer set-up that cannot work (%j), naming the key', (context, key, expected) => {
    expect(() => load(context)).toThrow(StackConfigError);
    try {
      load(context);
    } catch (error) {
      expect((error as Error).message).toContain(key);
      expect((error as Error).message).toContain(expected);
    }
  });

  it('stops synth of the app itself on a bad value', () => {
    expect(() => buildStack({ summarizer: 'magic' })).toThrow(/Invalid CDK context for Summary Bot/);
  });
});
