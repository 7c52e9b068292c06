import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../delivery/file.ts';
import { DeliveryError } from '../errors.ts';

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Stores summary files under a local folder (the local runtime's `.data/files`). Keys resolve inside the
 * root only: `..`, absolute keys and symlinks that lead out of the root are refused; writes are atomic.
 */
export class LocalFileStore implements FileStore {
  readonly #root: string;

  constructor(options: { root: string }) {
    this.#root = path.resolve(options.root);
  }

  /** Writes `body` to `<root>/<key>` (temporary file, then rename); the location is the absolute path. */
  async write(key: string, body: string, _contentType: string): Promise<{ location: string }> {
    const parts = key.split(/[\\/]/);
    if (
      key === '' ||
      key.includes('\0') ||
      path.isAbsolute(key) ||
      /^[A-Za-z]:/.test(key) ||
      parts.some((p) => p === '' || p === '.' || p === '..')
    ) {
      throw new DeliveryError(`refusing to write ${JSON.stringify(key)}: not a plain relative path`);
    }
    const { target, realParent } = await this.#prepare(key, parts).catch((error: unknown) => {
      if (error instanceof DeliveryError) throw error;
      // A folder of the key is an existing file (ENOTDIR, EEXIST) and the like: nothing was written.
      throw new DeliveryError(`writing ${key} failed: its folder cannot be created`, { cause: error });
    });
    const finalPath = path.join(realParent, path.basename(target));
    const temporary = path.join(realParent, `.${path.basename(target)}.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, body, { encoding: 'utf8', flag: 'wx' });
      // rename replaces the entry itself, even a symlink at the target, never the file it points to.
      await rename(temporary, finalPath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw new DeliveryError(`writing ${key} failed`, { cause: error, transient: false });
    }
    return { location: finalPath };
  }

  /**
   * Removes every file whose key (`/`-separated, relative to the root) `remove` accepts, and the folders
   * that leaves empty; returns how many files went. Symbolic links are neither followed nor removed.
   */
  async removeWhere(remove: (key: string) => boolean): Promise<number> {
    const walk = async (dir: string, prefix: string): Promise<number> => {
      let removed = 0;
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
        throw error;
      }
      for (const entry of entries) {
        const key = prefix ? `${prefix}/${entry.name}` : entry.name;
        const at = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          const inside = await walk(at, key);
          removed += inside;
          // Only a folder this emptied goes; ENOTEMPTY means something is still in it, which is fine.
          if (inside > 0) await rmdir(at).catch(() => undefined);
        } else if (entry.isFile() && remove(key)) {
          await rm(at, { force: true });
          removed += 1;
        }
      }
      return removed;
    };
    return walk(this.#root, '');
  }

  /** Creates the key's folder inside the root, never following a symlink out; returns where to write. */
  async #prepare(key: string, parts: string[]): Promise<{ target: string; realParent: string }> {
    await mkdir(this.#root, { recursive: true });
    const root = await realpath(this.#root);
    const target = path.join(root, ...parts);
    const parent = path.dirname(target);

    // Check the deepest existing ancestor before creating anything, so mkdir never follows a symlink out.
    let existing = parent;
    while (!(await exists(existing))) existing = path.dirname(existing);
    if (!isInside(root, await realpath(existing))) throw this.#escape(key);
    await mkdir(parent, { recursive: true });
    const realParent = await realpath(parent);
    if (!isInside(root, realParent)) throw this.#escape(key);
    return { target, realParent };
  }

  #escape(key: string): DeliveryError {
    return new DeliveryError(`refusing to write ${JSON.stringify(key)}: it leads outside the file store`);
  }
}
