import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot, projectEnvironment } from '../lib/local/project-root.ts';

/**
 * The `summary-bot` CLI. Thin like a handler: each command group lives in `bin/commands/<group>.ts`
 * and exports `run(args)`, which returns the process exit code (0 ok, 1 failure, 2 bad input).
 * `npx summary-bot` runs the bundle of this file (bin/summary-bot.mjs, built by bin/build-cli.mjs).
 */
const groups: Record<
  string,
  { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }
> = {
  expr: {
    summary: 'validate an EventBridge expression, or list its next runs',
    load: () => import('./commands/expr.ts'),
  },
  tasks: {
    summary: 'list, show, export, import, pause, resume, cancel tasks; stats',
    load: () => import('./commands/tasks.ts'),
  },
  reconcile: {
    summary: 'repair drift between the task table and the schedules',
    load: () => import('./commands/reconcile.ts'),
  },
  summarize: {
    summary: 'summarize a transcript file (or - for stdin)',
    load: () => import('./commands/summarize.ts'),
  },
  'register-commands': {
    summary: 'register the slash commands with Discord',
    load: () => import('./commands/register-commands.ts'),
  },
  discord: {
    summary: 'talk to the running bot as Discord would (local runtime)',
    load: () => import('./commands/discord.ts'),
  },
  clock: { summary: "move the sandbox's clock (sandbox only)", load: () => import('./commands/clock.ts') },
  doctor: {
    summary: 'check that a deployment (--stage) or the local runtime works, one line per check',
    load: () => import('./commands/doctor.ts'),
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(groups).map((name) => name.length));
  const lines = Object.entries(groups).map(([name, g]) => `  ${name.padEnd(width)}  ${g.summary}`);
  return `usage: summary-bot <command> [options]     (summary-bot <command> --help for its options)

commands:
${lines.join('\n')}

Works from any folder of the checkout: settings come from the environment and the checkout's .env, and
the data (DATA_DIR, default .data) from the checkout's root. --version prints the version.
`;
}

async function main(argv: string[]): Promise<number> {
  const root = findProjectRoot(process.cwd()) ?? findProjectRoot(dirname(fileURLToPath(import.meta.url)));
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`summary-bot ${root?.version ?? 'unknown'} (Node.js ${process.version})\n`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const group = groups[name];
  if (!group) {
    process.stderr.write(`summary-bot: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  if (root) Object.assign(process.env, projectEnvironment(root.dir, process.env));
  const command = await group.load();
  return command.run(rest);
}

// `summary-bot … | head` closes the pipe early: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // The commands report what they expect; anything else is a bug, told in one line (DEBUG=1: the stack).
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`summary-bot: unexpected failure: ${message}\n`);
  if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
