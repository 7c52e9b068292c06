import { readFile } from 'node:fs/promises';
import { ConfigError, LimitError, NotFoundError, ValidationError } from '../../lib/errors.ts';

/** What the CLI's command groups share: bad input and exit statuses, reading JSON, printing tables and JSON. */

/** Bad command-line input: exit status 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The option's value read by `schema`; a bad one is a UsageError naming the option. */
export function parseOption<T>(
  name: string,
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
  },
  value: string,
): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new UsageError(`${name}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

/** JSON from a file, or from stdin for `-`; an unreadable file or bad JSON is a UsageError. */
export async function readJson(path: string): Promise<unknown> {
  const text =
    path === '-'
      ? await readStdin()
      : await readFile(path, 'utf8').catch((error: unknown) => {
          throw new UsageError(`${path}: ${(error as Error).message}`);
        });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: expected JSON (${(error as Error).message})`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A plain aligned table; `header` false prints the rows only (key/value lists). */
export function table(headers: string[], rows: string[][], header = true): string {
  const all = header ? [headers, ...rows] : rows;
  const widths = headers.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** One line on stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A value as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Maps an error to a message on stderr and the exit status (2 for bad input, 1 otherwise). */
export function reportError(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof ValidationError ||
    error instanceof ConfigError ||
    error instanceof LimitError
  ) {
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof NotFoundError) {
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`error: ${message}\n`);
  if (process.env.DEBUG && error instanceof Error && error.cause)
    process.stderr.write(`cause: ${String(error.cause)}\n`);
  return 1;
}
