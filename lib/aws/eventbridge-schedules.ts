import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  type GetScheduleCommandOutput,
  paginateListSchedules,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import * as z from 'zod';
import { type ScheduleFailureKind, ScheduleGatewayError } from '../errors.ts';
import type { ScheduledRunInput } from '../execution/executor-input.ts';
import type {
  ScheduleDefinition,
  ScheduleGateway,
  ScheduleState,
  ScheduleSummary,
} from '../scheduling/ports.ts';
import { Snowflake, TaskId } from '../tasks/fields.ts';

/** CreateSchedule's ClientToken constraint (FACTS A4). */
const CLIENT_TOKEN = /^[a-zA-Z0-9-_]{1,64}$/;

/** Lambda/EventBridge limits on the retry policy (FACTS A4). */
const MAX_EVENT_AGE_RANGE = [60, 86_400] as const;
const MAX_RETRY_ATTEMPTS_RANGE = [0, 185] as const;

export interface EventBridgeScheduleGatewayOptions {
  client: SchedulerClient;
  /** The stage's schedule group. */
  groupName: string;
  /** The executor function's ARN. */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke the target (and send to the dead-letter queue). */
  roleArn: string;
  /** Standard (not FIFO) SQS queue for invocations that could not be delivered. */
  deadLetterArn: string;
  /** How late an invocation may still be delivered: the project's grace period for late runs. */
  maxEventAgeSeconds?: number;
  /**
   * Retries of a failed *invocation* (throttled or failed Lambda Invoke; function errors are Lambda's own
   * async retries). 185, the maximum, so the event age above is the one bound that matters: a throttled
   * invocation keeps being retried (exponential backoff, so only a handful of tries) until the grace
   * period ends, never cut short by a count. The executor's run claim makes a duplicate harmless.
   */
  maxRetryAttempts?: number;
}

/** Placeholders EventBridge Scheduler substitutes into the target input at each invocation. */
const CONTEXT = {
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attempt: '<aws.scheduler.attempt-number>',
} as const;

/** The target input as stored on the schedule: what `get` reads the task back from. */
const StoredTargetInput = z.object({ type: z.literal('scheduled'), taskId: TaskId, guildId: Snowflake });

/** Whether an expression is a one-time `at()` schedule (deleted after it ran). */
export function isOneTimeExpression(expression: string): boolean {
  return expression.trimStart().startsWith('at(');
}

/** The schedule target input: a ScheduledRunInput whose run-specific values are context placeholders. */
export function targetInputFor(definition: Pick<ScheduleDefinition, 'taskId' | 'guildId'>): string {
  const input: Record<keyof ScheduledRunInput, string> = {
    type: 'scheduled',
    taskId: definition.taskId,
    guildId: definition.guildId,
    scheduledTime: CONTEXT.scheduledTime,
    executionId: CONTEXT.executionId,
    attempt: CONTEXT.attempt,
  };
  return JSON.stringify(input);
}

/** ScheduleGateway on EventBridge Scheduler: one schedule per task in the stage's group. */
export class EventBridgeScheduleGateway implements ScheduleGateway {
  readonly #client: SchedulerClient;
  readonly #groupName: string;
  readonly #targetArn: string;
  readonly #roleArn: string;
  readonly #deadLetterArn: string;
  readonly #maxEventAgeSeconds: number;
  readonly #maxRetryAttempts: number;

  constructor(options: EventBridgeScheduleGatewayOptions) {
    const maxEventAgeSeconds = options.maxEventAgeSeconds ?? 300;
    const maxRetryAttempts = options.maxRetryAttempts ?? 185;
    if (!inRange(maxEventAgeSeconds, MAX_EVENT_AGE_RANGE)) {
      throw new RangeError(
        `maxEventAgeSeconds: expected an integer from 60 to 86400, got ${maxEventAgeSeconds}`,
      );
    }
    if (!inRange(maxRetryAttempts, MAX_RETRY_ATTEMPTS_RANGE)) {
      throw new RangeError(`maxRetryAttempts: expected an integer from 0 to 185, got ${maxRetryAttempts}`);
    }
    this.#client = options.client;
    this.#groupName = options.groupName;
    this.#targetArn = options.targetArn;
    this.#roleArn = options.roleArn;
    this.#deadLetterArn = options.deadLetterArn;
    this.#maxEventAgeSeconds = maxEventAgeSeconds;
    this.#maxRetryAttempts = maxRetryAttempts;
  }

  async create(definition: ScheduleDefinition, clientToken: string): Promise<void> {
    if (!CLIENT_TOKEN.test(clientToken)) {
      throw new ScheduleGatewayError('validation', 'clientToken: expected 1 to 64 of A-Z a-z 0-9 - _');
    }
    await this.#send('create', definition.name, () =>
      this.#client.send(
        new CreateScheduleCommand({ ...this.#request(definition), ClientToken: clientToken }),
      ),
    );
  }

