import { z } from 'zod';

/** `<DATA_DIR>/runtime.json`: how the CLI reaches this process (cli-context.ts reads the first two). */
export const RuntimeFile = z.object({
  dynamoEndpoint: z.string(),
  /** The embedded DynamoDB answers only requests signed with this access key id (new at every start). */
  dynamoAccessKeyId: z.string().min(16),
  pid: z.number().int().positive(),
  port: z.number().int().min(0),
  url: z.string(),
  sandbox: z.boolean(),
  controlToken: z.string().min(16),
  startedAt: z.string(),
  /** Sandbox only: its Discord stand-in, so `tasks import` can check channels against the sample server. */
  discord: z.object({ api: z.string(), token: z.string() }).optional(),
});
export type RuntimeFile = z.infer<typeof RuntimeFile>;
