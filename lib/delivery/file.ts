import { DeliveryError } from '../errors.ts';
import type { Destination } from '../tasks/destination.ts';
import { Snowflake, TaskId } from '../tasks/fields.ts';
import type { Deliverer, DeliveryContext, DeliveryReceipt } from './deliverer.ts';
import { renderMarkdown, toWebhookPayload } from './render.ts';

type FileDestination = Extract<Destination, { type: 'file' }>;

/** Stores a text object under a relative key (S3 in AWS, a folder locally). */
export interface FileStore {
  write(key: string, body: string, contentType: string): Promise<{ location: string }>;
}

const PREFIX = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

function assertPiece(name: string, valid: boolean): void {
  // Keys are built only from checked pieces, so no input can steer a write outside the prefix.
  if (!valid) throw new DeliveryError(`file destination: ${name} is not valid for a file name`);
}

/**
 * The keys of one delivery: `<prefix>/<guildId>/<channelId>/<scheduledTime>.md` and `.json`, with `:` in the
 * time replaced by `-` (file-system safe). Throws DeliveryError when a piece does not match its pattern.
 */
export function fileKeys(prefix: string, context: DeliveryContext): { markdown: string; json: string } {
  const channelId = context.channelIds[0] ?? '';
  assertPiece('prefix', PREFIX.test(prefix) && prefix.length <= 200);
  assertPiece('guild id', Snowflake.safeParse(context.guildId).success);
  assertPiece('channel id', Snowflake.safeParse(channelId).success);
  assertPiece('task id', TaskId.safeParse(context.taskId).success);
  assertPiece(
    'scheduled time',
    INSTANT.test(context.scheduledTime) && Number.isFinite(Date.parse(context.scheduledTime)),
  );
  const base = `${prefix}/${context.guildId}/${channelId}/${context.scheduledTime.replaceAll(':', '-')}`;
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/** `2026-11-27T03-00-00.000Z.md`: the file name fileKeys gives a run's scheduled time. */
const FILE_NAME = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}(?:\.\d{1,3})?Z)\.(?:md|json)$/;

/**
 * The guild, channel and scheduled time of a key fileKeys made (`<prefix>/<guild>/<channel>/<time>.md`),
 * or undefined for any other key: what cleanup reads to remove only a guild's own old summaries.
 */
export function parseFileKey(
  key: string,
): { guildId: string; channelId: string; scheduledTime: Date } | undefined {
  const parts = key.split('/');
  if (parts.length < 4) return undefined;
  const [guildId, channelId, name] = parts.slice(-3) as [string, string, string];
  const time = FILE_NAME.exec(name);
  if (!time || !Snowflake.safeParse(guildId).success || !Snowflake.safeParse(channelId).success)
    return undefined;
  const scheduledTime = new Date(`${time[1]}:${time[2]}:${time[3]}`);
  return Number.isNaN(scheduledTime.getTime()) ? undefined : { guildId, channelId, scheduledTime };
}

/** Writes a summary as Markdown and JSON files; a retry of the same run overwrites the same keys. */
export class FileDeliverer implements Deliverer<FileDestination> {
  readonly #store: FileStore;

  constructor(options: { store: FileStore }) {
    this.#store = options.store;
  }

  /** Writes both files; the receipt is the Markdown file's location. */
  async deliver(destination: FileDestination, context: DeliveryContext): Promise<DeliveryReceipt> {
    const keys = fileKeys(destination.prefix, context);
    try {
      const written = await this.#store.write(
        keys.markdown,
        `${renderMarkdown(context.summary, context)}\n`,
        'text/markdown; charset=utf-8',
      );
      await this.#store.write(
        keys.json,
        `${JSON.stringify(toWebhookPayload(context), null, 2)}\n`,
        'application/json; charset=utf-8',
      );
      return { location: written.location };
    } catch (error) {
      if (error instanceof DeliveryError) throw error;
      throw new DeliveryError(`writing the summary file ${keys.markdown} failed`, {
        cause: error,
        transient: false,
      });
    }
  }
}
