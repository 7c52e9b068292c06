import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { DiscordPoster } from '../delivery/discord-poster.ts';
import { USER_FACING_ERROR_NAMES } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { RunMetrics } from '../observability/metrics.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import { Snowflake, TaskId } from '../tasks/fields.ts';
import { nextRunAfter } from '../tasks/next-runs.ts';
import type { DeadLetterRecord } from '../tasks/run-record.ts';
import { ExecutorInput, runKeyOf, ScheduledRunInput, triggerOf } from './executor-input.ts';
import { applyFailurePolicy, type TaskDisabler, updateTaskWithRetry, withRunOutcome } from './failures.ts';
import type { ChannelDirectory } from './ports.ts';

const DEAD_LETTERED = 'dead-lettered: ';

/** Lambda's on-failure destination record for an async invocation that exhausted its retries. */
const LambdaFailureEnvelope = z.object({
  requestContext: z.object({
    requestId: z.string(),
    condition: z.string().optional(),
    approximateInvokeCount: z.number().optional(),
  }),
  requestPayload: z.unknown(),
  responsePayload: z
    .object({ errorType: z.string().optional(), errorMessage: z.string().optional() })
    .partial()
    .nullish(),
});

/** One dead letter as it arrives from the queue (an SQS record, reduced to what we read). */
export interface DeadLetterMessage {
  messageId: string;
  body: string;
  /** SQS message attributes (EventBridge Scheduler sets ERROR_CODE, ERROR_MESSAGE and friends). */
  attributes?: Record<string, string | undefined>;
  /** How often SQS has handed this message out (ApproximateReceiveCount). */
  receiveCount?: number;
}

/**
 * After this many receives a dead letter that still cannot be recorded is given up (logged as an error),
 * rather than coming back every visibility timeout for the queue's 14 days.
 */
export const MAX_DEAD_LETTER_RECEIVES = 5;

export interface ParsedDeadLetter {
  source: DeadLetterRecord['source'];
  input?: ExecutorInput;
  /** What is known of the run when `input` could not be recovered (no guild): kept on the record. */
  taskId?: string;
  scheduledTime?: string;
  /** The whole failure, for the dead-letter record and the logs (may name AWS resources). */
  error: string;
  /** What the guild may read (task status, the disable notice): our own messages, or only an error class. */
  publicError?: string;
}

/**
 * Reads both formats that reach the queue: Lambda's on-failure envelope (the original event under
 * `requestPayload`) and EventBridge Scheduler's dead-letter event (the target input as the body, the
 * failure in message attributes). Anything else is kept as an unreadable dead letter, not dropped.
 */
export function parseDeadLetter(message: DeadLetterMessage): ParsedDeadLetter {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch (error) {
    return { source: 'lambda', error: `unreadable dead letter (${(error as Error).message})` };
  }
  const envelope = LambdaFailureEnvelope.safeParse(body);
  if (envelope.success) {
    const input = ExecutorInput.safeParse(envelope.data.requestPayload);
    const response = envelope.data.responsePayload;
    const error =
      [response?.errorType, response?.errorMessage].filter(Boolean).join(': ') ||
      envelope.data.requestContext.condition ||
      'the executor failed';
    const publicError =
      response?.errorType && USER_FACING_ERROR_NAMES.has(response.errorType) && response.errorMessage
        ? response.errorMessage
        : `the executor failed (${response?.errorType ?? envelope.data.requestContext.condition ?? 'unknown error'})`;
    return { source: 'lambda', ...(input.success ? { input: input.data } : {}), error, publicError };
  }
  const attributes = message.attributes ?? {};
  const recovered = scheduledRunFromSchedulerDeadLetter(body, attributes, message.messageId);
  const error =
    [attributes.ERROR_CODE, attributes.ERROR_MESSAGE].filter(Boolean).join(': ') ||
    'EventBridge Scheduler could not invoke the executor';
  const publicError = `EventBridge Scheduler could not invoke the executor${attributes.ERROR_CODE ? ` (${attributes.ERROR_CODE})` : ''}`;
  return { source: 'scheduler', ...recovered, error, publicError };
}

