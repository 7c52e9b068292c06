import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../cdk/constructs/monitoring.ts';
import { AwsEnv, CommonEnv } from '../../lib/config.ts';
import { actionsOf, type BuiltStack, resourcesOf, statementsOfRole, useCdkApps } from './build-stack.ts';

const { buildStack } = useCdkApps();

let built: BuiltStack;
beforeAll(() => {
  built = buildStack();
});

const roleOf = (fn: { role: unknown }) => built.logicalId(fn.role as never);

describe('task table', () => {
  it('keys tasks by pk/sk with the byState index, on demand', () => {
    built.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byState',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('has point-in-time recovery and TTL on expiresAt', () => {
    built.template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('is deleted with a development stack and retained, deletion-protected, in any other stage', () => {
    built.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    const prod = buildStack({ stage: 'prod' });
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    prod.template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });
});

describe('task table after a remove', () => {
  it('uses a retained or restored table by name instead of creating one, and grants on it', () => {
    const reused = buildStack({ stage: 'prod', existingTableName: 'SummaryBot-prod-TasksTable1A2B3C' });
    reused.template.resourceCountIs('AWS::DynamoDB::Table', 0);
    for (const fn of Object.values(reused.template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.TASK_TABLE_NAME).toBe('SummaryBot-prod-TasksTable1A2B3C');
    }
    const statements = statementsOfRole(reused.template, roleOf(reused.stack.executor.function));
    const table = JSON.stringify(statements.filter((s) => actionsOf(s).includes('dynamodb:PutItem')));
    expect(table).toContain(':table/SummaryBot-prod-TasksTable1A2B3C"');
    expect(table).toContain(':table/SummaryBot-prod-TasksTable1A2B3C/index/byState"');
    expect(() => buildStack({ existingTableName: 'x' })).toThrow(/existingTableName.*DynamoDB table name/);
  });
});

describe('functions', () => {
  it('run on Node.js 24, arm64, with a log group whose retention is set', () => {
    const functions = built.template.findResources('AWS::Lambda::Function');
    expect(Object.keys(functions)).toHaveLength(5);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    const groups = Object.values(built.template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('each receive every variable AwsEnv requires, and source maps', () => {
    const required = Object.entries(AwsEnv.shape)
      .filter(([, schema]) => !schema.safeParse(undefined).success)
      .map(([key]) => key);
    expect(required).toContain('TASK_TABLE_NAME');
    for (const fn of Object.values(built.template.findResources('AWS::Lambda::Function'))) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      for (const key of required) expect(variables, key).toHaveProperty(key);
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      // Bedrock is the AWS default (#14): no key to hold, only the executor's grant on its default model.
      expect(variables.SUMMARIZER).toBe('bedrock');
      expect(variables.SUMMARIZER_MODEL).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
    }
  });

  it('carry the limits per server and per member, the defaults of lib/config.ts or the context values', () => {
    const limits = (b: BuiltStack) =>
      Object.values(b.template.findResources('AWS::Lambda::Function')).map((fn) => {
        const v = fn.Properties.Environment.Variables as Record<string, unknown>;
        return [
          v.MAX_TASKS_PER_SERVER,
          v.MIN_SCHEDULE_INTERVAL_MINUTES,
          v.SUMMARIZE_PER_MEMBER_PER_MINUTE,
          v.SUMMARIZE_PER_SERVER_PER_MINUTE,
          v.MAX_SUBSCRIBERS_PER_TASK,
        ];
      });
    const defaults = CommonEnv.parse({});
    for (const values of limits(built)) {
      expect(values).toEqual(
        [
          defaults.MAX_TASKS_PER_SERVER,
          defaults.MIN_SCHEDULE_INTERVAL_MINUTES,
          defaults.SUMMARIZE_PER_MEMBER_PER_MINUTE,
          defaults.SUMMARIZE_PER_SERVER_PER_MINUTE,
          defaults.MAX_SUBSCRIBERS_PER_TASK,
        ].map(String),
      );
    }
    const raised = buildStack({
      maxTasksPerServer: '200',
      minScheduleIntervalMinutes: 5,
      summarizePerMemberPerMinute: '6',
      summarizePerServerPerMinute: 60,
      maxSubscribersPerTask: '250',
    });
    for (const values of limits(raised)) expect(values).toEqual(['200', '5', '6', '60', '250']);
    expect(() => buildStack({ minScheduleIntervalMinutes: 0 })).toThrow(/minScheduleIntervalMinutes/);
  });

  it('point EXECUTOR_FUNCTION_ARN at the executor by its fixed name', () => {
    const executor = built.stack.executor.function.fn;
    const arn = built.resolve(built.stack.executor.functionArn);
    expect(JSON.stringify(arn)).toContain(':function:summary-bot-dev-executor');
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-executor',
      Environment: { Variables: Match.objectLike({ EXECUTOR_FUNCTION_ARN: arn }) },
    });
    expect(built.logicalId(executor)).toMatch(/^ExecutorFunction/);
  });

  it('may write only to their own log group (no managed policies)', () => {
    for (const role of Object.values(built.template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('interactions endpoint', () => {
  it('is a Function URL without IAM auth (requests are verified by signature)', () => {
    built.template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [built.logicalId(built.stack.interactions.function.fn), 'Arn'] },
    });
  });

  it('lets anyone call the URL, and only through the URL', () => {
    const fn = { 'Fn::GetAtt': [built.logicalId(built.stack.interactions.function.fn), 'Arn'] };
    built.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      FunctionName: fn,
      FunctionUrlAuthType: 'NONE',
      Principal: '*',
    });
    built.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: fn,
      InvokedViaFunctionUrl: true,
      Principal: '*',
    });
  });

  it('reserves no concurrency by default (new accounts cannot), and the configured amount when asked', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-interactions',
      ReservedConcurrentExecutions: Match.absent(),
    });
    const reserved = buildStack({ interactionsConcurrency: '10' });
    reserved.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-interactions',
      ReservedConcurrentExecutions: 10,
    });
  });

  it('acts on schedules of its group only and passes only the scheduler role, to Scheduler only', () => {
    const statements = statementsOfRole(built.template, roleOf(built.stack.interactions.function));
    const scheduler = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
    expect(scheduler).toHaveLength(1);
    expect(actionsOf(scheduler[0]!).sort()).toEqual([
      'scheduler:CreateSchedule',
      'scheduler:DeleteSchedule',
      'scheduler:GetSchedule',
      'scheduler:UpdateSchedule',
    ]);
    expect(resourcesOf(scheduler[0]!)).toEqual([built.resolve(built.stack.scheduling.schedulesArn)]);
    expect(JSON.stringify(scheduler[0]!.Resource)).toContain(':schedule/summary-bot-dev/*');

    const passRole = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [built.logicalId(built.stack.scheduling.role), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    ]);
  });

  it('invokes the executor and its worker and nothing else, reads the secret and the table', () => {
    const statements = statementsOfRole(built.template, roleOf(built.stack.interactions.function));
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(2);
    expect(invoke).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: built.resolve(built.stack.executor.functionArn),
        }),
        expect.objectContaining({
          Action: 'lambda:InvokeFunction',
          Resource: built.resolve(built.stack.interactions.workerArn),
        }),
      ]),
    );
    expect(JSON.stringify(built.resolve(built.stack.interactions.workerArn))).toContain(
      ':function:summary-bot-dev-interaction-worker',
    );
    const actions = statements.flatMap(actionsOf);
    expect(actions).toContain('secretsmanager:GetSecretValue');
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions.some((a) => a.startsWith('bedrock:') || a.startsWith('ses:') || a.startsWith('s3:'))).toBe(
      false,
    );
  });

  it('lets the executor invoke itself only, to start the tasks that follow a run (after:)', () => {
    const statements = statementsOfRole(built.template, roleOf(built.stack.executor.function));
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([
      expect.objectContaining({
        Action: 'lambda:InvokeFunction',
        Resource: built.resolve(built.stack.executor.functionArn),
      }),
    ]);
  });

  it('hands slow commands to a worker that is never retried and drops events the token outlives', () => {
    const worker = built.stack.interactions.worker.fn;
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-interaction-worker',
      Timeout: 120,
    });
    built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: built.logicalId(worker) },
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 14 * 60,
    });
    // Every function learns the worker's ARN (AwsEnv requires it everywhere).
    for (const fn of Object.values(built.template.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Environment.Variables.INTERACTION_WORKER_FUNCTION_ARN).toEqual(
        built.resolve(built.stack.interactions.workerArn),
      );
    }
  });

  it("gives the worker exactly the endpoint's table, schedule, secret and executor grants", () => {
    const endpoint = statementsOfRole(built.template, roleOf(built.stack.interactions.function));
    const worker = statementsOfRole(built.template, roleOf(built.stack.interactions.worker));
    const workerArn = JSON.stringify(built.resolve(built.stack.interactions.workerArn));
    const withoutWorkerInvoke = endpoint.filter((s) => JSON.stringify(s.Resource) !== workerArn);
    const key = (s: Record<string, unknown>) =>
      JSON.stringify([actionsOf(s).sort(), s.Resource, s.Condition]);
    const mine = (list: Record<string, unknown>[]) =>
      list
        .filter((s) => !actionsOf(s).some((a) => a.startsWith('logs:')))
        .map(key)
        .sort();
    expect(mine(worker)).toEqual(mine(withoutWorkerInvoke));
    expect(worker.some((s) => JSON.stringify(s.Resource) === workerArn)).toBe(false);
  });

  it('may batch-write the table (bulk /schedule import), with its worker, and they alone', () => {
    const batchWriters = [
      built.stack.interactions.function,
      built.stack.interactions.worker,
      built.stack.executor.function,
      built.stack.failures.handler,
    ].filter((fn) =>
      statementsOfRole(built.template, roleOf(fn)).flatMap(actionsOf).includes('dynamodb:BatchWriteItem'),
    );
    expect(batchWriters).toEqual([built.stack.interactions.function, built.stack.interactions.worker]);
  });
});

