import { quietNodeVersionWarning } from '../lib/local/quiet-warnings.ts';

/**
 * The `summary-bot` CLI. Thin like a handler: each command group lives in `bin/commands/<group>.ts`
 * and exports `run(args)`, which returns the process exit code (0 ok, 1 failure, 2 bad input).
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
};

function usage(): string {
  const width = Math.max(...Object.keys(groups).map((name) => name.length));
  const lines = Object.entries(groups).map(([name, g]) => `  ${name.padEnd(width)}  ${g.summary}`);
  return `usage: summary-bot <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const group = groups[name];
  if (!group) {
    process.stderr.write(`summary-bot: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const command = await group.load();
  return command.run(rest);
}

quietNodeVersionWarning();
process.exitCode = await main(process.argv.slice(2));
