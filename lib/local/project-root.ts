import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

/** The name in this project's package.json: how a folder is recognised as the checkout. */
const PACKAGE_NAME = 'summary-bot-ng';

/** The checkout's root and version, as found from a folder inside it. */
export interface ProjectRoot {
  dir: string;
  version: string;
}

/**
 * The checkout `from` is in, found as git finds a repository: the nearest folder at or above `from` whose
 * package.json is this project's. Undefined outside any checkout.
 */
export function findProjectRoot(from: string): ProjectRoot | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = readManifest(manifest);
      if (parsed?.name === PACKAGE_NAME) return { dir, version: parsed.version ?? '0.0.0' };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function readManifest(path: string): { name?: string; version?: string } | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
  } catch {
    // Another project's unreadable package.json is not ours; keep looking further up.
    return undefined;
  }
}

/**
 * Makes the CLI behave the same from any folder of the checkout: the root's `.env` is read (variables
 * already set win) and a relative DATA_DIR (default `.data`) is taken from the root, where `npm start`
 * keeps it. Returns the environment to use.
 */
export function projectEnvironment(root: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...env };
  const dotEnv = join(root, '.env');
  if (existsSync(dotEnv)) {
    // Node's own .env syntax (as process.loadEnvFile reads it), without touching process.env.
    const parsed = parseEnv(readFileSync(dotEnv, 'utf8'));
    for (const [key, value] of Object.entries(parsed)) merged[key] ??= value;
  }
  merged.DATA_DIR = resolve(root, merged.DATA_DIR || '.data');
  return merged;
}