describe('scheduling', () => {
  it('creates the stage schedule group', () => {
    built.template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'summary-bot-dev' });
  });

  it("trusts only this account's Scheduler, for this group", () => {
    const role = built.template.findResources('AWS::IAM::Role')[built.logicalId(built.stack.scheduling.role)];
    expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: {
          StringEquals: {
            'aws:SourceAccount': { Ref: 'AWS::AccountId' },
            'aws:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }),
          },
        },
      },
    ]);
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
      ':schedule-group/summary-bot-dev',
    );
  });

  it('may invoke the executor and send dead letters to the queue, and do nothing else', () => {
    const statements = statementsOfRole(built.template, built.logicalId(built.stack.scheduling.role));
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: built.resolve(built.stack.executor.functionArn),
        },
        {
          Action: 'sqs:SendMessage',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [built.logicalId(built.stack.failures.queue), 'Arn'] },
        },
      ]),
    );
  });

  it('lets the executor only delete schedules of its group (disabling a failing task), passing no role', () => {
    const statements = statementsOfRole(built.template, roleOf(built.stack.executor.function));
    const scheduler = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
    expect(scheduler.flatMap(actionsOf)).toEqual(['scheduler:DeleteSchedule']);
    expect(statements.some((s) => actionsOf(s).includes('iam:PassRole'))).toBe(false);
  });

  it('is named in the dead-letter queue policy too', () => {
    built.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Principal: { AWS: { 'Fn::GetAtt': [built.logicalId(built.stack.scheduling.role), 'Arn'] } },
          }),
        ]),
      },
    });
  });

  it('runs reconcile daily', () => {
    built.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(17 4 * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [built.logicalId(built.stack.reconcile.function.fn), 'Arn'] },
        }),
      ],
    });
  });
});

