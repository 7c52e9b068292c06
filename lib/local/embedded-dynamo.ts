import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../errors.ts';
import { type IndexRepairReport, repairIndexes } from './index-repair.ts';

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

interface LevelDatabase {
  open(): Promise<void>;
  close(): Promise<void>;
}

// dynalite is CommonJS without type declarations; these are the only parts of it we use.
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: DynaliteOptions) => Server;
// dynalite's own LevelDB binding, so the folder check below uses exactly the lock dynalite would take.
const { Level } = createRequire(require.resolve('dynalite'))('level') as {
  Level: new (path: string, options: { valueEncoding: 'json' }) => LevelDatabase;
};

/**
 * dynalite opens LevelDB lazily and, when the folder is locked by another process, leaves requests
 * hanging; opening it once here turns that into an immediate, explained failure. LevelDB's error code
 * (on the cause) tells a lock held elsewhere from damaged files, which need a different remedy.
 */
async function checkFolderIsFree(path: string): Promise<void> {
  const db = new Level(path, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.message ?? (error as Error).message;
    const message =
      cause?.code === 'LEVEL_LOCKED'
        ? `the embedded DynamoDB data in ${path} is in use by another process (npm start or a CLI command on the same DATA_DIR); stop that process or use another DATA_DIR`
        : cause?.code === 'LEVEL_CORRUPTION'
          ? `the embedded DynamoDB data in ${path} is damaged (${detail}); restore that folder from a backup, or move it away to start with an empty store`
          : `the embedded DynamoDB data in ${path} cannot be opened (${detail}); check that folder's files and permissions, or restore it from a backup`;
    throw new ConfigError(message, { cause: error });
  }
  await db.close();
}

/** The file in the LevelDB folder that says a process has it open (LevelDB leaves names it does not own alone). */
export const OPEN_MARKER = 'summary-bot-open.json';

export interface EmbeddedDynamoOptions {
  /** Folder for the LevelDB files; in memory when omitted. One process at a time (LevelDB locks it). */
  path?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the embedded store is never reachable from the network. */
  host?: string;
  /** The only SigV4 access key id the server answers; a fresh random one when omitted. */
  accessKeyId?: string;
}

export interface EmbeddedDynamo {
  /** `http://host:port`, for other processes (the CLI) to reach this server. */
  endpoint: string;
  /** The access key id a request must be signed with; other processes need it too (runtime.json holds it). */
  accessKeyId: string;
  /** A client pointed at the server, signing with `accessKeyId`. */
  client: DynamoDBClient;
  /** How many write requests (put, update, delete, batch write) the server has accepted so far. */
  writes(): number;
  /**
   * Set when the process that last had these files open did not close them (it was killed): the indexes
   * were then checked against the items and repaired (index-repair.ts), and this says what that found.
   */
  uncleanStop?: IndexRepairReport;
  /** Stops the client and the server and closes the database (flushing it to `path`). */
  close(): Promise<void>;
}

/** A DynamoDBClient for an embedded DynamoDB endpoint, signing with the access key id that server answers. */
export function createLocalDynamoClient(endpoint: string, accessKeyId: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    // The guard checks the access key id only (dynalite verifies no signature), so the secret adds nothing.
    credentials: { accessKeyId, secretAccessKey: accessKeyId },
  });
}

/** `Credential=<access key id>/<date>/<region>/<service>/aws4_request` in a SigV4 Authorization header. */
const CREDENTIAL = /\bCredential=([^/,\s]+)\//;

/**
 * Why a request may not reach dynalite, or undefined when it may. dynalite accepts any signature and
 * answers CORS (`Access-Control-Allow-Origin: *`, pre-flight included), so without this any local process
 * or any web page open in a browser on this machine could read the table (webhook URLs, signing secrets).
 * Browsers always send `Origin` on cross-origin requests and cannot omit it; SDK clients never send it.
 */
