/**
 * The one map from a field the scheduler names (`schedule.time`, `options.minMessages`) to the option a
 * member typed. The option readers name their own errors; what reaches this map are the checks only the
 * scheduler can make (a schedule with a run in the future, limits, the task as a whole).
 */
export function optionForField(field: string): string {
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
    [/^options\.maxMessages/, 'max_messages'],
    [/^options\.excludedUserIds/, 'exclude_users'],
    [/^failureLimit/, 'failure_limit'],
    [/^retentionDays/, 'keep_days'],
    [/^notifyChannelId/, 'notify_channel'],
    [/^digestOf/, 'digest_of'],
    [/^after$/, 'after'],
  ];
  return table.find(([re]) => re.test(field))?.[1] ?? field;
}
