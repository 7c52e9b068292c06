import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import type { Logger } from '../lib/observability/logger.ts';
import type { ReconcileReport, TaskScheduler } from '../lib/scheduling/task-scheduler.ts';
import { lazy } from '../lib/shared/lazy.ts';

/** Repairs drift between the task table and the schedule group, and logs what it changed. */
export async function handleReconcile(deps: {
  scheduler: TaskScheduler;
  logger: Logger;
}): Promise<ReconcileReport> {
  const report = await deps.scheduler.reconcile();
  deps.logger.info('reconcile finished', { ...report });
  return report;
}

// Built on the first invocation, once per container; tests import the unwrapped handler without AWS config.
const getRuntime = lazy(() => createAwsRuntime('reconcile'));

export const handler = async (): Promise<ReconcileReport> => {
  const { scheduler, logger } = getRuntime();
  return handleReconcile({ scheduler, logger });
};
