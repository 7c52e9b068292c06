import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  type CredentialSource,
  type DeadLetterProbe,
  type MailProbe,
  type ModelProbe,
  ProbeError,
  type ProbeFailureKind,
  type ScheduleGroupProbe,
} from './ports.ts';

/**
 * The AWS side of `summary-bot doctor`: read-only calls (DescribeStacks, GetSecretValue,
 * GetScheduleGroup, GetQueueAttributes, GetFunctionConfiguration, GetEmailIdentity, GetAccount) and one
 * Converse call of at most one output token. Each failure becomes a ProbeError naming the AWS error.
 */

/** The stack's outputs by key; ProbeError('not_found') when the stack does not exist. */
export async function stackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Record<string, string>> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Stacks?.[0]?.Outputs ?? [];
    return Object.fromEntries(
      outputs
        .filter((o) => o.OutputKey && o.OutputValue !== undefined)
        .map((o) => [o.OutputKey!, o.OutputValue!]),
    );
  } catch (error) {
    // CloudFormation reports a missing stack as a ValidationException "Stack with id … does not exist".
    if (errorName(error) === 'ValidationException' && /does not exist/.test(messageOf(error)))
      throw new ProbeError('not_found', `stack ${stackName} does not exist`, { cause: error });
    throw awsProbeError(error);
  }
}

/** The executor's environment: which summarizer and model, and the SES sender, the stack configured. */
export async function functionEnvironment(
  client: LambdaClient,
  functionName: string,
): Promise<Record<string, string>> {
  try {
    const { Environment } = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
    return Environment?.Variables ?? {};
  } catch (error) {
    throw awsProbeError(error);
  }
}

/** The Discord secret's JSON, as stored (validated by the check, not here). */
export function secretCredentials(
  client: SecretsManagerClient,
  secretId: string,
  howToFill: string,
): CredentialSource {
  return {
    label: `secret ${secretId}`,
    howToFill,
    async read() {
      let text: string | undefined;
      try {
        text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
      } catch (error) {
        throw awsProbeError(error);
      }
      if (!text) throw new ProbeError('invalid', 'it holds no SecretString');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new ProbeError('invalid', 'it is not JSON', { cause: error });
      }
    },
  };
}

export function scheduleGroupProbe(client: SchedulerClient, name: string): ScheduleGroupProbe {
  return {
    name,
    async exists() {
      try {
        const { State } = await client.send(new GetScheduleGroupCommand({ Name: name }));
        return State !== 'DELETING';
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException') return false;
        throw awsProbeError(error);
      }
    },
  };
}

export function deadLetterProbe(client: SQSClient, queueUrl: string): DeadLetterProbe {
  return {
    name: queueUrl.split('/').at(-1) ?? queueUrl,
    async depth() {
      try {
        const { Attributes } = await client.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        return (
          Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
        );
      } catch (error) {
        throw awsProbeError(error);
      }
    },
  };
}

/**
 * A cross-Region inference profile id is the model id behind a geography prefix
 * (`global.anthropic.claude-…`, `us.…`, `eu.…`, `apac.…`); the catalogue lists the model id.
 */
const PROFILE_PREFIX = /^(global|us|eu|apac|jp|au|ca|us-gov)\./;

/**
 * One Converse call with `maxTokens: 1`: proves access (Marketplace subscription, use-case form) for a
 * fraction of a cent. The lifecycle comes from the catalogue (`GetFoundationModel`), so a model that went
 * Legacy is named before its end-of-life date.
 */
export function bedrockModelProbe(
  client: BedrockRuntimeClient,
  catalog: BedrockClient,
  modelId: string,
): ModelProbe {
  return {
    modelId,
    async lifecycle() {
      try {
        const { modelDetails } = await catalog.send(
          new GetFoundationModelCommand({ modelIdentifier: modelId.replace(PROFILE_PREFIX, '') }),
        );
        const lifecycle = modelDetails?.modelLifecycle;
        if (!lifecycle?.status) return undefined;
        return {
          status: lifecycle.status,
          ...(lifecycle.legacyTime ? { legacyTime: isoDate(lifecycle.legacyTime) } : {}),
          ...(lifecycle.endOfLifeTime ? { endOfLifeTime: isoDate(lifecycle.endOfLifeTime) } : {}),
        };
      } catch (error) {
        if (errorName(error) === 'ResourceNotFoundException' || errorName(error) === 'ValidationException')
          return undefined;
        throw awsProbeError(error);
      }
    },
    async answerOneToken() {
      try {
        await client.send(
          new ConverseCommand({
            modelId,
            messages: [{ role: 'user', content: [{ text: 'Reply with OK.' }] }],
            inferenceConfig: { maxTokens: 1 },
          }),
        );
      } catch (error) {
        throw awsProbeError(error);
      }
    },
  };
}

export function sesMailProbe(client: SESv2Client, from: string, region: string): MailProbe {
  return {
    from,
    region,
    async senderVerified() {
      // The address itself, or its domain: SES lets a verified domain send from any of its addresses.
      const domain = from.split('@')[1];
      for (const identity of domain ? [from, domain] : [from]) {
        try {
          const answer = await client.send(new GetEmailIdentityCommand({ EmailIdentity: identity }));
          if (answer.VerifiedForSendingStatus) return { verified: true, identity };
        } catch (error) {
          if (errorName(error) !== 'NotFoundException') throw awsProbeError(error);
        }
      }
      return { verified: false, identity: from };
    },
    async productionAccess() {
      try {
        return (await client.send(new GetAccountCommand({}))).ProductionAccessEnabled === true;
      } catch (error) {
        throw awsProbeError(error);
      }
    },
  };
}

/** The clients the stage target uses, made once per doctor run; `destroy` closes their sockets. */
export function createDoctorClients() {
  const clients = {
    cloudFormation: new CloudFormationClient({}),
    lambda: new LambdaClient({}),
    secrets: new SecretsManagerClient({}),
    scheduler: new SchedulerClient({}),
    sqs: new SQSClient({}),
    bedrock: new BedrockRuntimeClient({}),
    bedrockCatalog: new BedrockClient({}),
    ses: new SESv2Client({}),
  };
  return {
    ...clients,
    destroy() {
      for (const client of Object.values(clients)) client.destroy();
    },
  };
}

const KINDS: Record<string, ProbeFailureKind> = {
  AccessDeniedException: 'forbidden',
  AccessDenied: 'forbidden',
  ResourceNotFoundException: 'not_found',
  NotFoundException: 'not_found',
  QueueDoesNotExist: 'not_found',
  'AWS.SimpleQueueService.NonExistentQueue': 'not_found',
  ValidationException: 'invalid',
  UnrecognizedClientException: 'unauthorized',
  ExpiredTokenException: 'unauthorized',
  InvalidClientTokenId: 'unauthorized',
  CredentialsProviderError: 'unauthorized',
};

/** An SDK error as a ProbeError: its name and message (AWS messages never carry secret values). */
export function awsProbeError(error: unknown): ProbeError {
  const name = errorName(error);
  const kind =
    KINDS[name] ??
    (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|TimeoutError/.test(`${name} ${messageOf(error)}`)
      ? 'unreachable'
      : 'other');
  const hint = kind === 'unauthorized' ? ' (sign in with the AWS CLI: aws sts get-caller-identity)' : '';
  return new ProbeError(kind, `${name}: ${messageOf(error)}${hint}`, { cause: error });
}

function isoDate(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString().slice(0, 10);
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
