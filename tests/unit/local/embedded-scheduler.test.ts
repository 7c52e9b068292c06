import { describe, expect, it } from 'vitest';
import type { ScheduledRunInput } from '../../../lib/execution/executor-input.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../../lib/local/embedded-scheduler.ts';
import { createLocalInvoker } from '../../../lib/local/local-invoker.ts';
import { describeMissedRuns, type MissedSpan } from '../../../lib/local/schedule-catch-up.ts';
import type { ScheduleDefinition } from '../../../lib/scheduling/ports.ts';
import { InMemoryScheduleRepository } from '../../../lib/scheduling/schedule-repository.ts';

const GUILD = '123456789012345678';
const ZONE = 'Europe/Berlin';

function definition(
  id: string,
  expression: string,
  extra: Partial<ScheduleDefinition> = {},
): ScheduleDefinition {
  return {
    name: `task-${id}`,
    expression,
    timeZone: ZONE,
    state: 'ENABLED',
    taskId: id,
    guildId: GUILD,
    ...extra,
  };
}

interface Fired {
  taskId: string;
  scheduledTime: string;
  firedAt: string;
}

/** A gateway on a manual clock that records each fire with the clock's time at that moment. */
function setup(
  start: string,
  options: { repository?: InMemoryScheduleRepository; clock?: ManualClock } = {},
) {
  const clock = options.clock ?? new ManualClock(new Date(start));
  const repository = options.repository ?? new InMemoryScheduleRepository();
  const fired: Fired[] = [];
  const missed: (ScheduledRunInput & { span: MissedSpan })[] = [];
  const errors: unknown[] = [];
  const gateway = new EmbeddedScheduleGateway({
    repository,
    clock,
    onFire: async (event) => {
      fired.push({
        taskId: event.taskId,
        scheduledTime: event.scheduledTime,
        firedAt: clock.now().toISOString(),
      });
    },
    onMissed: async (event, span) => {
      missed.push({ ...event, span });
    },
    onError: (error) => errors.push(error),
  });
  const times = (taskId: string) => fired.filter((f) => f.taskId === taskId).map((f) => f.scheduledTime);
  return { clock, repository, gateway, fired, missed, errors, times };
}

