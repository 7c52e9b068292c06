import { chmod, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

/**
 * The local data folder holds webhook URLs, signing secrets, the sandbox's signing key and the embedded
 * store's LevelDB files in clear: only its owner may read any of it.
 */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Makes every file this process creates from now on private (umask 077). LevelDB creates its files with
 * the default mode, which only the umask narrows; the processes that write the data folder (`npm start`,
 * the CLI on local data) call this first. Worker threads cannot change the umask and keep the process's.
 */
export function createPrivateFilesFromNowOn(): void {
  if (isMainThread) process.umask(0o077);
}

/**
 * Creates `dir` as a private folder (0700) and narrows anything already in it to 0700 for folders and
 * 0600 for files: data written by an older version, or under another umask, is private from this start on.
 * Symbolic links are left alone (chmod would change what they point to).
 */
export async function preparePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await narrow(dir);
  // What a writer killed mid-write left (state-files.ts): never read, so removed.
  for (const name of await readdir(dir)) {
    if (STALE_TEMPORARY.test(name)) await rm(join(dir, name), { force: true });
  }
}

/** `.<file>.<12 hex>.tmp`, the temporary name writeStateFile renames from. */
const STALE_TEMPORARY = /^\..+\.[0-9a-f]{12}\.tmp$/;

async function narrow(dir: string): Promise<void> {
  await chmod(dir, PRIVATE_DIR_MODE);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await narrow(path);
    else if (entry.isFile() && ((await lstat(path)).mode & 0o077) !== 0) await chmod(path, PRIVATE_FILE_MODE);
  }
}
