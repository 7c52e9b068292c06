import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as z from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * The local runtime's JSON state (runtime.json, sandbox.json, the sandbox's channel history, the store's
 * task count), written and read one way. A write lands whole or not at all, so a crash (kill -9, power
 * loss) mid-write leaves the previous content; a file that cannot be read is named with what is wrong and
 * what to do, never read as empty.
 */

/**
 * Writes `data` as JSON to `path` atomically: a temporary file beside it (0600), flushed to disk, renamed
 * over the target, and the folder flushed so the rename itself survives a power loss. `compact` for large
 * files nobody reads by hand.
 */
export async function writeStateFile(
  path: string,
  data: unknown,
  options: { compact?: boolean } = {},
): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const file = await open(temporary, 'wx', 0o600);
    try {
      await file.writeFile(`${JSON.stringify(data, null, options.compact ? undefined : 2)}\n`, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  await syncFolder(dirname(path));
}

async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Reads the JSON state file at `path` against `schema`: undefined when there is none; otherwise a
 * ConfigError of one line naming the file, what is wrong with it, and `remedy` (what to do).
 */
export async function readStateFile<S extends z.ZodType>(
  path: string,
  schema: S,
  remedy: string,
): Promise<z.infer<S> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`${path} cannot be read (${(error as Error).message}); ${remedy}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const what = text.trim() === '' ? 'is empty' : `is not valid JSON (${(error as Error).message})`;
    throw new ConfigError(`${path} ${what}; ${remedy}`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.');
    throw new ConfigError(
      `${path}: ${field ? `${field}: ` : ''}${issue?.message ?? 'unexpected content'}; ${remedy}`,
    );
  }
  return parsed.data;
}
