import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));

describe('npm ci on a fresh clone', () => {
  it("approves exactly the packages with install scripts, so npm 11 prints no 'not yet covered by allowScripts'", () => {
    const lock = read('package-lock.json') as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ''))
      .sort();
    const approved = read('package.json').allowScripts as Record<string, boolean>;
    expect(withScripts).toContain('esbuild');
    expect(Object.keys(approved).sort()).toEqual(withScripts);
    expect(Object.values(approved).every((allowed) => allowed === true)).toBe(true);
  });
});
