import * as z from 'zod';
import { Snowflake, TaskId } from '../tasks/fields.ts';
import { LanguageTag } from '../tasks/language.ts';
import { SummaryFocus, SummaryLength } from '../tasks/summary-options.ts';

/** The interaction a run reports back to (edits the deferred reply); tokens live 15 minutes. */
export const InteractionReply = z.object({
  applicationId: Snowflake,
  token: z.string().min(1).max(500),
});
export type InteractionReply = z.infer<typeof InteractionReply>;

/**
 * A scheduled run, as EventBridge Scheduler delivers it. The schedule's target input is this object with
 * the context attributes `<aws.scheduler.scheduled-time>`, `<aws.scheduler.execution-id>` and
 * `<aws.scheduler.attempt-number>` in place of the last three values (the attempt arrives as a string).
 */
export const ScheduledRunInput = z.object({
  type: z.literal('scheduled'),
  taskId: TaskId,
  guildId: Snowflake,
  scheduledTime: z.iso.datetime({ offset: true }),
  executionId: z.string().min(1).max(200),
  attempt: z.coerce.number().int().min(1),
});
export type ScheduledRunInput = z.infer<typeof ScheduledRunInput>;

/** "Run now" from `/schedule run` or a button: a run of the task outside its schedule. */
export const ManualRunInput = z.object({
  type: z.literal('manual'),
  taskId: TaskId,
  guildId: Snowflake,
  requestedBy: Snowflake,
  /** ISO instant; the run record's key, so a double click is one run. */
  requestedAt: z.iso.datetime({ offset: true }),
  reply: InteractionReply.optional(),
});
export type ManualRunInput = z.infer<typeof ManualRunInput>;

/**
 * A run of a task right after a successful run of the task it follows (`after`), started by the executor
 * that finished that run. Keyed by the upstream run: a duplicate start of the same upstream run is one run.
 */
export const AfterRunInput = z.object({
  type: z.literal('after'),
  taskId: TaskId,
  guildId: Snowflake,
  upstream: z.object({ taskId: TaskId, scheduledTime: z.iso.datetime({ offset: true }) }),
  /** Counted up by the local invoker's retries; Lambda's retries re-send 1 and the claim counts on. */
  attempt: z.coerce.number().int().min(1).default(1),
});
export type AfterRunInput = z.infer<typeof AfterRunInput>;

/** `/summarize`: a one-off summary of channels, answered by editing the deferred reply. */
export const AdhocSummaryInput = z.object({
  type: z.literal('adhoc'),
  guildId: Snowflake,
  channelIds: z.array(Snowflake).min(1).max(10),
  requestedBy: Snowflake,
  requestedAt: z.iso.datetime({ offset: true }),
  /** Window: the last `hours` or `minutes`, since an instant, or from a message of the first channel on. */
  window: z.union([
    z.object({ hours: z.number().int().min(1).max(720) }),
    z.object({ minutes: z.number().int().min(1).max(43_200) }),
    z.object({ since: z.iso.datetime({ offset: true }) }),
    z.object({ fromMessageId: Snowflake }),
    /** `/catchup`: since the requester's own last message (a bounded read of the newest messages). */
    z.object({ sinceOwnMessage: z.literal(true) }),
  ]),
  /**
   * `/catchup`: a catch-up for the requester: what concerns them first, and the note on channels left out
   * (the server's channels beyond the cap, by count).
   */
  catchup: z
    .object({
      channelsOverCap: z.number().int().min(0).max(1_000).default(0),
      /** Names of (some of) those channels, as Discord shows them after `#`. */
      leftOutNames: z.array(z.string().min(1).max(100)).max(10).default([]),
    })
    .optional(),
  /** Only the last this many messages of the window (members' messages: bots and system ones do not count). */
  lastMessages: z.number().int().min(1).max(1_000).optional(),
  /** Channels (threads included) and members left out. */
  excludedChannelIds: z.array(Snowflake).max(25).optional(),
  excludedUserIds: z.array(Snowflake).max(25).optional(),
  length: SummaryLength.default('detailed'),
  focus: SummaryFocus.default('general'),
  /** The language an LLM writes in: the option, else the server's; the messages' own when absent. */
  language: LanguageTag.optional(),
  maxMessages: z.number().int().min(1).max(50_000).default(2_000),
  /** Private to the requester unless they asked for a public summary. */
  ephemeral: z.boolean().default(true),
  reply: InteractionReply,
});
export type AdhocSummaryInput = z.infer<typeof AdhocSummaryInput>;

/** Everything the executor is invoked with. */
export const ExecutorInput = z.discriminatedUnion('type', [
  ScheduledRunInput,
  ManualRunInput,
  AfterRunInput,
  AdhocSummaryInput,
]);
export type ExecutorInput = z.infer<typeof ExecutorInput>;

/** A run of a task (not a `/summarize`). */
export type TaskRunInput = ScheduledRunInput | ManualRunInput | AfterRunInput;

/** The run record's key of a task run: its scheduled time, the click's instant, or the upstream run's time. */
export function runKeyOf(input: TaskRunInput): string {
  if (input.type === 'scheduled') return input.scheduledTime;
  if (input.type === 'manual') return input.requestedAt;
  return input.upstream.scheduledTime;
}

/** The run record's trigger of a task run. */
export function triggerOf(input: TaskRunInput): 'schedule' | 'manual' | 'after' {
  return input.type === 'scheduled' ? 'schedule' : input.type;
}

/** Hands work to the executor asynchronously: Lambda `InvocationType: Event` in AWS, in-process locally. */
export interface ExecutorInvoker {
  invoke(input: ExecutorInput): Promise<void>;
}
