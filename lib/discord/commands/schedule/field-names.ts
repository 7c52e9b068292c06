import { ValidationError } from '../../../errors.ts';

/** Maps a field named by the scheduler (`schedule.time`, `destinations[1].url`) to the option a user typed. */
export function optionForField(field: string, destinationOptions: readonly string[] = []): string {
  const dest = /^destinations\[(\d+)\]/.exec(field);
  if (dest) return destinationOptions[Number(dest[1])] ?? 'destinations';
  const table: [RegExp, string][] = [
    [/^schedule\.at/, 'date'],
    [/^schedule\.time/, 'time'],
    [/^schedule\.days/, 'days'],
    [/^schedule\.day/, 'day'],
    [/^schedule\.value/, 'value'],
    [/^schedule\.unit/, 'unit'],
    [/^schedule(\.expression)?$/, 'expression'],
    [/^timeZone/, 'timezone'],
    [/^channelIds/, 'channel'],
    [/^options\.minMessages/, 'min_messages'],
    [/^options\.lookback/, 'lookback_hours'],
    [/^options\.length/, 'length'],
    [/^options\.focus/, 'focus'],
    [/^notifyChannelId/, 'notify_channel'],
  ];
  return table.find(([re]) => re.test(field))?.[1] ?? field;
}

/** A scheduler `ValidationError` again, named after the option; anything else unchanged. */
export function rethrowNamed(error: unknown, destinationOptions: readonly string[] = []): never {
  if (error instanceof ValidationError) {
    throw new ValidationError(optionForField(error.field, destinationOptions), error.expected, {
      cause: error,
    });
  }
  throw error;
}

/** The option of each schedule spec field. */
export const specOptionNames: Record<string, string> = {
  at: 'date',
  time: 'time',
  days: 'days',
  day: 'day',
  value: 'value',
  unit: 'unit',
  expression: 'expression',
};
