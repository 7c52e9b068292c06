import { RunFailedError } from '../errors.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Summary } from '../summarization/summarizer.ts';
import { destinationWords } from '../tasks/destination-words.ts';
import type { SummaryTask, Task } from '../tasks/task.ts';
import {
  composeDigestOf,
  digestWindowStart,
  goneNote,
  lastSuccessfulRun,
  readSourceDigests,
  type SourceDigests,
} from './digest-of.ts';
import { withFooterNotes } from './footer-notes.ts';
import type { RunSources } from './ports.ts';
import { leftOutNote, planRunSources } from './run-audience.ts';
import { toRunDigest } from './run-digest.ts';
import type { RunOutcome, TaskRun } from './task-run.ts';

/** What a digest-of run needs beside its run. */
export interface DigestOfDeps {
  store: TaskStore;
  sources: RunSources;
  maxRetryTimeMs: number;
  /** A notice over the run's window (the quiet-period note). */
  notice: (title: string, overview: string) => Summary;
}

/** How deep a digest of digests of digests is followed to the channels its content came from. */
const MAX_DEPTH = 4;

/**
 * The channels a task's digests come from: its own for a task that reads messages; its sources' for a
 * digest of digests, followed down (a monthly roll-up of a weekly one of a daily one reads the daily's).
 */
async function contentChannels(store: TaskStore, task: Task, depth = 0): Promise<string[]> {
  if (task.kind !== 'summary') return [];
  if (!task.digestOf || depth >= MAX_DEPTH) return task.channelIds;
  const channels = new Set<string>();
  for (const source of task.digestOf) {
    const stored = await store.getTask(task.guildId, source.taskId);
    if (stored) for (const id of await contentChannels(store, stored, depth + 1)) channels.add(id);
  }
  return [...channels];
}

/**
 * One run of a digest of digests: its window (from where its last success ended), the digests its sources
 * posted in it, the audience rule on the channels those digests came from (a source with a channel its
 * destinations' audience may not read is left out whole, and named), the digest composed and delivered.
 * A run with no source digest in its window is skipped, like a channel with no new messages.
 */
export async function runDigestOf(run: TaskRun, task: SummaryTask, deps: DigestOfDeps): Promise<RunOutcome> {
  const to = new Date(run.record.scheduledTime);
  let read: SourceDigests;
  let from: Date;
  try {
    from = digestWindowStart(
      task,
      await lastSuccessfulRun(deps.store, task.id, run.record.scheduledTime),
      to,
    );
    read = await readSourceDigests(deps.store, task, { from, to });
    const channelsBySource = new Map<string, string[]>();
    for (const source of read.tasks)
      channelsBySource.set(source.id, await contentChannels(deps.store, source));
    const channelIds = [...new Set([...channelsBySource.values()].flat())];
    if (channelIds.length > 0) {
      const plan = await planRunSources(
        deps.sources,
        { ...task, channelIds },
        deps.maxRetryTimeMs,
        (leftOut) => run.note({ leftOut }),
      );
      // A source's digest mixes its channels: it is kept only when every one of them may be shown here.
      const allowed = new Set(plan.channelIds);
      read.runs = read.runs.filter((r) =>
        (channelsBySource.get(r.source.taskId) ?? []).every((id) => allowed.has(id)),
      );
    }
  } catch (error) {
    return run.fail(error);
  }
  const messages = read.runs.reduce((sum, r) => sum + (r.run.messageCount ?? 0), 0);
  run.note({
    window: { from: from.toISOString(), to: to.toISOString() },
    messageCount: messages,
    participantCount: Math.max(0, ...read.runs.map((r) => r.run.participantCount ?? 0)),
    ...(read.gone.length > 0 ? { sourcesGone: read.gone.map((g) => g.name) } : {}),
  });
  if (read.runs.length === 0) {
    const names = (task.digestOf ?? []).map((s) => s.name).join(', ');
    run.note({ skipReason: `no digests of ${names} in this window` });
    if (task.options.postWhenQuiet) {
      const gone = goneNote(read.gone);
      await run.deliver(
        deps.notice(
          `Quiet period: ${task.name}`,
          `No digests of ${names} since the last one.${gone ? ` ${gone}` : ''}`,
        ),
      );
    }
    return run.finish('skipped');
  }
  let summary = composeDigestOf(task, read, { from, to });
  const leftOut = leftOutNote(run.record);
  if (leftOut) summary = withFooterNotes(summary, [leftOut]);
  const { outcomes, transient } = await run.deliver(summary);
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length === outcomes.length) {
    const error = `every destination failed: ${failed
      .map((o) => `${destinationWords(task.destinations[o.index], o.type)}: ${o.error}`)
      .join('; ')}`;
    return run.fail(new RunFailedError(error), transient);
  }
  run.note({ digest: toRunDigest(summary) });
  return run.finish(failed.length > 0 ? 'partial' : 'succeeded');
}
