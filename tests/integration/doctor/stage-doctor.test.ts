import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BedrockClient, GetFoundationModelCommand } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetScheduleGroupCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetAccountCommand, GetEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { REST } from '@discordjs/rest';
import { mockClient } from 'aws-sdk-client-mock';
import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../../lib/discord/commands/index.ts';
import { registerCommands } from '../../../lib/discord/register.ts';
import { doctor } from '../../../lib/doctor/doctor.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';

/**
 * `summary-bot doctor --stage prod` against aws-sdk-client-mock (every AWS call the stack's outputs lead
 * to) and the Discord stand-in (the application, its commands, a channel); the Function URL is a loopback
 * server that answers as the interactions function does. Each failure line is driven by one change.
 */

const APP_ID = '1100000000000000042';
const PUBLIC_KEY = 'ab'.repeat(32);
const TOKEN = 'the.bot.token.of-the-doctor-test';
const GUILD = '1200000000000000001';
const CHANNEL = '1300000000000000001';
const MODEL = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';

const cfn = mockClient(CloudFormationClient);
const lambda = mockClient(LambdaClient);
const secrets = mockClient(SecretsManagerClient);
const scheduler = mockClient(SchedulerClient);
const sqs = mockClient(SQSClient);
const bedrock = mockClient(BedrockRuntimeClient);
const catalog = mockClient(BedrockClient);
const ses = mockClient(SESv2Client);
const dynamo = mockClient(DynamoDBDocumentClient);

let standIn: DiscordStandIn;
let endpoint: Server;
let endpointUrl: string;
/** What the loopback Function URL answers an unsigned request with. */
let unsignedStatus = 401;

function secretString(overrides: Record<string, string> = {}): string {
  return JSON.stringify({ botToken: TOKEN, publicKey: PUBLIC_KEY, applicationId: APP_ID, ...overrides });
}

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}

async function run(options: { guildId?: string; channelId?: string } = {}) {
  return doctor({
    stage: 'prod',
    env: { AWS_REGION: 'eu-west-1', DISCORD_API_URL: standIn.apiUrl },
    ...options,
  });
}

