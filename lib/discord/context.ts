import type { ExecutorInvoker } from '../execution/executor-input.ts';
import type { Clock } from '../scheduling/ports.ts';
import type { Interaction } from './interaction.ts';
import type { SchedulerPort } from './interaction-handler.ts';
import type { ErrorLogger } from './replies.ts';

/** Reads an attachment's text; production allows only Discord's CDN over https, with a size limit. */
export type FetchAttachment = (url: string, maxBytes: number) => Promise<string>;

/** What every route receives: the validated interaction, who and where, and the ports. */
export interface CommandContext {
  interaction: Interaction;
  /** Undefined in DMs; management commands refuse then. */
  guildId: string | undefined;
  userId: string;
  channelId: string | undefined;
  now: Date;
  scheduler: SchedulerPort;
  executor: ExecutorInvoker;
  clock: Clock;
  logger: ErrorLogger;
  fetchAttachment: FetchAttachment;
  /** From the payload, else the configured one (Discord's printed samples omit it). */
  applicationId: string | undefined;
  /** Local runtime and tests: webhook destinations may name a loopback receiver. */
  allowLoopbackWebhooks: boolean;
}