describe('executor', () => {
  it('retries twice, then sends the event to the dead-letter queue', () => {
    built.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: built.logicalId(built.stack.executor.function.fn) },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [built.logicalId(built.stack.failures.queue), 'Arn'] } },
      },
    });
  });

  it('has a timeout that fits a long run', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-executor',
      Timeout: 600,
    });
  });

  it('gets no Bedrock or SES permission unless configured', () => {
    const extractive = buildStack({ summarizer: 'extractive' });
    const actions = statementsOfRole(extractive.template, roleOf(extractive.stack.executor.function)).flatMap(
      actionsOf,
    );
    expect(actions.filter((a) => a.startsWith('bedrock:') || a.startsWith('ses:'))).toEqual([]);
    expect(actions).toContain('s3:PutObject');
    expect(actions).toContain('sqs:SendMessage');
  });

  it('may invoke the configured Bedrock model only, and send from the configured SES identity only', () => {
    const configured = buildStack({
      summarizer: 'bedrock',
      bedrockModelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      sesFromAddress: 'bot@example.com',
    });
    const statements = statementsOfRole(configured.template, roleOf(configured.stack.executor.function));
    const bedrock = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
    expect(bedrock).toHaveLength(1);
    expect(actionsOf(bedrock[0]!)).toEqual(['bedrock:InvokeModel']);
    expect(bedrock[0]!.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':bedrock:',
          { Ref: 'AWS::Region' },
          '::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0',
        ],
      ],
    });
    const ses = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(actionsOf(ses[0]!)).toEqual(['ses:SendEmail']);
    expect(JSON.stringify(ses[0]!.Resource)).toContain(':identity/*');
    expect(ses[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'bot@example.com' } });
    configured.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-executor',
      Environment: {
        Variables: Match.objectLike({ SUMMARIZER: 'bedrock', SES_FROM_ADDRESS: 'bot@example.com' }),
      },
    });
  });

  it('summarizes with Anthropic or OpenAI from the key in the Discord secret: no Bedrock grant, the secret readable', () => {
    for (const summarizer of ['anthropic', 'openai'] as const) {
      const keyed = buildStack({
        summarizer,
        summarizerModel: 'claude-haiku-4-5',
        llmDailyTokenBudget: '50000',
      });
      const executor = keyed.stack.executor.function;
      const actions = statementsOfRole(keyed.template, roleOf(executor)).flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith('bedrock:'))).toEqual([]);
      expect(actions).toContain('secretsmanager:GetSecretValue');
      keyed.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'summary-bot-dev-executor',
        Environment: {
          Variables: Match.objectLike({
            SUMMARIZER: summarizer,
            SUMMARIZER_MODEL: 'claude-haiku-4-5',
            LLM_DAILY_TOKEN_BUDGET: '50000',
          }),
        },
      });
      // The key itself never reaches the template: the executor reads it from the secret at start.
      expect(JSON.stringify(keyed.template.toJSON())).not.toMatch(/ANTHROPIC_API_KEY|OPENAI_API_KEY/);
    }
  });

  it('points an OpenAI-compatible summarizer at its server and grants the Bedrock models of its fallback', () => {
    const chained = buildStack({
      summarizer: 'openai-compatible',
      summarizerModel: 'meta-llama/llama-3.1-8b-instruct',
      summarizerBaseUrl: 'https://openrouter.ai/api/v1',
      summarizerFallback: 'bedrock=eu.anthropic.claude-haiku-4-5-20251001-v1:0, extractive',
    });
    chained.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-executor',
      Environment: {
        Variables: Match.objectLike({
          SUMMARIZER: 'openai-compatible',
          SUMMARIZER_MODEL: 'meta-llama/llama-3.1-8b-instruct',
          SUMMARIZER_BASE_URL: 'https://openrouter.ai/api/v1',
          SUMMARIZER_FALLBACK: 'bedrock=eu.anthropic.claude-haiku-4-5-20251001-v1:0, extractive',
          LLM_DAILY_TOKEN_BUDGET: '200000',
        }),
      },
    });
    const statements = statementsOfRole(chained.template, roleOf(chained.stack.executor.function));
    const granted = JSON.stringify(statements.filter((s) => actionsOf(s).includes('bedrock:InvokeModel')));
    expect(granted).toContain(':inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('grants the default model (Haiku 4.5 through the global inference profile) with summarizer=bedrock alone', () => {
    const bedrock = buildStack({ summarizer: 'bedrock' });
    const statements = statementsOfRole(bedrock.template, roleOf(bedrock.stack.executor.function));
    const granted = JSON.stringify(statements.filter((s) => actionsOf(s).includes('bedrock:InvokeModel')));
    expect(granted).toContain(':inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(granted).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    // The Region-less ARN a global profile's requests are authorized against, named outright.
    expect(granted).toContain(':bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
    bedrock.template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'summary-bot-dev-executor',
      Environment: {
        Variables: Match.objectLike({
          SUMMARIZER: 'bedrock',
          SUMMARIZER_MODEL: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
        }),
      },
    });
  });

  it('grants an inference profile and its base model in the profile geography', () => {
    const profiled = buildStack({
      summarizer: 'bedrock',
      bedrockModelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
    });
    const statements = statementsOfRole(profiled.template, roleOf(profiled.stack.executor.function));
    const bedrock = JSON.stringify(statements.filter((s) => actionsOf(s).includes('bedrock:InvokeModel')));
    expect(bedrock).toContain(':inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(bedrock).toContain(':bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0');
  });
});

