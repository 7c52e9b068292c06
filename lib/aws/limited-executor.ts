import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsConfig } from '../config.ts';
import type { ExecutorInvoker } from '../execution/executor-input.ts';
import { limitSummarize, summarizeLimitsOf, type UseWindowStore } from '../execution/summarize-limit.ts';
import { LambdaExecutorInvoker } from './lambda-executor-invoker.ts';

/**
 * The executor as the interactions endpoint and the interaction worker hand runs to it: an async Lambda
 * Invoke behind the /summarize limit per member and per server, counted in the task table, so a
 * `/summarize` or `/catchup` counts the same whichever of the two functions runs it.
 */
export function limitedLambdaExecutor(runtime: {
  config: Pick<
    AwsConfig,
    'EXECUTOR_FUNCTION_ARN' | 'SUMMARIZE_PER_MEMBER_PER_MINUTE' | 'SUMMARIZE_PER_SERVER_PER_MINUTE'
  >;
  lambda: LambdaClient;
  useWindows: UseWindowStore;
}): ExecutorInvoker {
  return limitSummarize(
    new LambdaExecutorInvoker({ client: runtime.lambda, functionName: runtime.config.EXECUTOR_FUNCTION_ARN }),
    {
      store: runtime.useWindows,
      limits: summarizeLimitsOf(runtime.config),
      clock: { now: () => new Date() },
    },
  );
}
