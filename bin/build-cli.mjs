// Builds the `summary-bot` CLI with esbuild, so a command starts without compiling TypeScript (tsx took
// 1.7–2.7 s per call). Run by `npm ci`/`npm install` (the `prepare` script) and by bin/summary-bot.mjs when
// the build is missing or older than a file it was built from. Plain JavaScript on purpose: it must run
// before anything is compiled.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout this file belongs to. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds live here (under node_modules, so every `npm ci` starts afresh). */
export const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'summary-bot-cli');

/** `{ dir, builtAtMs, inputs }`: the current build, and the project files it was built from. */
export const CURRENT = join(OUT_DIR, 'current.json');

/** A build another process may still be running from is kept this long after it was replaced. */
const KEEP_OLD_BUILDS_MS = 10 * 60_000;

/**
 * Bundles bin/summary-bot.ts (and lib/local/main.ts as start.mjs) with every dependency but dynalite (its LevelDB binding is a native addon
 * found at run time), split into chunks so `--help` loads only the command list and each command only what
 * it uses. Each build gets a folder of its own and becomes current by an atomic rename of current.json: a
 * process starting meanwhile runs either the old build or the new one, and two builds at once are harmless.
 */
export async function buildCli() {
  const { build } = await import('esbuild');
  mkdirSync(OUT_DIR, { recursive: true });
  const builtAtMs = Date.now();
  const name = `build-${builtAtMs}-${process.pid}`;
  const dir = join(OUT_DIR, name);
  try {
    const result = await build({
      // `start` is `npm start`'s entry (lib/local/main.ts), built alongside so the tests that start the bot
      // as a process run it without tsx compiling it on every start (~3 s of CPU each); it shares the CLI's
      // chunks. `npm start` itself still runs the sources through tsx.
      entryPoints: {
        'summary-bot': join(ROOT, 'bin', 'summary-bot.ts'),
        start: join(ROOT, 'lib', 'local', 'main.ts'),
      },
      outdir: dir,
      bundle: true,
      splitting: true,
      platform: 'node',
      target: 'node22',
      format: 'esm',
      outExtension: { '.js': '.mjs' },
      external: ['dynalite'],
      // CommonJS dependencies inside an ES module still call require() for Node's built-ins.
      banner: {
        js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);",
      },
      metafile: true,
      logLevel: 'error',
      legalComments: 'none',
    });
    // The project's own files only: a change of dependencies goes through `npm ci`, which rebuilds.
    const inputs = Object.keys(result.metafile.inputs)
      .filter((path) => !path.split(/[\\/]/).includes('node_modules'))
      .map((path) => relative(ROOT, resolve(process.cwd(), path)));
    // And the recipe itself: a build made by an older recipe (say, without an entry point) is rebuilt.
    inputs.push('package-lock.json', 'bin/build-cli.mjs');
    const pending = `${CURRENT}.${process.pid}.tmp`;
    writeFileSync(pending, `${JSON.stringify({ dir: name, builtAtMs, inputs })}\n`);
    renameSync(pending, CURRENT);
    removeOldBuilds(name);
    return { dir, inputs: inputs.length };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

function removeOldBuilds(current) {
  for (const entry of readdirSync(OUT_DIR)) {
    if (!entry.startsWith('build-') || entry === current) continue;
    const path = join(OUT_DIR, entry);
    if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILDS_MS)
      rmSync(path, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { dir, inputs } = await buildCli();
    process.stdout.write(`summary-bot CLI built from ${inputs} files into ${relative(ROOT, dir)}\n`);
  } catch (error) {
    process.stderr.write(
      `summary-bot CLI: build failed: ${error instanceof Error ? error.message : error}\n`,
    );
    process.exitCode = 1;
  }
}
