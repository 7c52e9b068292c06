import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { ConfigError } from '../errors.ts';

/** The Discord credentials, kept in one Secrets Manager secret as JSON, with the LLM API keys if any. */
export const DiscordSecret = z.object({
  botToken: z.string().min(20, 'expected the bot token'),
  publicKey: z.string().regex(/^[0-9a-f]{64}$/i, 'expected the 64-hex-digit public key'),
  applicationId: z.string().regex(/^\d{17,20}$/, 'expected the application id (digits)'),
  /** For `summarizer=anthropic` (an empty placeholder counts as unset). */
  anthropicApiKey: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
  /** For `summarizer=openai`, and OpenAI-compatible servers that want a key. */
  openaiApiKey: z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined),
});
export type DiscordSecret = z.infer<typeof DiscordSecret>;

const cache = new Map<string, Promise<DiscordSecret>>();

/**
 * Reads and validates the Discord secret once per container (per secret id). A failed read is not
 * cached, so the next invocation tries again. Errors name the field, never its value.
 */
export function loadDiscordSecret(client: SecretsManagerClient, secretId: string): Promise<DiscordSecret> {
  let pending = cache.get(secretId);
  if (!pending) {
    pending = read(client, secretId).catch((error: unknown) => {
      cache.delete(secretId);
      throw error;
    });
    cache.set(secretId, pending);
  }
  return pending;
}

async function read(client: SecretsManagerClient, secretId: string): Promise<DiscordSecret> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!SecretString) throw new ConfigError(`Discord secret ${secretId}: expected a JSON SecretString`);
  let json: unknown;
  try {
    json = JSON.parse(SecretString);
  } catch {
    throw new ConfigError(
      `Discord secret ${secretId}: expected JSON with botToken, publicKey, applicationId`,
    );
  }
  const parsed = DiscordSecret.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(secret)'}: ${i.message}`);
    throw new ConfigError(`Discord secret ${secretId}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Forgets cached secrets: for tests, and after a rotation in long-lived processes. */
export function clearDiscordSecretCache(): void {
  cache.clear();
}
