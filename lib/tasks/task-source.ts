import * as z from 'zod';

/**
 * What a summary task reads: its channels (threads included; the default, also when absent), every channel of
 * the categories its `channelIds` name, or every channel of the server. A category or the server is expanded
 * into channels at each run (lib/discord/run-sources.ts), so channels made or opened later are read too.
 */
export const TaskSource = z.enum(['channel', 'category', 'server']);
export type TaskSource = z.infer<typeof TaskSource>;

/** The most channels one category or whole-server task reads a run unless a server sets its own cap. */
export const DEFAULT_MAX_CHANNELS_PER_TASK = 50;
/** The highest cap a server may set (`/config channel-limit`). */
export const MAX_CHANNELS_PER_TASK = 200;
