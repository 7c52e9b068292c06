/** Wall-clock time, injected so the embedded scheduler, the sandbox and tests can move it. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };
