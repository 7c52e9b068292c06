import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  discordWebhookBodies,
  isDiscordWebhookUrl,
  postWebhook,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  WebhookDeliverer,
  type WebhookDelivererOptions,
} from '../../../lib/delivery/webhook.ts';
import { DeliveryError } from '../../../lib/errors.ts';
import { makeContext } from '../../support/delivery-fixtures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.ts';

const SECRET = 'a-signing-secret-of-some-length';
const fast: WebhookDelivererOptions = { allowLoopback: true, minRetryDelayMs: 1, maxRetryDelayMs: 5 };

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('WebhookDeliverer', () => {
  it('POSTs the JSON payload signed with HMAC-SHA256 over timestamp and body', async () => {
    const deliverer = new WebhookDeliverer({ ...fast, now: () => 1_700_000_000 });
    const receipt = await deliverer.deliver(
      { type: 'webhook', url: `${receiver.origin}/hook?token=abc`, secret: SECRET },
      makeContext(),
    );
    expect(receipt.location).toBe(`${receiver.origin}: HTTP 204`);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hook?token=abc');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toMatch(/^SummaryBotNG-Webhook\//);
    const timestamp = String(request?.headers[TIMESTAMP_HEADER]);
    expect(timestamp).toBe('1700000000');
    const signature = String(request?.headers[SIGNATURE_HEADER]);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, timestamp, request?.body ?? '', signature)).toBe(true);
    expect(verifyWebhookSignature('another-secret-entirely', timestamp, request?.body ?? '', signature)).toBe(
      false,
    );
    const payload = JSON.parse(request?.body ?? '{}');
    expect(payload).toMatchObject({
      version: 1,
      task: { id: 'tsk_abcdefgh', name: 'Weekly digest' },
      scheduledTime: '2024-05-08T09:00:00.000Z',
      summary: { title: 'Weekly #general digest' },
      stats: { messages: 13 },
    });
  });

  it('sends no signature headers without a secret', async () => {
    await new WebhookDeliverer(fast).deliver({ type: 'webhook', url: `${receiver.origin}/` }, makeContext());
    expect(receiver.requests[0]?.headers[SIGNATURE_HEADER]).toBeUndefined();
    expect(receiver.requests[0]?.headers[TIMESTAMP_HEADER]).toBeUndefined();
  });

  it('connects to the checked address, not to what DNS says later', async () => {
    const answers = ['127.0.0.1', '10.0.0.1'];
    let calls = 0;
    const lookup = async () => [{ address: answers[calls++] ?? '10.0.0.1', family: 4 }];
    const deliverer = new WebhookDeliverer({ ...fast, lookup });
    await deliverer.deliver({ type: 'webhook', url: `http://hooks.test:${receiver.port}/in` }, makeContext());
    expect(calls).toBe(1);
    expect(receiver.requests[0]?.headers.host).toBe(`hooks.test:${receiver.port}`);
  });

  it('refuses a host name resolving to a private address before sending anything', async () => {
    const deliverer = new WebhookDeliverer({
      ...fast,
      lookup: async () => [{ address: '192.168.1.20', family: 4 }],
    });
    const error = await failure(
      deliverer.deliver({ type: 'webhook', url: 'https://hooks.test/in' }, makeContext()),
    );
    expect(error.transient).toBe(false);
    expect(error.message).toContain('private');
  });

  it('refuses loopback targets outside the local mode', async () => {
    const deliverer = new WebhookDeliverer({ minRetryDelayMs: 1 });
    const error = await failure(
      deliverer.deliver({ type: 'webhook', url: `${receiver.origin}/` }, makeContext()),
    );
    expect(error.transient).toBe(false);
    expect(receiver.requests).toHaveLength(0);
  });

  it('retries 5xx with backoff and then succeeds', async () => {
    receiver.setHandler((_req, res, i) => res.writeHead(i < 2 ? 503 : 200).end('ok'));
    const receipt = await new WebhookDeliverer(fast).deliver(
      { type: 'webhook', url: `${receiver.origin}/` },
      makeContext(),
    );
    expect(receiver.requests).toHaveLength(3);
    expect(receipt.location).toContain('HTTP 200');
  });

  it('gives up after the configured retries with a transient error', async () => {
    receiver.setHandler((_req, res) => res.writeHead(502).end());
    const error = await failure(
      new WebhookDeliverer({ ...fast, retries: 2 }).deliver(
        { type: 'webhook', url: `${receiver.origin}/` },
        makeContext(),
      ),
    );
    expect(error.transient).toBe(true);
    expect(receiver.requests).toHaveLength(3);
  });

  it('does not retry 4xx, and names neither secret nor path in the error', async () => {
    receiver.setHandler((_req, res) => res.writeHead(404).end());
    const error = await failure(
      new WebhookDeliverer(fast).deliver(
        { type: 'webhook', url: `${receiver.origin}/hooks/TOKENPATH?key=QUERYSECRET`, secret: SECRET },
        makeContext(),
      ),
    );
    expect(receiver.requests).toHaveLength(1);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(`webhook ${receiver.origin} answered HTTP 404`);
    expect(error.message).not.toMatch(/TOKENPATH|QUERYSECRET|signing-secret/);
  });

  it('times out on a receiver that never answers', async () => {
    receiver.setHandler(() => {
      // never answers
    });
    const error = await failure(
      new WebhookDeliverer({ ...fast, timeoutMs: 150, retries: 1 }).deliver(
        { type: 'webhook', url: `${receiver.origin}/` },
        makeContext(),
      ),
    );
    expect(error.transient).toBe(true);
    expect(error.message).toContain('did not answer within 150 ms');
    expect(receiver.requests).toHaveLength(2);
  });

  it('stops reading a 10 MB answer at the response limit', async () => {
    const tenMb = Buffer.alloc(10 * 1024 * 1024, 'a');
    receiver.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(tenMb);
    });
    const response = await postWebhook(
      `${receiver.origin}/`,
      '{}',
      {},
      { allowLoopback: true, maxResponseBytes: 4096 },
    );
    expect(response.status).toBe(200);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(4096);
    await expect(
      new WebhookDeliverer(fast).deliver({ type: 'webhook', url: `${receiver.origin}/` }, makeContext()),
    ).resolves.toMatchObject({ location: expect.stringContaining('HTTP 200') });
  });

  it('follows a redirect to another allowed target, re-posting the body', async () => {
    receiver.setHandler((req, res) => {
      if (req.url === '/old') res.writeHead(308, { location: '/new' }).end();
      else res.writeHead(204).end();
    });
    await new WebhookDeliverer(fast).deliver(
      { type: 'webhook', url: `${receiver.origin}/old` },
      makeContext(),
    );
    expect(receiver.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/old'],
      ['POST', '/new'],
    ]);
    expect(receiver.requests[1]?.body).toBe(receiver.requests[0]?.body);
  });

  it.each([
    'http://10.0.0.1/steal',
    'https://169.254.169.254/latest/meta-data/',
    'http://[::ffff:192.168.0.1]/',
    'http://internal.test/',
  ])('refuses a redirect to %s', async (location) => {
    receiver.setHandler((_req, res) => res.writeHead(302, { location }).end());
    const lookup = async (host: string) => [
      { address: host === 'internal.test' ? '10.1.1.1' : '127.0.0.1', family: 4 },
    ];
    const error = await failure(
      new WebhookDeliverer({ ...fast, lookup }).deliver(
        { type: 'webhook', url: `${receiver.origin}/` },
        makeContext(),
      ),
    );
    expect(error.transient).toBe(false);
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up after three redirects', async () => {
    receiver.setHandler((_req, res, i) => res.writeHead(307, { location: `/r${i}` }).end());
    const error = await failure(
      new WebhookDeliverer(fast).deliver({ type: 'webhook', url: `${receiver.origin}/` }, makeContext()),
    );
    expect(error.message).toContain('redirected more than 3 times');
    expect(receiver.requests).toHaveLength(4);
  });

  it('reports a refused connection as transient', async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const error = await failure(
      new WebhookDeliverer({ ...fast, retries: 0 }).deliver(
        { type: 'webhook', url: `${gone.origin}/` },
        makeContext(),
      ),
    );
    expect(error.transient).toBe(true);
    expect(error.message).toContain('could not be reached');
  });
});

describe('discordWebhookBodies', () => {
  it('are embed messages without nonce, never mentioning anyone', () => {
    const bodies = discordWebhookBodies(makeContext());
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body).not.toHaveProperty('nonce');
      expect(body).not.toHaveProperty('enforce_nonce');
      expect(body.allowed_mentions).toEqual({ parse: [] });
      expect(body.embeds?.length).toBeGreaterThan(0);
    }
  });
});

describe('isDiscordWebhookUrl', () => {
  it('recognizes Discord webhook URLs only', () => {
    expect(isDiscordWebhookUrl('https://discord.com/api/webhooks/123456789012345678/tok-en_1')).toBe(true);
    expect(isDiscordWebhookUrl('https://canary.discord.com/api/v10/webhooks/1/t')).toBe(true);
    expect(isDiscordWebhookUrl('https://discordapp.com/api/webhooks/1/t')).toBe(true);
    expect(isDiscordWebhookUrl('https://discord.com.evil.example/api/webhooks/1/t')).toBe(false);
    expect(isDiscordWebhookUrl('https://discord.com/api/channels/1')).toBe(false);
    expect(isDiscordWebhookUrl('http://discord.com/api/webhooks/1/t')).toBe(false);
  });
});
