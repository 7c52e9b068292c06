/**
 * Paths: file destinations never write outside their root, whatever the key (`..`, absolute paths, symlinks,
 * odd Unicode); S3 keys are built only from validated ids; imports read only Discord attachments.
 * Property-based with a fixed seed; a canary folder next to the root must stay empty.
 */
import { mkdir, mkdtemp, readdir, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3FileStore } from '../../lib/aws/s3-file-store.ts';
import { FileDeliverer, fileKeys } from '../../lib/delivery/file.ts';
import { fetchDiscordAttachment } from '../../lib/discord/attachments.ts';
import { DeliveryError, ValidationError } from '../../lib/errors.ts';
import { LocalFileStore } from '../../lib/local/local-file-store.ts';
import { Destination } from '../../lib/tasks/destination.ts';
import { makeContext, makeSummary } from '../support/delivery-fixtures.ts';
import { recordFigures, SEED } from './figures.ts';

/** Path pieces an attacker would try, including Unicode look-alikes of `.` and `/`. */
const SEGMENTS = [
  '..',
  '.',
  '',
  'a',
  'summaries',
  'link',
  'inner',
  '/',
  '\\',
  '..\\..',
  '%2e%2e',
  '\uff0e\uff0e', // fullwidth full stops
  '\u2025', // two-dot leader
  '\u2215', // division slash
  '\u2044', // fraction slash
  '\u002e\u0301\u002e', // dots with a combining accent
  '\u0000',
  'C:',
  '~',
  'a\u202eb', // right-to-left override
  'é',
  'e\u0301', // the same, decomposed
  '\ud800', // lone surrogate
];
const key = fc.oneof(
  fc.array(fc.constantFrom(...SEGMENTS), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/')),
  fc
    .tuple(fc.constantFrom('/', 'C:\\', '\\\\server\\share\\', '', '../'), fc.string({ maxLength: 30 }))
    .map(([a, b]) => a + b),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

describe('file destinations stay inside their root (property)', () => {
  let dir: string;
  let root: string;
  let canary: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'paths-'));
    root = path.join(dir, 'root');
    canary = path.join(dir, 'outside');
    await mkdir(path.join(root, 'inner'), { recursive: true });
    await mkdir(canary);
    // A symlink out of the root, and one that stays inside.
    await symlink(canary, path.join(root, 'link'));
    await symlink(path.join(root, 'inner'), path.join(root, 'alias'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('LocalFileStore writes any key inside the root or refuses it, and nothing lands outside', async () => {
    const store = new LocalFileStore({ root });
    const realRoot = await realpath(root);
    let cases = 0;
    let written = 0;
    let refused = 0;
    let untyped = 0;
    await fc.assert(
      fc.asyncProperty(key, async (k) => {
        cases += 1;
        try {
          const { location } = await store.write(k, 'x', 'text/plain');
          written += 1;
          const real = await realpath(location);
          expect(path.relative(realRoot, real).startsWith('..')).toBe(false);
          expect(path.isAbsolute(path.relative(realRoot, real))).toBe(false);
        } catch (error) {
          refused += 1;
          if (error instanceof DeliveryError) return;
          untyped += 1; // anything but a DeliveryError is a bug: counted, and asserted zero below
        }
      }),
      { seed: SEED, numRuns: 1_500 },
    );
    expect(await readdir(canary)).toEqual([]);
    expect(await readdir(dir)).toEqual(['outside', 'root']);
    expect(written).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(untyped).toBe(0);
    recordFigures('paths-local-file-store', {
      cases,
      written,
      refused,
      refusedUntyped: untyped,
      filesOutsideRoot: 0,
      seed: SEED,
    });
  });

  it('LocalFileStore reports a key through an existing file as a DeliveryError', async () => {
    const store = new LocalFileStore({ root });
    await store.write('plain-file', 'x', 'text/plain');
    await expect(store.write('plain-file/below.md', 'x', 'text/plain')).rejects.toBeInstanceOf(DeliveryError);
  });

  it('FileDeliverer builds keys only from validated pieces, for any prefix, ids and time', async () => {
    const store = new LocalFileStore({ root });
    const deliverer = new FileDeliverer({ store });
    const piece = fc.oneof(key, fc.stringMatching(/^\d{17,20}$/));
    let cases = 0;
    let delivered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(key, fc.constantFrom('summaries', 'a/b')),
        piece,
        piece,
        fc.oneof(key, fc.constant('tsk_abcdefgh')),
        fc.oneof(key, fc.constant('2024-05-08T09:00:00.000Z')),
        async (prefix, guildId, channelId, taskId, scheduledTime) => {
          cases += 1;
          const context = makeContext(makeSummary(), {
            guildId,
            channelIds: [channelId],
            taskId,
            scheduledTime,
          });
          try {
            const keys = fileKeys(prefix, context);
            // Only plain pieces get this far.
            expect(keys.markdown).toMatch(
              /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*\/\d{17,20}\/\d{17,20}\/[\dT.Z-]+\.md$/,
            );
            await deliverer.deliver({ type: 'file', prefix }, context);
            delivered += 1;
          } catch (error) {
            expect(error).toBeInstanceOf(DeliveryError);
          }
        },
      ),
      { seed: SEED, numRuns: 800 },
    );
    expect(await readdir(canary)).toEqual([]);
    recordFigures('paths-file-deliverer', { cases, delivered, seed: SEED });
  });

  it('the task model accepts only relative, dot-free file prefixes', () => {
    let cases = 0;
    fc.assert(
      fc.property(key, (prefix) => {
        cases += 1;
        const parsed = Destination.safeParse({ type: 'file', prefix });
        if (parsed.success) {
          expect(prefix.split('/').every((p) => /^[A-Za-z0-9_-]+$/.test(p))).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 3_000 },
    );
    recordFigures('paths-prefix-schema', { cases, seed: SEED });
  });
});

describe('S3 keys (property)', () => {
  const s3 = mockClient(S3Client);
  afterEach(() => s3.reset());

  it('puts only plain relative keys, whatever the key', async () => {
    s3.on(PutObjectCommand).resolves({});
    const store = new S3FileStore({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'summaries' });
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(key, async (k) => {
        cases += 1;
        await store.write(k, 'x', 'text/plain').catch((error: unknown) => {
          expect(error).toBeInstanceOf(DeliveryError);
        });
      }),
      { seed: SEED, numRuns: 1_500 },
    );
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key ?? '');
    for (const k of keys) {
      expect(k).toMatch(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/);
      expect(k.split('/')).not.toContain('..');
      expect(k.split('/')).not.toContain('.');
    }
    recordFigures('paths-s3-keys', { cases, put: keys.length, refused: cases - keys.length, seed: SEED });
  });
});

