import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCliContext } from '../../lib/local/cli-context.ts';
import { SAMPLE_GUILD } from '../../lib/local/sandbox/sample-server.ts';
import { type BotProcess, startBotProcess } from '../support/bot-process.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { recordFigures } from './figures.ts';

/** A secret in the webhook URL: what an attacker reading the table is after. */
const SECRET = 'hook-secret-7f3a9c1e5b';

/** Every folder and file under `dir` with its permission bits (symbolic links are not followed). */
async function modesUnder(dir: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
  const found: { path: string; dir: boolean; mode: number }[] = [];
  const walk = async (at: string) => {
    const stat = await lstat(at);
    found.push({ path: at, dir: stat.isDirectory(), mode: stat.mode & 0o777 });
    if (stat.isDirectory()) for (const name of await readdir(at)) await walk(join(at, name));
  };
  await walk(dir);
  return found;
}

/**
 * `npm start` as a real process, attacked as issue #11 describes: a web page (a request carrying `Origin`,
 * a CORS pre-flight) and another local process (a request signed with any other access key, or unsigned)
 * talk to its embedded DynamoDB directly over HTTP. Its data folder is read for what other users could read.
 */
describe('the embedded DynamoDB of npm start, attacked over HTTP', () => {
  let dataDir: string;
  let webhook: WebhookReceiver;
  let bot: BotProcess;
  let endpoint: string;
  let accessKeyId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'summary-bot-local-store-'));
    // Data left by an older version, created under a permissive umask: start must make it private.
    await chmod(dataDir, 0o755);
    await mkdir(join(dataDir, 'files', 'old'), { recursive: true, mode: 0o755 });
    await writeFile(join(dataDir, 'files', 'old', 'summary.md'), 'old summary', { mode: 0o644 });
    await chmod(join(dataDir, 'files', 'old', 'summary.md'), 0o644);
    webhook = await startWebhookReceiver();
    bot = await startBotProcess(dataDir);
    const runtime = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8'));
    endpoint = runtime.dynamoEndpoint;
    accessKeyId = runtime.dynamoAccessKeyId;
    const created = await bot.command(
      `/schedule create daily name:secret-task channel:#general time:09:00 timezone:UTC post_to:#digest webhook:${webhook.origin}/hook/${SECRET} email:team@example.com file:summaries/daily`,
    );
    expect(created.json.data.content).toMatch(/^Created/);
    // A run writes every kind of file the bot keeps: store log, summary file, e-mail, channel history.
    await bot.advance('1d');
  });

  afterAll(async () => {
    await bot?.stop('SIGKILL');
    await webhook?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A DynamoDB Scan as any HTTP client can send it; dynalite checks the credential's shape, never the signature. */
  const scan = (headers: Record<string, string>, method = 'POST') =>
    fetch(endpoint, {
      method,
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.Scan',
        'x-amz-date': '20261202T000000Z',
        ...headers,
      },
      ...(method === 'POST' ? { body: JSON.stringify({ TableName: 'summary-bot-tasks' }) } : {}),
    });
  const signedWith = (key: string) => ({
    authorization: `AWS4-HMAC-SHA256 Credential=${key}/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
  });

  it('refuses web pages, other access keys and unsigned requests before dynalite reads anything', async () => {
    const attacks = {
      'web page (Origin) with the right key': scan({
        ...signedWith(accessKeyId),
        origin: 'https://evil.example',
      }),
      'CORS pre-flight': scan(
        {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type,x-amz-target',
        },
        'OPTIONS',
      ),
      'another access key': scan(signedWith('embedded')),
      'a key one character off': scan(signedWith(`${accessKeyId.slice(0, -1)}x`)),
      unsigned: scan({}),
    };
    let refused = 0;
    for (const [name, pending] of Object.entries(attacks)) {
      const response = await pending;
      const body = await response.text();
      expect(response.status, name).toBe(403);
      expect(response.headers.get('access-control-allow-origin'), name).toBeNull();
      expect(body, name).toContain('UnrecognizedClientException');
      expect(body, name).not.toContain(SECRET);
      refused += 1;
    }

    // The control: the same Scan with the key runtime.json holds, and no Origin, is what the CLI sends.
    const allowed = await scan(signedWith(accessKeyId));
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain(SECRET);
    const cli = await openCliContext({ DATA_DIR: dataDir });
    try {
      expect(cli.where).toMatch(/running bot/);
      expect((await cli.store.listTasks(SAMPLE_GUILD.id)).map((t) => t.name)).toEqual(['secret-task']);
    } finally {
      await cli.close();
    }
    recordFigures('local-store.refusals', { attacks: Object.keys(attacks).length, refused, leaked: 0 });
  });

  it('keeps the data folder private: folders 0700, files 0600, old data narrowed at start', async () => {
    expect((await readdir(join(dataDir, 'db'))).some((name) => name.endsWith('.log'))).toBe(true);
    expect((await readdir(join(dataDir, 'outbox'))).some((name) => name.endsWith('.eml'))).toBe(true);
    const check = async () => {
      const entries = await modesUnder(dataDir);
      for (const entry of entries) expect(entry.mode.toString(8), entry.path).toBe(entry.dir ? '700' : '600');
      return entries;
    };
    const running = await check();
    // Stopping writes once more (channel history, the store's last log): still private.
    expect(await bot.stop('SIGTERM')).toBe(0);
    const stopped = await check();
    recordFigures('local-store.modes', {
      entriesWhileRunning: running.length,
      entriesAfterStop: stopped.length,
      notPrivate: 0,
    });
  });
});
