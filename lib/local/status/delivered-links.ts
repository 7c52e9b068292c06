import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';

/** An outbox with more files than this is not searched for an e-mail's file (the link is simply left out). */
const MAX_OUTBOX_ENTRIES = 10_000;
const DISCORD_JUMP_LINK =
  /^https:\/\/(?:ptb\.|canary\.)?discord\.com\/channels\/\d{17,20}\/\d{17,20}\/\d{17,20}$/;
const OUTBOX_FILE = /-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.eml$/;

/** Where a delivered summary can be looked at: a Discord jump link, a local file or an .eml in the outbox. */
export type DeliveredLink =
  | { kind: 'discord'; href: string }
  | { kind: 'file'; path: string }
  | { kind: 'outbox'; name: string };

/**
 * Turns a delivery receipt into something to open: Discord jump links as they are, local file paths under
 * the files root into `/delivered/files/...`, `email:<id>` into the outbox file named after that id.
 */
export class LinkResolver {
  private constructor(
    private readonly filesRoots: string[],
    private readonly outbox: Map<string, string>,
  ) {}

  /** A resolver for receipts under `filesRoot` and e-mails in `outboxRoot` (either may be absent). */
  static async create(filesRoot?: string, outboxRoot?: string): Promise<LinkResolver> {
    // The file store reports real paths; the configured root may be a symlinked path to the same folder.
    const roots = filesRoot ? [path.resolve(filesRoot), await realpathOrUndefined(filesRoot)] : [];
    return new LinkResolver(
      [...new Set(roots.filter((r): r is string => r !== undefined))],
      outboxRoot ? await outboxIndex(outboxRoot) : new Map(),
    );
  }

  /** The link a receipt's location makes, or undefined when nothing on this machine can be opened. */
  resolve(location: string): DeliveredLink | undefined {
    if (DISCORD_JUMP_LINK.test(location)) return { kind: 'discord', href: location };
    if (location.startsWith('email:')) {
      const name = this.outbox.get(location.slice('email:'.length));
      return name ? { kind: 'outbox', name } : undefined;
    }
    if (path.isAbsolute(location)) {
      for (const root of this.filesRoots) {
        const relative = path.relative(root, location);
        if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) {
          return { kind: 'file', path: relative.split(path.sep).join('/') };
        }
      }
    }
    return undefined;
  }
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await realpath(p);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Outbox files are `<time>-<uuid>.eml`; the receipt carries the uuid. */
async function outboxIndex(dir: string): Promise<Map<string, string>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const index = new Map<string, string>();
  for (const name of names.slice(0, MAX_OUTBOX_ENTRIES)) {
    const id = OUTBOX_FILE.exec(name)?.[1];
    if (id) index.set(id, name);
  }
  return index;
}
