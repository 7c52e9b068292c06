import { DeliveryError } from '../errors.ts';
import { plural } from '../shared/words.ts';
import type { Destination } from '../tasks/destination.ts';
import type { Deliverer, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
import { renderHtml, renderPlainText } from './render.ts';

type EmailDestination = Extract<Destination, { type: 'email' }>;

/** One e-mail with a text and an HTML alternative. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/** Sends e-mail (SES v2 in AWS, `.eml` files locally). Returns the provider's message id. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ id: string }>;
}

/** Subjects stay one short line: no CR/LF can reach a header, and mail clients cut long ones anyway. */
const SUBJECT_MAX = 200;

/** The subject line of a summary e-mail. */
export function emailSubject(context: DeliveryContext): string {
  const subject = `${context.summary.title} (${context.taskName})`.replace(/[\r\n\t\s]+/g, ' ').trim();
  return subject.length <= SUBJECT_MAX ? subject : `${[...subject].slice(0, SUBJECT_MAX - 1).join('')}…`;
}

/** Delivers a summary by e-mail, as plain text with an HTML alternative. */
export class EmailDeliverer implements Deliverer<EmailDestination> {
  readonly #sender: EmailSender;

  constructor(options: { sender: EmailSender }) {
    this.#sender = options.sender;
  }

  /** Sends one message to all addresses; the receipt is the provider's message id. */
  async deliver(destination: EmailDestination, context: DeliveryContext): Promise<DeliveryReceipt> {
    try {
      const { id } = await this.#sender.send({
        to: [...destination.addresses],
        subject: emailSubject(context),
        text: renderPlainText(context.summary, context),
        html: renderHtml(context.summary, context),
      });
      return { location: `email:${id}` };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(
        `sending the summary e-mail to ${plural(destination.addresses.length, 'recipient')} failed`,
        {
          cause: error,
          transient: false,
        },
      );
    }
  }
}
