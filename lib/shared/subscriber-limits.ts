/**
 * How many members one task may DM its digest to (`/subscribe`): each run sends one DM per subscriber, so the
 * list is bounded, and a task with more readers should post to a channel they can all read. The deployer's
 * setting `MAX_SUBSCRIBERS_PER_TASK` (CDK context `maxSubscribersPerTask`) is this by default.
 */
export const DEFAULT_SUBSCRIBERS_PER_TASK = 100;

/**
 * The most the setting may be: what one task item holds with room to spare (a subscriber is about 70 bytes
 * of the item's 400 KB, FACTS C), and the run record's outcome per subscriber with it.
 */
export const SUBSCRIBERS_PER_TASK_CEILING = 1_000;
