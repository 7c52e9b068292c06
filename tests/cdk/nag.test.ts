import fs from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../cdk/create-app.ts';
import { useCdkApps } from './build-stack.ts';

const { buildStack, newApp } = useCdkApps();

/** Findings left after acknowledgements, from the report CDK writes beside the templates. */
function findings(outdir: string): unknown[] {
  const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations?: unknown[] }[];
  };
  return report.pluginReports.flatMap((plugin) => plugin.violations ?? []);
}

describe('cdk-nag AwsSolutions checks', () => {
  it.each([
    ['the defaults', {}],
    [
      'everything configured',
      {
        stage: 'prod',
        summarizer: 'bedrock',
        bedrockModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
        sesFromAddress: 'bot@example.com',
        alarmEmail: 'ops@example.com',
      },
    ],
    ['an imported secret', { discordSecretName: 'team/discord' }],
    ['the default Bedrock model (a global inference profile)', { summarizer: 'bedrock' }],
    ['a retained table', { stage: 'prod', existingTableName: 'SummaryBot-prod-TasksTable1A2B3C' }],
  ])('pass with %s, every acknowledgement carrying its reason', (_, context) => {
    const { app, stack } = buildStack(context);
    const assembly = app.synth();
    expect(findings(assembly.directory)).toEqual([]);
    const acknowledged = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const entry of acknowledged) {
      for (const ack of Object.values(entry.data as Record<string, { reason?: string }>)) {
        expect(typeof ack === 'string' ? ack : ack.reason).toMatch(/\w{3,}.*\w{3,}/);
      }
    }
  });

  it('run on every synth: a non-compliant resource stops it', () => {
    process.env.CDK_VALIDATION = 'false';
    const { app, stack } = createApp(newApp({ context: { 'aws:cdk:bundling-stacks': [] } }));
    new sqs.Queue(stack, 'Unencrypted', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS/);
  });
});
