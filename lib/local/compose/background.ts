import type { Logger } from '../../observability/logger.ts';
import type { ReconcileReport } from '../../scheduling/task-scheduler.ts';
import { plural } from '../../shared/words.ts';
import type { TimerHandle } from '../clock.ts';
import type { DiscordSide } from '../discord-side.ts';
import { recoverRuns } from '../run-recovery.ts';
import type { ShutdownSteps } from '../shutdown-steps.ts';
import { STOP_TIMEOUT_MS } from './http.ts';
import type { LocalRuns } from './runs.ts';
import type { LocalStore } from './store.ts';

/** How often the scheduler re-reads the definitions, so CLI changes (pause, resume) take effect. */
const SYNC_INTERVAL_MS = 3_000;

/** What the background work is done on, and whom it tells. */
export interface BackgroundDeps {
  discord: DiscordSide;
  local: LocalStore;
  runs: LocalRuns;
  logger: Logger;
  report: (line: string) => void;
}

/**
 * Starts what runs on its own: repairs what the previous process left (abandoned creates, unfinished runs),
 * starts the embedded scheduler (catching up on runs due while it was down), re-reads the definitions every
 * few seconds for the CLI's changes, reconciles daily, and lets the sandbox clock tick.
 * Resolves to what the scheduler's start caught up on.
 */
export async function startBackground(
  deps: BackgroundDeps,
  steps: ShutdownSteps,
): Promise<{ fired: number; missed: number }> {
  const { discord, logger, report, runs } = deps;
  const { clock } = discord;
  const { gateway, invoker, scheduler } = runs;
  const reportReconcile = (when: string, repaired: ReconcileReport) => {
    const line = describeReconcile(when, repaired);
    if (line) report(line);
  };
  // Nothing else can be writing this store now (LevelDB's lock is ours, and any CLI that went through the
  // previous process died with it): every pending task is an abandoned create or import. After a kill the
  // state index it lists them by was repaired first (startEmbeddedDynamo), so it lists them all.
  reportReconcile('on start', await scheduler.reconcile({ pendingGraceMs: 0 }));
  const catchUp = await gateway.start();
  // Runs no live work holds resume as a Lambda retry would, within what is left of the budget: at start
  // those the previous process left, daily any that were lost since (the runs in flight are left alone).
  const recover = () =>
    recoverRuns({
      store: deps.local.store,
      clock,
      leases: runs.leases,
      inFlight: (run) => invoker.isRunning(run),
      resume: (input, attempts) => invoker.run(input, { attempts }),
      deadLetter: (input, reason) => runs.deadLetter(input, new Error(reason)),
      onError: (error, run) => logger.error('an unfinished run could not be resumed', { error, run }),
    });
  steps.push(async () => runs.leases.stop());
  const recovery = await recover();
  if (recovery.resumed + recovery.deadLettered + recovery.waiting > 0) {
    report(
      `Unfinished runs from before: ${recovery.resumed} resumed, ${recovery.deadLettered} dead-lettered, ${recovery.waiting} resumed when their lease runs out.`,
    );
  }
  // Daily, as the AWS stack's rule runs it: drift the CLI or a crash left while running, and runs left
  // unfinished with nobody working on them.
  let reconcileTimer: TimerHandle | undefined;
  const daily = async () => {
    reportReconcile('daily', await scheduler.reconcile());
    const swept = await recover();
    if (swept.resumed + swept.deadLettered > 0) {
      report(`Unfinished runs found daily: ${swept.resumed} resumed, ${swept.deadLettered} dead-lettered.`);
    }
  };
  const armReconcile = () => {
    reconcileTimer = clock.setTimer(new Date(clock.now().getTime() + 86_400_000), () =>
      daily()
        .catch((error: unknown) => logger.error('daily reconcile failed', { error }))
        .finally(armReconcile),
    );
  };
  armReconcile();
  steps.push(async () => reconcileTimer?.cancel());
  steps.push(async () => {
    await gateway.stop(STOP_TIMEOUT_MS);
    await invoker.drain(STOP_TIMEOUT_MS, { leaveWaiting: true });
  });
  let syncing: Promise<void> | undefined;
  const syncTimer = setInterval(() => {
    if (syncing) return;
    syncing = gateway
      .sync()
      .catch((error: unknown) => logger.error('schedule sync failed', { error }))
      .finally(() => {
        syncing = undefined;
      });
  }, SYNC_INTERVAL_MS);
  syncTimer.unref();
  steps.push(async () => {
    clearInterval(syncTimer);
    await syncing; // a sync in progress must not read the store after it closed
  });
  const ticking = discord.sandbox?.clock;
  if (ticking) {
    ticking.start();
    steps.push(async () => ticking.stop());
  }
  return catchUp;
}

/** One line for what a reconcile repaired, or undefined when it found nothing to do. */
function describeReconcile(when: string, repaired: ReconcileReport): string | undefined {
  const { recreated, deletedOrphans, stateFixed, removedPending, errors } = repaired;
  const changes = recreated.length + deletedOrphans.length + stateFixed.length + removedPending.length;
  if (changes + errors.length === 0) return undefined;
  return `Reconciled ${when}: ${plural(removedPending.length, 'abandoned pending task')} removed, ${plural(deletedOrphans.length, 'orphan schedule')} deleted, ${plural(recreated.length, 'schedule')} recreated, ${stateFixed.length} fixed${errors.length ? `, ${errors.length} failed (retried later)` : ''}.`;
}
