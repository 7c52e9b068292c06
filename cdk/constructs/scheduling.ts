import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';
import type { BotFunctions } from './bot-functions.ts';
import { acknowledgeWildcardResource } from './nag.ts';

/** What a function may do to the schedules of the bot's group. */
const SCHEDULE_ACTIONS = {
  /** Interactions create, change, pause and cancel tasks. */
  manage: [
    'scheduler:CreateSchedule',
    'scheduler:GetSchedule',
    'scheduler:UpdateSchedule',
    'scheduler:DeleteSchedule',
  ],
  /** The executor and the dead-letter handler disable a failing task: its schedule is removed. */
  disable: ['scheduler:DeleteSchedule'],
} as const;

/**
 * The stage's schedule group (one schedule `task-<id>` per task) and the role EventBridge Scheduler
 * assumes to invoke the executor. The role gets its two permissions from the constructs that own the
 * resources: invoke the executor (executor.ts) and send dead letters to the queue (failure-handling.ts).
 */
export class Scheduling extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly groupName: string;
  /** Assumed by EventBridge Scheduler for the bot's schedules only. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: { config: StackConfig; functions: BotFunctions }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = `summary-bot-${props.config.stage}`;
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: this.groupName });
    const groupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: this.groupName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // Confused-deputy guard: only this account's Scheduler, acting for a schedule of this group (Scheduler
    // sets aws:SourceArn to the schedule group's ARN when it assumes the role).
    this.role = new iam.Role(this, 'Role', {
      description: `EventBridge Scheduler invokes the executor for schedules in ${this.groupName}`,
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': groupArn } },
      }),
    });
    props.functions.addEnvironment('SCHEDULE_GROUP_NAME', this.groupName);
    props.functions.addEnvironment('SCHEDULER_ROLE_ARN', this.role.roleArn);
  }

  /** ARN pattern of every schedule in the group (IAM scopes schedule actions by `schedule/<group>/<name>`). */
  get schedulesArn(): string {
    return Stack.of(this).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  }

  /** Create, read, change and delete schedules of the group, passing the scheduler role. */
  grantManage(grantee: iam.IGrantable): void {
    this.#grant(grantee, SCHEDULE_ACTIONS.manage);
  }

  /** Delete schedules of the group (disabling a failing task); nothing to pass, nothing to change. */
  grantDisable(grantee: iam.IGrantable): void {
    this.#grant(grantee, SCHEDULE_ACTIONS.disable);
  }

  /** Everything reconcile does: manage plus list the group (ListSchedules has no resource-level scope). */
  grantReconcile(grantee: iam.IGrantable): void {
    this.#grant(grantee, SCHEDULE_ACTIONS.manage);
    iam.Grant.addToPrincipal({ grantee, actions: ['scheduler:ListSchedules'], resourceArns: ['*'] });
    acknowledgeWildcardResource(
      principalConstruct(grantee),
      '*',
      'scheduler:ListSchedules supports no resource-level permission (Service Authorization Reference); ' +
        'reconcile lists only its own group, passed as GroupName.',
    );
  }

  #grant(grantee: iam.IGrantable, actions: readonly string[]): void {
    iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [this.schedulesArn] });
    acknowledgeWildcardResource(
      principalConstruct(grantee),
      this.schedulesArn,
      "Schedules are created per task at run time (task-<id>); the grant is limited to the bot's own group.",
    );
    // UpdateSchedule and CreateSchedule pass the role to Scheduler: this role and to Scheduler only.
    if (!actions.some((a) => a === 'scheduler:CreateSchedule' || a === 'scheduler:UpdateSchedule')) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
}

/** The construct (a role) behind a grantee, where its policy and acknowledgements live. */
function principalConstruct(grantee: iam.IGrantable): Construct {
  const principal = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) throw new Error('expected a role created in this app');
  return principal;
}
