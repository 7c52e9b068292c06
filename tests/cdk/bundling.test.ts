import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useCdkApps } from './build-stack.ts';

const { buildStack } = useCdkApps();

/** Lambda's limit is 250 MB unzipped; a bundle this size would show something pulled in by mistake. */
const MAX_BUNDLE_BYTES = 5 * 1024 * 1024;

/** Required variables with placeholder values: enough for a handler module to load. */
const ENV = {
  STAGE: 'dev',
  TASK_TABLE_NAME: 'tasks',
  SCHEDULE_GROUP_NAME: 'summary-bot-dev',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  EXECUTOR_FUNCTION_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:summary-bot-dev-executor',
  INTERACTION_WORKER_FUNCTION_ARN:
    'arn:aws:lambda:us-east-1:123456789012:function:summary-bot-dev-interaction-worker',
  DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
  DISCORD_SECRET_ARN: 'summary-bot/dev/discord',
  AWS_REGION: 'us-east-1',
};

let bundles: { name: string; dir: string }[] = [];
let scratch: string;

beforeAll(() => {
  const { app, template } = buildStack({}, { bundle: true });
  const assembly = app.synth();
  bundles = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => ({
    name: String(fn.Properties.FunctionName),
    // The code asset's S3 key is `<hash>.zip`; its staged directory is `asset.<hash>`.
    dir: path.join(assembly.directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`),
  }));
  expect(bundles.map((b) => b.name).sort()).toEqual(
    ['dead-letters', 'executor', 'interaction-worker', 'interactions', 'reconcile'].map(
      (n) => `summary-bot-dev-${n}`,
    ),
  );
  // Outside the repository: its package.json says "type": "module", /var/task has no such file.
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-'));
}, 120_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe('function bundles (esbuild, for real)', () => {
  it('are each one minified CommonJS file with its source map, under 5 MB', () => {
    const sizes: Record<string, string> = {};
    for (const { name, dir } of bundles) {
      expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map']);
      const bytes = fs.statSync(path.join(dir, 'index.js')).size;
      sizes[name] = `${(bytes / 1024 / 1024).toFixed(2)} MB`;
      expect(bytes, name).toBeLessThan(MAX_BUNDLE_BYTES);
    }
    console.info('bundle sizes', sizes);
  });

  it('load in Node.js and export a handler, with the AWS SDK inside the bundle', () => {
    for (const { name, dir } of bundles) {
      const target = path.join(scratch, name);
      fs.cpSync(dir, target, { recursive: true });
      const output = execFileSync(
        process.execPath,
        [
          '--no-warnings',
          '-e',
          `process.stdout.write(typeof require(${JSON.stringify(path.join(target, 'index.js'))}).handler)`,
        ],
        { env: { PATH: process.env.PATH, ...ENV }, encoding: 'utf8' },
      );
      expect(output, name).toBe('function');
      expect(fs.readFileSync(path.join(target, 'index.js'), 'utf8')).toContain('@aws-sdk/');
    }
  });
});
