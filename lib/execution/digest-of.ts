import type { TaskStore } from '../scheduling/ports.ts';
import type { KeyPoint, Summary } from '../summarization/summarizer.ts';
import { previousOccurrence } from '../tasks/chain.ts';
import type { RunDigest, RunRecord } from '../tasks/run-record.ts';
import type { SummaryTask, Task, TaskLink } from '../tasks/task.ts';
import { clip, postedLink } from './run-digest.ts';

/**
 * A digest of digests (`digestOf`): instead of messages, a run reads the digests its source tasks posted in
 * its window, from their run records (each keeps a bounded copy of what it posted, see run-digest.ts), and
 * writes "the week in five lines", each line linking to the digest it came from.
 */

/** One successful run of a source task in the window, with what it posted and where. */
export interface SourceRun {
  source: TaskLink;
  run: RunRecord;
  digest: RunDigest;
  /** The posted digest's Discord link; absent when it went only to webhooks, e-mail or files. */
  link?: string;
}

/** What a digest of digests read. */
export interface SourceDigests {
  /** Oldest first. */
  runs: SourceRun[];
  /** Source tasks that no longer exist, named as they were when linked. */
  gone: TaskLink[];
  /** The source tasks as stored now (for the audience rule: the channels their digests came from). */
  tasks: Task[];
}

/** Records read per source and window at most (a source running every minute still ends a week's read). */
const MAX_RUNS_PER_SOURCE = 200;
const PAGE = 50;
const HOUR_MS = 3_600_000;

/** Lines of a digest of digests by length: "the week in five lines". */
const LINES_BY_LENGTH = { brief: 5, detailed: 8, comprehensive: 12 } as const;

/**
 * Where a digest of digests' window starts: where its last successful run's ended; for a first run, its own
 * schedule's occurrence before the one it stands for (a weekly roll-up's first run covers a week), else
 * its initial lookback.
 */
export function digestWindowStart(task: SummaryTask, lastSuccess: RunRecord | undefined, to: Date): Date {
  const { lookback } = task.options;
  if (lookback.mode === 'fixed') return new Date(to.getTime() - lookback.hours * HOUR_MS);
  if (lastSuccess?.window) return new Date(lastSuccess.window.to);
  // The occurrence this run stands for is its own time, or for a follower the one it ran after; its window
  // starts at the occurrence before that one.
  const due = previousOccurrence(task, new Date(to.getTime() + 1));
  const start = due ? previousOccurrence(task, due) : undefined;
  return start ?? new Date(to.getTime() - lookback.initialHours * HOUR_MS);
}

/** The task's latest succeeded or partly delivered run before `to`, from its newest records. */
export async function lastSuccessfulRun(
  store: TaskStore,
  taskId: string,
  to: string,
): Promise<RunRecord | undefined> {
  const runs = await store.listRuns(taskId, { limit: 25, before: to });
  return runs.find((r) => (r.status === 'succeeded' || r.status === 'partial') && r.window);
}

/** Reads the source tasks' successful runs with a kept digest whose scheduled time is in (from, to]. */
export async function readSourceDigests(
  store: TaskStore,
  task: SummaryTask,
  window: { from: Date; to: Date },
): Promise<SourceDigests> {
  const result: SourceDigests = { runs: [], gone: [], tasks: [] };
  // Compared as instants: a record's time may be spelled with or without milliseconds.
  const from = window.from.getTime();
  const to = window.to.getTime();
  for (const source of task.digestOf ?? []) {
    const stored = await store.getTask(task.guildId, source.taskId);
    if (!stored) {
      result.gone.push(source);
      continue;
    }
    result.tasks.push(stored);
    const link: TaskLink = { taskId: stored.id, name: stored.name };
    // Newest first, paged backwards from just after `to` (a run keyed at `to` itself is in the window).
    let before = new Date(window.to.getTime() + 1).toISOString();
    let read = 0;
    while (read < MAX_RUNS_PER_SOURCE) {
      const page = await store.listRuns(stored.id, { limit: PAGE, before });
      read += page.length;
      for (const run of page) {
        const at = Date.parse(run.scheduledTime);
        if (at <= from || at > to) continue;
        if ((run.status !== 'succeeded' && run.status !== 'partial') || !run.digest) continue;
        const posted = postedLink(run);
        result.runs.push({ source: link, run, digest: run.digest, ...(posted ? { link: posted } : {}) });
      }
      const last = page.at(-1);
      if (page.length < PAGE || !last || Date.parse(last.scheduledTime) <= from) break;
      before = last.scheduledTime;
    }
  }
  result.runs.sort((a, b) => Date.parse(a.run.scheduledTime) - Date.parse(b.run.scheduledTime));
  return result;
}

