import { describe, expect, it } from 'vitest';
import { lazy } from '../../../lib/shared/lazy.ts';

describe('lazy', () => {
  it('builds on the first call and returns the same value after', () => {
    let builds = 0;
    const get = lazy(() => ({ build: ++builds }));
    expect(builds).toBe(0);
    const first = get();
    expect(get()).toBe(first);
    expect(builds).toBe(1);
  });

  it('keeps a promise that resolves', async () => {
    let builds = 0;
    const get = lazy(async () => ++builds);
    expect(await get()).toBe(1);
    expect(await get()).toBe(1);
  });

  it('forgets a promise that rejects, so the next call builds again', async () => {
    let builds = 0;
    const get = lazy(async () => {
      builds += 1;
      if (builds === 1) throw new Error('secret not readable yet');
      return builds;
    });
    await expect(get()).rejects.toThrow('secret not readable yet');
    expect(await get()).toBe(2);
    expect(await get()).toBe(2);
  });
});
