/** A function whose callers are built before it is: `call` may be handed out now, `bind` comes later. */
export interface LateBound<A extends unknown[], R> {
  /** Calls the bound function; before `bind`, throws naming what was called too early. */
  readonly call: (...args: A) => R;
  /** Supplies the function; once only. */
  bind(fn: (...args: A) => R): void;
}

/**
 * Breaks a construction cycle without a mutable variable and casts: the embedded scheduler fires runs
 * through the invoker, which runs the executor, which disables tasks through the scheduler service built on
 * that gateway. The gateway gets `call` at construction; the invoker is bound once it exists, before the
 * gateway starts.
 */
export function lateBound<A extends unknown[], R>(what: string): LateBound<A, R> {
  let bound: ((...args: A) => R) | undefined;
  return {
    call: (...args) => {
      if (!bound) throw new Error(`${what} was called before it was bound`);
      return bound(...args);
    },
    bind(fn) {
      if (bound) throw new Error(`${what} is already bound`);
      bound = fn;
    },
  };
}
