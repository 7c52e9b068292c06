/**
 * `summary-bot expr …`: check an EventBridge Scheduler expression, or list when it would run.
 * Pure computation: no AWS, no local data.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ValidationError } from '../../lib/errors.ts';
import { validateExpression } from '../../lib/tasks/describe.ts';
import { assertTimeZone, MAX_COUNT, nextRuns } from '../../lib/tasks/next-runs.ts';

const DEFAULT_COUNT = 5;

const USAGE = `usage: summary-bot expr <command> [options]

  validate '<expression>'                    print the expression in words
  next '<expression>' --tz <zone> [--from <ISO instant>] [--count N]
                                             the next N runs (default ${DEFAULT_COUNT}) strictly after --from
                                             (default now), in UTC, as EventBridge Scheduler runs them in <zone>

Expressions: at(yyyy-mm-ddThh:mm:ss), rate(5 minutes), cron(30 9 ? * MON-FRI *).
Exit status: 0 ok, 2 bad input.
`;

const OPTIONS = {
  tz: { type: 'string' },
  from: { type: 'string' },
  count: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** An instant with a date, a time and an explicit zone: 2026-03-09T09:30:00Z or ...+01:00. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Entry point of the `expr` command group; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, expression, ...extra] = positionals;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (!command) return usageError('missing command');
  if (command !== 'validate' && command !== 'next') return usageError(`unknown command '${command}'`);
  if (expression === undefined) return usageError('missing the expression (quote it)');
  if (extra.length > 0) {
    return usageError(`unexpected argument '${extra[0]}' (quote the whole expression as one argument)`);
  }

  const checked = validateExpression(expression);
  if (!checked.ok) return fail(`invalid expression: ${checked.error.field}: ${checked.error.expected}`);
  if (command === 'validate') {
    if (values.tz !== undefined || values.from !== undefined || values.count !== undefined) {
      return usageError('validate takes no options');
    }
    process.stdout.write(`${checked.description}\n`);
    return 0;
  }

  if (values.tz === undefined) return fail('--tz: expected an IANA time zone such as Europe/Berlin');
  try {
    assertTimeZone(values.tz);
  } catch (error) {
    if (error instanceof ValidationError) return fail(`--tz: ${error.expected}`);
    throw error;
  }
  let from = new Date();
  if (values.from !== undefined) {
    from = new Date(values.from);
    if (!ISO_INSTANT.test(values.from) || Number.isNaN(from.getTime())) {
      return fail(
        `--from: expected an ISO 8601 instant with a zone, such as 2026-03-09T09:30:00Z; got '${values.from}'`,
      );
    }
  }
  let count = DEFAULT_COUNT;
  if (values.count !== undefined) {
    count = /^\d{1,5}$/.test(values.count) ? Number(values.count) : Number.NaN;
    if (!(count >= 1 && count <= MAX_COUNT)) {
      return fail(`--count: expected a whole number from 1 to ${MAX_COUNT}; got '${values.count}'`);
    }
  }
  const runs = nextRuns(expression, values.tz, from, count);
  process.stdout.write(runs.map((run) => `${formatInstant(run)}\n`).join(''));
  return 0;
}

/** ISO 8601 in UTC without milliseconds: 2026-03-09T09:30:00Z. */
export function formatInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function fail(message: string): number {
  process.stderr.write(`expr: ${message}\n`);
  return 2;
}

function usageError(message: string): number {
  process.stderr.write(`expr: ${message}\n\n${USAGE}`);
  return 2;
}
