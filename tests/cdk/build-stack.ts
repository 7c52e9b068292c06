import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
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

/** Apps of one test file, each synthesizing into its own folder under the file's temporary root. */
export interface CdkApps {
  /**
   * Builds the app as `cdk synth` does (context, cdk-nag), without bundling: template assertions take
   * milliseconds instead of running esbuild four times (TOOLCHAIN.md).
   */
  buildStack(context?: Record<string, unknown>, options?: { bundle?: boolean }): BuiltStack;
  /** A bare App with its own output folder, for a test that composes the stack itself. */
  newApp(props?: AppProps): App;
}

/**
 * The CDK apps of the calling test file. An App without `outdir` synthesizes into a fresh
 * `<tmpdir>/cdk.outXXXXXX` and never removes it (25 folders, 25 MB, per run of tests/cdk); these go to one
 * temporary root, removed after the file's tests. Call it at the top of the file (it registers afterAll).
 */
export function useCdkApps(): CdkApps {
  let root: string | undefined;
  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const newApp = (props: AppProps = {}) => {
    root ??= mkdtempSync(join(tmpdir(), 'summary-bot-cdk-test-'));
    return new App({ ...props, outdir: mkdtempSync(join(root, 'cdk.out-')) });
  };
  return {
    newApp,
    buildStack(context = {}, options = {}) {
      process.env.CDK_VALIDATION = 'false';
      const app = newApp({
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
    },
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
