import { afterEach, describe, expect, it } from 'vitest';
import { RunInProgressError } from '../../../lib/errors.ts';
import type { ExecutorInput, ScheduledRunInput } from '../../../lib/execution/executor-input.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { LeaseWatch } from '../../../lib/local/lease-watch.ts';
import { createLocalInvoker } from '../../../lib/local/local-invoker.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { GUILD } from '../../support/executor-harness.ts';

const DUE = '2026-11-27T08:00:00.000Z';
const event: ScheduledRunInput = {
  type: 'scheduled',
  taskId: 'task0000001',
  guildId: GUILD,
  scheduledTime: DUE,
  executionId: 'exec-1',
  attempt: 1,
};

/**
 * The local runtime's lease watch over the real invoker and the embedded store: a run this process has
 * finished with, whose record still says `running` under another holder's lease, is taken over once that
 * lease runs out with nobody working on it (issue #11: nothing left unfinished while the bot runs).
 */
describe('LeaseWatch with the local invoker', () => {
  const clock = new ManualClock(new Date('2026-11-27T08:00:10.000Z'));
  const db = useEmbeddedStore({ clock });
  let leases: LeaseWatch | undefined;
  afterEach(() => leases?.stop());

  /** An invoker whose first attempt finds the run held by a holder that then vanishes. */
  function setUp() {
    const executed: ExecutorInput[] = [];
    const deadLetters: ExecutorInput[] = [];
    const invoker = createLocalInvoker({
      clock,
      retries: 0,
      execute: async (input) => {
        executed.push(input);
        const now = clock.now();
        if (executed.length === 1) {
          // Another holder claimed the run (attempt 1) and never finishes it.
          await db.store.putRun({
            taskId: event.taskId,
            guildId: GUILD,
            scheduledTime: DUE,
            trigger: 'schedule',
            attempt: 1,
            status: 'running',
            startedAt: now.toISOString(),
            leaseUntil: new Date(now.getTime() + 120_000).toISOString(),
            claimId: 'vanished-holder',
            expiresAt: 1_900_000_000,
          });
          throw new RunInProgressError('the run is in progress in another invocation');
        }
        const run = await db.store.claimRun(
          {
            taskId: event.taskId,
            guildId: GUILD,
            scheduledTime: DUE,
            trigger: 'schedule',
            attempt: (input as ScheduledRunInput).attempt,
            status: 'running',
            startedAt: now.toISOString(),
            leaseUntil: new Date(now.getTime() + 120_000).toISOString(),
            claimId: 'takeover',
            expiresAt: 1_900_000_000,
          },
          now,
        );
        expect(run.claimed).toBe(true);
        const claimed = await db.store.getRun(event.taskId, DUE);
        await db.store.putClaimedRun({ ...claimed!, status: 'succeeded', finishedAt: now.toISOString() });
      },
      onDeadLetter: async (input) => {
        deadLetters.push(input);
      },
      onSettled: (input) => {
        if (input.type === 'scheduled') void leases?.look(input, input);
      },
    });
    leases = new LeaseWatch({
      store: db.store,
      clock,
      resume: (input, attempts) => invoker.run(input, { attempts }),
      deadLetter: async () => undefined,
      onError: (error) => {
        throw error;
      },
      isLive: (run) => invoker.isRunning(run),
    });
    return { invoker, executed, deadLetters };
  }

  it('takes over a run left running once its lease runs out, as the next attempt', async () => {
    const { invoker, executed, deadLetters } = setUp();
    await invoker.run(event);
    // Uncounted: the dead letter of an attempt that found the run in another holder's hands.
    expect(deadLetters).toHaveLength(1);
    await until(() => leases?.watching(event) === true);
    expect((await db.store.getRun(event.taskId, DUE))?.status).toBe('running');

    await clock.advance(60_000); // the lease is still alive
    expect(executed).toHaveLength(1);
    await clock.advance(65_000); // it ran out a few seconds ago
    await invoker.drain();
    expect(executed).toHaveLength(2);
    expect(executed[1]).toMatchObject({ type: 'scheduled', attempt: 2, executionId: 'exec-1' });
    expect(await db.store.getRun(event.taskId, DUE)).toMatchObject({ status: 'succeeded', attempt: 2 });
    expect(leases?.size).toBe(0);
  });
});

async function until(check: () => boolean): Promise<void> {
  const end = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met within 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