const NUMBER_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** "The week", "The day", "The month" or "The period" a window spans. */
function spanWords(from: Date, to: Date): string {
  const days = (to.getTime() - from.getTime()) / (24 * HOUR_MS);
  if (days <= 1.5) return 'The day';
  if (days <= 8) return 'The week';
  if (days <= 32) return 'The month';
  return 'The period';
}

/** "Thu 26 Nov" in the task's zone. */
function dayLabel(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone })
    .format(new Date(iso))
    .replace(',', '');
}

/** The first sentence of an overview (a digest's headline), or its first line when it has none. */
function headline(digest: RunDigest): string {
  const first = /^(.+?[.!?。！？])(\s|$)/u.exec(digest.overview)?.[1] ?? digest.overview;
  const point = digest.lines.find((l) => l.kind === 'point')?.text;
  return first.trim() || point || digest.title;
}

/**
 * The digest of digests itself, from what the sources posted: one line per source run (the busiest runs
 * when there are more than the length allows, kept in time order), each linking to the digest it came from;
 * the sources' decisions and action items, linked the same way; a footer naming deleted sources.
 */
export function composeDigestOf(
  task: SummaryTask,
  read: Pick<SourceDigests, 'runs' | 'gone'>,
  window: { from: Date; to: Date },
): Summary {
  const budget = LINES_BY_LENGTH[task.options.length];
  const several = (task.digestOf?.length ?? 0) > 1;
  const chosen = [...read.runs]
    .map((r, order) => ({ r, order }))
    .sort((a, b) => (b.r.run.messageCount ?? 0) - (a.r.run.messageCount ?? 0) || a.order - b.order)
    .slice(0, budget)
    .sort((a, b) => a.order - b.order)
    .map(({ r }) => r);
  const sourcesOf = (r: SourceRun) => (r.link ? [r.link] : []);
  const label = (r: SourceRun) =>
    `${several ? `${r.source.name}, ` : ''}${dayLabel(r.run.scheduledTime, task.timeZone)}`;
  const keyPoints: KeyPoint[] = chosen.map((r) => ({
    text: clip(`${label(r)}: ${headline(r.digest)}`, 300),
    sources: sourcesOf(r),
  }));
  const linesOf = (kind: RunDigest['lines'][number]['kind']) =>
    read.runs.flatMap((r) =>
      r.digest.lines
        .filter((l) => l.kind === kind)
        .map((l) => ({ text: l.text, sources: sourcesOf(r), ...(l.owner ? { owner: l.owner } : {}) })),
    );
  const messages = read.runs.reduce((sum, r) => sum + (r.run.messageCount ?? 0), 0);
  const names = [...new Set((task.digestOf ?? []).map((s) => s.name))];
  const count = chosen.length;
  const overview =
    read.runs.length === 0
      ? `No digests of ${names.join(', ')} in this window.`
      : `${read.runs.length === count ? '' : `The ${count} busiest of `}${read.runs.length} ${read.runs.length === 1 ? 'digest' : 'digests'} of ${names.join(', ')}, ${messages.toLocaleString('en-US')} messages in all.`;
  const footer = goneNote(read.gone);
  return {
    title: `${spanWords(window.from, window.to)} in ${NUMBER_WORDS[count] ?? String(count)} ${count === 1 ? 'line' : 'lines'}: ${task.name}`,
    overview,
    keyPoints,
    decisions: linesOf('decision').slice(-budget),
    actionItems: linesOf('action').slice(-budget),
    openQuestions: read.runs.length > 0 ? linesOf('question').slice(-3) : [],
    participants: [],
    links: [],
    stats: {
      messages,
      participants: Math.max(0, ...read.runs.map((r) => r.run.participantCount ?? 0)),
      from: window.from.toISOString(),
      to: window.to.toISOString(),
    },
    ...(footer ? { footer } : {}),
  };
}

/** The footer's words for deleted sources ("Daily dev was deleted; its digests are no longer read."). */
export function goneNote(gone: readonly TaskLink[]): string | undefined {
  if (gone.length === 0) return undefined;
  const names = gone.map((g) => `“${g.name}”`).join(', ');
  return `${names} ${gone.length === 1 ? 'was' : 'were'} deleted; ${gone.length === 1 ? 'its' : 'their'} digests are no longer read.`;
}
