import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The shell commands of the README's `## Quick start` after `npm ci && npm start`, in order, as argv. */
export async function quickStartCommands(): Promise<string[][]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = /## Quick start\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return (blocks[1] ?? '')
    .split('\n')
    .filter((line) => line.startsWith('npx summary-bot '))
    .map((line) =>
      [...line.slice('npx summary-bot '.length).matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? ''),
    );
}
