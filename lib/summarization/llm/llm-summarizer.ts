import { generateText, type LanguageModel, NoObjectGeneratedError, Output } from 'ai';
import type { Logger } from '../../observability/logger.ts';
import { chronological, conversationFacts, summarizeExtractive } from '../extractive.ts';
import { recordedFocus } from '../sections.ts';
import type { NormalizedMessage, SummarizeOptions, Summary, SummaryUsage } from '../summarizer.ts';
import { clip } from '../text.ts';
import { CitationIndex, citedSections, withKnownSources } from './citations.ts';
import { classify, LlmFailure, type TokenCounts } from './failures.ts';
import { ModelSummary, SCHEMA_NAME } from './model-output.ts';
import {
  conversationDocument,
  mergeInstructions,
  OUTPUT_TOKENS,
  type PromptHints,
  type PromptMessage,
  partsDocument,
  promptText,
  summarizeInstructions,
} from './prompt.ts';
import { languageModelFor, PROVIDER_LABELS } from './providers.ts';
import type { LlmSpec } from './settings.ts';

/** Construction options of an LLM summarizer. */
export interface LlmSummarizerOptions {
  spec: LlmSpec;
  /** Default: the AI SDK model for `spec`. */
  model?: LanguageModel;
  /** Per-call timeout. */
  timeoutMs: number;
  logger?: Logger;
  /** Attempts per call for errors that waiting may cure (429, 5xx, network). Default 4. */
  maxAttempts?: number;
  /** A rate limit asking for a longer wait than this ends the attempt: the next summarizer runs instead. */
  maxRetryAfterMs?: number;
  /** JSON characters of messages per call; longer windows are summarized in parts and merged. */
  maxChunkChars?: number;
  /** Waits between attempts; tests pass one that returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, in [0, 1). */
  random?: () => number;
}

/** The run's token spending so far, and the ceiling the budget allows for it. */
class Spending {
  readonly counts: TokenCounts = { inputTokens: 0, outputTokens: 0 };
  constructor(private readonly allowance: number) {}
  get total(): number {
    return this.counts.inputTokens + this.counts.outputTokens;
  }
  /** Refuses a call whose estimate would take the run past its allowance: the budget holds before a call. */
  admit(estimate: number): void {
    if (this.total + estimate > this.allowance) throw new LlmFailure('budget', { spent: { ...this.counts } });
  }
  add(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined }, estimate: TokenCounts) {
    this.counts.inputTokens += usage.inputTokens ?? estimate.inputTokens;
    this.counts.outputTokens += usage.outputTokens ?? 0;
  }
}

/** Characters per token for estimates: English prose is about four; JSON punctuation pulls it down. */
const CHARS_PER_TOKEN = 3.5;

/** Input tokens a prompt is expected to cost. */
export function estimateTokens(...texts: string[]): number {
  return Math.ceil(texts.reduce((sum, t) => sum + t.length, 0) / CHARS_PER_TOKEN);
}

/**
 * Summarizes with one LLM through the AI SDK. Throws LlmFailure when it cannot; the chain then runs the
 * next summarizer. Windows longer than one call are summarized in parts and merged (map-reduce), each part
 * with the extractive pass's candidate items as hints.
 */
