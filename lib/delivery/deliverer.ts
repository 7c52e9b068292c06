import type { Summary } from '../summarization/summarizer.ts';
import type { Destination, DestinationType } from '../tasks/destination.ts';

/** Everything a destination needs to render and label one run's summary. */
export interface DeliveryContext {
  taskId: string;
  taskName: string;
  guildId: string;
  channelIds: string[];
  /** ISO instant; with the task id it makes the delivery idempotent (Discord nonce, file name). */
  scheduledTime: string;
  window: { from: string; to: string };
  /** The task's IANA zone: where words name a time (a thread's name); UTC when absent. */
  timeZone?: string;
  summary: Summary;
}

export interface DeliveryReceipt {
  /** Where it went: a message link, an S3 key, a file path, a webhook status. */
  location?: string;
}

/** Delivers a summary to one kind of destination. Throws DeliveryError (with `transient`) on failure. */
export interface Deliverer<T extends Destination = Destination> {
  deliver(destination: T, context: DeliveryContext): Promise<DeliveryReceipt>;
  /**
   * Set when `deliver` already retries transient failures with backoff (the webhook deliverer retries each
   * part on its own, so a multi-part post never repeats the parts sent): the executor then does not wrap
   * it in its own retries, which would multiply the requests (4 × 4 to a dead webhook per attempt).
   */
  readonly retriesTransientFailures?: boolean;
}

type DestinationOf<K extends DestinationType> = Extract<Destination, { type: K }>;

/** One deliverer per destination type; the executor picks by `destination.type`. */
export type Deliverers = { [K in DestinationType]: Deliverer<DestinationOf<K>> };

/** Delivers to `destination` with the deliverer of its type. */
export function deliverTo<K extends DestinationType>(
  deliverers: Deliverers,
  destination: DestinationOf<K> & { type: K },
  context: DeliveryContext,
): Promise<DeliveryReceipt> {
  return deliverers[destination.type].deliver(destination, context);
}
