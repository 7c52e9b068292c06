/** Words for counts in replies, notices and the status page: "1 run", "2 runs", never "run(s)". */

/** `1 run`, `3 runs`, `0 new messages`; `pluralForm` for irregular words. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
