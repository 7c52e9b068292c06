import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadStackConfig } from './config.ts';
import { SummaryBotStack } from './summary-bot-stack.ts';

/** Builds the app: one stack per stage, with cdk-nag's AwsSolutions checks on every synth. */
export function createApp(app = new App()): { app: App; stack: SummaryBotStack } {
  const config = loadStackConfig((key) => app.node.tryGetContext(key));
  const stack = new SummaryBotStack(app, `SummaryBot-${config.stage}`, {
    config,
    description: `Summary Bot NG (${config.stage}): scheduled and on-demand Discord channel summaries`,
    // Account and Region come from the CLI's profile at deploy time; synth needs neither.
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { app: 'summary-bot', stage: config.stage },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