export class LlmSummarizer {
  readonly name: string;
  /** For footers: `Anthropic (claude-haiku-4-5)`. */
  readonly label: string;
  private readonly spec: LlmSpec;
  private readonly model: LanguageModel;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  private readonly maxAttempts: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxChunkChars: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: LlmSummarizerOptions) {
    this.spec = options.spec;
    this.name = options.spec.provider;
    this.label = `${PROVIDER_LABELS[options.spec.provider]} (${options.spec.model})`;
    this.model = options.model ?? languageModelFor(options.spec);
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.maxChunkChars = options.maxChunkChars ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
    this.random = options.random ?? Math.random;
  }

  /** Summarizes within `allowance` tokens; the summary carries the tokens spent and their estimated cost. */
  async summarize(
    input: NormalizedMessage[],
    options: SummarizeOptions,
    allowance = Number.POSITIVE_INFINITY,
  ): Promise<Summary> {
    const messages = chronological(input);
    const index = new CitationIndex(messages);
    const spending = new Spending(allowance);
    let answer: ModelSummary;
    try {
      try {
        answer = await this.summarizeWindow(messages, options, this.maxChunkChars, spending);
      } catch (error) {
        if (!(error instanceof LlmFailure) || error.kind !== 'context_length') throw error;
        // The model's window is smaller than assumed: once more, in parts half the size of the largest sent.
        this.logger?.warn(
          'conversation too long for the model; retrying in smaller parts',
          this.logContext(),
        );
        const sent = Math.min(this.maxChunkChars, promptSize(messages));
        answer = await this.summarizeWindow(
          messages,
          options,
          Math.max(1_000, Math.floor(sent / 2)),
          spending,
        );
      }
    } catch (error) {
      const failure =
        error instanceof LlmFailure ? error : new LlmFailure(classify(error).kind, { cause: error });
      throw new LlmFailure(failure.kind, { cause: failure.cause ?? failure, spent: { ...spending.counts } });
    }
    return {
      ...citedSections(answer, index),
      ...conversationFacts(messages, options.length),
      footer: `Summarized by ${this.label}`,
      usage: this.usage(spending.counts),
      ...recordedFocus(options.focus),
    };
  }

  /** Token counts with the model's name and, where its price is known, the estimated cost. */
  usage(counts: TokenCounts): SummaryUsage {
    const usage: SummaryUsage = { model: `${this.spec.provider}/${this.spec.model}`, ...counts };
    const { price } = this.spec;
    if (price) {
      const cost = (counts.inputTokens * price.input + counts.outputTokens * price.output) / 1_000_000;
      usage.estimatedCostUsd = Math.round(cost * 1_000_000) / 1_000_000;
    }
    return usage;
  }

  private async summarizeWindow(
    messages: NormalizedMessage[],
    options: SummarizeOptions,
    chunkChars: number,
    spending: Spending,
  ): Promise<ModelSummary> {
    const chunks = chunkMessages(messages, chunkChars);
    const index = new CitationIndex(messages);
    const outputTokens = OUTPUT_TOKENS[options.length];
    const partials: ModelSummary[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const system = summarizeInstructions(
        options,
        chunks.length > 1 ? { index: i + 1, count: chunks.length } : undefined,
      );
      const user = conversationDocument(
        chunk.map(({ prompt }) => prompt),
        hintsFor(chunk, options),
      );
      partials.push(withKnownSources(await this.ask(system, user, outputTokens, spending), index));
    }
    if (partials.length === 1) return partials[0] as ModelSummary;
    return this.ask(mergeInstructions(options), partsDocument(partials), outputTokens, spending);
  }

  /** One answer: the call (with retries), then one repair request if the answer was not the schema's JSON. */
  private async ask(system: string, user: string, maxOutputTokens: number, spending: Spending) {
    const messages = [{ role: 'user' as const, content: user }];
    try {
      return await this.call(system, messages, maxOutputTokens, spending);
    } catch (error) {
      if (!NoObjectGeneratedError.isInstance(error) || classify(error).kind !== 'invalid_output') throw error;
      const lenient = parseLeniently(error.text ?? '');
      if (lenient) return lenient;
      this.logger?.warn(
        "model's answer was not the summary JSON; asking once to repair it",
        this.logContext(),
      );
      const repair = [
        ...messages,
        { role: 'assistant' as const, content: clip(error.text ?? '', 8_000) },
        {
          role: 'user' as const,
          content: `That answer is not a JSON object of the required schema (${schemaProblem(error)}). Answer again with only the corrected JSON object.`,
        },
      ];
      try {
        return await this.call(system, repair, maxOutputTokens, spending);
      } catch (repairError) {
        if (NoObjectGeneratedError.isInstance(repairError)) {
          const second = parseLeniently(repairError.text ?? '');
          if (second) return second;
        }
        throw repairError;
      }
    }
  }

  /** One model call, retried with backoff (or the provider's `retry-after`) while waiting may cure it. */
  private async call(
    system: string,
    messages: { role: 'user' | 'assistant'; content: string }[],
    maxOutputTokens: number,
    spending: Spending,
  ): Promise<ModelSummary> {
    const inputEstimate = estimateTokens(system, ...messages.map((m) => m.content));
    for (let attempt = 1; ; attempt++) {
      spending.admit(inputEstimate + maxOutputTokens);
      try {
        const result = await generateText({
          model: this.model,
          system,
          messages,
          output: Output.object({ schema: ModelSummary, name: SCHEMA_NAME }),
          maxOutputTokens,
          temperature: 0,
          // Retries are ours: they wait through the injectable sleep and stop at the budget and the cap.
          maxRetries: 0,
          abortSignal: AbortSignal.timeout(this.timeoutMs),
        });
        spending.add(result.usage, { inputTokens: inputEstimate, outputTokens: 0 });
        if (result.finishReason === 'content-filter') throw new LlmFailure('refused');
        return result.output;
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) {
          if (error.usage) spending.add(error.usage, { inputTokens: inputEstimate, outputTokens: 0 });
          throw error;
        }
        if (error instanceof LlmFailure) throw error;
        const classified = classify(error);
        this.logger?.warn('model call failed', {
          ...this.logContext(),
          attempt,
          kind: classified.kind,
          ...(classified.status !== undefined ? { status: classified.status } : {}),
          detail: this.scrub(error),
        });
        const tooLong =
          classified.retryAfterMs !== undefined && classified.retryAfterMs > this.maxRetryAfterMs;
        if (!classified.retryable || attempt >= this.maxAttempts || tooLong) {
          throw new LlmFailure(classified.kind, { cause: error });
        }
        await this.sleep(classified.retryAfterMs ?? this.backoff(attempt));
      }
    }
  }

  /** Exponential backoff with jitter: half the ceiling plus up to half again. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(8_000, 500 * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  private logContext() {
    return { provider: this.spec.provider, model: this.spec.model };
  }

  /** The error's own words for the logs, bounded, with the API key (if a server echoed it) removed. */
  private scrub(error: unknown): string {
    const text = clip(error instanceof Error ? `${error.name}: ${error.message}` : String(error), 300);
    const key = this.spec.apiKey;
    const withoutKey = key ? text.split(key).join('[redacted]') : text;
    return withoutKey.replace(/\b(sk|key)-[A-Za-z0-9_*-]{8,}/g, '[redacted]');
  }
}

