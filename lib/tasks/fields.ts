import * as z from 'zod';

/** The fields every stored record is built from: Discord ids, task ids and instants. */

/** Discord ids are snowflakes: decimal strings of 17 to 20 digits. */
export const Snowflake = z.string().regex(/^\d{17,20}$/, 'expected a Discord id (17 to 20 digits)');

/** Task ids are short, URL-safe and random; the schedule name is `task-<id>`. */
export const TaskId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,32}$/, 'expected a task id (8 to 32 of A-Z a-z 0-9 _ -)');
export type TaskId = z.infer<typeof TaskId>;

/** An ISO 8601 instant with its offset, as every stored record writes times. */
export const IsoInstant = z.iso.datetime({ offset: true });
