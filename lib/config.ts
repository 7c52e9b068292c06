import * as z from 'zod';
import { ConfigError } from './errors.ts';
import { DEFAULT_SUBSCRIBERS_PER_TASK, SUBSCRIBERS_PER_TASK_CEILING } from './shared/subscriber-limits.ts';
import { SummarizerEnv } from './shared/summarizer-env.ts';

/**
 * Parses environment variables with a zod object schema into a frozen object. Throws ConfigError naming
 * every variable that is missing or wrong, so a bad deployment fails at cold start, loudly.
 */
export function parseEnv<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(result.data);
}

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

/** Settings every runtime shares. */
export const CommonEnv = z.object({
  STAGE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,20}$/, 'expected a lowercase stage name')
    .default('dev'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** SUMMARIZER, SUMMARIZER_MODEL, API keys, the token budget: see lib/summarization/llm/settings.ts. */
  ...SummarizerEnv.shape,
  /** After this many failed runs in a row a task is disabled and its admins are told. */
  MAX_CONSECUTIVE_FAILURES: positiveInt(5),
  /** Run records expire (DynamoDB TTL) this many days after the run. */
  RUN_RETENTION_DAYS: positiveInt(30),
  /** EventBridge retry policy's maximum event age: also the grace period for late runs. */
  SCHEDULE_MAX_EVENT_AGE_SECONDS: z.coerce.number().int().min(60).max(86_400).default(300),
  /** Tasks one server may have (completed one-time tasks not counted): create and import refuse beyond it. */
  MAX_TASKS_PER_SERVER: positiveInt(50),
  /** Members one task may DM its digest to (`/subscribe`); beyond it, post the digest to a channel. */
  MAX_SUBSCRIBERS_PER_TASK: z.coerce
    .number()
    .int()
    .min(1)
    .max(SUBSCRIBERS_PER_TASK_CEILING)
    .default(DEFAULT_SUBSCRIBERS_PER_TASK),
  /** Shortest time between two runs of a recurring task (`every`, and cron by its actual next runs). */
  MIN_SCHEDULE_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(1_440).default(15),
  /** `/summarize` requests one member may make per minute (the original bot's limit). */
  SUMMARIZE_PER_MEMBER_PER_MINUTE: positiveInt(3),
  /** `/summarize` requests one server may make per minute, all members together. */
  SUMMARIZE_PER_SERVER_PER_MINUTE: positiveInt(20),
  /** Lets webhook destinations target loopback addresses: for local use and tests only. */
  ALLOW_LOOPBACK_WEBHOOKS: flag,
});
export type CommonConfig = z.infer<typeof CommonEnv>;

/** The Lambda functions' environment, set by the CDK constructs. */
export const AwsEnv = CommonEnv.extend({
  TASK_TABLE_NAME: z.string().min(3),
  SCHEDULE_GROUP_NAME: z.string().regex(/^[0-9a-zA-Z-_.]{1,64}$/),
  SCHEDULER_ROLE_ARN: z.string().startsWith('arn:'),
  EXECUTOR_FUNCTION_ARN: z.string().startsWith('arn:'),
  /** The function that finishes slow commands the endpoint answered "thinking…" (lib/discord/hand-off.ts). */
  INTERACTION_WORKER_FUNCTION_ARN: z.string().startsWith('arn:'),
  DEAD_LETTER_QUEUE_ARN: z.string().startsWith('arn:'),
  /** Secrets Manager secret holding `{ "botToken", "publicKey", "applicationId" }`. */
  DISCORD_SECRET_ARN: z.string().min(1),
  SES_FROM_ADDRESS: z.string().optional(),
  SUMMARIES_BUCKET: z.string().optional(),
});
export type AwsConfig = z.infer<typeof AwsEnv>;

/** `npm start` and the CLI on one machine. Without Discord credentials, `npm start` is the sandbox. */
export const LocalEnv = CommonEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Address to listen on. Default: loopback in the sandbox, every interface for the real bot. */
  HOST: z
    .union([z.ipv4(), z.ipv6(), z.literal('localhost')], {
      error: 'expected an IP address to listen on, or localhost',
    })
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{17,20}$/, 'expected the application id (digits)')
    .optional(),
  DISCORD_PUBLIC_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'expected the 64-hex-digit public key')
    .optional(),
  DISCORD_BOT_TOKEN: z.string().min(20, 'expected the bot token').optional(),
  /** Base of the Discord REST API; the sandbox points it at its stand-in. */
  DISCORD_API_URL: z.string().url().default('https://discord.com/api'),
  /** When set, the status page is served to non-loopback clients that present it. */
  STATUS_TOKEN: z.string().min(16).optional(),
  /** Grace period for a run that was due while the process was down. */
  MISSED_RUN_GRACE_SECONDS: z.coerce.number().int().min(0).default(300),
});
export type LocalConfig = z.infer<typeof LocalEnv>;
