import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DESTINATION_TYPE_DIMENSION,
  METRICS_NAMESPACE,
  MetricName,
  SERVICE_DIMENSION,
} from '../../lib/observability/metric-names.ts';
import type { StackConfig } from '../config.ts';

/** Discord's deadline for the first answer to an interaction. */
export const DISCORD_DEADLINE_MS = 3000;

/** Alarm thresholds, exported so tests and the deploy guide state the same numbers. */
export const ALARM_THRESHOLDS = {
  /** Interactions p99 above this for 2 of 3 five-minute periods: close to the 3 s deadline. */
  interactionsP99Ms: 2000,
  /** Executor errors as a percentage of invocations over 15 minutes. */
  executorErrorRatePercent: 10,
  /** Any throttled invocation of any function in 5 minutes. */
  throttles: 1,
  /** Any message sent to the dead-letter queue in 5 minutes. */
  deadLetters: 1,
} as const;

/** The executor's error rate in percent, 0 in a period without invocations. */
export const EXECUTOR_ERROR_RATE_EXPRESSION = 'IF(invocations > 0, 100 * errors / invocations, 0)';

/** Destination types of `lib/tasks/task.ts`: one `DeliveriesFailed` series each. */
const DESTINATION_TYPES = ['discord_channel', 'webhook', 'email', 'file'] as const;

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The bot's dashboard and its alarms. Alarms go to an SNS topic, with an e-mail subscription when the
 * `alarmEmail` context value is set.
 */
