import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DESTINATION_TYPE_DIMENSION, METRICS_NAMESPACE, MetricName } from './metric-names.ts';

/** What a run reports; the executor knows these events, not CloudWatch. */
export interface RunMetrics {
  runFinished(
    status: 'succeeded' | 'partial' | 'failed' | 'skipped',
    durationMs: number,
    messages: number,
  ): void;
  deliveryFailed(destinationType: string): void;
  deadLettered(): void;
  taskDisabled(): void;
  /** Writes what was recorded (EMF to stdout in Lambda); a no-op where nothing buffers. */
  flush(): void;
}

const STATUS_METRIC = {
  succeeded: MetricName.RunsSucceeded,
  partial: MetricName.RunsPartial,
  failed: MetricName.RunsFailed,
  skipped: MetricName.RunsSkipped,
} as const;

/** CloudWatch embedded metric format through Powertools. */
export class EmfRunMetrics implements RunMetrics {
  private readonly metrics: Metrics;
  constructor(serviceName: string) {
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  }
  runFinished(status: keyof typeof STATUS_METRIC, durationMs: number, messages: number): void {
    this.metrics.addMetric(STATUS_METRIC[status], MetricUnit.Count, 1);
    this.metrics.addMetric(MetricName.RunDuration, MetricUnit.Milliseconds, durationMs);
    this.metrics.addMetric(MetricName.MessagesSummarized, MetricUnit.Count, messages);
  }
  deliveryFailed(destinationType: string): void {
    // A dimension of its own needs a single metric: the shared buffer has one dimension set.
    this.metrics
      .singleMetric()
      .addDimension(DESTINATION_TYPE_DIMENSION, destinationType)
      .addMetric(MetricName.DeliveriesFailed, MetricUnit.Count, 1);
  }
  deadLettered(): void {
    this.metrics.addMetric(MetricName.DeadLetters, MetricUnit.Count, 1);
  }
  taskDisabled(): void {
    this.metrics.addMetric(MetricName.TasksDisabled, MetricUnit.Count, 1);
  }
  flush(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}

/** Counts in memory: the local runtime's status page and tests read them. */
export class CountingRunMetrics implements RunMetrics {
  readonly counts: Record<string, number> = {};
  private add(name: string, value = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + value;
  }
  runFinished(status: keyof typeof STATUS_METRIC, _durationMs: number, messages: number): void {
    this.add(STATUS_METRIC[status]);
    this.add(MetricName.MessagesSummarized, messages);
  }
  deliveryFailed(destinationType: string): void {
    this.add(`${MetricName.DeliveriesFailed}.${destinationType}`);
  }
  deadLettered(): void {
    this.add(MetricName.DeadLetters);
  }
  taskDisabled(): void {
    this.add(MetricName.TasksDisabled);
  }
  flush(): void {}
}
