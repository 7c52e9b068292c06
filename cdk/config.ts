import { z } from 'zod';
import { DEFAULT_BEDROCK_MODEL_ID } from '../lib/shared/bedrock-model.ts';
import {
  DEFAULT_SUBSCRIBERS_PER_TASK,
  SUBSCRIBERS_PER_TASK_CEILING,
} from '../lib/shared/subscriber-limits.ts';
import { httpUrl, SUMMARIZER_NAMES } from '../lib/shared/summarizer-env.ts';

/** Log retention periods CloudWatch Logs accepts (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 3653,
] as const;

/** Context values arrive as strings from `-c key=value` and as JSON values from cdk.json: accept both. */
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const optionalText = <T extends z.ZodType<string>>(schema: T) =>
  z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

/**
 * The deployment's settings, read from CDK context (`cdk.json` or `-c key=value`). Every key has a default,
 * so `cdk synth` works on a fresh clone; a bad value stops synth with a message naming the key.
 */
const StackConfigFields = z.object({
  /** Names every resource (`summary-bot-<stage>-…`); `dev` makes the stack disposable. */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,20}$/, 'expected a lowercase stage name (a letter, then letters, digits or -)')
    .default('dev'),
  /**
   * Who writes the summaries. `bedrock` needs no key (the executor's role is granted the model);
   * `anthropic` and `openai` read their key from the Discord secret (`anthropicApiKey`, `openaiApiKey`);
   * `openai-compatible` needs `summarizerBaseUrl` (and `openaiApiKey` in the secret if the server wants one).
   * Every LLM falls back to the extractive summarizer. Bedrock is the default on AWS because it needs no key
   * in the secret; until DEPLOY step 3 is done its summaries fall back and say so in their footer.
   */
  summarizer: z
    .enum(SUMMARIZER_NAMES, { error: `expected one of ${SUMMARIZER_NAMES.join(', ')}` })
    .default('bedrock'),
  /** The model for `anthropic`, `openai` or `openai-compatible` (Bedrock takes `bedrockModelId`). */
  summarizerModel: optionalText(z.string().trim().min(1).max(200)),
  /** The provider API's base URL: required for `openai-compatible`, a proxy for the others. */
  summarizerBaseUrl: optionalText(httpUrl),
  /** `provider[=model[@baseURL]]`, comma-separated, tried after `summarizer`; the extractive one ends it. */
  summarizerFallback: optionalText(z.string().max(2000)),
  /** Tokens a server may spend on LLM summaries per UTC day unless `/config llm-budget` says otherwise. */
  llmDailyTokenBudget: int(0, 1_000_000_000).default(200_000),
  /**
   * A Bedrock model id or inference profile id (`us.`, `eu.`, `apac.`, `global.` prefixes). The default,
   * Claude Haiku 4.5's global inference profile, can be invoked on demand from every commercial Region
   * (lib/shared/bedrock-model.ts says why it was chosen).
   */
  bedrockModelId: z
    .string()
    .regex(
      /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/,
      'expected a Bedrock model id such as eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    )
    .default(DEFAULT_BEDROCK_MODEL_ID),
  alarmEmail: optionalText(z.email('expected an e-mail address for alarm notifications')),
  /** The verified SES identity summaries are sent from; without it e-mail destinations are refused. */
  sesFromAddress: optionalText(z.email('expected the verified SES sender address')),
  /** Days until a summary file in the bucket expires; 0 keeps files forever. */
  summariesRetentionDays: int(0, 3650).default(90),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  logRetentionDays: z.coerce
    .number()
    .refine((days) => (LOG_RETENTION_DAYS as readonly number[]).includes(days), {
      message: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(30),
  maxConsecutiveFailures: int(1, 100).default(5),
  runRetentionDays: int(1, 3650).default(30),
  /** Limits per server and per member (issue #11): the same settings as lib/config.ts, same defaults. */
  maxTasksPerServer: int(1, 100_000).default(50),
  minScheduleIntervalMinutes: int(1, 1_440).default(15),
  maxSubscribersPerTask: int(1, SUBSCRIBERS_PER_TASK_CEILING).default(DEFAULT_SUBSCRIBERS_PER_TASK),
  summarizePerMemberPerMinute: int(1, 1_000).default(3),
  summarizePerServerPerMinute: int(1, 10_000).default(20),
  /**
   * Concurrent executions reserved for the interactions function: bounds what a flood of requests can
   * cost. Off by default: Lambda lets an account reserve only its unreserved concurrency minus 100, and
   * new accounts often start with a quota of 10, where any reservation fails the deploy.
   */
  interactionsConcurrency: z.union([z.literal('off'), int(1, 1000)]).default('off'),
  /**
   * Use an existing task table by name instead of creating one: the table a removed stack retained, or
   * a point-in-time restore of it (docs/DEPLOY.md, "Deploy again after a remove").
   */
  existingTableName: optionalText(
    z
      .string()
      .regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'expected a DynamoDB table name (3 to 255 of a-z A-Z 0-9 _ . -)'),
  ),
  /** Import an existing secret by name instead of creating `summary-bot/<stage>/discord`. */
  discordSecretName: optionalText(
    z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'expected a Secrets Manager secret name'),
  ),
});
/** The fields, then the combinations a field alone cannot check (each message names its key). */
export const StackConfigSchema = StackConfigFields.superRefine((config, ctx) => {
  if (config.summarizer === 'openai-compatible' && !config.summarizerBaseUrl) {
    ctx.addIssue({
      code: 'custom',
      path: ['summarizerBaseUrl'],
      message:
        "expected the server's API base URL with summarizer=openai-compatible, such as https://openrouter.ai/api/v1",
    });
  }
  if (config.summarizer === 'openai-compatible' && !config.summarizerModel) {
    ctx.addIssue({
      code: 'custom',
      path: ['summarizerModel'],
      message: 'expected the model the server serves with summarizer=openai-compatible, such as llama3.1',
    });
  }
  if (fallbackEntries(config.summarizerFallback).some((e) => e.provider === 'bedrock' && !e.model)) {
    ctx.addIssue({
      code: 'custom',
      path: ['summarizerFallback'],
      message:
        'expected bedrock=<model id> in the fallback, such as bedrock=eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    });
  }
  if (config.summarizerModel && (config.summarizer === 'bedrock' || config.summarizer === 'extractive')) {
    ctx.addIssue({
      code: 'custom',
      path: ['summarizerModel'],
      message:
        config.summarizer === 'bedrock'
          ? 'Bedrock takes its model from bedrockModelId; remove summarizerModel'
          : 'set summarizer to the provider this model is for (anthropic, openai, openai-compatible)',
    });
  }
});
export type StackConfig = z.infer<typeof StackConfigSchema>;

/** `provider[=model[@baseURL]]` items of a fallback chain (the full check runs at the executor's start). */
function fallbackEntries(fallback: string | undefined): { provider: string; model?: string }[] {
  return (fallback ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)
    .map((item) => {
      const [provider = '', rest] = item.split(/=(.*)/s);
      const model = rest?.split('@')[0]?.trim();
      return model ? { provider: provider.trim(), model } : { provider: provider.trim() };
    });
}

/** Every Bedrock model the summarizer chain may call: the executor is granted exactly these. */
export function bedrockModelIds(config: StackConfig): string[] {
  const ids = fallbackEntries(config.summarizerFallback)
    .filter((e) => e.provider === 'bedrock' && e.model)
    .map((e) => e.model as string);
  if (config.summarizer === 'bedrock') ids.unshift(config.bedrockModelId);
  return [...new Set(ids)];
}

/** The context keys the stack reads. */
export const CONTEXT_KEYS = Object.keys(StackConfigFields.shape) as (keyof StackConfig)[];

/** Thrown when a context value is wrong; the CDK CLI prints the message and synth stops. */
export class StackConfigError extends Error {
  override name = 'StackConfigError';
}

/** Validates the context values (`tryGetContext` per key) into the stack's configuration. */
export function loadStackConfig(getContext: (key: string) => unknown): StackConfig {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, getContext(key)]));
  const result = StackConfigSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const value = raw[String(issue.path[0])];
      const given = value === undefined ? ' (not set)' : `=${JSON.stringify(value)}`;
      return `  -c ${issue.path.join('.')}${given}: ${issue.message}`;
    });
    throw new StackConfigError(`Invalid CDK context for Summary Bot:\n${problems.join('\n')}`);
  }
  return result.data;
}