function refusal(request: IncomingMessage, accessKey: Buffer): string | undefined {
  if (request.headers.origin !== undefined) return 'requests from web pages are refused';
  const presented = CREDENTIAL.exec(request.headers.authorization ?? '')?.[1];
  if (presented === undefined) return 'a SigV4 Authorization header is required';
  const candidate = Buffer.from(presented);
  if (candidate.length !== accessKey.length || !timingSafeEqual(candidate, accessKey))
    return 'the access key id is not the one this server was started with';
  return undefined;
}

const WRITE_TARGETS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Puts the guard in front of dynalite's own request handler, so a refused request never reaches it, and
 * counts the accepted writes (`onWrite`).
 */
function guardRequests(server: Server, accessKeyId: string, onWrite: () => void): void {
  const accessKey = Buffer.from(accessKeyId);
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const reason = refusal(request, accessKey);
    if (reason === undefined) {
      const target = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      if (WRITE_TARGETS.has(target)) onWrite();
      for (const handler of handlers) handler.call(server, request, response);
      return;
    }
    // DynamoDB's own answer to an unknown key; no CORS header, so a browser reads nothing.
    request.resume();
    response.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', connection: 'close' });
    response.end(
      JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: reason }),
    );
  });
}

/** Starts dynalite in this process, listening on loopback; tables become ACTIVE immediately. */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  // Present while a process has the files open; found at the next open, it says that process was killed.
  const openMarker = options.path ? join(options.path, OPEN_MARKER) : undefined;
  let unclean = false;
  /** The marker goes at close only once the files are known consistent (a failed repair is tried again). */
  let consistent = true;
  if (options.path && openMarker) {
    await mkdir(options.path, { recursive: true });
    await checkFolderIsFree(options.path);
    unclean = existsSync(openMarker);
    consistent = !unclean;
    await writeFile(
      openMarker,
      `${JSON.stringify({ pid: process.pid, openedAt: new Date().toISOString() })}\n`,
      {
        mode: 0o600,
      },
    );
  }
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  // The bot's SDK clients keep their sockets open between calls, and Node closes one idle for 5 s by
  // default: a call written on a socket as the server closes it fails with ECONNRESET, which a stalled event
  // loop (a loaded machine) turned into "Sorry, something went wrong" for several commands at once. Idle
  // loopback sockets cost nothing; keep them longer than any pause between two calls.
  server.keepAliveTimeout = 10 * 60_000;
  const accessKeyId = options.accessKeyId ?? `local${randomBytes(18).toString('hex')}`;
  let writes = 0;
  guardRequests(server, accessKeyId, () => {
    writes += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const client = createLocalDynamoClient(endpoint, accessKeyId);

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      client.destroy();
      // Keep-alive sockets would hold server.close open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      // Only once dynalite closed LevelDB: a close that failed leaves the marker, and the next open checks.
      if (openMarker && consistent) await rm(openMarker, { force: true });
    })();
    return closed;
  };

  // One request end to end, so a server that cannot serve fails here rather than on first use.
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(10_000) });
  } catch (error) {
    // The probe failure is the one to report; a failure to close on top of it adds nothing.
    await close().catch(() => undefined);
    throw new Error(
      `the embedded DynamoDB server at ${endpoint} did not answer${options.path ? ` (data in ${options.path})` : ''}`,
      { cause: error },
    );
  }
  let uncleanStop: IndexRepairReport | undefined;
  if (unclean) {
    try {
      uncleanStop = await repairIndexes(client);
      consistent = true;
    } catch (error) {
      // The repair's failure is the one to report; a failure to close on top of it adds nothing.
      await close().catch(() => undefined);
      throw new Error(
        `the embedded DynamoDB data in ${options.path} could not be checked after an unclean stop`,
        {
          cause: error,
        },
      );
    }
  }
  return {
    endpoint,
    accessKeyId,
    client,
    writes: () => writes,
    close,
    ...(uncleanStop ? { uncleanStop } : {}),
  };
}