/** The schedule name inside a schedule ARN (`arn:…:scheduler:…:schedule/<group>/task-<id>`). */
const SCHEDULE_ARN_TASK = /:schedule\/[0-9a-zA-Z-_.]+\/task-([A-Za-z0-9_-]{8,32})$/;

/**
 * The run a Scheduler dead letter stands for. The body is the target input; when Scheduler has not
 * substituted its context values into it (the placeholders are still there, or the body is not ours),
 * the `SCHEDULE_ARN` and `SCHEDULED_TIME` message attributes the Scheduler guide describes
 * (configuring-schedule-dlq.html, "Retrieve the dead-letter event") name the task and the time instead.
 */
function scheduledRunFromSchedulerDeadLetter(
  body: unknown,
  attributes: Record<string, string | undefined>,
  messageId: string,
): Pick<ParsedDeadLetter, 'input' | 'taskId' | 'scheduledTime'> {
  const whole = ExecutorInput.safeParse(body);
  if (whole.success) return { input: whole.data };
  const fields = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const valid = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
  const taskId = valid(TaskId, fields.taskId) ?? SCHEDULE_ARN_TASK.exec(attributes.SCHEDULE_ARN ?? '')?.[1];
  const scheduledTime =
    valid(z.iso.datetime({ offset: true }), fields.scheduledTime) ??
    valid(z.iso.datetime({ offset: true }), attributes.SCHEDULED_TIME);
  const guildId = valid(Snowflake, fields.guildId);
  const retries = valid(z.coerce.number().int().min(0), attributes.RETRY_ATTEMPTS);
  const input = ScheduledRunInput.safeParse({
    type: 'scheduled',
    taskId,
    guildId,
    scheduledTime,
    executionId: valid(z.string().regex(/^[^<]/), fields.executionId) ?? `dead-letter-${messageId}`,
    attempt: valid(z.coerce.number().int().min(1), fields.attempt) ?? (retries ?? 0) + 1,
  });
  if (input.success) return { input: input.data };
  // Without the guild the task cannot be found (tasks are keyed by guild): the dead letter is kept with
  // what is known, for an operator to read.
  return { ...(taskId ? { taskId } : {}), ...(scheduledTime ? { scheduledTime } : {}) };
}

export interface DeadLetterDeps {
  store: TaskStore;
  /** Where notice channels are checked to be in the task's server. */
  channels: ChannelDirectory;
  tasks: TaskDisabler;
  poster: DiscordPoster;
  clock: Clock;
  logger: Logger;
  metrics: RunMetrics;
  maxConsecutiveFailures: number;
  retentionDays: number;
}

/**
 * Records a dead-lettered run: keeps the dead letter, marks the run failed, counts the failure on the task
 * and disables the task after too many failures in a row. Idempotent per run: a run already counted as
 * failed (SQS delivers at least once) is not counted twice.
 */
export async function handleDeadLetter(message: DeadLetterMessage, deps: DeadLetterDeps): Promise<void> {
  await recordDeadLetter(message.messageId || randomUUID(), parseDeadLetter(message), deps);
}

