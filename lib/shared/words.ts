/** Words for counts in replies, notices and the status page: "1 run", "2 runs", never "run(s)". */

/** `1 run`, `3 runs`, `0 new messages`; `pluralForm` for irregular words. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "the last run", "the last 3 runs": how many runs in a row something failed. */
export function lastRuns(count: number): string {
  return count === 1 ? 'the last run' : `the last ${plural(count, 'run')}`;
}
