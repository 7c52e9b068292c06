import { z } from 'zod';

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
 * evaluated in the task's time zone (see `toScheduleExpression` in expressions.ts).
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
