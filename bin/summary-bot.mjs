#!/usr/bin/env node
// `npx summary-bot …`: runs the CLI's build (made by `npm ci`), rebuilding it first when a source file
// changed since, so the CLI always matches the checkout. See bin/build-cli.mjs.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CURRENT, OUT_DIR, ROOT } from './build-cli.mjs';

/** The current build's folder when no file it was built from changed since (~150 stat calls, ~1 ms). */
function currentBuild() {
  try {
    const { dir, builtAtMs, inputs } = JSON.parse(readFileSync(CURRENT, 'utf8'));
    const fresh = inputs.every((path) => statSync(join(ROOT, path)).mtimeMs < builtAtMs);
    return fresh ? join(OUT_DIR, dir) : undefined;
  } catch {
    // No build yet, or a source file moved or deleted: build again.
    return undefined;
  }
}

let dir = currentBuild();
if (!dir) {
  if (process.stderr.isTTY) process.stderr.write('summary-bot: building the CLI (the sources changed)…\n');
  const { buildCli } = await import('./build-cli.mjs');
  ({ dir } = await buildCli());
}
await import(pathToFileURL(join(dir, 'summary-bot.mjs')).href);
