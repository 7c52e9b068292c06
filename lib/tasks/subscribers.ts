import * as z from 'zod';
import { SUBSCRIBERS_PER_TASK_CEILING } from '../shared/subscriber-limits.ts';

/**
 * Members who get a task's digest by direct message (`/subscribe`). Each run sends one DM per subscriber,
 * with only the channels that member can read, so the list is bounded by a setting (subscriber-limits.ts).
 */
export { DEFAULT_SUBSCRIBERS_PER_TASK } from '../shared/subscriber-limits.ts';

const UserId = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

/** One member subscribed to a task's digest, and since when. */
export const Subscriber = z.object({
  userId: UserId,
  since: z.iso.datetime({ offset: true }),
});
export type Subscriber = z.infer<typeof Subscriber>;

/** A task's subscribers as stored, each member once; `/subscribe` keeps them within the setting. */
export const Subscribers = z
  .array(Subscriber)
  .max(SUBSCRIBERS_PER_TASK_CEILING, `expected at most ${SUBSCRIBERS_PER_TASK_CEILING} subscribers`)
  .refine((list) => new Set(list.map((s) => s.userId)).size === list.length, 'expected each member once');

/**
 * How one run's DM to one subscriber went. `dm_closed` is Discord's 50007 (the member does not accept DMs
 * from the server's members or from the bot): counted, never retried, never the task's failure.
 */
export const SubscriberOutcome = z.object({
  userId: UserId,
  /** `quiet`: nothing new in the channels this member can read; `no_access`: they can read none of them. */
  status: z.enum(['delivered', 'dm_closed', 'left_server', 'no_access', 'quiet', 'failed']),
  /** The DM's jump link when delivered. */
  location: z.string().max(300).optional(),
  /** Source channels this member could not read at the run, left out of their DM ("#mods"). */
  leftOut: z.array(z.string().max(110)).max(10).optional(),
  error: z.string().max(300).optional(),
});
export type SubscriberOutcome = z.infer<typeof SubscriberOutcome>;

/** The run record's list of subscriber outcomes (one per subscriber at the run). */
export const SubscriberOutcomes = z.array(SubscriberOutcome).max(SUBSCRIBERS_PER_TASK_CEILING);

/** Counts of a run's subscriber outcomes by status, for status lines ("2 of 3 subscribers got it by DM"). */
export function countOutcomes(
  outcomes: readonly SubscriberOutcome[],
): Record<SubscriberOutcome['status'], number> {
  const counts = { delivered: 0, dm_closed: 0, left_server: 0, no_access: 0, quiet: 0, failed: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

const OUTCOME_WORDS: Record<SubscriberOutcome['status'], string> = {
  delivered: 'sent',
  dm_closed: 'not sent: DMs closed (Discord 50007)',
  left_server: 'left the server (unsubscribed)',
  no_access: 'can read none of the channels',
  quiet: 'nothing new in the channels they can read',
  failed: 'failed',
};

/**
 * A run's DMs in words, for `/schedule status` and the status page: "DMs to subscribers: 2 sent, 1 not
 * sent: DMs closed (Discord 50007)"; undefined when the run had no subscribers.
 */
export function subscriberRunWords(outcomes: readonly SubscriberOutcome[] | undefined): string | undefined {
  if (!outcomes || outcomes.length === 0) return undefined;
  const counts = countOutcomes(outcomes);
  const parts = (Object.keys(OUTCOME_WORDS) as SubscriberOutcome['status'][])
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${OUTCOME_WORDS[status]}`);
  return `DMs to subscribers: ${parts.join(', ')}`;
}

/** "3 subscribers", for task lists and cards. */
export function subscriberCountWords(count: number): string {
  return `${count} ${count === 1 ? 'subscriber' : 'subscribers'}`;
}