  async update(definition: ScheduleDefinition): Promise<void> {
    // UpdateSchedule resets every omitted field to its default, so the whole definition goes every time.
    await this.#send('update', definition.name, () =>
      this.#client.send(new UpdateScheduleCommand(this.#request(definition))),
    );
  }

  async delete(name: string): Promise<void> {
    try {
      await this.#send('delete', name, () =>
        this.#client.send(new DeleteScheduleCommand({ Name: name, GroupName: this.#groupName })),
      );
    } catch (error) {
      if (error instanceof ScheduleGatewayError && error.kind === 'not_found') return;
      throw error;
    }
  }

  async get(name: string): Promise<ScheduleDefinition | undefined> {
    let output: GetScheduleCommandOutput;
    try {
      output = await this.#send('get', name, () =>
        this.#client.send(new GetScheduleCommand({ Name: name, GroupName: this.#groupName })),
      );
    } catch (error) {
      if (error instanceof ScheduleGatewayError && error.kind === 'not_found') return undefined;
      throw error;
    }
    return this.#definitionFrom(name, output);
  }

  async list(): Promise<ScheduleSummary[]> {
    const summaries: ScheduleSummary[] = [];
    await this.#send('list', this.#groupName, async () => {
      for await (const page of paginateListSchedules(
        { client: this.#client },
        { GroupName: this.#groupName },
      )) {
        for (const schedule of page.Schedules ?? []) {
          if (schedule.Name === undefined) continue;
          summaries.push({ name: schedule.Name, state: stateOf(schedule.State) });
        }
      }
    });
    return summaries;
  }

  /** The fields CreateSchedule and UpdateSchedule share: the complete definition. */
  #request(definition: ScheduleDefinition): Omit<CreateScheduleCommandInput, 'ClientToken'> {
    const oneTime = isOneTimeExpression(definition.expression);
    return {
      Name: definition.name,
      GroupName: this.#groupName,
      ScheduleExpression: definition.expression,
      ScheduleExpressionTimezone: definition.timeZone,
      // OFF: a summary is due at its minute; a flexible window would only make it late.
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: definition.state,
      ...(definition.description !== undefined ? { Description: definition.description } : {}),
      // Rate schedules count from it; cron ones start then (a pause with an end); one-time ones ignore it.
      ...(definition.startDate !== undefined && !oneTime ? { StartDate: definition.startDate } : {}),
      // A finished one-time schedule still counts against the quota: let the service delete it.
      ActionAfterCompletion: oneTime ? 'DELETE' : 'NONE',
      Target: {
        Arn: this.#targetArn,
        RoleArn: this.#roleArn,
        Input: targetInputFor(definition),
        RetryPolicy: {
          MaximumEventAgeInSeconds: this.#maxEventAgeSeconds,
          MaximumRetryAttempts: this.#maxRetryAttempts,
        },
        DeadLetterConfig: { Arn: this.#deadLetterArn },
      },
    };
  }

  #definitionFrom(name: string, output: GetScheduleCommandOutput): ScheduleDefinition {
    const parsed = parseTargetInput(output.Target?.Input);
    if (!parsed || output.ScheduleExpression === undefined) {
      throw new ScheduleGatewayError(
        'validation',
        `Schedule ${name} does not invoke a task run (its target input is not a scheduled run)`,
      );
    }
    return {
      name: output.Name ?? name,
      expression: output.ScheduleExpression,
      timeZone: output.ScheduleExpressionTimezone ?? 'UTC',
      state: stateOf(output.State),
      taskId: parsed.taskId,
      guildId: parsed.guildId,
      ...(output.StartDate !== undefined ? { startDate: output.StartDate } : {}),
      ...(output.Description ? { description: output.Description } : {}),
    };
  }

  async #send<T>(action: Action, name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toGatewayError(error, action, name);
    }
  }
}

type Action = 'create' | 'update' | 'delete' | 'get' | 'list';

function parseTargetInput(input: string | undefined): z.infer<typeof StoredTargetInput> | undefined {
  if (input === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch {
    // Not JSON: a schedule someone else made in the group. The caller reports it as not ours.
    return undefined;
  }
  const result = StoredTargetInput.safeParse(json);
  return result.success ? result.data : undefined;
}

function stateOf(state: string | undefined): ScheduleState {
  return state === 'DISABLED' ? 'DISABLED' : 'ENABLED';
}

function inRange(value: number, [min, max]: readonly [number, number]): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

const KIND_BY_NAME: Record<string, ScheduleFailureKind> = {
  ValidationException: 'validation',
  ConflictException: 'conflict',
  ServiceQuotaExceededException: 'quota',
  ThrottlingException: 'throttled',
  ResourceNotFoundException: 'not_found',
  InternalServerException: 'internal',
};

/**
 * Maps an EventBridge Scheduler failure to a ScheduleGatewayError. The message is safe to show a user
 * (no ARNs, account ids or service text); the original error is kept as `cause` for the logs.
 */
export function toGatewayError(error: unknown, action: Action, name: string): ScheduleGatewayError {
  if (error instanceof ScheduleGatewayError) return error;
  const errorName = typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
  const kind = KIND_BY_NAME[errorName] ?? 'internal';
  const what = action === 'list' ? `the schedules of group ${name}` : `schedule ${name}`;
  const messages: Record<ScheduleFailureKind, string> = {
    validation: `EventBridge Scheduler rejected ${what} as invalid (expression, time zone or settings)`,
    conflict: `${what} is being changed by another request, or already exists; try again`,
    quota: `Could not ${action} ${what}: the account's EventBridge Scheduler quota is reached`,
    throttled: `Could not ${action} ${what}: EventBridge Scheduler is throttling requests; try again shortly`,
    not_found: `${capitalize(what)} does not exist`,
    internal: `Could not ${action} ${what}: EventBridge Scheduler failed; try again later`,
  };
  return new ScheduleGatewayError(kind, messages[kind], { cause: error });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
