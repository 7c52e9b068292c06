/**
 * The project's few error classes. Each names what went wrong in words a user can act on; `cause` keeps
 * the underlying failure for the logs. One mapper per surface (Discord reply, HTTP status, CLI exit code)
 * turns them into responses; anything else is an internal error and is never shown to users.
 */

/** Input from outside (a command option, an import entry, an expression) failed validation. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  /** The field that is wrong, as the user named it (for example `timezone` or `tasks[3].schedule.time`). */
  readonly field: string;
  /** What was expected, in words. */
  readonly expected: string;
  constructor(field: string, expected: string, options?: { cause?: unknown }) {
    super(`${field}: ${expected}`, options);
    this.field = field;
    this.expected = expected;
  }
}

/** A task, run or schedule that does not exist (or belongs to another guild, which looks the same). */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what} was not found`, options);
  }
}

/** A conditional write lost: someone else changed the item since it was read. Never silent. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(what: string, options?: { cause?: unknown }) {
    super(`${what} was changed by someone else; reload it and try again`, options);
  }
}

/** Kinds of schedule-gateway failure, mapped from the EventBridge Scheduler error types. */
export type ScheduleFailureKind =
  | 'throttled'
  | 'quota'
  | 'conflict'
  | 'not_found'
  | 'validation'
  | 'internal';

/** Creating, updating or deleting a schedule failed. `kind` says whether retrying can help. */
export class ScheduleGatewayError extends Error {
  override name = 'ScheduleGatewayError';
  readonly kind: ScheduleFailureKind;
  constructor(kind: ScheduleFailureKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
  /** Whether the same call may succeed later. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'internal';
  }
}

/** The process configuration (environment, CDK context) is missing or invalid. Names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** A user lacks the permission an action needs. */
export class PermissionError extends Error {
  override name = 'PermissionError';
}

/**
 * A server or member reached a limit the deployer sets (tasks per server, `/summarize` per minute). The
 * message says the limit, what to do now and which setting raises it; nothing was changed.
 */
export class LimitError extends Error {
  override name = 'LimitError';
  /** The setting that raises the limit, such as `MAX_TASKS_PER_SERVER`. */
  readonly setting: string;
  constructor(setting: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.setting = setting;
  }
}

/** A destination refused or failed a delivery. `transient` says whether a retry may help. */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly transient: boolean;
  /** Discord's JSON error code when Discord refused it (50007: the member accepts no DMs from the bot). */
  readonly discordCode: number | undefined;
  constructor(message: string, options?: { cause?: unknown; transient?: boolean; discordCode?: number }) {
    super(message, options);
    this.transient = options?.transient ?? false;
    this.discordCode = options?.discordCode;
  }
}

/** Reading a channel failed in a way that is the bot's configuration, not the channel's fault. */
export class DiscordAccessError extends Error {
  override name = 'DiscordAccessError';
  readonly channelId: string;
  readonly reason: 'forbidden' | 'not_found' | 'missing_message_content_intent';
  constructor(
    channelId: string,
    reason: DiscordAccessError['reason'],
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.channelId = channelId;
    this.reason = reason;
  }
}

/** A run failed in a way a later attempt may fix, so Lambda retries it and then dead-letters it. */
export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

/**
 * Another invocation holds a live lease on the same run. Not a success: if that invocation dies, this
 * event's retries (or its dead letter) are what finish or count the run.
 */
export class RunInProgressError extends Error {
  override name = 'RunInProgressError';
}

/**
 * This attempt's claim on a run is gone: its lease ran out (the attempt stalled) and another attempt took
 * the run over, or the run was settled without it. The attempt stops before its next side effect; the
 * attempt that holds the run now finishes it. Not a failure of the run, so never retried or counted.
 */
export class RunTakenOverError extends Error {
  override name = 'RunTakenOverError';
}

/** An outside service (Discord, a model) failed in a way that is not the caller's input. */
export class ExternalServiceError extends Error {
  override name = 'ExternalServiceError';
  readonly transient: boolean;
  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.transient = options?.transient ?? true;
  }
}

// Errors whose messages are written for people, so a guild may read them; any other may carry internals
// (SDK messages name accounts, roles and tables). One list for the executor and the dead-letter handler.
const USER_FACING = [
  ValidationError,
  NotFoundError,
  ConflictError,
  ScheduleGatewayError,
  ConfigError,
  DeliveryError,
  DiscordAccessError,
  ExternalServiceError,
  RunFailedError,
  RunInProgressError,
] as const;

/** Whether an error's message may be shown to a guild as it is. */
export function isUserFacingError(error: unknown): error is Error {
  return USER_FACING.some((type) => error instanceof type);
}

/** An error's message if it is one of ours (written to be shown); otherwise only its class. */
export function safeMessage(error: unknown): string {
  if (isUserFacingError(error)) return error.message.slice(0, 500);
  return `internal error (${error instanceof Error ? error.name : typeof error})`;
}

/** The same, for an error known only by its name (a Lambda failure record's `errorType`). */
export const USER_FACING_ERROR_NAMES: ReadonlySet<string> = new Set(USER_FACING.map((type) => type.name));
