import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import type { BotFunction, BotFunctions } from './bot-functions.ts';
import type { Scheduling } from './scheduling.ts';
import type { TaskTable } from './task-table.ts';

/** Daily at 04:17 UTC: off the hour, when few summaries are scheduled. */
export const RECONCILE_SCHEDULE = events.Schedule.cron({ minute: '17', hour: '4' });

/**
 * The reconcile routine on a daily schedule: repairs drift between the task table and the schedule group.
 * A scheduled EventBridge rule rather than a Scheduler schedule: the bot's group must hold task schedules
 * only (reconcile would remove anything else), and a rule invokes through the function's resource policy,
 * so no role is needed.
 */
export class Reconcile extends Construct {
  readonly function: BotFunction;
  readonly rule: events.Rule;

  constructor(
    scope: Construct,
    id: string,
    props: { config: StackConfig; functions: BotFunctions; table: TaskTable; scheduling: Scheduling },
  ) {
    super(scope, id);
    this.function = props.functions.create(this, 'Function', {
      entry: 'reconcile',
      description: 'Repairs drift between the task table and the schedules, both ways',
      memorySize: 512,
      timeout: Duration.minutes(5),
    });
    props.table.grantReadWrite(this.function.fn);
    props.scheduling.grantReconcile(this.function.fn);
    this.rule = new events.Rule(this, 'Daily', {
      ruleName: `summary-bot-${props.config.stage}-reconcile`,
      description: 'Daily reconcile of the task table and the schedule group',
      schedule: RECONCILE_SCHEDULE,
      targets: [
        new targets.LambdaFunction(this.function.fn, { retryAttempts: 2, maxEventAge: Duration.hours(1) }),
      ],
    });
  }
}
