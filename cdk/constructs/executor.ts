import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Construct } from 'constructs';
import { bedrockModelIds, type StackConfig } from '../config.ts';
import { type BotFunction, type BotFunctions, functionName } from './bot-functions.ts';
import type { DiscordSecret } from './discord-secret.ts';
import type { FailureHandling } from './failure-handling.ts';
import { acknowledgeWildcardResource } from './nag.ts';
import type { Scheduling } from './scheduling.ts';
import type { SummariesBucket } from './summaries-bucket.ts';
import type { TaskTable } from './task-table.ts';

/**
 * Ten minutes: a run reads up to thousands of messages through Discord's rate limits, calls Bedrock and
 * delivers with retries inside the remaining time; it also stays inside the 15 minutes an interaction
 * token lives, so a `/summarize` that times out can still be answered by its retry.
 */
export const EXECUTOR_TIMEOUT = Duration.minutes(10);
/** Lambda's async retries of a failed run before it goes to the dead-letter queue. */
export const EXECUTOR_RETRY_ATTEMPTS = 2;

/** Inference profile ids start with a geography; they route to the base model in several Regions. */
const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/** The executor: runs a task (from its schedule, or "run now") or a `/summarize`, asynchronously. */
export class Executor extends Construct {
  readonly function: BotFunction;
  /** Formed from the fixed name, so the executor's own environment can carry it without a cycle. */
  readonly functionArn: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      config: StackConfig;
      functions: BotFunctions;
      table: TaskTable;
      scheduling: Scheduling;
      failures: FailureHandling;
      secret: DiscordSecret;
      bucket: SummariesBucket;
    },
  ) {
    super(scope, id);
    const { config } = props;
    const name = functionName(config.stage, 'executor');
    this.functionArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    props.functions.addEnvironment('EXECUTOR_FUNCTION_ARN', this.functionArn);

    this.function = props.functions.create(this, 'Function', {
      entry: 'executor',
      description: 'Runs one summary or cleanup task, or one /summarize',
      memorySize: 1024,
      timeout: EXECUTOR_TIMEOUT,
    });
    const { fn } = this.function;
    fn.configureAsyncInvoke({
      retryAttempts: EXECUTOR_RETRY_ATTEMPTS,
      onFailure: new SqsDestination(props.failures.queue),
    });
    props.table.grantReadWrite(fn);
    props.secret.grantRead(fn);
    props.bucket.grantWrite(fn);
    props.scheduling.grantDisable(fn);
    for (const modelId of bedrockModelIds(config)) this.#grantBedrock(modelId);
    if (config.sesFromAddress) this.#grantSes(config.sesFromAddress);
    this.grantInvokeAsync(props.scheduling.role);
    // A successful run starts the tasks that follow it (`after`) as asynchronous invocations of this function.
    this.grantInvokeAsync(fn);
  }

  /** `lambda:InvokeFunction` on the executor itself (no versions or aliases): what an async invoke needs. */
  grantInvokeAsync(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['lambda:InvokeFunction'],
      resourceArns: [this.functionArn],
    });
  }

  /** Converse is authorized as bedrock:InvokeModel, on the configured model (or its inference profile). */
  #grantBedrock(modelId: string): void {
    const stack = Stack.of(this);
    const foundationModel = (region: string, id: string) =>
      stack.formatArn({
        service: 'bedrock',
        region,
        account: '',
        resource: 'foundation-model',
        resourceName: id,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    const profile = INFERENCE_PROFILE_PREFIX.exec(modelId);
    const resources = profile
      ? [
          stack.formatArn({
            service: 'bedrock',
            resource: 'inference-profile',
            resourceName: modelId,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
          // A cross-Region profile forwards to the base model in any Region of its geography.
          foundationModel('*', modelId.slice(profile[0].length)),
          // A global profile's requests are authorized against the base model with no Region at all
          // (Bedrock user guide, "Global cross-Region inference"): named outright, not left to the wildcard.
          ...(profile[1] === 'global' ? [foundationModel('', modelId.slice(profile[0].length))] : []),
        ]
      : [foundationModel(stack.region, modelId)];
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources }),
    );
    if (profile) {
      acknowledgeWildcardResource(
        this.function.role,
        resources[1]!,
        'An inference profile routes a request to the same model in whichever Region of its geography has ' +
          'capacity; the grant names that one model, the Region is the only wildcard.',
      );
    }
  }

  /** SendEmail from the configured identity: the address itself or its verified domain. */
  #grantSes(from: string): void {
    const identities = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'identity',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    // In the SES sandbox SendEmail is also authorized against each recipient's identity, so the resource
    // cannot be the sender alone; the sender is pinned by the ses:FromAddress condition instead.
    this.function.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [identities],
        conditions: { StringEquals: { 'ses:FromAddress': from } },
      }),
    );
    acknowledgeWildcardResource(
      this.function.role,
      identities,
      'SES authorizes SendEmail against the sender and (in the sandbox) every recipient identity; the ' +
        'statement is limited to the configured sender by the ses:FromAddress condition.',
    );
  }
}
