/**
 * `summary-bot clock advance <duration>`: moves the running sandbox's clock so schedules fire without
 * waiting; `summary-bot clock now` prints it. The real bot's clock is the machine's: it is never moved.
 */
import { parseArgs } from 'node:util';
import { LocalEnv, parseEnv } from '../../lib/config.ts';
import { ConfigError, ValidationError } from '../../lib/errors.ts';
import { parseDuration } from '../../lib/local/clock.ts';
import {
  advanceClock,
  type BotInfo,
  ControlError,
  callControl,
  findRunningBot,
} from '../../lib/local/control-client.ts';
import type { AdvanceProgress } from '../../lib/local/sandbox/clock-advance.ts';
import { plural } from '../../lib/shared/words.ts';

const USAGE = `usage: summary-bot clock advance <duration> [--json]     e.g. 1d, 2h30m, 1w
       summary-bot clock now [--json]

Sandbox only (\`npm start\` without Discord credentials). Advancing fires every schedule due on the way,
in order, and returns when those runs are done; a long advance shows how far it got as it goes.
Exit status: 0 ok, 1 failure, 2 bad input.
`;

/** Entry point of the `clock` command group; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  let values: { json: boolean; help: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: {
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`clock: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    if (command === 'advance') {
      if (rest.length !== 1) throw new ValidationError('duration', 'expected one duration such as 1d');
      const by = rest[0] as string;
      parseDuration(by);
      const bot = await findRunningBot(parseEnv(LocalEnv.pick({ DATA_DIR: true })).DATA_DIR);
      const info = await callControl<BotInfo>(bot, 'GET', 'info');
      if (!info.sandbox) throw new ConfigError(notSandbox);
      const progress = values.json
        ? undefined
        : progressPrinter((line) => process.stderr.write(line), Date.now);
      const result = await advanceClock(bot, by, progress);
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ from: result.from, now: result.now, fired: result.fired })}\n`
          : `Sandbox time moved from ${result.from} to ${result.now}; ${plural(result.fired, 'scheduled run')} fired.\n`,
      );
      return 0;
    }
    if (command === 'now' && rest.length === 0) {
      const bot = await findRunningBot(parseEnv(LocalEnv.pick({ DATA_DIR: true })).DATA_DIR);
      const info = await callControl<BotInfo>(bot, 'GET', 'info');
      process.stdout.write(
        values.json
          ? `${JSON.stringify({ now: info.now, sandbox: info.sandbox })}\n`
          : `${info.now}${info.sandbox ? ' (sandbox time)' : ''}\n`,
      );
      return 0;
    }
    process.stderr.write(`clock: unknown command '${positionals.join(' ')}'\n\n${USAGE}`);
    return 2;
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`clock: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof ControlError) {
      process.stderr.write(`clock: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

const notSandbox =
  'the running bot is the real one (Discord credentials are set): its clock is the machine clock and cannot be moved';

/**
 * Progress of a long advance, for stderr: once a second after the first second, the sandbox time reached,
 * how far that is and the runs fired so far. A short advance prints nothing but its result.
 */
export function progressPrinter(
  write: (line: string) => void,
  now: () => number,
): (progress: AdvanceProgress) => void {
  let lastPrinted = now();
  return (progress) => {
    const at = now();
    if (at - lastPrinted < 1_000) return;
    lastPrinted = at;
    const span = Date.parse(progress.to) - Date.parse(progress.from);
    const done = span > 0 ? (Date.parse(progress.now) - Date.parse(progress.from)) / span : 1;
    write(
      `  … sandbox time ${progress.now.slice(0, 16).replace('T', ' ')} UTC (${Math.floor(done * 100)} %), ${plural(progress.fired, 'run')} fired so far\n`,
    );
  };
}
