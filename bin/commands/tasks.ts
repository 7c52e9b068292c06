/**
 * `summary-bot tasks …`: list, show, export, import, pause, resume and cancel tasks, and print stats.
 * Works on AWS when TASK_TABLE_NAME is set, otherwise on the local data (see lib/local/cli-context.ts).
 */
import { writeFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { reviewImportedAudience } from '../../lib/discord/audience-review.ts';
import { checkChannelAccess } from '../../lib/discord/channel-access.ts';
import type { GuildReads } from '../../lib/discord/guild-reads.ts';
import type { CliContext } from '../../lib/local/cli-context.ts';
import { SAMPLE_GUILD, sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import type { TaskFilter } from '../../lib/scheduling/ports.ts';
import { plural } from '../../lib/shared/words.ts';
import { describeSchedule, describeSources } from '../../lib/tasks/describe.ts';
import { Snowflake } from '../../lib/tasks/fields.ts';
import { taskIdentityKey } from '../../lib/tasks/same-task.ts';
import { type Task, TaskState } from '../../lib/tasks/task.ts';
import { parseOption, print, printJson, readJson, reportError, table, UsageError } from './cli-io.ts';

const USAGE = `usage: summary-bot tasks <command> [options]

  list [--guild <id>] [--state s] [--channel c] [--kind summary|cleanup] [--json]
  show <taskId> [--guild <id>] [--json]
  export [--guild <id>] [--out file]        (stdout without --out; the file holds webhook secrets)
  import <file|-> [--guild <id>] [--as <userId>] [--replace] [--json]
                                            (every channel must be in that server: needs DISCORD_BOT_TOKEN,
                                            DISCORD_SECRET_ARN on AWS, or the running sandbox; a task that
                                            exists already is skipped, or with --replace replaced by the file's)
  pause|resume|cancel <taskId> [--guild <id>] [--json]
  stats [--guild <id>] [--json]

--guild may be left out while one server has tasks (in the sandbox: its sample server). Put -- before a
task id that starts with - (ids made by earlier versions can): tasks cancel -- -XRRAJ4E7BwT.
Exit status: 0 ok, 1 failure, 2 bad input.
`;

const OPTIONS = {
  guild: { type: 'string' },
  state: { type: 'string' },
  channel: { type: 'string' },
  kind: { type: 'string' },
  out: { type: 'string' },
  as: { type: 'string' },
  replace: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const SAMPLE_CHANNEL_NAMES = new Map(sampleServerInfo().channels.map((c) => [c.id, c.name]));

/** Entry point of the `tasks` command group; returns the exit status. */
export async function run(args: string[]): Promise<number> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }));
  } catch (error) {
    process.stderr.write(`tasks: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? process.stdout : process.stderr).write(USAGE);
    return values.help ? 0 : 2;
  }
  const action = COMMANDS[command];
  if (!action) {
    process.stderr.write(`tasks: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  let context: CliContext | undefined;
  try {
    action.check(values, rest);
    // Loaded once the arguments are good: `--help` must not wait for the AWS SDK to load.
    const { openCliContext } = await import('../../lib/local/cli-context.ts');
    context = await openCliContext();
    await action.run(context, values, rest);
    return 0;
  } catch (error) {
    return reportError(error);
  } finally {
    await context?.close();
  }
}

interface Command {
  check(values: Values, rest: string[]): void;
  run(context: CliContext, values: Values, rest: string[]): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  list: {
    check: (v) => checkGuild(v),
    async run(context, v) {
      const filter: TaskFilter = {};
      if (v.state) filter.state = parseOption('--state', TaskState, v.state);
      if (v.channel) filter.channelId = parseOption('--channel', Snowflake, v.channel);
      if (v.kind) {
        if (v.kind !== 'summary' && v.kind !== 'cleanup')
          throw new UsageError('--kind: expected summary or cleanup');
        filter.kind = v.kind;
      }
      const tasks = await context.scheduler.listTasks(await guildOf(context, v), filter);
      if (v.json) return printJson(tasks);
      if (tasks.length === 0) return print('No tasks.');
      print(
        table(
          ['ID', 'NAME', 'KIND', 'STATE', 'SCHEDULE', 'NEXT RUN (UTC)'],
          tasks.map((t) => [t.id, t.name, t.kind, t.state, scheduleText(t), nextRunText(t)]),
        ),
      );
    },
  },
  show: {
    check: (v, rest) => {
      checkGuild(v);
      requireTaskId(rest);
    },
    async run(context, v, rest) {
      const status = await context.scheduler.getStatus(await guildOf(context, v), requireTaskId(rest), {
        runs: 10,
        nextRuns: 5,
      });
      if (v.json) return printJson(status);
      const { task } = status;
      const lines: [string, string][] = [
        ['id', task.id],
        ['name', task.name],
        ['kind', task.kind],
        ['state', task.state],
        ['schedule', status.description],
        ['time zone', task.timeZone],
        ...(task.kind === 'summary'
          ? ([['reads', describeSources(task, (id) => channelText(context, id))]] as [string, string][])
          : []),
        ...(task.kind === 'cleanup'
          ? ([['retention', `${task.retentionDays} days`]] as [string, string][])
          : []),
        ['destinations', task.destinations.map((d) => destinationText(context, d)).join(', ') || '(none)'],
        ['created', `${task.createdAt} by ${task.createdBy}`],
        ['version', String(task.version)],
        [
          'runs',
          `${task.metadata.runCount} (${task.metadata.successCount} ok, ${task.metadata.failureCount} failed, ${task.metadata.skipCount} skipped; ${task.metadata.consecutiveFailures} failures in a row)`,
        ],
        ['next runs', status.nextRuns.map((d) => d.toISOString()).join(', ') || '(none)'],
      ];
      print(table(['FIELD', 'VALUE'], lines, false));
      if (status.recentRuns.length > 0) {
        print('\nRecent runs:');
        print(
          table(
            ['SCHEDULED', 'TRIGGER', 'STATUS', 'MESSAGES', 'ERROR'],
            status.recentRuns.map((r) => [
              r.scheduledTime,
              r.trigger,
              r.status,
              r.messageCount === undefined ? '' : String(r.messageCount),
              r.error ?? r.skipReason ?? '',
            ]),
          ),
        );
      }
    },
  },
  export: {
    check: (v) => checkGuild(v),
    async run(context, v) {
      const exported = await context.scheduler.exportTasks(await guildOf(context, v));
      const text = `${JSON.stringify(exported, null, 2)}\n`;
      if (!v.out) return void process.stdout.write(text);
      // Owner-only: webhook signing secrets are part of the export.
      await writeFile(v.out, text, { mode: 0o600 });
      process.stderr.write(`Exported ${plural(exported.tasks.length, 'task')} to ${v.out}\n`);
    },
  },
  import: {
    check: (v, rest) => {
      checkGuild(v);
      if (!rest[0]) throw new UsageError('import: expected a file to import (or - for stdin)');
      if (v.as) parseOption('--as', Snowflake, v.as);
    },
    async run(context, v, rest) {
      const data = await readJson(rest[0] as string);
      const guildId = await guildOf(context, v);
      // A task that exists already (same channels, destinations and schedule) is skipped, as /schedule import
      // does, so restoring a backup twice does not double every digest; --replace swaps in the file's copy.
      const existing = new Map(
        (await context.scheduler.listTasks(guildId)).map((t) => [taskIdentityKey(t), t]),
      );
      const skipped: string[] = [];
      const replaced: Task[] = [];
      const notes: string[] = [];
      // One reader for the whole import (it caches): the access check and the audience rule share its reads.
      let shared: Promise<GuildReads> | undefined;
      const reads = () => {
        shared ??= context.guildReads();
        return shared;
      };
      // Without --as the server itself (its id) is recorded as the author.
      const created = await context.scheduler.importTasks(guildId, data, v.as ?? guildId, {
        skip: (task) => {
          const old = existing.get(taskIdentityKey(task));
          if (!old) return false;
          if (v.replace) replaced.push(old);
          else skipped.push(task.name);
          return !v.replace;
        },
        // The operator needs no member permissions, but a file must not point a server at another's channels.
        checkChannels: async (references) => {
          if (references.length === 0) return;
          await checkChannelAccess(references, { guildId, reads: await reads(), now: context.clock.now() });
        },
        // The audience rule, as /schedule import applies it: a private source is left out of a digest posted
        // where others see it, and kept from a webhook, e-mail or file unless the file says includePrivate.
        review: async (task, entry) =>
          reviewImportedAudience({ guildId, task, entry, reads: await reads(), notes, words: 'plain' }),
      });
      // The file's copies are in place (all or nothing) before the old ones go, so a failure loses nothing.
      for (const old of replaced) await context.scheduler.cancelTask(guildId, old.id);
      // With --json stdout stays one JSON document: what was left out, and why, goes to stderr.
      if (v.json) {
        for (const note of notes) process.stderr.write(`${note}\n`);
        return printJson(created);
      }
      print(`Imported ${plural(created.length, 'task')} into guild ${guildId}.`);
      if (created.length > 0)
        print(
          table(
            ['ID', 'NAME', 'STATE', 'SCHEDULE'],
            created.map((t) => [t.id, t.name, t.state, scheduleText(t)]),
          ),
        );
      if (replaced.length > 0)
        print(
          `Replaced ${plural(replaced.length, 'task')}: ${replaced.map((t) => `${t.name} (${t.id})`).join(', ')}.`,
        );
      if (skipped.length > 0)
        print(
          `Skipped ${plural(skipped.length, 'task')} that already ${skipped.length === 1 ? 'exists' : 'exist'} (same channels, destinations and schedule; --replace replaces them): ${skipped.join(', ')}.`,
        );
      for (const note of notes) print(note);
    },
  },
  pause: stateCommand('pause'),
  resume: stateCommand('resume'),
  cancel: stateCommand('cancel'),
  stats: {
    check: (v) => checkGuild(v),
    async run({ scheduler, where }, v) {
      const stats = await scheduler.stats(v.guild);
      if (v.json) return printJson(stats);
      print(
        `Tasks ${stats.guildId ? `in guild ${stats.guildId}` : 'in every guild'} (${where}): ${stats.total}`,
      );
      print(
        table(
          ['STATE', 'COUNT'],
          Object.entries(stats.byState).map(([k, n]) => [k, String(n)]),
        ),
      );
      print(
        table(
          ['KIND', 'COUNT'],
          Object.entries(stats.byKind).map(([k, n]) => [k, String(n)]),
        ),
      );
      const d = stats.last24h;
      print(
        `Last 24 h: ${plural(d.runs, 'run')}: ${d.succeeded} succeeded, ${d.partial} partial, ${d.failed} failed, ${d.retrying} retrying, ${d.skipped} skipped, ${d.missed} missed${stats.runsSampled ? ' (runs counted for a sample of tasks)' : ''}`,
      );
    },
  },
};

function stateCommand(verb: 'pause' | 'resume' | 'cancel'): Command {
  return {
    check: (v, rest) => {
      checkGuild(v);
      requireTaskId(rest);
    },
    async run(context, v, rest) {
      const { scheduler } = context;
      const guildId = await guildOf(context, v);
      const taskId = requireTaskId(rest);
      if (verb === 'cancel') {
        await scheduler.cancelTask(guildId, taskId);
        return v.json ? printJson({ cancelled: taskId }) : print(`Cancelled task ${taskId}.`);
      }
      const task =
        verb === 'pause'
          ? await scheduler.pauseTask(guildId, taskId)
          : await scheduler.resumeTask(guildId, taskId);
      if (v.json) return printJson(task);
      print(`Task ${task.id} (${task.name}) is ${task.state}.`);
    },
  };
}

function checkGuild(v: Values): void {
  if (v.guild !== undefined) parseOption('--guild', Snowflake, v.guild);
}

/** `--guild`, or the one server that has tasks (in the sandbox before any task: its sample server). */
async function guildOf(context: CliContext, v: Values): Promise<string> {
  if (v.guild !== undefined) return parseOption('--guild', Snowflake, v.guild);
  const guilds = await guildsWithTasks(context);
  const [only] = guilds;
  if (guilds.length === 1 && only) return only;
  if (guilds.length === 0 && context.sandbox) return SAMPLE_GUILD.id;
  throw new UsageError(
    guilds.length === 0
      ? '--guild: expected the server (guild) id; no server has tasks here yet'
      : `--guild: expected one of the ${guilds.length} servers with tasks: ${guilds.join(', ')}`,
  );
}

/** Every server with at least one task. A scan of the table: fine for the CLI, never on a request path. */
async function guildsWithTasks({ store }: CliContext): Promise<string[]> {
  const byState = await Promise.all(TaskState.options.map((state) => store.listTasksByState(state)));
  return [...new Set(byState.flat().map((task) => task.guildId))].sort();
}

/** `#general` where the name is known (the sandbox's sample server), else the id. */
function channelText(context: CliContext, channelId: string): string {
  const known = context.sandbox ? SAMPLE_CHANNEL_NAMES.get(channelId) : undefined;
  return known ? `#${known}` : `channel ${channelId}`;
}

function requireTaskId(rest: string[]): string {
  const [taskId] = rest;
  if (!taskId) throw new UsageError('expected a task id');
  return taskId;
}

function scheduleText(task: Task): string {
  return `${describeSchedule(task.schedule, task.timeZone)}`;
}

function nextRunText(task: Task): string {
  return task.state === 'active' && task.metadata.nextRunAt
    ? task.metadata.nextRunAt.replace(/:\d\d\.\d+Z$/, 'Z')
    : '-';
}

function destinationText(context: CliContext, d: Task['destinations'][number]): string {
  switch (d.type) {
    case 'discord_channel':
      return `${channelText(context, d.channelId)} (${d.format})`;
    case 'webhook':
      return `webhook ${new URL(d.url).host}`;
    case 'email':
      return `email ${d.addresses.join(' ')}`;
    case 'file':
      return `file ${d.prefix}/`;
  }
}
