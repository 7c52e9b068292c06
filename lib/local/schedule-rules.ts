import { ScheduleGatewayError, ValidationError } from '../errors.ts';
import type { ScheduleDefinition } from '../scheduling/ports.ts';
import { type StoredSchedule, toStoredSchedule } from '../scheduling/schedule-repository.ts';
import { parseExpression } from '../tasks/expressions.ts';
import { Snowflake, TaskId } from '../tasks/fields.ts';
import { nextRuns } from '../tasks/next-runs.ts';

/** EventBridge Scheduler's constraints (FACTS A4), so a schedule valid here is valid on AWS too. */
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const CLIENT_TOKEN = /^[a-zA-Z0-9-_]{1,64}$/;
const MAX_DESCRIPTION = 512;

/** Rejects a client token EventBridge's CreateSchedule would reject. */
export function checkClientToken(clientToken: string): void {
  if (!CLIENT_TOKEN.test(clientToken)) {
    throw new ScheduleGatewayError('validation', 'clientToken: expected 1 to 64 of A-Z a-z 0-9 - _');
  }
}

/** Rejects a definition EventBridge would reject, naming the field (a `validation` ScheduleGatewayError). */
export function validateDefinition(definition: ScheduleDefinition, now: Date): void {
  const fail = (field: string, expected: string, cause?: unknown): never => {
    throw new ScheduleGatewayError('validation', `${field}: ${expected}`, { cause });
  };
  if (!NAME.test(definition.name)) fail('name', 'expected 1 to 64 of 0-9 a-z A-Z - _ .');
  if (!TaskId.safeParse(definition.taskId).success) fail('taskId', 'expected a task id');
  if (!Snowflake.safeParse(definition.guildId).success) fail('guildId', 'expected a Discord guild id');
  if ((definition.description?.length ?? 0) > MAX_DESCRIPTION) {
    fail('description', `expected at most ${MAX_DESCRIPTION} characters`);
  }
  if (definition.startDate !== undefined && Number.isNaN(definition.startDate.getTime())) {
    fail('startDate', 'expected a valid date');
  }
  try {
    nextRuns(definition.expression, definition.timeZone, now, 1);
  } catch (error) {
    if (error instanceof ValidationError) fail(error.field, error.expected, error);
    throw error;
  }
}

/** The definition as a create or update at `now` stores it: watermark at now, a rate's start date kept. */
export function storedForWrite(
  definition: ScheduleDefinition,
  now: Date,
  existing: StoredSchedule | undefined,
): StoredSchedule {
  // The watermark: nothing due before a schedule existed, or before this change (a resume), is owed.
  const stored = toStoredSchedule(definition, new Date(now.getTime() - 1).toISOString());
  if (parseExpression(definition.expression).kind !== 'rate' || stored.startDate) return stored;
  // EventBridge starts a rate schedule without StartDate when it is created; keep that anchor across
  // updates that leave the expression alone, so a pause and resume does not shift the rhythm.
  const keep = existing?.expression === definition.expression ? existing.startDate : undefined;
  return { ...stored, startDate: keep ?? now.toISOString() };
}

/** Whether a create repeats the stored definition (a rate's implicit start date does not count). */
export function sameDefinition(existing: StoredSchedule, definition: ScheduleDefinition): boolean {
  const stored = toStoredSchedule(definition);
  return (
    signatureOf({ ...stored, startDate: stored.startDate ?? existing.startDate }) === signatureOf(existing) &&
    (existing.description ?? '') === (definition.description ?? '')
  );
}

/** The fields that decide when and what a schedule fires (not the watermark, not the description). */
export function signatureOf(stored: StoredSchedule): string {
  return JSON.stringify([
    stored.expression,
    stored.timeZone,
    stored.state,
    stored.startDate ?? null,
    stored.taskId,
    stored.guildId,
  ]);
}