interface ChunkEntry {
  message: NormalizedMessage;
  prompt: PromptMessage;
}

/** The messages as the model sees them, split into parts of at most `maxChars` JSON characters. */
function chunkMessages(messages: NormalizedMessage[], maxChars: number): ChunkEntry[][] {
  const chunks: ChunkEntry[][] = [];
  let current: ChunkEntry[] = [];
  let size = 0;
  messages.forEach((message, i) => {
    const prompt = toPromptMessage(message, CitationIndex.idOf(i));
    const length = JSON.stringify(prompt).length + 1;
    if (current.length > 0 && size + length > maxChars) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push({ message, prompt });
    size += length;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** JSON characters of the whole window as the model would see it. */
function promptSize(messages: NormalizedMessage[]): number {
  return messages.reduce(
    (sum, m, i) => sum + JSON.stringify(toPromptMessage(m, CitationIndex.idOf(i))).length + 1,
    0,
  );
}

function toPromptMessage(message: NormalizedMessage, id: string): PromptMessage {
  const prompt: PromptMessage = {
    id,
    author: clip(message.authorName, 80),
    time: message.timestamp,
    text: promptText(message.content),
  };
  if (message.threadName) prompt.thread = clip(message.threadName, 80);
  if (message.isBot) prompt.bot = true;
  if (message.attachments.length > 0) prompt.files = message.attachments.map((a) => clip(a.name, 80));
  return prompt;
}

/** The extractive pass's decisions, action items and open questions of one part, cited by prompt id. */
function hintsFor(chunk: ChunkEntry[], options: SummarizeOptions): PromptHints {
  const idByLink = new Map(chunk.map(({ message, prompt }) => [message.jumpLink, prompt.id]));
  const extractive = summarizeExtractive(
    chunk.map(({ message }) => message),
    { length: options.length, ...(options.focus ? { focus: options.focus } : {}) },
  );
  const ids = (links: string[]) => links.map((l) => idByLink.get(l)).filter((id): id is string => !!id);
  return {
    decisions: extractive.decisions.map((p) => ({ text: p.text, sources: ids(p.sources) })),
    actionItems: extractive.actionItems.map((p) => ({
      text: p.text,
      owner: p.owner ?? null,
      sources: ids(p.sources),
    })),
    openQuestions: extractive.openQuestions.map((p) => ({ text: p.text, sources: ids(p.sources) })),
  };
}

/** The summary JSON in an answer that wraps it in a code fence or prose; undefined if there is none. */
function parseLeniently(text: string): ModelSummary | undefined {
  const unfenced = text.replace(/```(?:json)?/gi, '');
  const start = unfenced.indexOf('{');
  const end = unfenced.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(unfenced.slice(start, end + 1));
  } catch {
    // Not JSON even without the wrapping: the caller asks the model to repair it.
    return undefined;
  }
  const parsed = ModelSummary.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** The first schema problem in words for the repair request: `keyPoints.0.sources: expected array`. */
function schemaProblem(error: NoObjectGeneratedError): string {
  const data = safeJson(error.text ?? '');
  if (data === undefined) return 'not valid JSON';
  const parsed = ModelSummary.safeParse(data);
  if (parsed.success) return 'not valid JSON';
  const issue = parsed.error.issues[0];
  if (!issue) return 'not valid JSON';
  if (issue.path.length === 0) return 'not a JSON object';
  return `${issue.path.join('.')}: ${issue.message}`;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The caller reports "not valid JSON" for anything unparsable.
    return undefined;
  }
}
