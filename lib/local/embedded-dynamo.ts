import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

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
 * hanging; opening it once here turns that into an immediate, explained failure.
 */
async function checkFolderIsFree(path: string): Promise<void> {
  const db = new Level(path, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (error) {
    throw new Error(
      `the embedded DynamoDB data in ${path} is in use by another process (or unreadable); stop that process or use another folder`,
      { cause: error },
    );
  }
  await db.close();
}

export interface EmbeddedDynamoOptions {
  /** Folder for the LevelDB files; in memory when omitted. One process at a time (LevelDB locks it). */
  path?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default: the embedded store is never reachable from the network. */
  host?: string;
}

export interface EmbeddedDynamo {
  /** `http://host:port`, for other processes (the CLI) to reach this server. */
  endpoint: string;
  /** A client pointed at the server, with dummy credentials. */
  client: DynamoDBClient;
  /** Stops the client and the server and closes the database (flushing it to `path`). */
  close(): Promise<void>;
}

/** A DynamoDBClient for an embedded (or any local) DynamoDB-protocol endpoint. */
export function createLocalDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    // The server ignores signatures, but the SDK insists on a region and credentials to sign with.
    region: 'us-east-1',
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  });
}

/** Starts dynalite in this process, listening on loopback; tables become ACTIVE immediately. */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1';
  if (options.path) {
    await mkdir(options.path, { recursive: true });
    await checkFolderIsFree(options.path);
  }
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
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
  const client = createLocalDynamoClient(endpoint);

  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= (async () => {
      client.destroy();
      // Keep-alive sockets would hold server.close open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
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
  return { endpoint, client, close };
}
