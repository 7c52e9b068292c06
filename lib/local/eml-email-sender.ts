import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmailMessage, EmailSender } from '../delivery/email.ts';
import { DeliveryError } from '../errors.ts';

const CRLF = '\r\n';

/** A header value must never carry a line break: that would be header injection. */
function headerValue(value: string): string {
  if (/[\r\n]/.test(value)) throw new DeliveryError('an e-mail header value contains a line break');
  return value;
}

/** RFC 2047 encoded words (UTF-8, base64) for non-ASCII header text, each word within 75 characters. */
export function encodeHeaderText(text: string): string {
  headerValue(text);
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    // 45 bytes of UTF-8 become 60 base64 characters; with `=?UTF-8?B?` and `?=` that is 72 <= 75.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join(`${CRLF} `);
}

/** RFC 5322 date-time (`Tue, 07 May 2024 09:00:00 +0000`). */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

function base64Body(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join(CRLF);
}

/** Builds a multipart/alternative RFC 5322 message (text and HTML, base64) with CRLF line endings. */
export function buildEml(
  message: EmailMessage,
  options: { from: string; messageId: string; date: Date; boundary: string },
): string {
  const headers = [
    `From: ${headerValue(options.from)}`,
    `To: ${message.to.map(headerValue).join(', ')}`,
    `Subject: ${encodeHeaderText(message.subject)}`,
    `Date: ${rfc5322Date(options.date)}`,
    `Message-ID: <${headerValue(options.messageId)}>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/alternative; boundary="${options.boundary}"`,
  ];
  const part = (type: string, body: string) =>
    [
      `--${options.boundary}`,
      `Content-Type: ${type}; charset=UTF-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Body(body),
    ].join(CRLF);
  return [
    ...headers,
    '',
    'This is a multipart message in MIME format.',
    part('text/plain', message.text),
    part('text/html', message.html),
    `--${options.boundary}--`,
    '',
  ].join(CRLF);
}

/** Writes e-mails as `.eml` files (the local runtime's outbox, e.g. `.data/outbox/`) instead of sending them. */
export class EmlEmailSender implements EmailSender {
  readonly #dir: string;
  readonly #from: string;
  readonly #now: () => Date;

  constructor(options: { dir: string; from?: string; now?: () => Date }) {
    this.#dir = path.resolve(options.dir);
    this.#from = options.from ?? 'Summary Bot <summary-bot@localhost>';
    this.#now = options.now ?? (() => new Date());
  }

  /** Writes one file named `<time>-<id>.eml`; the id is the Message-ID's local part. */
  async send(message: EmailMessage): Promise<{ id: string }> {
    const id = randomUUID();
    const date = this.#now();
    const eml = buildEml(message, {
      from: this.#from,
      messageId: `${id}@summary-bot.local`,
      date,
      boundary: `=_summary_${id.replaceAll('-', '')}`,
    });
    const name = `${date.toISOString().replaceAll(':', '-')}-${id}.eml`;
    const file = path.join(this.#dir, name);
    const temporary = `${file}.tmp`;
    try {
      await mkdir(this.#dir, { recursive: true });
      await writeFile(temporary, eml, { encoding: 'utf8', flag: 'wx' });
      await rename(temporary, file);
    } catch (error) {
      throw new DeliveryError(`writing the e-mail to ${this.#dir} failed`, {
        cause: error,
        transient: false,
      });
    }
    return { id };
  }
}
