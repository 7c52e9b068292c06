/**
 * Figure 1, cold start: each Lambda function bundled as CDK's NodejsFunction bundles it (esbuild, platform
 * node, target node24, CommonJS, minified, names kept, source map beside it, every dependency including the AWS SDK clients inside), its
 * size, what dominates it (esbuild's metafile, by package), and the time to load the bundle in a fresh
 * Node process (median of several). Run standalone: `node --import tsx bench/cold-start.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import type { Figure } from './lib/report.ts';
import { median } from './lib/stats.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Environment the functions parse at module scope (lib/config.ts AwsEnv), with dummy but valid values. */
export const LAMBDA_ENV: Record<string, string> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  STAGE: 'bench',
  TASK_TABLE_NAME: 'summary-bot-tasks',
  SCHEDULE_GROUP_NAME: 'summary-bot-bench',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
  EXECUTOR_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:executor',
  DEAD_LETTER_QUEUE_ARN: 'arn:aws:sqs:eu-west-1:123456789012:dead-letters',
  DISCORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:discord',
  INTERACTION_WORKER_FUNCTION_ARN: 'arn:aws:lambda:eu-west-1:123456789012:function:interaction-worker',
};

/** The package (or repository folder) an esbuild input path belongs to. */
export function packageOf(inputPath: string): string {
  const match = inputPath.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (match) return (match[match.length - 1] as string).replace('node_modules/', '');
  const parts = inputPath.split('/');
  return parts.length > 1 ? `${parts[0]}/` : inputPath;
}

/** Bytes in the output per package, largest first. */
export function bytesByPackage(metafile: Metafile): Array<[string, number]> {
  const totals = new Map<string, number>();
  for (const [name, output] of Object.entries(metafile.outputs)) {
    if (name.endsWith('.map')) continue;
    for (const [path, input] of Object.entries(output.inputs)) {
      const key = packageOf(path);
      totals.set(key, (totals.get(key) ?? 0) + input.bytesInOutput);
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

export interface BundleResult {
  name: string;
  file: string;
  bytes: number;
  top: Array<[string, number]>;
}

/** Bundles one entry point as CDK would. */
export async function bundleFunction(entry: string, outDir: string): Promise<BundleResult> {
  const name = basename(entry, '.ts');
  const file = join(outDir, `${name}.cjs`);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    // The options of cdk/constructs/bot-functions.ts (NodejsFunction bundling), SDK included.
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
  });
  // The code Lambda loads; the source map beside it is read only when an error's stack is mapped.
  const bytes = result.metafile.outputs[relative(process.cwd(), file)]?.bytes ?? statSync(file).size;
  return { name, file, bytes, top: bytesByPackage(result.metafile) };
}

/** Milliseconds to `require` the bundle, measured inside a fresh Node process (Node's own start excluded). */
export function importTimeMs(file: string): number {
  const script = `const t=performance.now();require(${JSON.stringify(file)});process.stdout.write(String(performance.now()-t))`;
  const child = spawnSync(process.execPath, ['-e', script], {
    env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV },
    encoding: 'utf8',
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`loading ${file} failed (exit ${child.status}): ${child.stderr.slice(0, 2000)}`);
  }
  return ms;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** Figure 1 for every function in functions/. */
export async function benchColdStart(options: { runs?: number } = {}): Promise<{
  figures: Figure[];
  notes: string[];
}> {
  const runs = options.runs ?? 7;
  const outDir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  const figures: Figure[] = [];
  const notes: string[] = [];
  try {
    const entries = readdirSync(join(repoRoot, 'functions'))
      .filter((f) => f.endsWith('.ts'))
      .sort((a, b) => (a === 'interactions.ts' ? -1 : b === 'interactions.ts' ? 1 : a.localeCompare(b)));
    for (const entry of entries) {
      const bundle = await bundleFunction(join(repoRoot, 'functions', entry), outDir);
      importTimeMs(bundle.file); // first load warms the OS file cache, as a Lambda's image is local
      const times = Array.from({ length: runs }, () => importTimeMs(bundle.file));
      const budgeted = bundle.name === 'interactions';
      figures.push(
        {
          id: `1.${bundle.name}.bundle`,
          group: 1,
          label: `${bundle.name} bundle (minified, SDK inside)`,
          value: bundle.bytes / 1_000_000,
          unit: 'MB',
          ...(budgeted ? { budget: { limit: 1, direction: 'max' as const } } : {}),
        },
        {
          id: `1.${bundle.name}.import`,
          group: 1,
          label: `${bundle.name} import, fresh process (median of ${runs})`,
          value: median(times),
          unit: 'ms',
          ...(budgeted ? { budget: { limit: 150, direction: 'max' as const } } : {}),
        },
      );
      notes.push(
        `${bundle.name}: ${kb(bundle.bytes)}; largest: ${bundle.top
          .slice(0, 6)
          .map(([pkg, bytes]) => `${pkg} ${kb(bytes)}`)
          .join(', ')}`,
      );
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return { figures, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { figures, notes } = await benchColdStart();
  for (const f of figures) console.log(`${f.label.padEnd(56)} ${f.value.toFixed(2)} ${f.unit}`);
  for (const n of notes) console.log(n);
}