describe('EmbeddedScheduleGateway firing', () => {
  it('fires daily, weekly, cron, every and at() schedules at EventBridge instants across spring forward', async () => {
    // Berlin moves from CET (UTC+1) to CEST (UTC+2) on Sunday 2026-03-29 at 02:00.
    const { clock, gateway, fired, times, errors } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    await gateway.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await gateway.create(definition('weekly001', 'cron(0 18 ? * MON,FRI *)'), 't2');
    await gateway.create(definition('night0001', 'cron(30 2 * * ? *)'), 't3');
    await gateway.create(definition('every0001', 'rate(1 day)'), 't4');
    await gateway.create(definition('once00001', 'at(2026-03-29T10:00:00)'), 't5');
    await clock.advance('4d6h');

    expect(times('daily0001')).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
    expect(times('weekly001')).toEqual(['2026-03-27T17:00:00.000Z', '2026-03-30T16:00:00.000Z']);
    // 02:30 does not exist on the 29th: EventBridge skips that day.
    expect(times('night0001')).toEqual([
      '2026-03-27T01:30:00.000Z',
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    // A rate starts when it is created and counts 24-hour days, not wall-clock days.
    expect(times('every0001')).toEqual([
      '2026-03-26T12:00:00.000Z',
      '2026-03-27T12:00:00.000Z',
      '2026-03-28T12:00:00.000Z',
      '2026-03-29T12:00:00.000Z',
      '2026-03-30T12:00:00.000Z',
    ]);
    expect(times('once00001')).toEqual(['2026-03-29T08:00:00.000Z']);
    // Every run fired exactly when it was due.
    for (const f of fired) expect(f.firedAt).toBe(f.scheduledTime);
    expect(errors).toEqual([]);
  });

  it('runs a repeated wall time once when the clocks fall back', async () => {
    // Berlin moves from CEST back to CET on 2026-10-25 at 03:00: 02:30 happens twice.
    const { clock, gateway, times } = setup('2026-10-23T12:00:00Z');
    await gateway.start();
    await gateway.create(definition('night0001', 'cron(30 2 * * ? *)'), 't1');
    await clock.advance('3d');
    expect(times('night0001')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('sends the executor a valid scheduled-run input', async () => {
    const clock = new ManualClock(new Date('2026-03-26T12:00:00Z'));
    const events: ScheduledRunInput[] = [];
    const gateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: async (event) => {
        events.push(event);
      },
    });
    await gateway.start();
    await gateway.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await clock.advance('1d');
    expect(events).toEqual([
      {
        type: 'scheduled',
        taskId: 'daily0001',
        guildId: GUILD,
        scheduledTime: '2026-03-27T08:00:00.000Z',
        executionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        attempt: 1,
      },
    ]);
  });
});

describe('EmbeddedScheduleGateway changes', () => {
  it('stops firing a paused (DISABLED) schedule and resumes without making up the paused runs', async () => {
    const { clock, gateway, times, missed } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    const daily = definition('daily0001', 'cron(0 9 * * ? *)');
    await gateway.create(daily, 't1');
    await clock.advance('1d');
    await gateway.update({ ...daily, state: 'DISABLED' });
    expect(gateway.stats().armed).toBe(0);
    await clock.advance('2d');
    await gateway.update(daily);
    await clock.advance('1d');
    expect(times('daily0001')).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    expect(missed).toEqual([]);
    await expect(gateway.get('task-daily0001')).resolves.toEqual(daily);
  });

  it('stops firing a deleted schedule; deleting it again is not an error', async () => {
    const { clock, gateway, times } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    await gateway.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await clock.advance('1d');
    await gateway.delete('task-daily0001');
    await gateway.delete('task-daily0001');
    await clock.advance('3d');
    expect(times('daily0001')).toEqual(['2026-03-27T08:00:00.000Z']);
    expect(gateway.stats().armed).toBe(0);
    await expect(gateway.list()).resolves.toEqual([]);
  });

  it('deletes a one-time at() schedule after it fired', async () => {
    const { clock, gateway, repository, times } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    await gateway.create(definition('once00001', 'at(2026-03-27T10:00:00)'), 't1');
    await expect(gateway.list()).resolves.toEqual([{ name: 'task-once00001', state: 'ENABLED' }]);
    await clock.advance('2d');
    expect(times('once00001')).toEqual(['2026-03-27T09:00:00.000Z']);
    await expect(repository.get('task-once00001')).resolves.toBeUndefined();
    await expect(gateway.get('task-once00001')).resolves.toBeUndefined();
  });

  it('re-arms a schedule whose expression changed', async () => {
    const { clock, gateway, times } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    const daily = definition('daily0001', 'cron(0 9 * * ? *)');
    await gateway.create(daily, 't1');
    await gateway.update({ ...daily, expression: 'cron(0 20 * * ? *)' });
    await clock.advance('1d');
    expect(times('daily0001')).toEqual(['2026-03-26T19:00:00.000Z']);
    expect(gateway.stats().armed).toBe(1);
  });

  it('treats a repeated create as idempotent and a different one with the same name as a conflict', async () => {
    const { gateway } = setup('2026-03-26T12:00:00Z');
    const every = definition('every0001', 'rate(2 hours)');
    await gateway.create(every, 'token-1');
    await expect(gateway.create(every, 'token-1')).resolves.toBeUndefined();
    await expect(gateway.create({ ...every, expression: 'rate(3 hours)' }, 'token-2')).rejects.toMatchObject({
      kind: 'conflict',
    });
  });

  it('rejects what EventBridge would reject, naming the field', async () => {
    const { gateway } = setup('2026-03-26T12:00:00Z');
    const daily = definition('daily0001', 'cron(0 9 * * ? *)');
    await expect(gateway.create({ ...daily, expression: 'cron(0 9 * * * *)' }, 't')).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(gateway.create({ ...daily, timeZone: 'Mars/Olympus' }, 't')).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/timezone/),
    });
    await expect(gateway.create({ ...daily, name: 'task/with/slash' }, 't')).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/^name/),
    });
    await expect(gateway.create(daily, 'bad token')).rejects.toMatchObject({ kind: 'validation' });
    await expect(gateway.update(definition('missing01', 'rate(1 day)'))).rejects.toMatchObject({
      kind: 'not_found',
    });
  });
});

