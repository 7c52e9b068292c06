export { ExtractiveSummarizer } from './extractive.ts';
export { createSummarizer } from './llm/index.ts';
export { summaryToPlainText } from './plain-text.ts';
export type * from './summarizer.ts';
export { parseTranscript } from './transcript.ts';
