import { join } from 'node:path';
import * as z from 'zod';
import type { TaskStore } from '../scheduling/ports.ts';
import { plural } from '../shared/words.ts';
import { TaskState } from '../tasks/task.ts';
import { readStateFile, writeStateFile } from './state-files.ts';

/**
 * LevelDB skips a damaged record of its log without an error: a bit flip in `db/*.log` opens as a store
 * with fewer tasks (often none), which would read as "No tasks." The count of tasks recorded while the
 * store was last open is what tells that loss from an empty store.
 */

/** `<DATA_DIR>/task-count.json`: how many tasks the store held when it was last counted. */
const TaskCountFile = z.object({
  tasks: z.number().int().min(0),
  recordedAt: z.iso.datetime(),
});

const fileIn = (dataDir: string) => join(dataDir, 'task-count.json');

/** Every task in the store, by state (the state index, sharded or not, as the store lists it). */
export async function countTasks(
  store: Pick<TaskStore, 'listTasksByState'>,
): Promise<Record<TaskState, number>> {
  const counts = await Promise.all(
    TaskState.options.map(async (state) => [state, (await store.listTasksByState(state)).length] as const),
  );
  return Object.fromEntries(counts) as Record<TaskState, number>;
}

/** The total of a count by state. */
export function totalTasks(counts: Record<TaskState, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * A warning when the store holds fewer tasks than were counted last time, else undefined. Tasks cancelled
 * in the moments before a crash (after the last count) can cause it too, which the warning says.
 */
export async function checkTaskCount(dataDir: string, tasks: number): Promise<string | undefined> {
  const path = fileIn(dataDir);
  const last = await readStateFile(
    path,
    TaskCountFile,
    'delete it (it only records how many tasks there were)',
  );
  if (!last || tasks >= last.tasks) return undefined;
  return (
    `the task store in ${join(dataDir, 'db')} opened with ${plural(tasks, 'task')}, but ${plural(last.tasks, 'task')} ` +
    `were counted at ${last.recordedAt}: its files may be damaged. Stop the bot and restore ${join(dataDir, 'db')} ` +
    `from a backup; if you cancelled those tasks just before the bot stopped, all is well (${path} is updated from now on)`
  );
}

/** Records how many tasks the store holds now, for the next start's check. */
export async function recordTaskCount(dataDir: string, tasks: number, now: Date): Promise<void> {
  await writeStateFile(fileIn(dataDir), { tasks, recordedAt: now.toISOString() });
}

/** How often the running bot looks for writes to count its tasks again after (one query per state and shard). */
const COUNT_EVERY_MS = 5_000;

/**
 * Counts the tasks now, then again within 5 s of any write to the store, and on stop after any write since
 * the last count, recording each count: after a crash the next start compares against a count at most that
 * old. `writes` is a counter of the store's write requests (the embedded server's), so an idle bot does not
 * count at all, and an idle bot stops without counting (a count queries every state and shard: about a
 * second of a stop that should take well under two).
 */
export function startTaskCounter(options: {
  dataDir: string;
  store: Pick<TaskStore, 'listTasksByState'>;
  writes: () => number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let counting: Promise<void> | undefined;
  let countedAfter = -1;
  const count = () => {
    counting ??= (async () => {
      const writes = options.writes();
      const tasks = totalTasks(await countTasks(options.store));
      await recordTaskCount(options.dataDir, tasks, new Date());
      countedAfter = writes;
    })()
      .catch(options.onError)
      .finally(() => {
        counting = undefined;
      });
    return counting;
  };
  void count();
  const timer = setInterval(() => {
    if (options.writes() !== countedAfter) void count();
  }, COUNT_EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await counting;
      if (options.writes() !== countedAfter) await count();
    },
  };
}
