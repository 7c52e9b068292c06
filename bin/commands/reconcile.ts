/**
 * `summary-bot reconcile [--json]`: compares the task table with the schedule group and repairs drift
 * (recreates missing schedules, deletes orphans, fixes states, removes abandoned pending tasks).
 */
import { parseArgs } from 'node:util';
import type { CliContext } from '../../lib/local/cli-context.ts';
import { reportError, table } from './cli-io.ts';

const USAGE = `usage: summary-bot reconcile [--json]

  Compares the task table with the schedules and repairs drift both ways: recreates missing schedules,
  deletes orphan schedules, fixes states, removes tasks left pending by a failed create. Works on the
  local data (or the running \`npm start\`), or on AWS when TASK_TABLE_NAME is set.
  --json   print the report as JSON
Exit status: 0 ok (nothing to repair, or all repaired), 1 a repair failed, 2 bad input.
`;

/** Entry point of the `reconcile` command; returns the exit status (1 when a repair failed). */
export async function run(args: string[]): Promise<number> {
  let json: boolean;
  try {
    const { values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    json = values.json;
  } catch (error) {
    process.stderr.write(`reconcile: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  let context: CliContext | undefined;
  try {
    // Loaded once the arguments are good: `--help` must not wait for the AWS SDK to load.
    const { openCliContext } = await import('../../lib/local/cli-context.ts');
    context = await openCliContext();
    const report = await context.scheduler.reconcile();
    if (json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const rows = [
        ['recreated', report.recreated],
        ['deleted orphans', report.deletedOrphans],
        ['state fixed', report.stateFixed],
        ['removed pending', report.removedPending],
      ] as const;
      process.stdout.write(`Reconciled ${context.where}\n`);
      process.stdout.write(
        `${table(
          ['REPAIR', 'COUNT', 'NAMES'],
          rows.map(([label, names]) => [label, String(names.length), names.join(' ')]),
        )}\n`,
      );
      for (const failure of report.errors)
        process.stderr.write(`failed: ${failure.name}: ${failure.error}\n`);
    }
    return report.errors.length > 0 ? 1 : 0;
  } catch (error) {
    return reportError(error);
  } finally {
    await context?.close();
  }
}
