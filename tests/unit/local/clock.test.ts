import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../lib/errors.ts';
import { ManualClock, parseDuration, SystemTimerClock } from '../../../lib/local/clock.ts';

const T0 = new Date('2026-03-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('ManualClock', () => {
  it('starts at the given instant and moves only when advanced', async () => {
    const clock = new ManualClock(T0);
    expect(clock.now()).toEqual(T0);
    await clock.advance('90m');
    expect(clock.now().toISOString()).toBe('2026-03-01T01:30:00.000Z');
    await clock.advanceTo(new Date('2026-03-02T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });

  it('fires due timers in chronological order, ties in the order they were set, each at its instant', async () => {
    const clock = new ManualClock(T0);
    const log: string[] = [];
    const record = (label: string) => () => {
      log.push(`${label}@${clock.now().getTime() - T0.getTime()}`);
    };
    clock.setTimer(at(3_000), record('c'));
    clock.setTimer(at(1_000), record('a'));
    clock.setTimer(at(2_000), record('b1'));
    clock.setTimer(at(2_000), record('b2'));
    clock.setTimer(at(10_000), record('late'));
    await clock.advance(5_000);
    expect(log).toEqual(['a@1000', 'b1@2000', 'b2@2000', 'c@3000']);
    expect(clock.pendingTimers).toBe(1);
  });

  it('fires timers that callbacks set while time moves, when they fall inside the advance', async () => {
    const clock = new ManualClock(T0);
    const fired: number[] = [];
    const tick = () => {
      fired.push(clock.now().getTime() - T0.getTime());
      clock.setTimer(at(fired.length * 60_000 + 60_000), tick);
    };
    clock.setTimer(at(60_000), tick);
    await clock.advance('5m');
    expect(fired).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
  });

  it('waits for the async work a callback started before firing the next timer', async () => {
    const clock = new ManualClock(T0);
    const log: string[] = [];
    clock.setTimer(at(1_000), async () => {
      log.push('first started');
      for (let i = 0; i < 5; i++) await nextTurn();
      log.push('first finished');
    });
    clock.setTimer(at(2_000), () => {
      log.push('second');
    });
    await clock.advance(3_000);
    expect(log).toEqual(['first started', 'first finished', 'second']);
  });

  it('starts every timer due at one instant before awaiting any, then waits for all of them', async () => {
    const clock = new ManualClock(T0);
    const log: string[] = [];
    const slow = (label: string) => async () => {
      log.push(`${label} started`);
      for (let i = 0; i < 5; i++) await nextTurn();
      log.push(`${label} finished`);
    };
    clock.setTimer(at(1_000), slow('a'));
    clock.setTimer(at(1_000), slow('b'));
    clock.setTimer(at(2_000), () => {
      log.push('later');
    });
    await clock.advance(3_000);
    expect(log.slice(0, 2)).toEqual(['a started', 'b started']);
    expect(log.slice(2, 4).sort()).toEqual(['a finished', 'b finished']);
    expect(log[4]).toBe('later');
  });

  it('lets a callback sleep on the clock: advance returns while it sleeps, and resumes it later', async () => {
    const clock = new ManualClock(T0);
    const log: string[] = [];
    clock.setTimer(at(0), async () => {
      log.push('before sleep');
      await clock.sleep(3_600_000);
      log.push(`after sleep at ${clock.now().toISOString()}`);
    });
    await clock.advance('30m');
    expect(log).toEqual(['before sleep']);
    await clock.advance('30m');
    expect(log).toEqual(['before sleep', 'after sleep at 2026-03-01T01:00:00.000Z']);
  });

  it('does not fire a cancelled timer', async () => {
    const clock = new ManualClock(T0);
    const fn = vi.fn();
    clock.setTimer(at(1_000), fn).cancel();
    await clock.advance(2_000);
    expect(fn).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set in the past on the next advance, even by zero', async () => {
    const clock = new ManualClock(T0);
    const fn = vi.fn();
    clock.setTimer(at(-5_000), fn);
    await clock.advance(0);
    expect(fn).toHaveBeenCalledOnce();
  });

  it('reports a callback failure from advance', async () => {
    const clock = new ManualClock(T0);
    clock.setTimer(at(1), async () => {
      throw new Error('boom');
    });
    await expect(clock.advance(10)).rejects.toThrow('boom');
  });

  it('refuses to move backwards', async () => {
    const clock = new ManualClock(T0);
    await expect(clock.advanceTo(at(-1))).rejects.toThrow(RangeError);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});

describe('SystemTimerClock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits out delays longer than setTimeout can hold, in chunks', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock = new SystemTimerClock();
    const fn = vi.fn();
    clock.setTimer(at(30 * 86_400_000), fn);
    await vi.advanceTimersByTimeAsync(29 * 86_400_000);
    expect(fn).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(fn).toHaveBeenCalledOnce();
  });

  it('can cancel a long timer between chunks', async () => {
    vi.useFakeTimers({ now: T0 });
    const clock = new SystemTimerClock();
    const fn = vi.fn();
    const handle = clock.setTimer(at(40 * 86_400_000), fn);
    await vi.advanceTimersByTimeAsync(26 * 86_400_000);
    handle.cancel();
    await vi.advanceTimersByTimeAsync(20 * 86_400_000);
    expect(fn).not.toHaveBeenCalled();
  });

  it('hands a rejected callback to onError instead of leaving it unhandled', async () => {
    vi.useFakeTimers({ now: T0 });
    const onError = vi.fn();
    const clock = new SystemTimerClock({ onError });
    clock.setTimer(at(10), () => Promise.reject(new Error('nope')));
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'nope' }));
  });
});

describe('parseDuration', () => {
  it.each([
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['250ms', 250],
    ['1d12h', 129_600_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 'h', '1y', '1h 30m', '-1h'])('rejects %j naming the field', (text) => {
    expect(() => parseDuration(text)).toThrow(ValidationError);
    expect(() => parseDuration(text)).toThrow(/duration/);
  });
});
