/**
 * `npm start`: the whole bot on this machine. With DISCORD_APPLICATION_ID, DISCORD_PUBLIC_KEY and
 * DISCORD_BOT_TOKEN (environment or `.env`) it is the real bot; without them, the sandbox.
 *
 *   npm start [-- --advance 2d]     (--advance: sandbox only, start as if the machine had been off that long)
 */

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.ts';
import { plural } from '../shared/words.ts';
import { createPrivateFilesFromNowOn } from './private-data.ts';
import type { LocalRuntime } from './runtime.ts';

const USAGE = 'usage: npm start [-- --advance <duration>]\n';

function banner(runtime: LocalRuntime, startedInMs: number): string {
  const lines = [
    '',
    `Summary Bot NG${runtime.sandbox ? ' sandbox' : ''} ready in ${(startedInMs / 1000).toFixed(1)} s`,
    `  interactions   ${runtime.url}/interactions`,
    `  status page    ${runtime.url}/`,
    `  data           ${runtime.dataDir}`,
  ];
  if (runtime.sandbox && runtime.standIn) {
    lines.push(
      `  Discord        a stand-in at ${runtime.standIn.apiUrl} with the sample server "Lantern Community"`,
      '                 (#general #dev #random #digest; set DISCORD_* in .env for the real Discord)',
      `  clock          ${runtime.clock.now().toISOString()} (sandbox time; move it with clock advance)`,
      '',
      'Try, in another terminal:',
      "  npx summary-bot discord '/schedule create daily channel:#general time:09:00 timezone:Europe/Berlin post_to:#digest'",
      '  npx summary-bot clock advance 1d',
      "  npx summary-bot discord messages '#digest'",
      'and a summary right now:',
      "  npx summary-bot discord '/summarize channel:#general hours:48'",
    );
  } else {
    lines.push(
      `  Discord        the real API, application ${runtime.applicationId}`,
      '',
      "Set the application's Interactions Endpoint URL to a public https URL that forwards to",
      `${runtime.url}/interactions (a reverse proxy or tunnel), and register the commands with`,
      '  npx summary-bot register-commands',
    );
  }
  const { tasks, active, messages } = runtime.restored;
  if (tasks + messages > 0) {
    const history = runtime.sandbox
      ? ` and ${plural(messages, 'message')} of the sandbox channels' history`
      : '';
    lines.push(
      '',
      `Restored ${plural(tasks, 'task')} (${active} active)${history} from ${runtime.dataDir}.`,
      `Caught up: ${plural(runtime.catchUp.fired, 'run')} due while stopped fired late, ${plural(runtime.catchUp.missed, 'run')} recorded as missed.`,
    );
  }
  lines.push('', 'Ctrl+C stops it; tasks and schedules are kept.', '');
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  let advance: string | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: { advance: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    advance = values.advance;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (existsSync('.env')) process.loadEnvFile('.env');
  createPrivateFilesFromNowOn();

  let runtime: LocalRuntime;
  try {
    // Loaded only once the arguments are good: `--help` answers without loading the AWS SDK.
    const { startLocalRuntime } = await import('./runtime.ts');
    runtime = await startLocalRuntime({
      ...(advance ? { advanceOnStart: advance } : {}),
      report: (line) => process.stdout.write(`${line}\n`),
    });
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : (error as Error).stack;
    process.stderr.write(`summary-bot: could not start: ${message}\n`);
    // A ConfigError is one line that says it all (the file, what is wrong, what to do); the rest may need more.
    if (!(error instanceof ConfigError) && error instanceof Error && error.cause instanceof Error) {
      process.stderr.write(`  caused by: ${error.cause.message}\n`);
    }
    return 1;
  }
  // Since the process started (performance's time origin), module loading included.
  process.stdout.write(banner(runtime, performance.now()));
  for (const warning of runtime.warnings) process.stderr.write(`\n⚠ WARNING: ${warning}\n\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`${signal} again: exiting without waiting\n`);
        process.exit(1);
      }
      stopping = true;
      process.stdout.write(`${signal}: stopping (runs in flight may take up to 10 s)…\n`);
      runtime.stop().then(resolve, (error: unknown) => {
        process.stderr.write(`shutdown failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write('stopped\n');
  return process.exitCode === 1 ? 1 : 0;
}

const code = await main(process.argv.slice(2));
// Clients with keep-alive sockets (the SDK, @discordjs/rest) may hold the loop open; the work is done.
process.exit(code);