describe('imports read only Discord attachments (property)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('refuses any URL but https on Discord CDN hosts without fetching it', async () => {
    const fetchSpy = vi.fn(async () => new Response('[]'));
    vi.stubGlobal('fetch', fetchSpy);
    const url = fc.oneof(
      fc.webUrl(),
      fc.constantFrom(
        'file:///etc/passwd',
        'http://cdn.discordapp.com/attachments/1/2/a.json',
        'https://cdn.discordapp.com.attacker.example/a.json',
        'https://cdn.discordapp.com@attacker.example/a.json',
        'https://attacker.example/cdn.discordapp.com/a.json',
        'https://169.254.169.254/latest/meta-data/',
        'https://127.0.0.1/a.json',
        '../../.data/runtime.json',
        '/etc/passwd',
      ),
      fc.string({ maxLength: 60 }),
    );
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(url, async (u) => {
        cases += 1;
        const host = URL.canParse(u) ? new URL(u).hostname : '';
        const allowed =
          u.startsWith('https:') && (host === 'cdn.discordapp.com' || host === 'media.discordapp.net');
        if (allowed) return;
        await expect(fetchDiscordAttachment(u, 1024)).rejects.toBeInstanceOf(ValidationError);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
    expect(fetchSpy).not.toHaveBeenCalled();
    recordFigures('paths-import-attachments', { cases, fetched: 0, seed: SEED });
  });
});
