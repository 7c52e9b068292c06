import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_SDK_CONFIG, sdkConfigFor } from '../../../lib/aws/sdk-config.ts';

/** A DynamoDB endpoint that accepts requests and never answers: a stuck call. */
let server: Server;
let requests = 0;
let endpoint: string;

beforeAll(async () => {
  server = createServer(() => {
    requests++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe('SDK budget of the interactions endpoint', () => {
  it('gives up on a stuck call after two attempts, each ended by the request timeout', async () => {
    requests = 0;
    const client = new DynamoDBClient({
      ...sdkConfigFor('interactions'),
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const error = await client.send(new DescribeTableCommand({ TableName: 'tasks' })).then(
      () => undefined,
      (caught: unknown) => caught as Error & { $metadata?: { attempts?: number } },
    );
    expect(error?.name).toBe('TimeoutError');
    expect(error?.$metadata?.attempts).toBe(DEADLINE_SDK_CONFIG.maxAttempts);
    expect(requests).toBe(DEADLINE_SDK_CONFIG.maxAttempts);
    client.destroy();
  });

  it('is fitted to the endpoint only: the other functions keep the SDK defaults', () => {
    expect(sdkConfigFor('interactions')).toEqual(DEADLINE_SDK_CONFIG);
    expect(sdkConfigFor('executor')).toEqual({});
    expect(sdkConfigFor('interaction-worker')).toEqual({});
    // Two attempts of at most requestTimeout each stay inside Discord's 3 s.
    const { maxAttempts, requestHandler } = DEADLINE_SDK_CONFIG;
    expect(maxAttempts * requestHandler.requestTimeout).toBeLessThan(3_000);
  });
});
