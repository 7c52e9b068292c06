import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmailDeliverer } from '../../../lib/delivery/email.ts';
import { FileDeliverer } from '../../../lib/delivery/file.ts';
import { DeliveryError } from '../../../lib/errors.ts';
import { buildEml, EmlEmailSender, encodeHeaderText } from '../../../lib/local/eml-email-sender.ts';
import { LocalFileStore } from '../../../lib/local/local-file-store.ts';
import { CHANNEL, GUILD, makeContext, makeSummary } from '../../support/delivery-fixtures.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'delivery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function decodeParts(eml: string): string[] {
  return [...eml.matchAll(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map(
    (m) => Buffer.from((m[1] ?? '').replace(/\r\n/g, ''), 'base64').toString('utf8'),
  );
}

describe('EmlEmailSender', () => {
  it('writes an RFC 5322 multipart/alternative message with both bodies under the outbox', async () => {
    const now = new Date('2024-05-08T09:00:05.000Z');
    const sender = new EmlEmailSender({
      dir: path.join(dir, 'outbox'),
      from: 'Bot <bot@example.com>',
      now: () => now,
    });
    const summary = makeSummary({ title: 'Résumé <script>' });
    const receipt = await new EmailDeliverer({ sender }).deliver(
      { type: 'email', addresses: ['a@example.com', 'b@example.com'] },
      makeContext(summary),
    );
    const files = await readdir(path.join(dir, 'outbox'));
    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file).toMatch(/^2024-05-08T09-00-05\.000Z-[0-9a-f-]{36}\.eml$/);
    expect(receipt.location).toBe(`email:${file?.slice(25, -4)}`);
    const eml = await readFile(path.join(dir, 'outbox', file ?? ''), 'utf8');
    expect(eml).not.toMatch(/[^\r]\n/);
    const [head] = eml.split('\r\n\r\n');
    expect(head).toContain('From: Bot <bot@example.com>');
    expect(head).toContain('To: a@example.com, b@example.com');
    expect(head).toContain('Date: Wed, 08 May 2024 09:00:05 +0000');
    expect(head).toMatch(/Message-ID: <[0-9a-f-]{36}@summary-bot\.local>/);
    expect(head).toContain('MIME-Version: 1.0');
    expect(head).toMatch(/Content-Type: multipart\/alternative; boundary="=_summary_[0-9a-f]{32}"/);
    expect(head).toContain('Subject: =?UTF-8?B?');
    const [text, html] = decodeParts(eml);
    expect(text).toContain('Résumé <script>');
    expect(html).toContain('<h1>Résumé &lt;script&gt;</h1>');
    expect(html).not.toContain('<script>');
  });

  it('encodes long non-ASCII subjects in words of at most 75 characters', () => {
    const encoded = encodeHeaderText('Zusammenfassung für die Woche — '.repeat(6));
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = encoded
      .split('\r\n ')
      .map((w) => Buffer.from(w.slice(10, -2), 'base64'))
      .reduce((a, b) => Buffer.concat([a, b]));
    expect(decoded.toString('utf8')).toBe('Zusammenfassung für die Woche — '.repeat(6));
    expect(encodeHeaderText('plain ascii')).toBe('plain ascii');
  });

  it('refuses header values with line breaks', () => {
    expect(() =>
      buildEml(
        { to: ['a@example.com\r\nBcc: x@evil.example'], subject: 's', text: 't', html: 'h' },
        { from: 'f@example.com', messageId: 'id@x', date: new Date(0), boundary: 'b' },
      ),
    ).toThrow(DeliveryError);
  });
});

describe('LocalFileStore', () => {
  it('writes Markdown and JSON files for a file destination, atomically, leaving no temporary files', async () => {
    const store = new LocalFileStore({ root: path.join(dir, 'files') });
    const receipt = await new FileDeliverer({ store }).deliver(
      { type: 'file', prefix: 'weekly' },
      makeContext(),
    );
    const folder = path.join(dir, 'files', 'weekly', GUILD, CHANNEL);
    expect(receipt.location).toBe(path.join(await realpath(folder), '2024-05-08T09-00-00.000Z.md'));
    expect((await readdir(folder)).sort()).toEqual([
      '2024-05-08T09-00-00.000Z.json',
      '2024-05-08T09-00-00.000Z.md',
    ]);
    const json = JSON.parse(await readFile(path.join(folder, '2024-05-08T09-00-00.000Z.json'), 'utf8'));
    expect(json.task.id).toBe('tsk_abcdefgh');
    const md = await readFile(path.join(folder, '2024-05-08T09-00-00.000Z.md'), 'utf8');
    expect(md).toContain('2024-05-01 00:00 UTC to 2024-05-08 00:00 UTC');
  });

  it('overwrites the same files when a run is delivered again', async () => {
    const store = new LocalFileStore({ root: dir });
    await store.write('a/b.md', 'one', 'text/markdown');
    await store.write('a/b.md', 'two', 'text/markdown');
    expect(await readFile(path.join(dir, 'a', 'b.md'), 'utf8')).toBe('two');
    expect(await readdir(path.join(dir, 'a'))).toEqual(['b.md']);
  });

  it.each([
    '../escape.md',
    'a/../../escape.md',
    '/etc/passwd',
    'C:/x.md',
    'a//b.md',
    './a.md',
    'a\\..\\..\\x.md',
    '',
  ])('refuses the key %j', async (key) => {
    const store = new LocalFileStore({ root: path.join(dir, 'root') });
    await expect(store.write(key, 'x', 'text/plain')).rejects.toBeInstanceOf(DeliveryError);
  });

  it('refuses a key whose folder is a symlink leading out of the root, creating nothing outside', async () => {
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    await mkdir(root);
    await mkdir(outside);
    await symlink(outside, path.join(root, 'link'));
    const store = new LocalFileStore({ root });
    await expect(store.write('link/x.md', 'x', 'text/plain')).rejects.toThrow(/outside the file store/);
    await expect(store.write('link/deeper/x.md', 'x', 'text/plain')).rejects.toThrow(
      /outside the file store/,
    );
    expect(await readdir(outside)).toEqual([]);
  });

  it('follows symlinks that stay inside the root', async () => {
    const root = path.join(dir, 'root');
    await mkdir(path.join(root, 'real'), { recursive: true });
    await symlink(path.join(root, 'real'), path.join(root, 'alias'));
    const { location } = await new LocalFileStore({ root }).write('alias/x.md', 'x', 'text/plain');
    expect(await readFile(location, 'utf8')).toBe('x');
  });

  it('refuses file destinations built from invalid ids', async () => {
    const store = new LocalFileStore({ root: dir });
    const deliverer = new FileDeliverer({ store });
    await expect(
      deliverer.deliver({ type: 'file', prefix: 'ok' }, makeContext(makeSummary(), { guildId: '../../etc' })),
    ).rejects.toThrow(/guild id/);
    await expect(
      deliverer.deliver(
        { type: 'file', prefix: 'ok' },
        makeContext(makeSummary(), { scheduledTime: '../x' }),
      ),
    ).rejects.toThrow(/scheduled time/);
    await expect(deliverer.deliver({ type: 'file', prefix: '../up' }, makeContext())).rejects.toThrow(
      /prefix/,
    );
    expect(await readdir(dir)).toEqual([]);
  });
});
