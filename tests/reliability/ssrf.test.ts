/**
 * Webhook SSRF, as a matrix: every private, loopback, link-local and metadata address form, written as a
 * literal URL, reached through a DNS name, and reached through a redirect, is refused before any byte is
 * sent to it; random addresses drawn from each range are refused too (fast-check, fixed seed).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkWebhookUrl, type LookupAll } from '../../lib/delivery/url-guard.ts';
import { WebhookDeliverer } from '../../lib/delivery/webhook.ts';
import { DeliveryError } from '../../lib/errors.ts';
import { makeContext } from '../support/delivery-fixtures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordFigures, SEED } from './figures.ts';

/** Literal hosts, each a forbidden address in some spelling. */
const LITERALS: Record<string, string[]> = {
  loopback: [
    '127.0.0.1',
    '127.255.255.254',
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '127.1',
  ],
  '10/8': ['10.0.0.1', '10.255.255.255', '167772161', '012.0.0.1', '0xa.0.0.1'],
  '172.16/12': ['172.16.0.1', '172.31.255.255', '2886729729', '0254.020.0.1'],
  '192.168/16': ['192.168.0.1', '192.168.255.255', '3232235521', '0xc0.0xa8.0.1'],
  metadata: ['169.254.169.254', '2852039166', '0xa9fea9fe', '0251.0376.0251.0376', '[fd00:ec2::254]'],
  'fd00::/8': ['[fd00::1]', '[fdff:ffff::1]', '[fc00::1]'],
  'ipv4-mapped': [
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    '[::ffff:10.0.0.1]',
    '[::ffff:a9fe:a9fe]',
    '[::ffff:192.168.1.1]',
  ],
  unspecified: ['0.0.0.0', '0', '[::]'],
  'link-local': ['169.254.1.1', '[fe80::1]'],
};

/** The same ranges as DNS answers (what a hostile name could resolve to). */
const RESOLVED: Record<string, string[]> = {
  loopback: ['127.0.0.1', '::1', '::ffff:127.0.0.1'],
  '10/8': ['10.1.2.3'],
  '172.16/12': ['172.20.0.1'],
  '192.168/16': ['192.168.1.1'],
  metadata: ['169.254.169.254', 'fd00:ec2::254'],
  'fd00::/8': ['fd12:3456::1'],
  'ipv4-mapped': ['::ffff:10.0.0.1', '::ffff:169.254.169.254'],
  unspecified: ['0.0.0.0', '::'],
  'link-local': ['fe80::1'],
};

const PUBLIC = '93.184.216.34';

async function refusedBeforeSending(promise: Promise<unknown>): Promise<void> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  expect((error as DeliveryError).transient).toBe(false);
}

describe('webhook SSRF matrix', () => {
  it('refuses every forbidden address written literally in the URL', async () => {
    let cases = 0;
    for (const hosts of Object.values(LITERALS)) {
      for (const host of hosts) {
        cases += 1;
        // The lookup answers a public address, so only the literal itself can cause the refusal.
        await refusedBeforeSending(
          checkWebhookUrl(`https://${host}/hook`, { lookup: async () => [{ address: PUBLIC, family: 4 }] }),
        );
      }
    }
    recordFigures('ssrf-literals', { cases });
  });

  it('refuses a DNS name that resolves to any forbidden address, alone or beside a public one', async () => {
    let cases = 0;
    for (const addresses of Object.values(RESOLVED)) {
      for (const address of addresses) {
        const family = address.includes(':') ? 6 : 4;
        for (const answer of [
          [{ address, family }],
          [
            { address: PUBLIC, family: 4 },
            { address, family },
          ],
        ]) {
          cases += 1;
          await refusedBeforeSending(
            checkWebhookUrl('https://hooks.attacker.example/in', { lookup: async () => answer }),
          );
        }
      }
    }
    recordFigures('ssrf-dns', { cases });
  });

  it('refuses random addresses drawn from every forbidden range (property)', async () => {
    const byte = fc.integer({ min: 0, max: 255 });
    const hex = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    const address = fc.oneof(
      fc.tuple(byte, byte, byte).map(([a, b, c]) => `127.${a}.${b}.${c}`),
      fc.tuple(byte, byte, byte).map(([a, b, c]) => `10.${a}.${b}.${c}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), byte, byte).map(([a, b, c]) => `172.${a}.${b}.${c}`),
      fc.tuple(byte, byte).map(([a, b]) => `192.168.${a}.${b}`),
      fc.tuple(byte, byte).map(([a, b]) => `169.254.${a}.${b}`),
      fc
        .tuple(fc.integer({ min: 0, max: 255 }), hex, hex)
        .map(([a, b, c]) => `fd${a.toString(16).padStart(2, '0')}:${b}::${c}`),
      fc.tuple(byte, byte).map(([a, b]) => `::ffff:10.${a}.${b}.1`),
      fc.tuple(byte, byte).map(([a, b]) => `::ffff:192.168.${a}.${b}`),
    );
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(address, fc.boolean(), async (ip, asName) => {
        cases += 1;
        const family = ip.includes(':') ? 6 : 4;
        const url = asName ? 'https://random.attacker.example/' : `https://${family === 6 ? `[${ip}]` : ip}/`;
        await refusedBeforeSending(checkWebhookUrl(url, { lookup: async () => [{ address: ip, family }] }));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
    recordFigures('ssrf-random-addresses', { cases, seed: SEED });
  });
});

describe('webhook SSRF through redirects', () => {
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('refuses a redirect to any forbidden address or to a name resolving to one, sending it nothing', async () => {
    // Local mode (allowLoopback) is the only way to run a receiver here; it allows loopback by design, so the
    // matrix leaves loopback out and checks every other range. Loopback redirects in production mode are
    // refused by the same guard (see the literal matrix above).
    const targets: string[] = [];
    for (const [range, hosts] of Object.entries(LITERALS)) {
      if (range === 'loopback') continue;
      for (const host of hosts) {
        if (host.includes('::ffff:127') || host.includes('::ffff:7f00')) continue;
        targets.push(`https://${host}/steal`, `http://${host}/steal`);
      }
    }
    // Names that resolve to each forbidden address (one name per address).
    const names = new Map<string, string>();
    for (const [range, addresses] of Object.entries(RESOLVED)) {
      if (range === 'loopback') continue;
      for (const address of addresses) {
        const host = `name-${names.size}.attacker.example`;
        names.set(host, address);
        targets.push(`https://${host}/`);
      }
    }
    const lookup: LookupAll = async (host) => {
      const address = names.get(host) ?? '127.0.0.1';
      return [{ address, family: address.includes(':') ? 6 : 4 }];
    };
    let cases = 0;
    for (const location of targets) {
      receiver.requests.length = 0;
      receiver.setHandler((_req, res) => res.writeHead(302, { location }).end());
      cases += 1;
      await refusedBeforeSending(
        new WebhookDeliverer({
          allowLoopback: true,
          retries: 2,
          minRetryDelayMs: 1,
          maxRetryDelayMs: 2,
          lookup,
        }).deliver({ type: 'webhook', url: `${receiver.origin}/start` }, makeContext()),
      );
      // The first hop only; the refusal is permanent, so it is not retried either.
      expect(receiver.requests).toHaveLength(1);
    }
    recordFigures('ssrf-redirects', { cases });
  });
});
