/**
 * CloudWatch metric names and dimensions the executor emits (embedded metric format). Shared with the CDK
 * dashboard and alarms so both sides name the same series.
 */
export const METRICS_NAMESPACE = 'SummaryBot';

export const MetricName = {
  RunsSucceeded: 'RunsSucceeded',
  RunsPartial: 'RunsPartial',
  RunsFailed: 'RunsFailed',
  RunsSkipped: 'RunsSkipped',
  MessagesSummarized: 'MessagesSummarized',
  DeliveriesFailed: 'DeliveriesFailed',
  RunDuration: 'RunDuration',
  DeadLetters: 'DeadLetters',
  TasksDisabled: 'TasksDisabled',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

/** Dimension of `DeliveriesFailed`: one series per destination type. */
export const DESTINATION_TYPE_DIMENSION = 'DestinationType';
/** Every metric carries the stage as its `service` dimension. */
export const SERVICE_DIMENSION = 'service';
