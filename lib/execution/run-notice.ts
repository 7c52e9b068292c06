import { noticeSummary, type Summary } from '../summarization/summarizer.ts';
import type { TaskRun } from './task-run.ts';

/** A notice (quiet period, cleanup report, digest-of notice) over the run's window, delivered as a digest is. */
export function runNotice(run: TaskRun, title: string, overview: string, messages: number): Summary {
  const { record } = run;
  const window = record.window ?? { from: record.scheduledTime, to: record.scheduledTime };
  return noticeSummary(title, overview, {
    messages,
    participants: record.participantCount ?? 0,
    from: window.from,
    to: window.to,
  });
}
