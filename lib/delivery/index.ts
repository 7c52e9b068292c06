import type { Destination } from '../tasks/destination.ts';
import type { Deliverer, Deliverers } from './deliverer.ts';
import { DiscordChannelDeliverer } from './discord-channel.ts';
import type { DiscordPoster, DiscordThreadPoster } from './discord-poster.ts';
import { EmailDeliverer, type EmailSender } from './email.ts';
import { FileDeliverer, type FileStore } from './file.ts';
import { WebhookDeliverer, type WebhookDelivererOptions } from './webhook.ts';

export type { Deliverer, Deliverers, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
export { DiscordChannelDeliverer } from './discord-channel.ts';
export { buildEmbedMessages, buildMarkdownMessages, deliveryNonce } from './discord-message.ts';
export { EmailDeliverer, type EmailMessage, type EmailSender } from './email.ts';
export { FileDeliverer, type FileStore } from './file.ts';
export {
  renderHtml,
  renderMarkdown,
  renderPlainText,
  toWebhookPayload,
  type WebhookPayload,
} from './render.ts';
export { WebhookDeliverer, type WebhookDelivererOptions } from './webhook.ts';

type WebhookDestination = Extract<Destination, { type: 'webhook' }>;

/** The adapters behind the four destination types. */
export interface DelivererDependencies {
  poster: DiscordPoster;
  /** Starts threads for `thread:true` Discord destinations; without it those deliveries fail, named. */
  threads?: DiscordThreadPoster;
  /** A ready deliverer, or options for one (production defaults when omitted). */
  webhook?: Deliverer<WebhookDestination> | WebhookDelivererOptions;
  emailSender: EmailSender;
  fileStore: FileStore;
}

/** One deliverer per destination type, for the executor. */
export function createDeliverers(deps: DelivererDependencies): Deliverers {
  const webhook = deps.webhook;
  return {
    discord_channel: new DiscordChannelDeliverer({ poster: deps.poster, threads: deps.threads }),
    webhook:
      webhook && 'deliver' in webhook && typeof webhook.deliver === 'function'
        ? webhook
        : new WebhookDeliverer((webhook as WebhookDelivererOptions | undefined) ?? {}),
    email: new EmailDeliverer({ sender: deps.emailSender }),
    file: new FileDeliverer({ store: deps.fileStore }),
  };
}
