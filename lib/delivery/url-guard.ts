import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { DeliveryError } from '../errors.ts';

/** Resolves a host name to every address it has (the production one is `dns.promises.lookup`, `all: true`). */
export type LookupAll = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The default resolver: the operating system's, every address, in the order it returns them. */
export const systemLookup: LookupAll = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Where an address points. Only `public` is reachable by default; `loopback` only in the local/test mode. */
export type AddressClass = 'public' | 'loopback' | 'forbidden';

// Everything that is not the public internet: private, shared (CGNAT), link-local (cloud metadata lives at
// 169.254.169.254 and fd00:ec2::254), documentation, benchmarking, multicast, reserved and broadcast ranges.
const forbidden = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments, Teredo among them
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
  ['5f00::', 16], // segment routing
  ['fc00::', 7], // unique local (fd00:ec2::254 is the EC2 metadata endpoint)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local, deprecated
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(net, prefix, 'ipv6');
}
const loopbackV4 = new BlockList();
loopbackV4.addSubnet('127.0.0.0', 8, 'ipv4');

/** The 16 bytes of a valid IPv6 address (zone id ignored, dotted-quad tail allowed). */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0] ?? '';
  const quad = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(2).map(Number) as [number, number, number, number];
    text = `${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function embeddedV4(bytes: number[], offset: number): string {
  return bytes.slice(offset, offset + 4).join('.');
}

/** Classifies an IP address; anything that is not a well-formed IP is `forbidden`. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) {
    if (loopbackV4.check(address, 'ipv4')) return 'loopback';
    return forbidden.check(address, 'ipv4') ? 'forbidden' : 'public';
  }
  if (family !== 6) return 'forbidden';
  const bytes = ipv6Bytes(address);
  const isPrefix = (prefix: number[]) => prefix.every((b, i) => bytes[i] === b);
  if (bytes.every((b, i) => b === (i === 15 ? 1 : 0))) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) reaches the IPv4 address itself, loopback included.
  if (isPrefix([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff])) return classifyAddress(embeddedV4(bytes, 12));
  // Translated forms (SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:abcd:...) go through a
  // gateway; they are as safe as the IPv4 address inside, and never count as local loopback.
  const translated = isPrefix([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0])
    ? embeddedV4(bytes, 12)
    : isPrefix([0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])
      ? embeddedV4(bytes, 12)
      : isPrefix([0x20, 0x02])
        ? embeddedV4(bytes, 2)
        : undefined;
  if (translated !== undefined) return classifyAddress(translated) === 'public' ? 'public' : 'forbidden';
  return forbidden.check(address.split('%')[0] ?? '', 'ipv6') ? 'forbidden' : 'public';
}

/** A URL that passed the guard, with the address to connect to (pinned: DNS is not asked again). */
export interface CheckedTarget {
  url: URL;
  /** Host name without IPv6 brackets; also the TLS server name unless it is an IP literal. */
  hostname: string;
  address: string;
  family: 4 | 6;
}

/** Options of the guard. */
export interface UrlGuardOptions {
  /** Local/test mode: loopback addresses are allowed, and plain http, but only to loopback. */
  allowLoopback?: boolean;
  lookup?: LookupAll;
}

/** `https://host:port`: enough to tell which destination failed, without path or query (Discord tokens). */
export function safeOrigin(url: URL | string): string {
  try {
    const parsed = typeof url === 'string' ? new URL(url) : url;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    // The URL did not even parse; say so without repeating it.
    return 'an invalid URL';
  }
}

function refuse(message: string, transient = false, cause?: unknown): DeliveryError {
  return new DeliveryError(message, { transient, cause });
}

/**
 * Checks a webhook URL and resolves its host: https only (http only to loopback in `allowLoopback` mode), no
 * credentials, and every resolved address public (or loopback in that mode). Refuses with DeliveryError.
 */
export async function checkWebhookUrl(
  raw: string | URL,
  options: UrlGuardOptions = {},
): Promise<CheckedTarget> {
  let url: URL;
  try {
    // The WHATWG parser also normalizes decimal, octal and hex IPv4 forms (https://2130706433/ is 127.0.0.1).
    url = new URL(raw);
  } catch (error) {
    throw refuse('webhook URL is not a valid URL', false, error);
  }
  const origin = safeOrigin(url);
  const allowLoopback = options.allowLoopback ?? false;
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowLoopback)) {
    throw refuse(`webhook URL ${origin} refused: only https:// is allowed`);
  }
  if (url.username || url.password) {
    throw refuse(
      `webhook URL ${origin} refused: credentials in the URL are not supported; use a signing secret`,
    );
  }
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!hostname) throw refuse('webhook URL has no host');

  let addresses: { address: string; family: number }[];
  if (isIP(hostname)) {
    addresses = [{ address: hostname, family: isIP(hostname) }];
  } else {
    try {
      addresses = await (options.lookup ?? systemLookup)(hostname);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw refuse(`webhook host ${origin} could not be resolved`, code === 'EAI_AGAIN', error);
    }
  }
  if (addresses.length === 0) throw refuse(`webhook host ${origin} has no address`);

  const classes = addresses.map((a) => classifyAddress(a.address));
  // One bad address is enough to refuse: the connection could go to any of them.
  if (classes.some((c) => c === 'forbidden' || (c === 'loopback' && !allowLoopback))) {
    throw refuse(`webhook URL ${origin} refused: it resolves to a private, loopback or reserved address`);
  }
  if (url.protocol === 'http:' && !classes.every((c) => c === 'loopback')) {
    throw refuse(`webhook URL ${origin} refused: plain http is allowed only to loopback`);
  }
  const first = addresses[0] as { address: string; family: number };
  return { url, hostname, address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}
