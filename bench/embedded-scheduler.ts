/**
 * The embedded scheduler's cost: heap per armed schedule (10,000 schedules on real, unref'd timers) and the
 * time one fire takes (read the definition, compute the next run, record the watermark, re-arm, dispatch),
 * with an in-memory repository and a no-op executor. Prints the figures; asserts nothing.
 * Run: node --import tsx bench/embedded-scheduler.ts (garbage collection is exposed on demand).
 */
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { TimerClock, TimerHandle } from '../lib/local/clock.ts';
import { SystemTimerClock } from '../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../lib/local/embedded-scheduler.ts';
import { InMemoryScheduleRepository, type StoredSchedule } from '../lib/scheduling/schedule-repository.ts';
import { nextRuns } from '../lib/tasks/next-runs.ts';

const DEFAULT_N = 10_000;
const ZONES = ['Etc/UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney'];
/** A full garbage collection, exposed on demand so the runner needs no `--expose-gc` flag. */
export function collectGarbage(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as (() => void) | undefined;
}
const gc = collectGarbage();

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

/** Heap bytes per armed schedule (and the time start() takes) with `n` daily schedules armed. */
export async function memoryPerArmedSchedule(
  N = DEFAULT_N,
): Promise<{ armed: number; bytesPerSchedule: number; startMs: number }> {
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
  await gateway.stop();
  return { armed, bytesPerSchedule: (after - before) / armed, startMs };
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

/** Microseconds of scheduler work per fire, firing `n` schedules by hand over one `step` of the clock. */
export async function overheadPerFire(
  expression: (i: number) => string,
  step: number,
  N = DEFAULT_N,
): Promise<{ fires: number; dispatched: number; usPerFire: number }> {
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
  await gateway.stop();
  return { fires: count, dispatched: fired, usPerFire: (ms * 1000) / count };
}

/** The two schedule mixes the figures fire. */
export const FIRE_MIXES = {
  'rate(1 minute)': { expression: () => 'rate(1 minute)', step: 60_000 },
  'daily cron in 5 zones': {
    expression: (i: number) => `cron(${i % 60} ${i % 24} * * ? *)`,
    step: 86_400_000,
  },
} as const;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const memory = await memoryPerArmedSchedule();
  console.log(
    `armed ${memory.armed} schedules in ${memory.startMs.toFixed(0)} ms (start(): list, catch-up check, arm)`,
  );
  console.log(
    `heap per armed schedule: ${memory.bytesPerSchedule.toFixed(0)} bytes (gateway state + timer; the repository's copy is not counted)`,
  );
  for (const [label, mix] of Object.entries(FIRE_MIXES)) {
    const r = await overheadPerFire(mix.expression, mix.step);
    console.log(
      `${label}: ${r.fires} fires (${r.dispatched} dispatched) = ${r.usPerFire.toFixed(1)} µs per fire`,
    );
  }
}
