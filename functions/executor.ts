import { lazyAwsExecutor } from '../lib/aws/aws-executor.ts';
import { createAwsRuntime } from '../lib/aws/aws-runtime.ts';
import { ValidationError } from '../lib/errors.ts';
import { ExecutorInput } from '../lib/execution/executor-input.ts';
import type { RunOutcome, TaskExecutor } from '../lib/execution/task-executor.ts';
import type { Logger } from '../lib/observability/logger.ts';
import type { RunMetrics } from '../lib/observability/metrics.ts';
import { lazy } from '../lib/shared/lazy.ts';

/**
 * Runs one task (from its EventBridge schedule or "run now") or one `/summarize`. A thrown error makes
 * Lambda retry the async invocation and then send it to the dead-letter queue.
 */
export async function handleExecutorEvent(
  event: unknown,
  deps: { executor: TaskExecutor; logger: Logger; metrics: RunMetrics },
): Promise<RunOutcome> {
  const parsed = ExecutorInput.safeParse(event);
  try {
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Thrown, not dropped: after Lambda's retries the event lands in the dead-letter queue, where it is seen.
      throw new ValidationError(
        issue?.path.join('.') || 'event',
        issue?.message ?? 'expected an executor input',
      );
    }
    return await deps.executor.execute(parsed.data);
  } finally {
    deps.metrics.flush();
  }
}

// Built on the first invocation, once per container; tests import the unwrapped handler without AWS config.
const getRuntime = lazy(() => {
  const aws = createAwsRuntime('executor');
  return { aws, executor: lazyAwsExecutor(aws) };
});

export const handler = async (event: unknown): Promise<RunOutcome> => {
  const { aws, executor } = getRuntime();
  return handleExecutorEvent(event, { executor: await executor(), logger: aws.logger, metrics: aws.metrics });
};
