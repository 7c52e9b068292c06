import { describe, expect, it } from 'vitest';
import type { ExecutorInput } from '../../../lib/execution/executor-input.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { createLocalInvoker } from '../../../lib/local/local-invoker.ts';

const T0 = new Date('2026-03-01T09:00:00Z');

const input: ExecutorInput = {
  type: 'scheduled',
  taskId: 'abc12345',
  guildId: '123456789012345678',
  scheduledTime: '2026-03-01T09:00:00.000Z',
  executionId: 'e-1',
  attempt: 1,
};

/** An executor that fails its first `failures` calls and records when each attempt happened. */
function flakyExecutor(clock: ManualClock, failures: number) {
  const attempts: string[] = [];
  return {
    attempts,
    execute: async () => {
      attempts.push(clock.now().toISOString());
      if (attempts.length <= failures) throw new Error(`attempt ${attempts.length} failed`);
    },
  };
}

describe('createLocalInvoker', () => {
  it('retries a failed run after one and then two minutes, like Lambda async invocation', async () => {
    const clock = new ManualClock(T0);
    const executor = flakyExecutor(clock, 2);
    const deadLetters: unknown[] = [];
    const invoker = createLocalInvoker({
      execute: executor.execute,
      onDeadLetter: async (i, e) => {
        deadLetters.push([i, e]);
      },
      clock,
    });
    const done = invoker.run(input);
    await clock.advance('1m');
    await clock.advance('2m');
    await done;
    expect(executor.attempts).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:01:00.000Z',
      '2026-03-01T09:03:00.000Z',
    ]);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters the input with the last error after the retries are used up', async () => {
    const clock = new ManualClock(T0);
    const executor = flakyExecutor(clock, 99);
    const deadLetters: Array<[ExecutorInput, unknown]> = [];
    const invoker = createLocalInvoker({
      execute: executor.execute,
      onDeadLetter: async (i, e) => {
        deadLetters.push([i, e]);
      },
      clock,
    });
    const done = invoker.run(input);
    await clock.advance('10m');
    await done;
    expect(executor.attempts).toHaveLength(3);
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.[0]).toEqual(input);
    expect(deadLetters[0]?.[1]).toMatchObject({ message: 'attempt 3 failed' });
  });

  it('honours a custom retry count and back-off', async () => {
    const clock = new ManualClock(T0);
    const executor = flakyExecutor(clock, 99);
    let deadLettered = 0;
    const invoker = createLocalInvoker({
      execute: executor.execute,
      onDeadLetter: async () => {
        deadLettered++;
      },
      retries: 3,
      backoffMs: [1_000],
      clock,
    });
    const done = invoker.run(input);
    await clock.advance('1h');
    await done;
    expect(executor.attempts).toEqual([
      '2026-03-01T09:00:00.000Z',
      '2026-03-01T09:00:01.000Z',
      '2026-03-01T09:00:02.000Z',
      '2026-03-01T09:00:03.000Z',
    ]);
    expect(deadLettered).toBe(1);
  });

  it('invoke returns at once while the run continues, counted as in flight until it ends', async () => {
    const clock = new ManualClock(T0);
    const executor = flakyExecutor(clock, 1);
    const invoker = createLocalInvoker({ execute: executor.execute, onDeadLetter: async () => {}, clock });
    await invoker.invoke(input);
    expect(invoker.inFlight()).toBe(1);
    await clock.advance('1m');
    await invoker.drain();
    expect(invoker.inFlight()).toBe(0);
    expect(executor.attempts).toHaveLength(2);
  });

  it('drains without the runs waiting on the clock for a retry when told to leave them, and with them otherwise', async () => {
    const clock = new ManualClock(T0);
    let release = () => {};
    const executing = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls: string[] = [];
    const invoker = createLocalInvoker({
      execute: async (i) => {
        calls.push(i.type === 'scheduled' ? i.taskId : '');
        if (i.type === 'scheduled' && i.taskId === 'busy') await executing;
        else throw new Error('fails; retried in a minute');
      },
      onDeadLetter: async () => {},
      clock,
    });
    await invoker.invoke(input); // fails at once, then waits a minute of the clock for its retry
    await invoker.invoke({ ...input, taskId: 'busy' }); // still executing
    let drained = false;
    const draining = invoker.drain(60_000, { leaveWaiting: true }).then(() => {
      drained = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false); // the executing run is waited for
    release();
    await draining;
    expect(invoker.inFlight()).toBe(1); // the waiting one is left to wait
    // Without the option the wait counts: the drain ends by its (short) timeout.
    await invoker.drain(50);
    expect(invoker.inFlight()).toBe(1);
    expect(calls).toEqual([input.taskId, 'busy']);
  });

  it('reports a failing dead-letter handler from invoke to onError', async () => {
    const clock = new ManualClock(T0);
    const errors: unknown[] = [];
    const invoker = createLocalInvoker({
      execute: async () => {
        throw new Error('run failed');
      },
      onDeadLetter: async () => {
        throw new Error('queue down');
      },
      retries: 0,
      clock,
      onError: (error) => errors.push(error),
    });
    await invoker.invoke(input);
    await invoker.drain();
    expect(errors).toEqual([expect.objectContaining({ message: 'queue down' })]);
  });
});
