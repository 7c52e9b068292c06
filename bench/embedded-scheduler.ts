/**
 * The embedded scheduler's cost: heap per armed schedule (10,000 schedules on real, unref'd timers) and the
 * time one fire takes (read the definition, compute the next run, record the watermark, re-arm, dispatch),
 * with an in-memory repository and a no-op executor. Prints the figures; asserts nothing.
 * Run: node --expose-gc --import tsx bench/embedded-scheduler.ts
 */
import { performance } from 'node:perf_hooks';
import type { TimerClock, TimerHandle } from '../lib/local/clock.ts';
import { SystemTimerClock } from '../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../lib/local/embedded-scheduler.ts';
import { InMemoryScheduleRepository, type StoredSchedule } from '../lib/scheduling/schedule-repository.ts';
import { nextRuns } from '../lib/tasks/next-runs.ts';

const N = 10_000;
const ZONES = ['Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

function stored(i: number, expression: string, now: Date): StoredSchedule {
  const id = `bench${String(i).padStart(6, '0')}`;
  return {
    name: `task-${id}`,
    expression,
    timeZone: ZONES[i % ZONES.length] ?? 'Etc/UTC',
    state: 'ENABLED',
    taskId: id,
    guildId: '123456789012345678',
    startDate: now.toISOString(),
    lastFiredAt: now.toISOString(),
  };
}

async function memoryPerArmedSchedule(): Promise<void> {
  const now = new Date();
  const repository = new InMemoryScheduleRepository();
  // Daily runs in 2030: armed (on chunked timers) but never due while this runs.
  for (let i = 0; i < N; i++) await repository.put(stored(i, `cron(${i % 60} ${i % 24} * * ? 2030)`, now));
  const gateway = new EmbeddedScheduleGateway({
    repository,
    clock: new SystemTimerClock(),
    onFire: async () => {},
  });
  // Warm nextRuns' caches (compiled expressions, zones) so the delta is the gateway's own state.
  for (const def of await repository.list()) nextRuns(def.expression, def.timeZone, now, 1);
  const before = heapUsed();
  const started = performance.now();
  await gateway.start();
  const startMs = performance.now() - started;
  const after = heapUsed();
  const { armed } = gateway.stats();
  console.log(`armed ${armed} schedules in ${startMs.toFixed(0)} ms (start(): list, catch-up check, arm)`);
  console.log(
    `heap per armed schedule: ${((after - before) / armed).toFixed(0)} bytes (gateway state + timer; the repository's copy is not counted)${gc ? '' : '  [run with --expose-gc for stable figures]'}`,
  );
  await gateway.stop();
}

/** A clock whose timers the bench fires by hand, so the figure is the scheduler's work, not the clock's. */
class QueueClock implements TimerClock {
  current: number;
  queue: Array<{ at: number; fn: () => unknown; cancelled: boolean }> = [];
  constructor(start: Date) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  setTimer(at: Date, fn: () => unknown): TimerHandle {
    const timer = { at: at.getTime(), fn, cancelled: false };
    this.queue.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }
  async sleep(): Promise<void> {}
  /** Fires every queued timer due by `until`, one after another, awaiting each. Returns how many. */
  async drain(until: number): Promise<number> {
    const due = this.queue.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at);
    this.queue = this.queue.filter((t) => !t.cancelled && t.at > until);
    for (const timer of due) {
      this.current = Math.max(this.current, timer.at);
      await timer.fn();
    }
    this.current = until;
    return due.length;
  }
}

async function overheadPerFire(
  label: string,
  expression: (i: number) => string,
  step: number,
): Promise<void> {
  const start = new Date('2026-03-26T12:00:00Z');
  const clock = new QueueClock(start);
  const repository = new InMemoryScheduleRepository();
  for (let i = 0; i < N; i++) await repository.put(stored(i, expression(i), start));
  let fired = 0;
  const gateway = new EmbeddedScheduleGateway({
    repository,
    clock,
    onFire: async () => {
      fired++;
    },
  });
  await gateway.start();
  const t0 = performance.now();
  const count = await clock.drain(start.getTime() + step);
  const ms = performance.now() - t0;
  console.log(
    `${label}: ${count} fires (${fired} dispatched) in ${ms.toFixed(0)} ms = ${((ms * 1000) / count).toFixed(1)} µs per fire`,
  );
  await gateway.stop();
}

await memoryPerArmedSchedule();
await overheadPerFire('rate(1 minute)', () => 'rate(1 minute)', 60_000);
await overheadPerFire('daily cron in 5 zones', (i) => `cron(${i % 60} ${i % 24} * * ? *)`, 86_400_000);
