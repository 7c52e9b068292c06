/**
 * The summarizer's environment variables, merged into `CommonEnv` by `lib/config.ts`; what they mean is
 * resolved (and cross-checked) by `lib/summarization/llm/settings.ts`.
 */
import * as z from 'zod';

/** The LLM providers the bot speaks to, each through its AI SDK provider package. */
export const LLM_PROVIDERS = ['bedrock', 'anthropic', 'openai', 'openai-compatible'] as const;
export type LlmProviderName = (typeof LLM_PROVIDERS)[number];

/** `SUMMARIZER` values: the built-in extractive summarizer or one of the LLM providers. */
export const SUMMARIZER_NAMES = ['extractive', ...LLM_PROVIDERS] as const;
export type SummarizerName = (typeof SUMMARIZER_NAMES)[number];

const blankIsUnset = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

/** An http(s) API base such as `http://localhost:11434/v1`. */
export const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), {
    message: 'expected the API base URL, such as http://localhost:11434/v1',
  });

/** The environment variables of the summarizer, merged into `CommonEnv` by `lib/config.ts`. */
export const SummarizerEnv = z.object({
  SUMMARIZER: blankIsUnset(
    z
      .enum(SUMMARIZER_NAMES, { error: `expected one of ${SUMMARIZER_NAMES.join(', ')}` })
      .default('extractive'),
  ),
  /** The model id; defaults exist for Anthropic and OpenAI only. */
  SUMMARIZER_MODEL: blankIsUnset(z.string().trim().min(1).max(200).optional()),
  SUMMARIZER_BASE_URL: blankIsUnset(httpUrl.optional()),
  /** `provider[=model[@baseURL]]`, comma-separated: tried in order after SUMMARIZER; extractive ends it. */
  SUMMARIZER_FALLBACK: blankIsUnset(z.string().max(2000).optional()),
  SUMMARIZER_TIMEOUT_SECONDS: blankIsUnset(z.coerce.number().int().min(5).max(600).default(60)),
  /** `input/output` USD per million tokens, for the primary model's estimated cost. */
  SUMMARIZER_PRICE: blankIsUnset(
    z
      .string()
      .regex(/^\d+(\.\d+)?\/\d+(\.\d+)?$/, 'expected input/output USD per million tokens, such as 1/5')
      .optional(),
  ),
  /** Tokens a server may spend per UTC day unless it sets its own budget; 0 turns LLM summaries off. */
  LLM_DAILY_TOKEN_BUDGET: blankIsUnset(z.coerce.number().int().min(0).max(1_000_000_000).default(200_000)),
  ANTHROPIC_API_KEY: blankIsUnset(z.string().trim().min(1).optional()),
  OPENAI_API_KEY: blankIsUnset(z.string().trim().min(1).optional()),
  AWS_REGION: blankIsUnset(z.string().trim().min(1).optional()),
});
export type SummarizerEnv = z.infer<typeof SummarizerEnv>;
