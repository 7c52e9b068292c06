import * as z from 'zod';
import { Snowflake } from './fields.ts';

/**
 * Webhooks are https. Plain http is representable only for loopback hosts, for local receivers; the webhook
 * deliverer still refuses those unless the runtime allows loopback (off by default).
 */
export function isAllowedWebhookScheme(url: string): boolean {
  if (url.startsWith('https://')) return true;
  try {
    const { protocol, hostname } = new URL(url);
    return (
      protocol === 'http:' && (hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]')
    );
  } catch {
    return false; // not a URL at all: the .url() check above already reports it
  }
}

/** Where a summary goes. At least one per summary task. */
export const Destination = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('discord_channel'),
    channelId: Snowflake,
    format: z.enum(['embed', 'markdown']),
    /** Each run starts a new thread there (a post in a forum or media channel) named after its window. */
    thread: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('webhook'),
    url: z
      .string()
      .max(2048)
      .url('expected an https:// URL')
      .refine(isAllowedWebhookScheme, 'expected an https:// URL'),
    secret: z.string().min(16, 'expected a signing secret of at least 16 characters').max(256).optional(),
  }),
  z.object({
    type: z.literal('email'),
    addresses: z.array(z.email('expected an e-mail address')).min(1).max(50),
  }),
  z.object({
    type: z.literal('file'),
    // A relative prefix under the configured root (S3 bucket or local folder); never absolute, never `..`.
    prefix: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'expected a relative folder such as summaries/weekly'),
  }),
]);
export type Destination = z.infer<typeof Destination>;
export type DestinationType = Destination['type'];
