import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { LanguageModel } from 'ai';
import type { LlmProviderName, LlmSpec } from './settings.ts';

/** How people call each provider in a footer or a log line. */
export const PROVIDER_LABELS: Record<LlmProviderName, string> = {
  bedrock: 'Amazon Bedrock',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  'openai-compatible': 'the OpenAI-compatible server',
};

/**
 * The AI SDK model for one spec. Built once per process. Each provider declares the answer's JSON schema
 * its own way when `generateText` asks for `Output.object`: Anthropic as `output_config.format` (or a
 * forced tool on older models), OpenAI as `response_format: json_schema` on chat completions, Bedrock as
 * Converse `output_config` or a forced `json` tool.
 */
export function languageModelFor(spec: LlmSpec): LanguageModel {
  const baseURL = spec.baseUrl ? spec.baseUrl.replace(/\/+$/, '') : undefined;
  switch (spec.provider) {
    case 'anthropic':
      return createAnthropic({ apiKey: spec.apiKey, ...(baseURL ? { baseURL } : {}) })(spec.model);
    case 'openai':
      // `.chat`: the chat completions API, which every OpenAI-compatible proxy speaks too; the default
      // model object would use the Responses API.
      return createOpenAI({ apiKey: spec.apiKey, ...(baseURL ? { baseURL } : {}) }).chat(spec.model);
    case 'openai-compatible':
      return createOpenAICompatible({
        name: 'openai-compatible',
        baseURL: baseURL as string,
        ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
        // Without it the provider sends only `{type: json_object}` and the schema never reaches the server;
        // with it Ollama, vLLM and LM Studio constrain decoding to the schema.
        supportsStructuredOutputs: true,
        includeUsage: true,
      })(spec.model);
    case 'bedrock':
      return createAmazonBedrock({
        ...(spec.region ? { region: spec.region } : {}),
        ...(baseURL ? { baseURL } : {}),
        // The AWS SDK's chain (environment, SSO, profiles, the Lambda role), not only the environment.
        credentialProvider: defaultProvider(),
      })(spec.model);
  }
}
