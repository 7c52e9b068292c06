import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, classifyAddress } from '../../../lib/delivery/url-guard.ts';
import { DeliveryError } from '../../../lib/errors.ts';

const publicLookup = async () => [{ address: '93.184.216.34', family: 4 }];

describe('classifyAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    'fd00:ec2::254',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a00:1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::',
    '2001:db8::1',
    '2001::1',
    '::127.0.0.1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(classifyAddress(address)).toBe('forbidden');
  });

  it.each(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1', '::ffff:7f00:1'])(
    'calls %s loopback',
    (address) => {
      expect(classifyAddress(address)).toBe('loopback');
    },
  );

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );
});

async function refused(
  url: string,
  options: Parameters<typeof checkWebhookUrl>[1] = {},
): Promise<DeliveryError> {
  const error = await checkWebhookUrl(url, { lookup: publicLookup, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  expect((error as DeliveryError).transient).toBe(false);
  return error as DeliveryError;
}

describe('checkWebhookUrl', () => {
  it('accepts an https URL whose host resolves to public addresses, and pins the first', async () => {
    const target = await checkWebhookUrl('https://hooks.example.com/in?x=1', { lookup: publicLookup });
    expect(target).toMatchObject({ hostname: 'hooks.example.com', address: '93.184.216.34', family: 4 });
  });

  it.each([
    'https://127.0.0.1/',
    'https://[::1]/',
    'https://10.0.0.1/',
    'https://172.16.5.4/',
    'https://192.168.0.10/',
    'https://169.254.169.254/latest/meta-data/',
    'https://[fd00:ec2::254]/',
    'https://[fd00::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://2130706433/',
    'https://0x7f.1/',
    'https://017700000001/',
    'https://127.1/',
    'https://0/',
  ])('refuses %s', async (url) => {
    await refused(url);
  });

  it('refuses a host name that resolves to a private address', async () => {
    await refused('https://internal.example.com/', {
      lookup: async () => [{ address: '10.0.0.7', family: 4 }],
    });
  });

  it('refuses a host name when any one of its addresses is private', async () => {
    await refused('https://mixed.example.com/', {
      lookup: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: 'fd00::5', family: 6 },
      ],
    });
  });

  it('refuses http, other schemes and credentials', async () => {
    await refused('http://hooks.example.com/');
    await refused('ftp://hooks.example.com/');
    await refused('file:///etc/passwd');
    await refused('https://user:pass@hooks.example.com/');
  });

  it('allows loopback and http-to-loopback only in allowLoopback mode', async () => {
    await expect(checkWebhookUrl('http://127.0.0.1:8080/', { allowLoopback: true })).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await refused('http://hooks.example.com/', { allowLoopback: true });
    await refused('https://10.0.0.1/', { allowLoopback: true });
    await refused('https://[64:ff9b::7f00:1]/', { allowLoopback: true });
  });

  it('never repeats the path or query in its messages', async () => {
    const error = await refused('https://10.0.0.1/hook/SECRET-TOKEN?key=SECRET');
    expect(error.message).not.toContain('SECRET');
    expect(error.message).toContain('https://10.0.0.1');
  });

  it('reports a failed lookup as a refusal, transient only for EAI_AGAIN', async () => {
    const fail = (code: string) => async () => {
      throw Object.assign(new Error(`getaddrinfo ${code}`), { code });
    };
    await refused('https://nowhere.example/', { lookup: fail('ENOTFOUND') });
    const error = await checkWebhookUrl('https://slow.example/', { lookup: fail('EAI_AGAIN') }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error.transient).toBe(true);
  });
});