describe('EmbeddedScheduleGateway restarts', () => {
  /** Runs a gateway until the first daily run, stops it, and lets `down` pass with nothing running. */
  async function runThenStop(down: string) {
    const first = setup('2026-03-26T12:00:00Z');
    await first.gateway.start();
    await first.gateway.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await first.clock.advance('1d');
    await first.gateway.stop();
    await first.clock.advance(down);
    expect(first.times('daily0001')).toEqual(['2026-03-27T08:00:00.000Z']);
    return setup('', { repository: first.repository, clock: first.clock });
  }

  it('fires the latest run due while down if within the grace period, reports older ones missed, re-arms', async () => {
    // Stopped on 03-27 at 12:00; back on 03-30 at 07:03, 3 minutes after that day's run.
    const second = await runThenStop('67h3m');
    await expect(second.gateway.start()).resolves.toEqual({ fired: 1, missed: 2 });
    expect(second.fired).toEqual([
      { taskId: 'daily0001', scheduledTime: '2026-03-30T07:00:00.000Z', firedAt: '2026-03-30T07:03:00.000Z' },
    ]);
    // One report for the outage: its first run, how many, and the last.
    expect(second.missed.map((m) => [m.scheduledTime, m.span])).toEqual([
      [
        '2026-03-28T08:00:00.000Z',
        { count: 2, atLeast: false, lastScheduledTime: '2026-03-29T07:00:00.000Z' },
      ],
    ]);
    const [only] = second.missed;
    expect(only && describeMissedRuns(only.scheduledTime, only.span)).toBe(
      '2 runs missed between 2026-03-28 08:00 UTC and 2026-03-29 07:00 UTC',
    );
    expect(second.gateway.stats()).toMatchObject({ armed: 1, fired: 1 });
    await second.clock.advance('1d');
    expect(second.times('daily0001')).toEqual(['2026-03-30T07:00:00.000Z', '2026-03-31T07:00:00.000Z']);
  });

  it('reports a run as missed once it is later than the grace period', async () => {
    const second = await runThenStop('67h10m');
    await expect(second.gateway.start()).resolves.toEqual({ fired: 0, missed: 3 });
    expect(second.fired).toEqual([]);
  });

  it('never repeats a run after a restart, and reports missed runs only once', async () => {
    const second = await runThenStop('67h3m');
    await second.gateway.start();
    await second.gateway.stop();
    const third = setup('', { repository: second.repository, clock: second.clock });
    await expect(third.gateway.start()).resolves.toEqual({ fired: 0, missed: 0 });
  });

  it('reports a day of a minutely schedule as one span of every run it missed', async () => {
    const first = setup('2026-03-26T12:00:00Z');
    await first.gateway.start();
    await first.gateway.create(definition('minute001', 'rate(1 minute)'), 't1');
    await first.clock.advance('10m');
    await first.gateway.stop();
    await first.clock.advance('1d');
    const second = setup('', { repository: first.repository, clock: first.clock });
    const result = await second.gateway.start();
    expect(result.fired).toBe(1);
    expect(result.missed).toBeGreaterThan(1_400);
    expect(second.missed).toHaveLength(1);
    expect(second.missed[0]?.span).toMatchObject({ count: result.missed, atLeast: false });
  });

  it('does not arm or catch up disabled schedules', async () => {
    const first = setup('2026-03-26T12:00:00Z');
    await first.gateway.create(definition('daily0001', 'cron(0 9 * * ? *)', { state: 'DISABLED' }), 't1');
    await first.clock.advance('3d');
    await expect(first.gateway.start()).resolves.toEqual({ fired: 0, missed: 0 });
    expect(first.gateway.stats().armed).toBe(0);
  });
});