/** The printed line that starts with this mark and contains this text (fails the test when absent). */
function lineOf(output: string, mark: string, text: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${mark} `) && l.includes(text));
  if (!line) throw new Error(`no line "${mark} …${text}…" in:\n${output}`);
  return line;
}

beforeAll(async () => {
  endpoint = createServer((req, res) => {
    req.resume();
    req.on('end', () =>
      res.writeHead(unsignedStatus, { 'content-type': 'text/plain' }).end('Bad request signature.'),
    );
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
});

beforeEach(async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  unsignedStatus = 401;
  standIn = await startDiscordStandIn({
    applicationId: APP_ID,
    botToken: TOKEN,
    publicKey: PUBLIC_KEY,
    interactionsEndpointUrl: endpointUrl,
  });
  standIn.addGuild({ id: GUILD, name: 'Test server' });
  standIn.addChannel({ id: CHANNEL, guildId: GUILD, name: 'general' });
  const rest = new REST({ version: '10', api: standIn.apiUrl }).setToken(TOKEN);
  await registerCommands({ rest, applicationId: APP_ID });

  cfn.on(DescribeStacksCommand, { StackName: 'SummaryBot-prod' }).resolves({
    Stacks: [
      {
        StackName: 'SummaryBot-prod',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries({
          InteractionsUrl: endpointUrl,
          TableName: 'SummaryBot-prod-TasksTable1',
          ScheduleGroupName: 'summary-bot-prod',
          DeadLetterQueueUrl:
            'https://sqs.eu-west-1.amazonaws.com/123456789012/summary-bot-prod-dead-letters',
          DiscordSecretName: 'summary-bot/prod/discord',
          SchedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler',
          ExecutorFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:summary-bot-prod-executor',
          DeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:123456789012:summary-bot-prod-dead-letters',
        }).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  lambda.on(GetFunctionConfigurationCommand).resolves({
    Environment: {
      Variables: { SUMMARIZER: 'bedrock', SUMMARIZER_MODEL: MODEL, SES_FROM_ADDRESS: 'bot@example.com' },
    },
  });
  secrets
    .on(GetSecretValueCommand, { SecretId: 'summary-bot/prod/discord' })
    .resolves({ SecretString: secretString() });
  scheduler
    .on(GetScheduleGroupCommand, { Name: 'summary-bot-prod' })
    .resolves({ Name: 'summary-bot-prod', State: 'ACTIVE' });
  scheduler.on(ListSchedulesCommand).resolves({ Schedules: [] });
  dynamo.on(QueryCommand).resolves({ Items: [] });
  sqs.on(GetQueueAttributesCommand).resolves({
    Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' },
  });
  bedrock.on(ConverseCommand).resolves({
    output: { message: { role: 'assistant', content: [{ text: 'OK' }] } },
    stopReason: 'max_tokens',
    usage: { inputTokens: 12, outputTokens: 1, totalTokens: 13 },
    metrics: { latencyMs: 200 },
  });
  catalog
    .on(GetFoundationModelCommand, { modelIdentifier: 'anthropic.claude-haiku-4-5-20251001-v1:0' })
    .resolves({
      modelDetails: {
        modelArn: 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
        modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
        modelLifecycle: { status: 'ACTIVE' },
      },
    });
  ses.on(GetEmailIdentityCommand).resolves({ VerifiedForSendingStatus: true });
  ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: true });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  for (const mock of [cfn, lambda, secrets, scheduler, sqs, bedrock, catalog, ses, dynamo]) mock.reset();
  await standIn.close();
});

describe('summary-bot doctor --stage', () => {
  it('passes every check of a working deployment and exits 0', async () => {
    const { exitCode, output } = await run({ channelId: CHANNEL });
    expect(output).not.toContain('✗');
    expect(output).toContain('Checking stack SummaryBot-prod (eu-west-1)');
    for (const text of [
      'Discord credentials (secret summary-bot/prod/discord) are filled and well-formed',
      'Bot token is valid',
      `Application id ${APP_ID} matches the bot token`,
      "Public key matches the application's",
      `Interactions Endpoint URL is ${endpointUrl}`,
      'refuses an unsigned request (401)',
      'Slash commands registered globally match the code (/summarize, /schedule, /config, /catchup, /subscribe, /unsubscribe)',
      'Message Content intent is enabled',
      `The bot can view channel ${CHANNEL} and read its history`,
      'Schedule group summary-bot-prod exists',
      'Reconcile finds no drift',
      'Dead-letter queue summary-bot-prod-dead-letters is empty',
      `Bedrock model ${MODEL} answers`,
      `Bedrock model ${MODEL} is Active on Bedrock`,
      'SES sender bot@example.com is verified',
      'SES account in eu-west-1 is out of the sandbox',
    ])
      lineOf(output, '✓', text);
    expect(output).toContain('All checks passed.');
    expect(exitCode).toBe(0);
    // The model was asked for one token, no more.
    expect(bedrock.commandCalls(ConverseCommand)[0]?.args[0].input).toMatchObject({
      modelId: MODEL,
      inferenceConfig: { maxTokens: 1 },
    });
  });

  it('says how to fill a secret still holding the placeholders, and checks nothing that needs it', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: secretString({ botToken: '', publicKey: '', applicationId: '' }) });
    const { exitCode, output } = await run();
    expect(lineOf(output, '✗', 'are not filled in')).toContain(
      'aws secretsmanager put-secret-value --secret-id summary-bot/prod/discord',
    );
    lineOf(output, '–', 'not checked until the credentials are fixed');
    expect(exitCode).toBe(1);
  });

  it('names the malformed field of the secret, never its value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: secretString({ publicKey: 'not-a-key' }) });
    const { output } = await run();
    const line = lineOf(output, '✗', 'are malformed');
    expect(line).toContain('publicKey: expected the 64-hex-digit public key');
    expect(line).not.toContain('not-a-key');
    expect(output).not.toContain(TOKEN);
  });

  it('reports a bot token Discord refuses', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: secretString({ botToken: 'an.old.token.that-was-reset' }) });
    const { exitCode, output } = await run();
    expect(lineOf(output, '✗', 'Bot token: Discord refused it (401)')).toContain('Reset Token');
    expect(exitCode).toBe(1);
  });

  it('reports an application id that is not the token’s application', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: secretString({ applicationId: '1100000000000000099' }) });
    const { output } = await run();
    expect(lineOf(output, '✗', "is not the token's application")).toContain(`set applicationId to ${APP_ID}`);
  });

  it('reports a public key that is not the application’s', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: secretString({ publicKey: 'cd'.repeat(32) }) });
    const { output } = await run();
    expect(lineOf(output, '✗', "Public key is not the application's")).toContain('General Information');
  });

  it('reports an Interactions Endpoint URL that is not the Function URL, or none', async () => {
    standIn.setInteractionsEndpointUrl('https://old.example.com/interactions');
    let { output } = await run();
    expect(
      lineOf(output, '✗', 'Interactions Endpoint URL is https://old.example.com/interactions'),
    ).toContain(`paste ${endpointUrl}`);
    standIn.setInteractionsEndpointUrl(null);
    ({ output } = await run());
    lineOf(output, '✗', 'Interactions Endpoint URL is not set');
  });

  it('fails loudly when the endpoint accepts an unsigned request', async () => {
    unsignedStatus = 200;
    const { output } = await run();
    lineOf(output, '✗', 'answered an unsigned request with 200: it does not verify signatures');
  });

  it('reports commands missing, changed or no longer defined', async () => {
    const rest = new REST({ version: '10', api: standIn.apiUrl }).setToken(TOKEN);
    const [summarize, schedule] = commands;
    await rest.put(`/applications/${APP_ID}/commands`, {
      body: [
        { ...summarize, description: 'an older description' },
        { name: 'digest', description: 'gone' },
      ],
    });
    void schedule;
    const { output } = await run();
    const line = lineOf(output, '✗', 'Slash commands globally');
    expect(line).toContain('missing /schedule, /config, /catchup, /subscribe, /unsubscribe');
    expect(line).toContain('/summarize differ from the code');
    expect(line).toContain('/digest are no longer defined');
    expect(line).toContain('run npx summary-bot register-commands');
  });

  it('checks the commands of one server with --guild', async () => {
    const { output } = await run({ guildId: GUILD });
    expect(lineOf(output, '✗', `Slash commands in server ${GUILD}`)).toContain(
      `register-commands --guild ${GUILD}`,
    );
  });

  it('reports the Message Content intent turned off', async () => {
    standIn.setMessageContentIntent(false);
    const { output } = await run();
    lineOf(output, '✗', 'Message Content intent is off');
  });

  it('reports a channel where the bot may not read history, or not see it at all', async () => {
    standIn.setPermissionOverwrites(CHANNEL, [
      {
        id: GUILD,
        type: OverwriteType.Role,
        allow: '0',
        deny: String(PermissionFlagsBits.ReadMessageHistory),
      },
    ]);
    let { output } = await run({ channelId: CHANNEL });
    lineOf(output, '✗', `The bot lacks Read Message History in channel ${CHANNEL}`);
    standIn.forbid(CHANNEL);
    ({ output } = await run({ channelId: CHANNEL }));
    lineOf(output, '✗', `The bot cannot see channel ${CHANNEL} (Missing Access)`);
  });

  it('reports a missing schedule group', async () => {
    scheduler
      .on(GetScheduleGroupCommand)
      .rejects(awsError('ResourceNotFoundException', 'Schedule group not found'));
    const { output } = await run();
    expect(lineOf(output, '✗', 'Schedule group summary-bot-prod does not exist')).toContain('npx cdk deploy');
  });

  it('reports messages waiting in the dead-letter queue', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({
      Attributes: { ApproximateNumberOfMessages: '2', ApproximateNumberOfMessagesNotVisible: '1' },
    });
    const { output } = await run();
    lineOf(output, '✗', 'Dead-letter queue summary-bot-prod-dead-letters holds 3 messages');
  });

  it('tells what to do when Bedrock refuses the model', async () => {
    bedrock
      .on(ConverseCommand)
      .rejects(
        awsError('AccessDeniedException', 'Model use case details have not been submitted for this account.'),
      );
    let { output } = await run();
    expect(lineOf(output, '✗', `Bedrock model ${MODEL} does not answer`)).toContain('use-case form');
    bedrock
      .on(ConverseCommand)
      .rejects(
        awsError('ValidationException', "Invocation of model ID with on-demand throughput isn't supported."),
      );
    ({ output } = await run());
    expect(lineOf(output, '✗', 'does not answer')).toContain('inference profile');
  });

  it('warns, without failing, when the model has gone Legacy', async () => {
    catalog.on(GetFoundationModelCommand).resolves({
      modelDetails: {
        modelArn: 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
        modelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
        modelLifecycle: {
          status: 'LEGACY',
          legacyTime: new Date('2026-12-01T00:00:00Z'),
          endOfLifeTime: new Date('2027-06-01T00:00:00Z'),
        },
      },
    });
    const { exitCode, output } = await run();
    expect(
      lineOf(output, '!', `Bedrock model ${MODEL} is Legacy on Bedrock, end of life 2027-06-01`),
    ).toContain('Active model');
    expect(exitCode).toBe(0);
  });

  it('skips Bedrock when the stack does not use it', async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ Environment: { Variables: { SUMMARIZER: 'extractive' } } });
    const { output } = await run();
    lineOf(output, '–', 'Bedrock model: not used (summarizer extractive)');
    lineOf(output, '–', 'Amazon SES: no sender configured');
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(0);
  });

  it('reports an unverified SES sender, and says when the account is in the sandbox', async () => {
    ses.on(GetEmailIdentityCommand).rejects(awsError('NotFoundException', 'Email identity not found'));
    ses.on(GetAccountCommand).resolves({ ProductionAccessEnabled: false });
    const { exitCode, output } = await run();
    expect(lineOf(output, '✗', 'SES sender bot@example.com is not verified in eu-west-1')).toContain(
      'aws sesv2 create-email-identity --email-identity bot@example.com',
    );
    expect(lineOf(output, '!', 'SES account in eu-west-1 is in the sandbox')).toContain('production access');
    expect(exitCode).toBe(1);
  });

  it('accepts a sender whose domain is verified', async () => {
    ses
      .on(GetEmailIdentityCommand, { EmailIdentity: 'bot@example.com' })
      .rejects(awsError('NotFoundException', 'no'));
    ses
      .on(GetEmailIdentityCommand, { EmailIdentity: 'example.com' })
      .resolves({ VerifiedForSendingStatus: true });
    const { output } = await run();
    lineOf(output, '✓', 'SES sender bot@example.com is verified (identity example.com)');
  });

  it('says how to deploy when the stack does not exist', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(awsError('ValidationException', 'Stack with id SummaryBot-prod does not exist'));
    const { exitCode, output } = await run();
    expect(lineOf(output, '✗', 'Stack SummaryBot-prod cannot be read')).toContain(
      'npx cdk deploy -c stage=prod',
    );
    expect(exitCode).toBe(1);
  });
});
