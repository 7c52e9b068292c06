import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearDiscordSecretCache, loadDiscordSecret } from '../../../lib/aws/discord-secret.ts';
import { APP, command, file, READER, str } from '../../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';

const keys = generateSigningKeys();
const secret = { botToken: 'x'.repeat(40), publicKey: keys.publicKeyHex, applicationId: APP };
const secrets = mockClient(SecretsManagerClient);
const lambda = mockClient(LambdaClient);
const dynamo = mockClient(DynamoDBDocumentClient);
/** Keys put so far, honouring `attribute_not_exists(pk)` as DynamoDB does. */
let stored: Set<string>;

function tableHonoursConditions() {
  stored = new Set();
  // Reads find nothing (e.g. /summarize's rate windows start empty).
  dynamo.on(GetCommand).resolves({});
  dynamo
    .on(PutCommand)
    .callsFake((input: { Item: { pk: string; sk: string }; ConditionExpression?: string }) => {
      const key = `${input.Item.pk}|${input.Item.sk}`;
      if (input.ConditionExpression === 'attribute_not_exists(pk)' && stored.has(key)) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
        });
      }
      stored.add(key);
      return {};
    });
}

type Module = typeof import('../../../functions/interactions.ts');
let mod: Module;

beforeAll(async () => {
  vi.stubEnv('TASK_TABLE_NAME', 'tasks-test');
  vi.stubEnv('SCHEDULE_GROUP_NAME', 'summary-bot-test');
  vi.stubEnv('SCHEDULER_ROLE_ARN', 'arn:aws:iam::123456789012:role/scheduler');
  vi.stubEnv('EXECUTOR_FUNCTION_ARN', 'arn:aws:lambda:eu-west-1:123456789012:function:executor');
  vi.stubEnv('INTERACTION_WORKER_FUNCTION_ARN', 'arn:aws:lambda:eu-west-1:123456789012:function:worker');
  vi.stubEnv('DEAD_LETTER_QUEUE_ARN', 'arn:aws:sqs:eu-west-1:123456789012:dlq');
  vi.stubEnv('DISCORD_SECRET_ARN', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:discord');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  mod = await import('../../../functions/interactions.ts');
});

beforeEach(() => tableHonoursConditions());

afterEach(() => {
  secrets.reset();
  lambda.reset();
  dynamo.reset();
});

// Unit test files share a worker (isolate: false): a mock left on DynamoDBDocumentClient's prototype
// would answer the next file's real embedded-store calls with nothing.
afterAll(() => {
  secrets.restore();
  lambda.restore();
  dynamo.restore();
  vi.unstubAllEnvs();
});

/** A Function URL event (payload 2.0) carrying a signed request. */
function event(
  payload: unknown,
  options: { base64?: boolean; upperCase?: boolean; timestamp?: number } = {},
) {
  const { rawBody, headers } = signedRequest(payload, keys, options.timestamp?.toString());
  const named = options.upperCase
    ? {
        'Content-Type': headers['content-type'],
        'X-Signature-Ed25519': headers['x-signature-ed25519'],
        'X-Signature-Timestamp': headers['x-signature-timestamp'],
      }
    : headers;
  return {
    version: '2.0',
    rawPath: '/',
    headers: named,
    requestContext: { http: { method: 'POST', path: '/' } },
    body: options.base64 ? rawBody.toString('base64') : rawBody.toString('utf8'),
    isBase64Encoded: options.base64 ?? false,
  };
}

describe('the Function URL handler', () => {
  it('decodes a base64 body and reads mixed-case headers before verifying', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const res = await mod.handler(event({ type: 1 }, { base64: true, upperCase: true }));
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"type":1}',
    });
  });

  it('answers 401 to a body changed after signing', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const e = event({ type: 1 });
    e.body = e.body.replace('1', '2');
    expect((await mod.handler(e)).statusCode).toBe(401);
    expect(lambda.calls()).toHaveLength(0);
  });

  it('answers 401 to a correctly signed request replayed a year (or 6 minutes) later, and does nothing', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const now = Math.floor(Date.now() / 1000);
    for (const signedAt of [now - 365 * 86_400, now - 6 * 60]) {
      const res = await mod.handler(
        event(command('summarize', [], { permissions: READER }), { timestamp: signedAt }),
      );
      expect(res.statusCode).toBe(401);
    }
    expect(lambda.calls()).toHaveLength(0);
  });

  it('starts one run for a signed /summarize sent four times within the 5 minutes: the copies answer "already received"', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const e = event(command('summarize', [], { permissions: READER }));
    const first = await mod.handler(e);
    expect(JSON.parse(first.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    for (let i = 0; i < 3; i++) {
      const copy = await mod.handler(structuredClone(e));
      expect(copy.statusCode).toBe(200);
      expect(JSON.parse(copy.body)).toMatchObject({
        type: InteractionResponseType.ChannelMessageWithSource,
        data: { flags: MessageFlags.Ephemeral, content: expect.stringContaining('already received') },
      });
    }
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect([...stored].filter((key) => key.startsWith('INTERACTION#'))).toHaveLength(1);
  });

  it('refuses methods other than POST', async () => {
    const e = { ...event({ type: 1 }), requestContext: { http: { method: 'GET' } } };
    expect((await mod.handler(e)).statusCode).toBe(405);
  });

  it('hands /summarize to the executor as an Event invoke and answers deferred', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    const res = await mod.handler(event(command('summarize', [], { permissions: READER })));
    // Counted first, per member and per server, in the task table (every container sees the same windows).
    const windows = dynamo
      .commandCalls(PutCommand)
      .map((c) => String(c.args[0].input.Item?.sk))
      .filter((sk) => sk.startsWith('RATE#'));
    expect(windows).toEqual([expect.stringMatching(/^RATE#summarize#member#\d+$/), 'RATE#summarize#server']);
    expect(JSON.parse(res.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:executor',
      InvocationType: 'Event',
    });
    const payload = JSON.parse(
      new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array),
    );
    expect(payload).toMatchObject({ type: 'adhoc', reply: { applicationId: APP } });
    expect(payload.reply.token).toMatch(/^token-/);
  });
});

