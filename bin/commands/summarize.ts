/**
 * `summary-bot summarize <file|->`: summarizes a transcript (`Name: text` lines or a JSON array of
 * messages) with the configured summarizer and prints it as a Discord channel would show it (Markdown), `--json`, or with `--jsonl` one plain-text
 * summary per input line. Exit codes: 0 ok, 1 failure, 2 bad input.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { parseEnv } from '../../lib/config.ts';
import { renderForDiscord } from '../../lib/delivery/render.ts';
import { ConfigError, ValidationError } from '../../lib/errors.ts';
import {
  createSummarizer,
  resolveSummarizerSettings,
  SUMMARIZER_NAMES,
  SummarizerEnv,
} from '../../lib/summarization/llm/index.ts';
import { summaryToPlainText } from '../../lib/summarization/plain-text.ts';
import type { SummarizeOptions } from '../../lib/summarization/summarizer.ts';
import { parseTranscript } from '../../lib/summarization/transcript.ts';
import { canonicalLanguage } from '../../lib/tasks/language.ts';
import { SummaryFocus, SummaryLength } from '../../lib/tasks/summary-options.ts';

const USAGE = `usage: summary-bot summarize <file|-> [--length brief|detailed|comprehensive]
                            [--focus general|developer|executive|support|moderation|community]
                            [--language <tag>]
                            [--json | --jsonl]

  <file|->   a transcript: lines "Name: text" (a line without "Name:" continues the previous
             message) or a JSON array of messages with at least "author" and "content"
  --json     print the structured summary as JSON instead of Markdown
  --jsonl    the input holds one JSON object per line, {"id": ..., "transcript": "..."} (or a
             DialogSum "dialogue"); print one line {"id": ..., "summary": "<plain text>"} each
  --language <tag>  the language an LLM writes in, such as de or pt-BR (default: the messages')

  SUMMARIZER=${SUMMARIZER_NAMES.join('|')} selects the summarizer (default extractive);
  SUMMARIZER_MODEL, SUMMARIZER_BASE_URL, ANTHROPIC_API_KEY, OPENAI_API_KEY and SUMMARIZER_FALLBACK
  configure an LLM (environment or .env). An LLM that fails falls back to the extractive summarizer,
  with a footer saying why.
`;

const JsonlEntry = z
  .object({
    id: z.union([z.string(), z.number()]),
    transcript: z.string().min(1).optional(),
    dialogue: z.string().min(1).optional(),
  })
  .refine((e) => e.transcript !== undefined || e.dialogue !== undefined, {
    message: 'expected "transcript" (or "dialogue"): a non-empty string',
    path: ['transcript'],
  });

async function readInput(source: string): Promise<string> {
  if (source !== '-') return readFile(source, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonl(text: string): { id: string | number; transcript: string }[] {
  const entries: { id: string | number; transcript: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      throw new ValidationError(`line ${i + 1}`, 'a JSON object', { cause: error });
    }
    const parsed = JsonlEntry.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join('.') || '(object)';
      throw new ValidationError(`line ${i + 1}: ${field}`, issue?.message ?? 'a valid entry');
    }
    entries.push({
      id: parsed.data.id,
      transcript: (parsed.data.transcript ?? parsed.data.dialogue) as string,
    });
  });
  return entries;
}

/** Runs the command; returns the exit code. */
export async function run(args: string[]): Promise<number> {
  let values: ReturnType<typeof parseOptions>['values'];
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptions(args));
  } catch (error) {
    process.stderr.write(`summary-bot summarize: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const source = positionals[0];
  if (!source || positionals.length > 1 || (values.json && values.jsonl)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const options: SummarizeOptions = {
      length: parseChoice(SummaryLength, values.length ?? 'detailed', '--length'),
      focus: parseChoice(SummaryFocus, values.focus ?? 'general', '--focus'),
    };
    if (values.language !== undefined) {
      const language = canonicalLanguage(values.language);
      if (!language) throw new ValidationError('--language', 'a language tag such as en, de, fr or pt-BR');
      options.language = language;
    }
    if (existsSync('.env')) process.loadEnvFile('.env');
    const summarizer = await createSummarizer(resolveSummarizerSettings(parseEnv(SummarizerEnv)));
    const text = await readInput(source);

    if (values.jsonl) {
      const entries = parseJsonl(text);
      const parsed = entries.map((e, i) => {
        try {
          return { id: e.id, messages: parseTranscript(e.transcript) };
        } catch (error) {
          if (error instanceof ValidationError) {
            throw new ValidationError(`entry ${i + 1} (id ${e.id}): ${error.field}`, error.expected);
          }
          throw error;
        }
      });
      for (const entry of parsed) {
        const summary = await summarizer.summarize(entry.messages, options);
        process.stdout.write(`${JSON.stringify({ id: entry.id, summary: summaryToPlainText(summary) })}\n`);
      }
      return 0;
    }

    const summary = await summarizer.summarize(parseTranscript(text), options);
    process.stdout.write(
      values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${renderForDiscord(summary)}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError || error instanceof ConfigError) {
      process.stderr.write(`summary-bot summarize: ${error.message}\n`);
      return 2;
    }
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      process.stderr.write(`summary-bot summarize: ${source}: no such file\n`);
      return 2;
    }
    process.stderr.write(`summary-bot summarize: failed: ${(error as Error).message}\n`);
    return 1;
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      length: { type: 'string' },
      focus: { type: 'string' },
      json: { type: 'boolean' },
      jsonl: { type: 'boolean' },
      language: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function parseChoice<T extends string>(schema: z.ZodEnum<{ [K in T]: K }>, value: string, flag: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ValidationError(flag, `one of ${schema.options.join(', ')}`);
  return parsed.data as T;
}