describe('failure handling', () => {
  it('keeps dead letters 14 days in an encrypted queue', () => {
    built.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('refuses requests to the queue without TLS', () => {
    built.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('feeds the dead-letter handler, which reports batch item failures', () => {
    built.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: built.logicalId(built.stack.failures.handler.fn) },
      EventSourceArn: { 'Fn::GetAtt': [built.logicalId(built.stack.failures.queue), 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });
});

describe('summaries bucket', () => {
  it('is encrypted, private, TLS only, and expires files after the configured days', () => {
    built.template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 90, Status: 'Enabled' })]),
      },
    });
    built.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const keepForever = buildStack({ summariesRetentionDays: '0' });
    const rules = Object.values(keepForever.template.findResources('AWS::S3::Bucket'))[0]?.Properties
      .LifecycleConfiguration.Rules as { ExpirationInDays?: number }[];
    expect(rules.every((rule) => rule.ExpirationInDays === undefined)).toBe(true);
  });
});

describe('secret', () => {
  it('is created with empty placeholders, or imported by name', () => {
    built.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'summary-bot/dev/discord',
      SecretString: JSON.stringify({ botToken: '', publicKey: '', applicationId: '' }),
    });
    const imported = buildStack({ discordSecretName: 'my-bot/discord' });
    imported.template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    imported.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DISCORD_SECRET_ARN: 'my-bot/discord' }) },
    });
  });
});