describe('the Function URL handler under oversized signed payloads', () => {
  it('answers data.options nested 1,000 deep with a 400 naming the bound, and touches nothing', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    // Before the bound, zod's recursive option schema overflowed the stack on this: HTTP 500.
    let option: Record<string, unknown> = { name: 'task', type: 3, value: 'x' };
    for (let i = 0; i < 1_000; i++) option = { name: 'g', type: 2, options: [option] };
    const payload = command('schedule status', []);
    const res = await mod.handler(event({ ...payload, data: { name: 'schedule', options: [option] } }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('malformed interaction: nested deeper than 32 levels');
    expect(lambda.calls()).toHaveLength(0);
  });

  it('answers a signed body over 256 KB with 413, and touches nothing', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    const payload = command('schedule create', [str('name', 'x'.repeat(300_000))]);
    const res = await mod.handler(event(payload));
    expect(res.statusCode).toBe(413);
    expect(res.body).toBe('interaction body too large: at most 262144 bytes');
    expect(lambda.calls()).toHaveLength(0);
  });

  it('still accepts a real command whose text is full of brackets, quotes and backslashes', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const res = await mod.handler(event(command('summarize', [str('focus', '[[[[{{{{"\\'.repeat(100))])));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  });
});

describe('the Function URL handler and slow commands', () => {
  it('answers /schedule import "thinking…" and hands it, as received, to the worker function', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    const e = event(command('schedule import', [file('file', '111111111111111111')]));
    const res = await mod.handler(e);
    expect(JSON.parse(res.body)).toEqual({
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: { flags: MessageFlags.Ephemeral },
    });
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
    expect(lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:worker',
      InvocationType: 'Event',
    });
    const payload = JSON.parse(
      new TextDecoder().decode(lambda.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array),
    );
    expect(payload).toMatchObject({ type: 'interaction', body: e.body });
  });
});

describe('loadDiscordSecret', () => {
  it('reads once per container and names what is wrong without echoing values', async () => {
    clearDiscordSecretCache();
    const client = new SecretsManagerClient({});
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    await loadDiscordSecret(client, 'one');
    await loadDiscordSecret(client, 'one');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);

    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ ...secret, publicKey: 'secret-value-zz' }) });
    const error = await loadDiscordSecret(client, 'two').catch((e: Error) => e);
    expect(String(error)).toContain('publicKey: expected the 64-hex-digit public key');
    expect(String(error)).not.toContain('secret-value-zz');
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    await expect(loadDiscordSecret(client, 'two')).resolves.toEqual(secret);
  });
});
