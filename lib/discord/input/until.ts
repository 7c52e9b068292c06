import { ValidationError } from '../../errors.ts';
import { parseDuration, resolveOnceAt } from './date.ts';
import { echo } from './echo.ts';
import { parseTimeOfDay } from './time.ts';

const UNTIL_EXAMPLES =
  'for example friday, 2026-12-24, in 2 weeks, monday 9am, 2026-12-24 17:00, 3d or 2026-12-24T17:00:00Z';

/**
 * The end of a pause as people type it, read like `/schedule create once`'s date and time in the task's
 * zone: a date (`friday`, `2026-12-24`, `in 2 weeks`: from its midnight), a date with a time (`monday 9am`),
 * a duration ahead (`3d`, `36h`) or an ISO instant. A weekday whose time has passed is next week's; a fixed
 * date in the past is refused saying what time it is in the zone.
 */
export function parseUntilText(option: string, raw: string, zone: string, now: Date): Date {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const instant = new Date(text);
    if (Number.isNaN(instant.getTime()))
      throw new ValidationError(option, `${echo(raw)} is not a real time; ${UNTIL_EXAMPLES}`);
    return instant;
  }
  // Compact durations only (`3d`, `1h30m`): `in 2 days` is a date, read from its midnight like the others.
  const duration = /^(\d{1,5}[a-z]+)+$/i.test(text) ? parseDuration(text.toLowerCase()) : undefined;
  if (duration !== undefined) return new Date(now.getTime() + duration);
  const split = /^(.+?) (?:at )?(\d{1,2}(?:[:.h]\d{2})?(?: ?[ap]\.?m\.?)?|noon|midnight)$/i.exec(text);
  const [datePart, time] =
    split?.[1] && split[2] ? [split[1], parseTimeOfDay(option, split[2])] : [text, { hour: 0, minute: 0 }];
  try {
    return resolveOnceAt(option, datePart, time, zone, now).instant;
  } catch (error) {
    // A date the reader does not know gets this option's own examples; a real problem (a past date) is kept.
    if (error instanceof ValidationError && /not a date I understand/.test(error.expected)) {
      throw new ValidationError(option, `${echo(raw)} is not a date I understand; ${UNTIL_EXAMPLES}`, {
        cause: error,
      });
    }
    throw error;
  }
}