describe('EmbeddedScheduleGateway.sync', () => {
  it('picks up definitions another process wrote to the repository, and drops deleted ones', async () => {
    const { clock, gateway, repository, times } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    // What the CLI does: its own (not started) gateway over the same repository.
    const cli = new EmbeddedScheduleGateway({ repository, clock, onFire: async () => {} });
    await cli.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await repository.put({
      name: 'task-raw00001',
      expression: 'cron(0 10 * * ? *)',
      timeZone: 'UTC',
      state: 'ENABLED',
      taskId: 'raw00001',
      guildId: GUILD,
    });
    expect(gateway.stats().armed).toBe(0);
    await gateway.sync();
    expect(gateway.stats().armed).toBe(2);
    await clock.advance('1d');
    expect(times('daily0001')).toEqual(['2026-03-27T08:00:00.000Z']);
    expect(times('raw00001')).toEqual(['2026-03-27T10:00:00.000Z']);

    await cli.update({ ...definition('daily0001', 'cron(0 9 * * ? *)'), state: 'DISABLED' });
    await repository.delete('task-raw00001');
    await gateway.sync();
    expect(gateway.stats().armed).toBe(0);
    await clock.advance('2d');
    expect(times('daily0001')).toHaveLength(1);
    expect(times('raw00001')).toHaveLength(1);
  });

  it('skips a run the CLI disabled even before the next sync', async () => {
    const { clock, gateway, repository, times } = setup('2026-03-26T12:00:00Z');
    await gateway.start();
    const daily = definition('daily0001', 'cron(0 9 * * ? *)');
    await gateway.create(daily, 't1');
    const cli = new EmbeddedScheduleGateway({ repository, clock, onFire: async () => {} });
    await cli.update({ ...daily, state: 'DISABLED' });
    await clock.advance('1d');
    expect(times('daily0001')).toEqual([]);
  });
});

describe('EmbeddedScheduleGateway with the local invoker', () => {
  it('retries a failing run through the clock and dead-letters it, while the schedule keeps firing', async () => {
    const clock = new ManualClock(new Date('2026-03-26T12:00:00Z'));
    const attempts: string[] = [];
    const deadLetters: string[] = [];
    const invoker = createLocalInvoker({
      execute: async () => {
        attempts.push(clock.now().toISOString());
        throw new Error('Discord is down');
      },
      onDeadLetter: async (input) => {
        deadLetters.push(input.type === 'scheduled' ? input.scheduledTime : '?');
      },
      clock,
    });
    const gateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: (event) => invoker.run(event),
    });
    await gateway.start();
    await gateway.create(definition('daily0001', 'cron(0 9 * * ? *)'), 't1');
    await clock.advance('2d');
    expect(attempts).toEqual([
      '2026-03-27T08:00:00.000Z',
      '2026-03-27T08:01:00.000Z',
      '2026-03-27T08:03:00.000Z',
      '2026-03-28T08:00:00.000Z',
      '2026-03-28T08:01:00.000Z',
      '2026-03-28T08:03:00.000Z',
    ]);
    expect(deadLetters).toEqual(['2026-03-27T08:00:00.000Z', '2026-03-28T08:00:00.000Z']);
    expect(gateway.stats()).toEqual({ armed: 1, fired: 2, inFlight: 0 });
  });

  it('stop waits for runs in flight and cancels the timers', async () => {
    const clock = new ManualClock(new Date('2026-03-26T12:00:00Z'));
    let release: () => void = () => {};
    let finished = false;
    const gateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        finished = true;
      },
    });
    await gateway.start();
    await gateway.create(definition('every0001', 'rate(1 hour)'), 't1');
    // The rate fires at creation; its run is now in flight.
    await new Promise((resolve) => setImmediate(resolve));
    expect(gateway.stats()).toMatchObject({ armed: 1, inFlight: 1 });
    const stopped = gateway.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
    expect(gateway.stats()).toEqual({ armed: 0, fired: 1, inFlight: 0 });
    expect(clock.pendingTimers).toBe(0);
  });
});
