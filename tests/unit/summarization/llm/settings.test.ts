import { describe, expect, it } from 'vitest';
import { LocalEnv, parseEnv } from '../../../../lib/config.ts';
import { ConfigError } from '../../../../lib/errors.ts';
import { resolveSummarizerSettings, SummarizerEnv } from '../../../../lib/summarization/llm/settings.ts';

const resolve = (env: Record<string, string>) => resolveSummarizerSettings(parseEnv(SummarizerEnv, env));
const problem = (env: Record<string, string>) => {
  try {
    resolve(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('summarizer settings', () => {
  it('default to the extractive summarizer alone, with the deployment budget default', () => {
    expect(resolve({})).toEqual({ llms: [], timeoutMs: 60_000, defaultDailyTokenBudget: 200_000 });
    // Blank lines of a .env file count as unset.
    expect(resolve({ SUMMARIZER: '', SUMMARIZER_MODEL: ' ', LLM_DAILY_TOKEN_BUDGET: '' }).llms).toEqual([]);
  });

  it('resolve each provider with its defaults', () => {
    expect(resolve({ SUMMARIZER: 'anthropic', ANTHROPIC_API_KEY: 'k1' }).llms).toEqual([
      { provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'k1', price: { input: 1, output: 5 } },
    ]);
    expect(resolve({ SUMMARIZER: 'openai', OPENAI_API_KEY: 'k2', SUMMARIZER_MODEL: 'gpt-4.1' }).llms).toEqual(
      [{ provider: 'openai', model: 'gpt-4.1', apiKey: 'k2' }],
    );
    expect(
      resolve({
        SUMMARIZER: 'openai-compatible',
        SUMMARIZER_MODEL: 'llama3.1',
        SUMMARIZER_BASE_URL: 'http://localhost:11434/v1',
      }).llms,
    ).toEqual([{ provider: 'openai-compatible', model: 'llama3.1', baseUrl: 'http://localhost:11434/v1' }]);
    expect(
      resolve({
        SUMMARIZER: 'bedrock',
        SUMMARIZER_MODEL: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        AWS_REGION: 'eu-west-1',
      }).llms[0],
    ).toMatchObject({ provider: 'bedrock', region: 'eu-west-1', price: { input: 1, output: 5 } });
  });

  it('name the variable that is missing or wrong', () => {
    expect(problem({ SUMMARIZER: 'anthropic' })).toContain(
      'ANTHROPIC_API_KEY: expected the Anthropic API key',
    );
    expect(problem({ SUMMARIZER: 'openai' })).toContain('OPENAI_API_KEY');
    expect(problem({ SUMMARIZER: 'openai-compatible', SUMMARIZER_MODEL: 'llama3.1' })).toContain(
      "SUMMARIZER_BASE_URL: expected the server's API base URL",
    );
    expect(
      problem({ SUMMARIZER: 'openai-compatible', SUMMARIZER_BASE_URL: 'http://localhost:11434/v1' }),
    ).toContain('SUMMARIZER_MODEL: expected the model to use with openai-compatible');
    expect(problem({ SUMMARIZER: 'bedrock', AWS_REGION: 'eu-west-1' })).toContain('SUMMARIZER_MODEL');
    expect(problem({ SUMMARIZER: 'bedrock', SUMMARIZER_MODEL: 'amazon.nova-lite-v1:0' })).toContain(
      'AWS_REGION',
    );
    expect(problem({ SUMMARIZER_MODEL: 'gpt-4o' })).toContain(
      'SUMMARIZER_MODEL is set but SUMMARIZER is extractive',
    );
    expect(() => parseEnv(SummarizerEnv, { SUMMARIZER: 'gpt' })).toThrow(
      /SUMMARIZER: expected one of extractive, bedrock/,
    );
    expect(() => parseEnv(SummarizerEnv, { SUMMARIZER_BASE_URL: 'localhost:11434' })).toThrow(
      /SUMMARIZER_BASE_URL: expected the API base URL/,
    );
    expect(() => parseEnv(SummarizerEnv, { SUMMARIZER_PRICE: '1 dollar' })).toThrow(/SUMMARIZER_PRICE/);
    expect(() => parseEnv(LocalEnv, { LLM_DAILY_TOKEN_BUDGET: '-5' })).toThrow(/LLM_DAILY_TOKEN_BUDGET/);
  });

  it('name the secret field on AWS, where keys come from the stack secret', () => {
    expect(() =>
      resolveSummarizerSettings(
        parseEnv(SummarizerEnv, { SUMMARIZER: 'anthropic' }),
        {},
        { anthropic: 'anthropicApiKey in the Discord secret', openai: 'openaiApiKey in the Discord secret' },
      ),
    ).toThrow('anthropicApiKey in the Discord secret: expected the Anthropic API key');
  });

  it('read SUMMARIZER_FALLBACK as provider[=model[@baseURL]] items, extractive last', () => {
    const { llms } = resolve({
      SUMMARIZER: 'anthropic',
      ANTHROPIC_API_KEY: 'k1',
      OPENAI_API_KEY: 'k2',
      SUMMARIZER_FALLBACK:
        'openai=gpt-4o-mini, openai-compatible=llama3.1@http://127.0.0.1:11434/v1,extractive',
    });
    expect(llms.map((l) => [l.provider, l.model, l.baseUrl])).toEqual([
      ['anthropic', 'claude-haiku-4-5', undefined],
      ['openai', 'gpt-4o-mini', undefined],
      ['openai-compatible', 'llama3.1', 'http://127.0.0.1:11434/v1'],
    ]);
    // The key, when set, goes to OpenAI-compatible servers too (OpenRouter wants one).
    expect(llms[2]?.apiKey).toBe('k2');
    // A fallback alone works too: the chain starts with it.
    expect(
      resolve({ SUMMARIZER_FALLBACK: 'openai-compatible=llama3.1@http://127.0.0.1:1/v1' }).llms,
    ).toHaveLength(1);

    expect(problem({ SUMMARIZER_FALLBACK: 'gemini' })).toContain(
      'SUMMARIZER_FALLBACK: "gemini" is not a summarizer',
    );
    expect(problem({ SUMMARIZER_FALLBACK: 'extractive,openai' })).toContain('can only come last');
    expect(problem({ SUMMARIZER_FALLBACK: 'openai-compatible=llama3.1' })).toContain(
      'SUMMARIZER_FALLBACK (openai-compatible)',
    );
    expect(problem({ SUMMARIZER_FALLBACK: 'openai-compatible=llama3.1@ftp://x' })).toContain(
      'http(s) base URL',
    );
  });
});