/** Records a dead letter already read (the local runtime's in-process invoker hands these over directly). */
export async function recordDeadLetter(
  id: string,
  parsed: ParsedDeadLetter,
  deps: DeadLetterDeps,
): Promise<void> {
  const now = deps.clock.now();
  const input = parsed.input;
  const taskRun = input && input.type !== 'adhoc' ? input : undefined;
  const scheduledTime = taskRun ? runKeyOf(taskRun) : parsed.scheduledTime;
  const taskId = taskRun?.taskId ?? parsed.taskId;
  const record: DeadLetterRecord = {
    id,
    ...(input ? { guildId: input.guildId } : {}),
    ...(taskId ? { taskId } : {}),
    ...(scheduledTime ? { scheduledTime } : {}),
    receivedAt: now.toISOString(),
    source: parsed.source,
    error: parsed.error.slice(0, 2000),
    expiresAt: Math.floor(now.getTime() / 1000) + deps.retentionDays * 86_400,
  };
  await deps.store.putDeadLetter(record);
  deps.metrics.deadLettered();
  const logger = deps.logger.child({
    deadLetterId: record.id,
    taskId: record.taskId,
    guildId: record.guildId,
  });
  logger.warn('run dead-lettered', { source: parsed.source, error: parsed.error });
  if (!taskRun || !scheduledTime) return;

  const existing = await deps.store.getRun(taskRun.taskId, scheduledTime);
  if (existing && existing.status !== 'running' && existing.status !== 'failed') return; // it succeeded after all
  if (existing?.status === 'failed' && existing.retryable !== true) return; // already counted (or redelivered)
  if (existing?.status === 'running' && existing.leaseUntil && new Date(existing.leaseUntil) > now) {
    // A duplicate delivery gave up while another invocation still works on the run: that one finishes it.
    logger.info('dead letter of a duplicate while the run is in progress; not counted');
    return;
  }
  const shown = (parsed.publicError ?? parsed.error).slice(0, 500);
  await deps.store.putRun({
    ...(existing ?? {
      taskId: taskRun.taskId,
      guildId: taskRun.guildId,
      scheduledTime,
      trigger: triggerOf(taskRun),
      ...(taskRun.type === 'after' ? { upstream: taskRun.upstream } : {}),
      attempt: taskRun.type === 'manual' ? 1 : taskRun.attempt,
      startedAt: now.toISOString(),
      expiresAt: record.expiresAt,
    }),
    status: 'failed',
    retryable: false,
    finishedAt: now.toISOString(),
    error: `${DEAD_LETTERED}${shown}`,
    leaseUntil: undefined,
    // Settled without its claimant: an attempt still stalled somewhere can no longer write it or post.
    claimId: undefined,
  });
  const updated = await updateTaskWithRetry(deps.store, taskRun.guildId, taskRun.taskId, (task) => {
    // The schedule of a one-time task deleted itself after firing: nothing will run it again.
    const completes = task.schedule.type === 'once' && taskRun.type !== 'manual' && task.state === 'active';
    const nextRunAt = task.state === 'active' && !completes ? nextRunAfter(task, now) : undefined;
    const next = withRunOutcome(task, {
      scheduledTime,
      finishedAt: now.toISOString(),
      status: 'failed',
      error: shown,
      ...(nextRunAt ? { nextRunAt: nextRunAt.toISOString() } : {}),
    });
    if (completes) next.state = 'completed';
    return next;
  });
  if (updated) {
    await applyFailurePolicy(updated, shown, { ...deps, logger });
  }
}

/** The SQS batch response: only the records that failed are retried. */
export async function handleDeadLetterBatch(
  messages: DeadLetterMessage[],
  deps: DeadLetterDeps,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const failures: { itemIdentifier: string }[] = [];
  for (const message of messages) {
    try {
      await handleDeadLetter(message, deps);
    } catch (error) {
      if ((message.receiveCount ?? 1) >= MAX_DEAD_LETTER_RECEIVES) {
        deps.logger.error('dead letter could not be recorded after repeated attempts; giving up on it', {
          messageId: message.messageId,
          receiveCount: message.receiveCount,
          body: message.body.slice(0, 2000),
          error,
        });
        continue;
      }
      deps.logger.error('dead letter could not be recorded; SQS will redeliver it', {
        messageId: message.messageId,
        error,
      });
      failures.push({ itemIdentifier: message.messageId });
    }
  }
  return { batchItemFailures: failures };
}
