/**
 * Which summarizers run, in which order, with which model: resolved from the parsed environment at start.
 * No AI SDK import: the executor loads the SDK only when this says an LLM is configured.
 */
import { ConfigError } from '../../errors.ts';
import {
  httpUrl,
  LLM_PROVIDERS,
  type LlmProviderName,
  SUMMARIZER_NAMES,
  type SummarizerEnv,
} from '../../shared/summarizer-env.ts';

export {
  LLM_PROVIDERS,
  type LlmProviderName,
  SUMMARIZER_NAMES,
  SummarizerEnv,
  type SummarizerName,
} from '../../shared/summarizer-env.ts';

/** USD per million input and output tokens, for the estimated cost on run records. */
export interface TokenPrice {
  input: number;
  output: number;
}

/** One LLM of the chain, fully resolved: what `languageModelFor` builds a model from. */
export interface LlmSpec {
  provider: LlmProviderName;
  model: string;
  /** The provider API's base as its SDK takes it (`…/v1`); the provider's own endpoint when absent. */
  baseUrl?: string;
  /** Anthropic, OpenAI and OpenAI-compatible servers; never logged. Bedrock signs with AWS credentials. */
  apiKey?: string;
  /** Bedrock only. */
  region?: string;
  price?: TokenPrice;
}

/** Settings of the summarizer chain: LLMs to try in order (the extractive one always ends it). */
export interface SummarizerSettings {
  llms: LlmSpec[];
  /** Per-call timeout. */
  timeoutMs: number;
  /** A server's daily token budget unless `/config llm-budget` sets its own. */
  defaultDailyTokenBudget: number;
}

/** API keys, from the environment (`npm start`, the CLI) or from the stack's secret (AWS). */
export interface ApiKeys {
  anthropic?: string;
  openai?: string;
}

/** Where keys come from, so a missing one is named as the deployer must fix it. */
export interface KeySource {
  anthropic: string;
  openai: string;
}

const ENV_KEYS: KeySource = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' };

/**
 * Default models where one is safe to assume. Bedrock's differs by Region and account access; an
 * OpenAI-compatible server serves whatever was pulled: those two must be told.
 */
const DEFAULT_MODELS: Partial<Record<LlmProviderName, string>> = {
  anthropic: 'claude-haiku-4-5',
  openai: 'gpt-4o-mini',
};

/**
 * List prices (USD per million tokens) of the default models, for the estimated cost. Others have no
 * estimate unless SUMMARIZER_PRICE says; a local server costs nothing per token.
 */
const KNOWN_PRICES: { pattern: RegExp; price: TokenPrice }[] = [
  { pattern: /claude-haiku-4-5/, price: { input: 1, output: 5 } },
  { pattern: /^gpt-4o-mini/, price: { input: 0.15, output: 0.6 } },
];

function priceOf(spec: Omit<LlmSpec, 'price'>, override: string | undefined): TokenPrice | undefined {
  if (override) {
    const [input, output] = override.split('/').map(Number);
    return { input: input ?? 0, output: output ?? 0 };
  }
  if (spec.provider === 'openai-compatible') return undefined;
  return KNOWN_PRICES.find((p) => p.pattern.test(spec.model))?.price;
}

interface Entry {
  provider: LlmProviderName;
  model?: string;
  baseUrl?: string;
}

function parseFallback(text: string): { entries: Entry[]; extractiveListed: boolean } {
  const items = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const entries: Entry[] = [];
  let extractiveListed = false;
  items.forEach((item, index) => {
    const [name = '', rest] = splitOnce(item, '=');
    if (name === 'extractive') {
      if (index !== items.length - 1 || rest !== undefined) {
        throw new ConfigError(
          `Invalid configuration: SUMMARIZER_FALLBACK: "extractive" takes no model and can only come last (it always ends the chain)`,
        );
      }
      extractiveListed = true;
      return;
    }
    if (!(LLM_PROVIDERS as readonly string[]).includes(name)) {
      throw new ConfigError(
        `Invalid configuration: SUMMARIZER_FALLBACK: "${name}" is not a summarizer; expected items such as ` +
          `anthropic, openai=gpt-4o-mini or openai-compatible=llama3.1@http://localhost:11434/v1 (one of ${SUMMARIZER_NAMES.join(', ')})`,
      );
    }
    const entry: Entry = { provider: name as LlmProviderName };
    if (rest !== undefined) {
      const [model, baseUrl] = splitOnce(rest, '@');
      if (!model) {
        throw new ConfigError(
          `Invalid configuration: SUMMARIZER_FALLBACK: "${item}": expected a model after "=", such as ${name}=<model>`,
        );
      }
      entry.model = model;
      if (baseUrl !== undefined) {
        if (!httpUrl.safeParse(baseUrl).success) {
          throw new ConfigError(
            `Invalid configuration: SUMMARIZER_FALLBACK: "${item}": expected an http(s) base URL after "@"`,
          );
        }
        entry.baseUrl = baseUrl;
      }
    }
    entries.push(entry);
  });
  return { entries, extractiveListed };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text.trim(), undefined] : [text.slice(0, at).trim(), text.slice(at + 1).trim()];
}