describe('monitoring', () => {
  const alarm = (name: string) => {
    const found = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).find(
      (resource) => resource.Properties.AlarmName === `summary-bot-dev-${name}`,
    );
    expect(found, name).toBeDefined();
    return found!.Properties;
  };

  it('alarms on any dead letter', () => {
    expect(alarm('dead-letters')).toMatchObject({
      MetricName: 'NumberOfMessagesSent',
      Namespace: 'AWS/SQS',
      Threshold: ALARM_THRESHOLDS.deadLetters,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(ALARM_THRESHOLDS.deadLetters).toBe(1);
    expect(alarm('dead-letter-backlog')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      EvaluationPeriods: 3,
    });
  });

  it('alarms on the executor error rate with documented metric math (IF, no MAX of scalars)', () => {
    const props = alarm('executor-error-rate');
    expect(props.Threshold).toBe(10);
    const metrics = props.Metrics as { Id: string; Expression?: string; ReturnData?: boolean }[];
    const returned = metrics.filter((m) => m.ReturnData !== false);
    expect(returned).toEqual([
      expect.objectContaining({ Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)' }),
    ]);
    expect(metrics.map((m) => m.Id).sort()).toEqual(['errors', 'expr_1', 'invocations']);
    expect(JSON.stringify(metrics)).not.toContain('MAX(');
  });

  it('alarms when interactions p99 is above 2 s', () => {
    expect(alarm('interactions-p99')).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 2000,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 3,
    });
  });

  it('alarms on any throttle of any function', () => {
    const props = alarm('throttles');
    expect(props.Threshold).toBe(1);
    expect(JSON.stringify(props.Metrics)).toContain('t0 + t1 + t2 + t3 + t4"');
  });

  it("lets CloudWatch publish to the topic for this stack's alarms only, beside the TLS-only Deny", () => {
    const topic = built.logicalId(built.stack.monitoring.topic);
    const policies = Object.values(built.template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties.Topics).toEqual([{ Ref: topic }]);
    const statements = policies[0]?.Properties.PolicyDocument.Statement as Record<string, unknown>[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allow = statements.find((s) => s.Effect === 'Allow');
    expect(allow).toMatchObject({
      Action: 'sns:Publish',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Resource: { Ref: topic },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    const sourceArns = (allow!.Condition as { ArnLike: { 'aws:SourceArn': unknown[] } }).ArnLike[
      'aws:SourceArn'
    ];
    const alarmNames = Object.values(built.template.findResources('AWS::CloudWatch::Alarm')).map(
      (resource) => resource.Properties.AlarmName as string,
    );
    expect(alarmNames).toHaveLength(6);
    expect(sourceArns).toHaveLength(alarmNames.length);
    for (const name of alarmNames) {
      expect(JSON.stringify(sourceArns)).toContain(`:alarm:${name}"`);
    }
    expect(JSON.stringify(sourceArns)).toContain(':cloudwatch:');
  });

  it('sends every alarm to the topic, with the e-mail subscription only when configured', () => {
    const topic = built.logicalId(built.stack.monitoring.topic);
    for (const resource of Object.values(built.template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(resource.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    }
    built.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const mailed = buildStack({ alarmEmail: 'ops@example.com' });
    mailed.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  it('draws a dashboard of interactions, runs, deliveries and the dead-letter queue', () => {
    const body = JSON.stringify(
      Object.values(built.template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );
    for (const expected of [
      'Discord deadline',
      'p50',
      'p99',
      'RunsSucceeded',
      'RunsFailed',
      'RunsSkipped',
      'MessagesSummarized',
      'DeliveriesFailed',
      'DestinationType',
      'discord_channel',
      'executor-dev',
      'ApproximateNumberOfMessagesVisible',
      'Throttles',
    ]) {
      expect(body, expected).toContain(expected);
    }
  });

  it('graphs disabled tasks from both sources: the executor and the dead-letter handler', () => {
    const body = Object.values(built.template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties
      .DashboardBody as { 'Fn::Join': [string, unknown[]] };
    const text = body['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : '')).join('');
    const series = [...text.matchAll(/\["SummaryBot","TasksDisabled","service","([a-z-]+)"/g)].map(
      (m) => m[1],
    );
    expect(series.sort()).toEqual(['dead-letters-dev', 'executor-dev']);
  });
});

describe('outputs', () => {
  it('give what the deploy guide needs', () => {
    const outputs = Object.keys(built.template.findOutputs('*'));
    for (const name of [
      'InteractionsUrl',
      'TableName',
      'ScheduleGroupName',
      'DeadLetterQueueUrl',
      'DashboardUrl',
      'DiscordSecretName',
      'SchedulerRoleArn',
      'ExecutorFunctionArn',
      'DeadLetterQueueArn',
    ]) {
      expect(outputs).toContain(name);
    }
  });
});
