import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createApp } from '../../cdk/create-app.ts';
import type { SummaryBotStack } from '../../cdk/summary-bot-stack.ts';

/** A synthesized stack and helpers to name its resources the way the template does. */
export interface BuiltStack {
  app: App;
  stack: SummaryBotStack;
  template: Template;
  /** The logical id of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
  /** A value as the template holds it (tokens resolved to Ref / Fn::GetAtt / Fn::Join). */
  resolve(value: unknown): unknown;
}

/**
 * Builds the app as `cdk synth` does (context, cdk-nag), without bundling: template assertions take
 * milliseconds instead of running esbuild four times (TOOLCHAIN.md).
 */
export function buildStack(
  context: Record<string, unknown> = {},
  options: { bundle?: boolean } = {},
): BuiltStack {
  process.env.CDK_VALIDATION = 'false';
  const app = new App({
    context: { ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }), ...context },
  });
  const { stack } = createApp(app);
  const template = Template.fromStack(stack);
  return {
    app,
    stack,
    template,
    logicalId: (construct) => {
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return Stack.of(construct).resolve(Stack.of(construct).getLogicalId(element)) as string;
    },
    resolve: (value) => stack.resolve(value),
  };
}

/** Every statement of every IAM policy attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): Record<string, unknown>[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

/** Statement actions as a list, whether the template holds one action or many. */
export function actionsOf(statement: Record<string, unknown>): string[] {
  const action = statement.Action as string | string[];
  return Array.isArray(action) ? action : [action];
}

/** Statement resources as a list. */
export function resourcesOf(statement: Record<string, unknown>): unknown[] {
  const resource = statement.Resource as unknown;
  return Array.isArray(resource) ? resource : [resource];
}
