import { plural } from '../shared/words.ts';
import type { RunRecord } from '../tasks/run-record.ts';
import type { ExecutorInput } from './executor-input.ts';
import type { RunOutcome } from './task-run.ts';

/** A one-line account of a finished run, as a Discord reply says it. */
export function describeRun(run: RunRecord): string {
  const delivered = (run.destinations ?? []).filter((d) => d.status === 'delivered').length;
  const total = run.destinations?.length ?? 0;
  switch (run.status) {
    case 'succeeded':
      return `✅ Summarized ${plural(run.messageCount ?? 0, 'message')} and delivered to ${plural(delivered, 'destination')}.`;
    case 'partial':
      return `⚠️ Summarized ${plural(run.messageCount ?? 0, 'message')}; delivered to ${delivered} of ${plural(total, 'destination')}.`;
    case 'skipped':
      return `⏭️ Skipped: ${run.skipReason ?? 'not enough messages'}.`;
    default:
      return `❌ The run failed: ${run.error ?? 'unknown error'}.`;
  }
}

/** A one-line account of what an invocation of the executor came to (the run-now reply says this). */
export function describeOutcome(outcome: RunOutcome): string {
  switch (outcome.status) {
    case 'adhoc':
      return `✅ Summarized ${plural(outcome.messages, 'message')}.`;
    case 'ignored':
      return `Nothing ran: ${outcome.reason}.`;
    case 'duplicate':
      return 'This run was already started.';
    case 'superseded':
      return 'This attempt took too long; another attempt finishes the run.';
    default:
      return describeRun(outcome.run);
  }
}

/** What an invocation was, in words: `/summarize`, `run of task …`, `manual run of task …`. */
export function describeInput(input: ExecutorInput): string {
  if (input.type === 'adhoc') return '/summarize';
  if (input.type === 'after') return `run of task ${input.taskId} after task ${input.upstream.taskId}`;
  return `${input.type === 'manual' ? 'manual run' : 'run'} of task ${input.taskId}`;
}

/** One line for a log of runs (the local runtime's console): what ran, when it was due, and its outcome. */
export function describeExecution(input: ExecutorInput, outcome: RunOutcome): string {
  const due = 'run' in outcome ? ` due ${outcome.run.scheduledTime}` : '';
  return `${describeInput(input)}${due}: ${describeOutcome(outcome)}`;
}

/**
 * What a run-now came to for whoever asked for it: the run's status (or why no run happened), and when it
 * did not do everything asked, the reason in one line. A run that delivered everywhere or was skipped by
 * its task's own rule (too few messages) did what was asked; a partial delivery did not: a destination
 * lacks the summary, so it counts against the run even though the task's failure count does not.
 */
export function manualRunResult(outcome: RunOutcome): ManualRunResult {
  switch (outcome.status) {
    case 'adhoc':
      return { status: 'adhoc' };
    case 'ignored':
      return { status: 'ignored', problem: `nothing ran: ${outcome.reason}` };
    case 'duplicate':
      return runResult(outcome.existing);
    case 'superseded':
      return { status: 'superseded', problem: `another attempt finishes the run: ${outcome.reason}` };
    default:
      return runResult(outcome.run);
  }
}

/** See manualRunResult; `problem` is absent when the run did what was asked. */
export interface ManualRunResult {
  status: RunOutcome['status'];
  problem?: string;
}

function runResult(run: RunRecord): ManualRunResult {
  switch (run.status) {
    case 'succeeded':
    case 'skipped':
      return { status: run.status };
    case 'partial': {
      const destinations = run.destinations ?? [];
      const failed = destinations.filter((d) => d.status === 'failed');
      const why = failed.map((d) => `${d.type.replace('_', ' ')}: ${d.error ?? 'failed'}`).join('; ');
      return {
        status: 'partial',
        problem: `the run delivered to ${destinations.length - failed.length} of ${plural(destinations.length, 'destination')} (${why})`,
      };
    }
    case 'running':
      return { status: 'running', problem: 'the run is still running' };
    default:
      return {
        status: run.status,
        problem: `the run ${run.status === 'missed' ? 'was missed' : 'failed'}: ${run.error ?? 'unknown error'}`,
      };
  }
}