export class Monitoring extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StackConfig;
      interactions: lambda.IFunction;
      interactionWorker: lambda.IFunction;
      executor: lambda.IFunction;
      deadLetterHandler: lambda.IFunction;
      reconcile: lambda.IFunction;
      deadLetterQueue: sqs.IQueue;
    },
  ) {
    super(scope, id);
    const { config, interactions, executor, deadLetterQueue } = props;
    const allFunctions = [
      interactions,
      props.interactionWorker,
      executor,
      props.deadLetterHandler,
      props.reconcile,
    ];

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Summary Bot (${config.stage}) alarms`,
      enforceSSL: true,
    });
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and states only. CloudWatch cannot publish to a topic encrypted ' +
        'with the AWS managed SNS key, and a customer managed key for this would cost more than the rest of ' +
        'a small deployment.',
    });
    if (config.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));

    const botMetric = (service: string, metricName: string, dimensions: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { [SERVICE_DIMENSION]: `${service}-${config.stage}`, ...dimensions },
        statistic: cloudwatch.Stats.SUM,
        period: FIVE_MINUTES,
      });
    const run = (name: string) => botMetric('executor', name);

    const p99 = interactions.metricDuration({ statistic: cloudwatch.Stats.p(99), period: FIVE_MINUTES });
    // IF, not MAX([invocations, 1]): MAX takes an array of time series only, and a period without
    // invocations is 0 %, not a missing point (CloudWatch User Guide, "Using IF expressions").
    const executorErrorRate = new cloudwatch.MathExpression({
      expression: EXECUTOR_ERROR_RATE_EXPRESSION,
      usingMetrics: {
        errors: executor.metricErrors({ period: Duration.minutes(15) }),
        invocations: executor.metricInvocations({ period: Duration.minutes(15) }),
      },
      label: 'Executor error rate (%)',
      period: Duration.minutes(15),
    });
    const throttles = new cloudwatch.MathExpression({
      expression: allFunctions.map((_, i) => `t${i}`).join(' + '),
      usingMetrics: Object.fromEntries(
        allFunctions.map((fn, i) => [`t${i}`, fn.metricThrottles({ period: FIVE_MINUTES })]),
      ),
      label: 'Throttled invocations (all functions)',
      period: FIVE_MINUTES,
    });
    // The handler drains the queue within seconds, so its depth is rarely caught above 0: alarm on arrivals.
    const deadLettersSent = deadLetterQueue.metricNumberOfMessagesSent({ period: FIVE_MINUTES });
    const queueDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: FIVE_MINUTES,
      statistic: cloudwatch.Stats.MAXIMUM,
    });

    const alarm = (
      id: string,
      description: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      evaluationPeriods = 1,
      datapointsToAlarm = evaluationPeriods,
    ) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: alarmName(config.stage, id),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        datapointsToAlarm,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(created);
      return created;
    };
    alarm(
      'DeadLetters',
      'A run or a scheduled invocation failed after its retries and went to the dead-letter queue.',
      deadLettersSent,
      ALARM_THRESHOLDS.deadLetters,
    );
    alarm(
      'DeadLetterBacklog',
      'Messages wait in the dead-letter queue for 15 minutes: the dead-letter handler is failing.',
      queueDepth,
      1,
      3,
    );
    alarm(
      'ExecutorErrorRate',
      `More than ${ALARM_THRESHOLDS.executorErrorRatePercent}% of executor invocations failed in 15 minutes.`,
      executorErrorRate,
      ALARM_THRESHOLDS.executorErrorRatePercent,
    );
    alarm(
      'InteractionsP99',
      `Interactions p99 duration is above ${ALARM_THRESHOLDS.interactionsP99Ms} ms, close to Discord's 3 s deadline.`,
      p99,
      ALARM_THRESHOLDS.interactionsP99Ms,
      3,
      2,
    );
    alarm(
      'Throttles',
      'A function was throttled: reserved concurrency or the account quota was reached.',
      throttles,
      ALARM_THRESHOLDS.throttles,
    );
    alarm(
      'ReconcileErrors',
      'The daily reconcile failed: drift between tasks and schedules is not being repaired.',
      props.reconcile.metricErrors({ period: Duration.hours(1) }),
      1,
    );

    this.#allowAlarmsToPublish(
      config.stage,
      this.alarms.map((created) => created.node.id),
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `summary-bot-${config.stage}`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Interactions duration (Discord deadline 3 s)',
        left: [
          interactions.metricDuration({
            statistic: cloudwatch.Stats.p(50),
            period: FIVE_MINUTES,
            label: 'p50',
          }),
          interactions.metricDuration({
            statistic: cloudwatch.Stats.p(99),
            period: FIVE_MINUTES,
            label: 'p99',
          }),
        ],
        leftAnnotations: [
          { value: DISCORD_DEADLINE_MS, label: 'Discord deadline', color: cloudwatch.Color.RED },
          { value: ALARM_THRESHOLDS.interactionsP99Ms, label: 'p99 alarm', color: cloudwatch.Color.ORANGE },
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Errors and throttles',
        left: allFunctions.map((fn) =>
          fn.metricErrors({ period: FIVE_MINUTES, label: `${labelOf(fn)} errors` }),
        ),
        right: allFunctions.map((fn) =>
          fn.metricThrottles({ period: FIVE_MINUTES, label: `${labelOf(fn)} throttles` }),
        ),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Runs',
        left: [
          run(MetricName.RunsSucceeded).with({ label: 'succeeded' }),
          run(MetricName.RunsPartial).with({ label: 'partial' }),
          run(MetricName.RunsFailed).with({ label: 'failed' }),
          run(MetricName.RunsSkipped).with({ label: 'skipped' }),
        ],
        stacked: true,
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Messages summarized',
        left: [run(MetricName.MessagesSummarized).with({ label: 'messages' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Deliveries failed by destination type',
        left: DESTINATION_TYPES.map((type) =>
          botMetric('executor', MetricName.DeliveriesFailed, { [DESTINATION_TYPE_DIMENSION]: type }).with({
            label: type,
          }),
        ),
        stacked: true,
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queue',
        left: [queueDepth.with({ label: 'depth (visible)' }), deadLettersSent.with({ label: 'arrived' })],
        right: [
          botMetric('dead-letters', MetricName.DeadLetters).with({ label: 'recorded' }),
          // Both disable a task that keeps failing: the executor after a failed run, the dead-letter
          // handler after a dead-lettered one. Each emits under its own service dimension.
          botMetric('executor', MetricName.TasksDisabled).with({ label: 'tasks disabled (failed runs)' }),
          botMetric('dead-letters', MetricName.TasksDisabled).with({
            label: 'tasks disabled (dead letters)',
          }),
        ],
        width: 12,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 12 }),
    );
  }

  /**
   * `enforceSSL` gives the topic a policy holding only a Deny, and a topic policy replaces the default
   * one: without this Allow, CloudWatch is "not authorized to perform: SNS:Publish" and no alarm is ever
   * delivered (AWS re:Post knowledge center, cloudwatch-receive-sns-for-alarm-trigger). The service
   * principal may publish for this stack's alarms only, named by their ARNs (confused-deputy guard).
   */
  #allowAlarmsToPublish(stage: string, alarmIds: string[]): void {
    const stack = Stack.of(this);
    const alarmArns = alarmIds.map((id) =>
      stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: alarmName(stage, id),
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStacksAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': alarmArns },
        },
      }),
    );
  }

  /** The dashboard in the CloudWatch console. */
  get dashboardUrl(): string {
    const region = Stack.of(this).region;
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${this.dashboard.dashboardName}`;
  }
}

/** An alarm's physical name: fixed, so its ARN can be formed before the alarm exists. */
function alarmName(stage: string, id: string): string {
  return `summary-bot-${stage}-${id.replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase())}`;
}

function labelOf(fn: lambda.IFunction): string {
  return fn.node.id === 'Function' ? (fn.node.scope?.node.id ?? fn.node.id) : fn.node.id;
}
