import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BedrockSummarizer } from './bedrock.ts';
import { ExtractiveSummarizer } from './extractive.ts';
import type { Summarizer } from './summarizer.ts';

export { BedrockSummarizer } from './bedrock.ts';
export { ExtractiveSummarizer } from './extractive.ts';
export { summaryToMarkdown } from './markdown.ts';
export { summaryToPlainText } from './plain-text.ts';
export type * from './summarizer.ts';
export { parseTranscript } from './transcript.ts';

/**
 * The configured summarizer. Bedrock always falls back to the extractive one. Pass the process's one
 * Bedrock client; without it a default client (region and credentials from the environment) is built.
 */
export function createSummarizer(
  config: { SUMMARIZER: 'extractive' | 'bedrock'; BEDROCK_MODEL_ID: string },
  bedrockClient?: BedrockRuntimeClient,
): Summarizer {
  const extractive = new ExtractiveSummarizer();
  if (config.SUMMARIZER === 'extractive') return extractive;
  return new BedrockSummarizer({
    client: bedrockClient ?? new BedrockRuntimeClient({}),
    modelId: config.BEDROCK_MODEL_ID,
    fallback: extractive,
  });
}
