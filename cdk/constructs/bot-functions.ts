import path from 'node:path';
import { type Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { StackConfig } from '../config.ts';

/** The repository root: function entries, the lock file and esbuild's working directory. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/** The Lambda entry points under `functions/`. */
export type FunctionEntry = 'interactions' | 'interaction-worker' | 'executor' | 'dead-letters' | 'reconcile';

/** Node.js 24: the newest managed runtime (cdk-nag L1); the bundle targets it. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface BotFunctionOptions {
  entry: FunctionEntry;
  description: string;
  memorySize: number;
  timeout: Duration;
  reservedConcurrentExecutions?: number;
}

/** One function of the bot: the function, its own role and its own log group. */
export interface BotFunction {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
}

/** Physical name of a function: fixed so ARNs can be formed without referring to the function itself. */
export function functionName(stage: string, entry: FunctionEntry): string {
  return `summary-bot-${stage}-${entry}`;
}

/** Whether resources holding data survive `cdk destroy`: everywhere but the development stage. */
export function dataRemovalPolicy(config: StackConfig): RemovalPolicy {
  return config.stage === 'dev' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/**
 * The shared defaults of every function (runtime, arm64, bundling, log retention, a role of its own) and
 * the environment every function reads: `lib/aws/aws-runtime.ts` parses the whole `AwsEnv` in each one,
 * so a resource construct adds its variable here once and every function, built before or after, gets it.
 */
export class BotFunctions extends Construct {
  readonly all: BotFunction[] = [];
  readonly #environment = new Map<string, string>();
  readonly #config: StackConfig;

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    this.#config = config;
    this.addEnvironment('STAGE', config.stage);
    this.addEnvironment('LOG_LEVEL', config.logLevel);
    this.addEnvironment('SUMMARIZER', config.summarizer);
    const model = config.summarizer === 'bedrock' ? config.bedrockModelId : config.summarizerModel;
    if (model) this.addEnvironment('SUMMARIZER_MODEL', model);
    if (config.summarizerBaseUrl) this.addEnvironment('SUMMARIZER_BASE_URL', config.summarizerBaseUrl);
    if (config.summarizerFallback) this.addEnvironment('SUMMARIZER_FALLBACK', config.summarizerFallback);
    this.addEnvironment('LLM_DAILY_TOKEN_BUDGET', String(config.llmDailyTokenBudget));
    this.addEnvironment('MAX_CONSECUTIVE_FAILURES', String(config.maxConsecutiveFailures));
    this.addEnvironment('RUN_RETENTION_DAYS', String(config.runRetentionDays));
    this.addEnvironment('MAX_TASKS_PER_SERVER', String(config.maxTasksPerServer));
    this.addEnvironment('MIN_SCHEDULE_INTERVAL_MINUTES', String(config.minScheduleIntervalMinutes));
    this.addEnvironment('MAX_SUBSCRIBERS_PER_TASK', String(config.maxSubscribersPerTask));
    this.addEnvironment('SUMMARIZE_PER_MEMBER_PER_MINUTE', String(config.summarizePerMemberPerMinute));
    this.addEnvironment('SUMMARIZE_PER_SERVER_PER_MINUTE', String(config.summarizePerServerPerMinute));
    // Stack traces point into functions/ and lib/ through the bundled source maps.
    this.addEnvironment('NODE_OPTIONS', '--enable-source-maps');
  }

  /** Sets a variable on every function of the bot, existing and future. */
  addEnvironment(key: string, value: string): void {
    this.#environment.set(key, value);
    for (const { fn } of this.all) fn.addEnvironment(key, value);
  }

  /** Builds one function with the shared defaults under `scope` (the construct that owns it). */
  create(scope: Construct, id: string, options: BotFunctionOptions): BotFunction {
    const name = functionName(this.#config.stage, options.entry);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: this.#config.logRetentionDays as logs.RetentionDays,
      removalPolicy: dataRemovalPolicy(this.#config),
    });
    // A role per function instead of the managed AWSLambdaBasicExecutionRole: it may write to its own log
    // group only, and each construct adds exactly the grants its function needs.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${name}`,
    });
    logGroup.grantWrite(role);
    const fn = new NodejsFunction(scope, id, {
      functionName: name,
      description: options.description,
      entry: path.join(PROJECT_ROOT, 'functions', `${options.entry}.ts`),
      handler: 'handler',
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: options.timeout,
      role,
      logGroup,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        // CommonJS output: the handlers use no top-level await, and CJS needs no createRequire banner for
        // the dependencies that still call require(). The AWS SDK is bundled, not taken from the runtime,
        // so the deployed SDK is the version the tests ran against and cold starts are measured honestly.
        format: OutputFormat.CJS,
        target: 'node24',
        mainFields: ['module', 'main'],
        externalModules: [],
        minify: true,
        keepNames: true,
        sourceMap: true,
        sourcesContent: false,
        // `lib/` never reads Docker or the network at build time: esbuild runs locally.
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
      },
      environment: Object.fromEntries(this.#environment),
    });
    const created = { fn, role, logGroup };
    this.all.push(created);
    return created;
  }
}
