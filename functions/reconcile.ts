import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import type { Logger } from '../lib/observability/logger.ts';
import type { ReconcileReport, TaskScheduler } from '../lib/scheduling/task-scheduler.ts';

/** Repairs drift between the task table and the schedule group, and logs what it changed. */
export async function handleReconcile(deps: {
  scheduler: TaskScheduler;
  logger: Logger;
}): Promise<ReconcileReport> {
  const report = await deps.scheduler.reconcile();
  deps.logger.info('reconcile finished', { ...report });
  return report;
}

const runtime = createAwsRuntime('reconcile');

export const handler = async (): Promise<ReconcileReport> =>
  handleReconcile({ scheduler: runtime.scheduler, logger: runtime.logger });
