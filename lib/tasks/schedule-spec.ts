import * as z from 'zod';
import { ValidationError } from '../errors.ts';
import { parseExpression } from './expressions.ts';

/** Local wall-clock time `HH:MM` (24 h). */
export const LocalTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM, for example 09:30');

/** Local date-time `YYYY-MM-DDTHH:MM` (no zone: the task's time zone applies). */
export const LocalDateTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
    'expected a local date and time YYYY-MM-DDTHH:MM, for example 2026-12-24T18:00',
  );

export const Weekday = z.enum(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
export type Weekday = z.infer<typeof Weekday>;

/**
 * A schedule the way an admin thinks of it. Each converts to exactly one EventBridge Scheduler expression,
 * evaluated in the task's time zone (see `toScheduleExpression` below).
 */
export const ScheduleSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('once'), at: LocalDateTime }),
  z.object({ type: z.literal('daily'), time: LocalTime }),
  z.object({
    type: z.literal('weekly'),
    days: z.array(Weekday).min(1, 'expected at least one day').max(7),
    time: LocalTime,
  }),
  z.object({
    type: z.literal('monthly'),
    day: z.union([z.number().int().min(1).max(31), z.literal('last')]),
    time: LocalTime,
  }),
  z.object({
    type: z.literal('every'),
    value: z.number().int().min(1).max(100_000),
    unit: z.enum(['minutes', 'hours', 'days']),
  }),
  z.object({ type: z.literal('cron'), expression: z.string().min(1).max(256) }),
]);
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

/** The days of the week in calendar order (how expressions and descriptions list them). */
export const WEEK_ORDER: readonly Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function splitTime(time: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return { hour, minute };
}

/** `YYYY-MM-DDTHH:MM` with seconds, as `at(...)` takes it. */
export function localDateTimeOf(at: string): string {
  return at.length === 16 ? `${at}:00` : at;
}

/**
 * What a spec's expression must also pass: a `cron(...)` wrapper on cron specs, and the expression parser
 * (the same rules EventBridge applies). Issues are raised on the field the user gave (`expression`, `at`).
 */
function checkExpression(spec: ScheduleSpec, ctx: z.RefinementCtx): void {
  if (spec.type === 'cron' && !spec.expression.startsWith('cron(')) {
    ctx.addIssue({ code: 'custom', path: ['expression'], message: 'expected a cron(...) expression' });
    return;
  }
  const path = spec.type === 'cron' ? ['expression'] : spec.type === 'once' ? ['at'] : [];
  try {
    parseExpression(expressionOf(spec));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    // A cron field names itself ("day-of-week: ..."); the expression as a whole is the field already.
    const message =
      error.field === 'expression' || error.field === 'at'
        ? error.expected
        : `${error.field}: ${error.expected}`;
    ctx.addIssue({ code: 'custom', path, message });
  }
}

/**
 * A spec that passed every check, expression included: the only kind a task holds (its schema parses into
 * it), so the scheduler and executor convert it to an expression without checking it again.
 */
export const ValidSchedule = ScheduleSpec.superRefine(checkExpression).brand<'ValidSchedule'>();
export type ValidSchedule = z.infer<typeof ValidSchedule>;

/**
 * Checks a spec from outside (a command, an import) and that EventBridge would accept the expression it
 * converts to; throws `ValidationError` naming the field (`schedule.time`, `schedule.expression`, ...).
 */
export function validateScheduleSpec(spec: unknown): ValidSchedule {
  const result = ValidSchedule.safeParse(spec);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.length ? `schedule.${issue.path.join('.')}` : 'schedule';
  throw new ValidationError(path, issue?.message ?? 'expected a schedule', { cause: result.error });
}

/** The expression a spec converts to, checked or not (`toScheduleExpression` takes only checked ones). */
export function expressionOf(spec: ScheduleSpec): string {
  switch (spec.type) {
    case 'once':
      return `at(${localDateTimeOf(spec.at)})`;
    case 'daily': {
      const { hour, minute } = splitTime(spec.time);
      return `cron(${minute} ${hour} * * ? *)`;
    }
    case 'weekly': {
      const { hour, minute } = splitTime(spec.time);
      const days = WEEK_ORDER.filter((day) => spec.days.includes(day));
      return `cron(${minute} ${hour} ? * ${days.join(',')} *)`;
    }
    case 'monthly': {
      const { hour, minute } = splitTime(spec.time);
      return `cron(${minute} ${hour} ${spec.day === 'last' ? 'L' : spec.day} * ? *)`;
    }
    case 'every': {
      const unit = spec.value === 1 ? spec.unit.slice(0, -1) : spec.unit;
      return `rate(${spec.value} ${unit})`;
    }
    case 'cron':
      return spec.expression;
  }
}

/**
 * The EventBridge Scheduler expression for a validated spec, evaluated in the task's time zone: `at(...)`,
 * `cron(...)` or a canonical `rate(...)` (singular unit for 1). No check here: the brand says it passed one.
 */
export function toScheduleExpression(spec: ValidSchedule): string {
  return expressionOf(spec);
}
