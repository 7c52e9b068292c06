import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FileStore } from '../delivery/file.ts';
import { DeliveryError } from '../errors.ts';

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * Stores summary files in an S3 bucket. Encryption is left to the bucket's default (SSE-S3 at least, or the
 * KMS key the stack configures): a per-request header here would silently override a KMS default.
 */
export class S3FileStore implements FileStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: { client: S3Client; bucket: string }) {
    this.#client = options.client;
    this.#bucket = options.bucket;
  }

  /** PutObject under `key`; the location is `s3://bucket/key`. */
  async write(key: string, body: string, contentType: string): Promise<{ location: string }> {
    if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '.' || part === '..')) {
      throw new DeliveryError(`refusing to write S3 key ${JSON.stringify(key)}: not a plain relative key`);
    }
    try {
      await this.#client.send(
        new PutObjectCommand({ Bucket: this.#bucket, Key: key, Body: body, ContentType: contentType }),
      );
      return { location: `s3://${this.#bucket}/${key}` };
    } catch (error) {
      const name = (error as { name?: string }).name ?? 'Error';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      const transient = name === 'SlowDown' || status >= 500 || status === 0;
      throw new DeliveryError(`S3 refused writing ${key} (${name})`, { cause: error, transient });
    }
  }
}