/**
 * Resolves the chain from the parsed environment and the API keys. Throws ConfigError naming the variable
 * (or the secret's field) that is missing or wrong, so a bad set-up fails at start, not on the first run.
 */
export function resolveSummarizerSettings(
  env: SummarizerEnv,
  keys: ApiKeys = { anthropic: env.ANTHROPIC_API_KEY, openai: env.OPENAI_API_KEY },
  keySource: KeySource = ENV_KEYS,
): SummarizerSettings {
  const entries: Entry[] = [];
  if (env.SUMMARIZER !== 'extractive') {
    const primary: Entry = { provider: env.SUMMARIZER };
    if (env.SUMMARIZER_MODEL) primary.model = env.SUMMARIZER_MODEL;
    if (env.SUMMARIZER_BASE_URL) primary.baseUrl = env.SUMMARIZER_BASE_URL;
    entries.push(primary);
  } else if (env.SUMMARIZER_MODEL || env.SUMMARIZER_BASE_URL) {
    const variable = env.SUMMARIZER_MODEL ? 'SUMMARIZER_MODEL' : 'SUMMARIZER_BASE_URL';
    throw new ConfigError(
      `Invalid configuration: ${variable} is set but SUMMARIZER is extractive; set SUMMARIZER to the provider it is for (${LLM_PROVIDERS.join(', ')})`,
    );
  }
  if (env.SUMMARIZER_FALLBACK) entries.push(...parseFallback(env.SUMMARIZER_FALLBACK).entries);

  const llms = entries.map((entry, index): LlmSpec => {
    const where = index === 0 && env.SUMMARIZER !== 'extractive' ? 'primary' : 'fallback';
    const modelVariable =
      where === 'primary' ? 'SUMMARIZER_MODEL' : `SUMMARIZER_FALLBACK (${entry.provider})`;
    const model = entry.model ?? DEFAULT_MODELS[entry.provider];
    if (!model) {
      throw new ConfigError(
        `Invalid configuration: ${modelVariable}: expected the model to use with ${entry.provider}, ${MODEL_HINT[entry.provider]}`,
      );
    }
    const spec: LlmSpec = { provider: entry.provider, model };
    if (entry.baseUrl) spec.baseUrl = entry.baseUrl;
    switch (entry.provider) {
      case 'openai-compatible':
        if (!spec.baseUrl) {
          throw new ConfigError(
            `Invalid configuration: ${where === 'primary' ? 'SUMMARIZER_BASE_URL' : modelVariable}: expected the server's API base URL for openai-compatible, such as http://localhost:11434/v1 (Ollama) or https://openrouter.ai/api/v1`,
          );
        }
        // A key is optional: local servers want none; OpenRouter and hosted vLLM take OPENAI_API_KEY.
        if (keys.openai) spec.apiKey = keys.openai;
        break;
      case 'anthropic':
      case 'openai': {
        const key = keys[entry.provider];
        if (!key) {
          throw new ConfigError(
            `Invalid configuration: ${keySource[entry.provider]}: expected the ${entry.provider === 'anthropic' ? 'Anthropic' : 'OpenAI'} API key (SUMMARIZER${where === 'primary' ? '' : '_FALLBACK'} uses ${entry.provider})`,
          );
        }
        spec.apiKey = key;
        break;
      }
      case 'bedrock':
        if (!env.AWS_REGION && !spec.baseUrl) {
          throw new ConfigError(
            'Invalid configuration: AWS_REGION: expected the AWS Region of the Bedrock model, such as eu-west-1',
          );
        }
        if (env.AWS_REGION) spec.region = env.AWS_REGION;
        break;
    }
    const price = priceOf(spec, where === 'primary' ? env.SUMMARIZER_PRICE : undefined);
    if (price) spec.price = price;
    return spec;
  });
  return {
    llms,
    timeoutMs: env.SUMMARIZER_TIMEOUT_SECONDS * 1000,
    defaultDailyTokenBudget: env.LLM_DAILY_TOKEN_BUDGET,
  };
}

const MODEL_HINT: Record<LlmProviderName, string> = {
  bedrock: 'a model or inference profile id such as eu.anthropic.claude-haiku-4-5-20251001-v1:0',
  anthropic: 'such as claude-haiku-4-5',
  openai: 'such as gpt-4o-mini',
  'openai-compatible': 'the name the server serves it under, such as llama3.1 (Ollama: ollama list)',
};
