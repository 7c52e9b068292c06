import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/ARCHITECTURE.md, bottom first. A file may import its own layer and the layers below;
 * an import that runs up a layer, or any import circle, fails here with the offending files named.
 * A new folder must be given a layer here (and in the doc) before its files can import anything.
 */
const LAYERS: readonly (readonly string[])[] = [
  // Primitives every layer uses: errors, config, clock, snowflakes, logging and metrics.
  ['lib/shared/', 'lib/errors.ts', 'lib/config.ts', 'lib/observability/'],
  // The task model: tasks, schedule specs, expressions, next runs, schedules in words.
  ['lib/tasks/'],
  // Services on the model: the scheduler (and its store and gateway ports), the summarizers.
  ['lib/scheduling/', 'lib/summarization/'],
  ['lib/delivery/'],
  ['lib/execution/'],
  // The Discord side: commands, router, interaction handler, REST adapter.
  ['lib/discord/'],
  // The DynamoDB adapter both runtimes share; it may not reach into either runtime.
  ['lib/dynamo/'],
  // Adapters and composition of the two runtimes, and `doctor`, which checks either of them.
  ['lib/aws/', 'lib/local/', 'lib/doctor/'],
  // Entry points: Lambda handlers and the CLI.
  ['functions/', 'bin/'],
];

/** The CDK app stands apart: it may read only these constants from lib/. */
const CDK_MAY_IMPORT = new Set([
  'lib/dynamo/task-table.ts',
  'lib/observability/metric-names.ts',
  'lib/shared/bedrock-model.ts',
  'lib/shared/subscriber-limits.ts',
  'lib/shared/summarizer-env.ts',
]);

const root = normalize(join(dirname(new URL(import.meta.url).pathname), '../..'));

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, type-only, re-export or dynamic) of every source file. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of ['lib', 'functions', 'bin', 'cdk'].flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    graph.set(
      file,
      importedFiles
        .map((i) => i.fileName)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(root, join(root, dirname(file), spec))),
    );
  }
  return graph;
}

function layerOf(file: string): number {
  return LAYERS.findIndex((layer) => layer.some((entry) => file === entry || file.startsWith(entry)));
}

/** Strongly connected components with more than one file (Tarjan), plus files importing themselves. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('the module structure', () => {
  const graph = importGraph();

  it('has no import circle', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('gives every file under lib/, functions/ and bin/ a layer', () => {
    const unplaced = [...graph.keys()].filter((f) => !f.startsWith('cdk/') && layerOf(f) < 0);
    expect(unplaced).toEqual([]);
  });

  it('has no import that runs up a layer', () => {
    const upward: string[] = [];
    for (const [file, imports] of graph) {
      if (file.startsWith('cdk/')) continue;
      for (const target of imports) {
        if (layerOf(target) > layerOf(file)) upward.push(`${file} -> ${target}`);
        if (target.startsWith('cdk/') || target.startsWith('tests/') || target.startsWith('bench/'))
          upward.push(`${file} -> ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the CDK app to aws-cdk-lib and the shared constants', () => {
    const reaching = [...graph]
      .filter(([file]) => file.startsWith('cdk/'))
      .flatMap(([file, imports]) => imports.filter((t) => !t.startsWith('cdk/')).map((t) => [file, t]))
      .filter(([, target]) => !CDK_MAY_IMPORT.has(target ?? ''))
      .map(([file, target]) => `${file} -> ${target}`);
    expect(reaching).toEqual([]);
  });

  it('finds the imports it checks', () => {
    // Guards the check itself: a parser that saw nothing would pass every rule above.
    expect(graph.get('lib/discord/router.ts')).toContain('lib/discord/commands/index.ts');
    expect(layerOf('lib/discord/router.ts')).toBeGreaterThan(layerOf('lib/tasks/task.ts'));
  });
});

/** Every folder below `dir`, as paths relative to it. */
function foldersUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(root, dir, prefix), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      return [path, ...foldersUnder(dir, path)];
    });
}

describe('the test layout', () => {
  it('mirrors the code: every folder of tests/unit and tests/integration names a folder of lib/ (or bin/, functions/, bench/)', () => {
    const stray = ['tests/unit', 'tests/integration'].flatMap((suite) =>
      foldersUnder(suite)
        .filter(
          (folder) =>
            !['lib/', 'bin/', 'functions/', 'bench/'].some((base) => {
              const [top] = folder.split('/');
              return base === `${top}/`
                ? existsSync(join(root, folder))
                : existsSync(join(root, base, folder));
            }),
        )
        .map((folder) => `${suite}/${folder}`),
    );
    expect(stray).toEqual([]);
  });
});

describe('the unit tests', () => {
  // They share each worker's modules (vitest.config.ts: isolate: false), so a file that mocks an SDK client
  // or stubs the environment must undo it, or the next file in that worker talks to the mock: CI failed
  // this way once, a store call answered with nothing after the Function URL test's DynamoDB mock.
  it('undo every SDK client mock and environment stub they make', () => {
    const leaks = sourceFiles('tests/unit').flatMap((file) => {
      const text = readFileSync(join(root, file), 'utf8');
      const mocked = [...text.matchAll(/const (\w+) = mockClient\(/g)].map((m) => m[1]);
      const missing = mocked.filter((name) => !text.includes(`${name}.restore()`));
      if (text.includes('vi.stubEnv(') && !text.includes('vi.unstubAllEnvs()')) missing.push('vi.stubEnv');
      return missing.map((what) => `${file}: ${what}`);
    });
    expect(leaks).toEqual([]);
  });
});
