import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailSender } from '../delivery/email.ts';
import { DeliveryError } from '../errors.ts';

// SES answers these when the request itself is wrong or the account cannot send: retrying will not help.
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
  'LimitExceededException',
]);

/** Sends e-mail through Amazon SES v2 (`SendEmail` with simple content: text and HTML bodies). */
export class SesEmailSender implements EmailSender {
  readonly #client: SESv2Client;
  readonly #from: string;

  constructor(options: { client: SESv2Client; from: string }) {
    this.#client = options.client;
    this.#from = options.from;
  }

  /** Sends one message; DeliveryError (transient for throttling and 5xx) when SES refuses. */
  async send(message: EmailMessage): Promise<{ id: string }> {
    try {
      const result = await this.#client.send(
        new SendEmailCommand({
          FromEmailAddress: this.#from,
          Destination: { ToAddresses: message.to },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                Html: { Data: message.html, Charset: 'UTF-8' },
              },
            },
          },
        }),
      );
      return { id: result.MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      const transient =
        !PERMANENT.has(name) && (name === 'TooManyRequestsException' || status >= 500 || status === 0);
      throw new DeliveryError(`SES refused the summary e-mail (${name})`, { cause: error, transient });
    }
  }
}
