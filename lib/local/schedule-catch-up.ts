import { randomUUID } from 'node:crypto';
import type { ScheduledRunInput } from '../execution/executor-input.ts';
import type { StoredSchedule } from '../scheduling/schedule-repository.ts';
import { plural } from '../shared/words.ts';
import { nextRuns } from '../tasks/next-runs.ts';

/** More runs than the grace window can hold at one a minute (EventBridge's finest rate) plus slack. */
const MAX_WINDOW_STEPS = 100_000;

/** "3 runs missed between 2026-03-28 08:00 UTC and 2026-03-30 08:00 UTC", or the one run's time. */
export function describeMissedRuns(firstScheduledTime: string, span: MissedSpan): string {
  const at = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  if (span.count === 1 && !span.atLeast) return `1 run missed, due ${at(firstScheduledTime)}`;
  const count = span.atLeast ? `More than ${plural(span.count, 'run')}` : plural(span.count, 'run');
  return `${count} missed between ${at(firstScheduledTime)} and ${at(span.lastScheduledTime)}`;
}

/** The runs one catch-up found missed for a schedule. */
export interface MissedSpan {
  count: number;
  /** True when there were more than `count` (the count stopped at `maxMissedPerSchedule`). */
  atLeast: boolean;
  lastScheduledTime: string;
}

/** What one catch-up found for a schedule since its watermark. */
export interface CatchUp {
  /** The latest run due within the grace period: it fires now. */
  fireAt: Date | undefined;
  /** Runs due before the grace period began, oldest first, at most `maxMissed` of them. */
  missedAt: Date[];
  /** More runs were missed than `missedAt` holds. */
  atLeast: boolean;
  /** The new watermark (ms): every run due at or before it is handled. */
  handled: number;
  /** The first run after now, to arm; undefined when the schedule has no run left. */
  next: Date | undefined;
}

/**
 * Finds the runs of one schedule due in (watermark, now]: the latest one within the grace period fires, older
 * ones are missed (counted up to `maxMissed`), and the first run after now is the one to arm.
 */
export function catchUp(
  stored: StoredSchedule,
  watermark: number,
  nowMs: number,
  limits: { graceMs: number; maxMissed: number },
): CatchUp {
  const anchor = stored.startDate ? new Date(stored.startDate) : undefined;
  const runsAfter = (fromMs: number, count: number) =>
    nextRuns(stored.expression, stored.timeZone, new Date(fromMs), count, anchor ? { anchor } : {});

  const cutoff = nowMs - limits.graceMs;
  const missedAt: Date[] = [];
  let atLeast = false;
  // Counted in batches up to the cutoff: a minutely schedule down for a day owes 1,440 runs. The batches
  // start at one run and double: normally none is missed, and 1,000 daily runs cost ~40 ms to compute.
  for (let from = watermark, size = 1; from < cutoff; size = Math.min(size * 2, 1_000)) {
    const batch = runsAfter(from, Math.min(size, limits.maxMissed - missedAt.length + 1));
    const inWindow = batch.filter((at) => at.getTime() <= cutoff);
    missedAt.push(...inWindow);
    if (missedAt.length > limits.maxMissed) {
      missedAt.length = limits.maxMissed;
      atLeast = true;
      break;
    }
    if (inWindow.length < batch.length || batch.length === 0) break;
    from = (batch[batch.length - 1] as Date).getTime();
  }
  // Runs in (max(watermark, cutoff), now], walked one at a time: normally one is due, and the walk ends on
  // the first run after now, which is the one to arm (nextRuns per run costs the same as per batch).
  let fireAt: Date | undefined;
  let next: Date | undefined;
  let cursor = Math.max(watermark, cutoff);
  for (let steps = 0; steps < MAX_WINDOW_STEPS; steps++) {
    next = runsAfter(cursor, 1)[0];
    if (!next || next.getTime() > nowMs) break;
    fireAt = next;
    cursor = next.getTime();
    next = undefined;
  }

  const handled = fireAt ? fireAt.getTime() : missedAt.length > 0 ? cutoff : watermark;
  // Only when the walk gave up (a window with more runs than a minutely schedule can have) is this needed.
  next ??= runsAfter(handled, 1)[0];
  return { fireAt, missedAt, atLeast, handled, next };
}

/** Runs one catch-up produced, to be handed out after the schedule's lock is released. */
export interface Due {
  fire: ScheduledRunInput | undefined;
  missed: { first: ScheduledRunInput; span: MissedSpan } | undefined;
}

/** A catch-up that found nothing to hand out. */
export const NOTHING_DUE: Due = Object.freeze({ fire: undefined, missed: undefined });

/** The executor inputs a catch-up hands out: the run to fire, and the first missed run with their span. */
export function dueRuns(stored: StoredSchedule, found: CatchUp): Due {
  const { fireAt, missedAt, atLeast } = found;
  return {
    fire: fireAt ? scheduledRun(stored, fireAt) : undefined,
    missed:
      missedAt.length > 0
        ? {
            first: scheduledRun(stored, missedAt[0] as Date),
            span: {
              count: missedAt.length,
              atLeast,
              lastScheduledTime: (missedAt[missedAt.length - 1] as Date).toISOString(),
            },
          }
        : undefined,
  };
}

/** The executor's input for the schedule's run due `at`, with a fresh execution id. */
function scheduledRun(stored: StoredSchedule, at: Date): ScheduledRunInput {
  return {
    type: 'scheduled',
    taskId: stored.taskId,
    guildId: stored.guildId,
    scheduledTime: at.toISOString(),
    executionId: randomUUID(),
    attempt: 1,
  };
}
