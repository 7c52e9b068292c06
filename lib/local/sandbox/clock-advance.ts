import { randomBytes } from 'node:crypto';
import type { SandboxClock } from './sandbox-clock.ts';

/** How far one `clock advance` has got: what the CLI polls and prints while the sandbox catches up. */
export interface AdvanceProgress {
  id: string;
  from: string;
  to: string;
  /** The sandbox time reached so far (the time of the run being fired, while stepping). */
  now: string;
  /** Scheduled runs fired so far by this advance. */
  fired: number;
  done: boolean;
  /** Set when the advance ended early; `now` says how far it got. */
  error?: string;
}

export interface ClockAdvancerDeps {
  clock: SandboxClock;
  /** Scheduled runs fired since start (the gateway's counter). */
  firedSoFar: () => number;
  /** Saves the offset the jump will reach, before it starts: a crash meanwhile restarts at that time. */
  persistOffset: (offsetMs: number) => Promise<void>;
  /** Waits for work started meanwhile (a /summarize) once the jump is done. */
  drain: () => Promise<void>;
}

/**
 * Runs `clock advance` as a job the CLI polls, so an advance over weeks of schedules is never cut off by
 * an HTTP timeout and shows how far it got. One advance at a time: the clock only moves forward, in order.
 */
export class ClockAdvancer {
  readonly #deps: ClockAdvancerDeps;
  #current: { progress: AdvanceProgress; firedBefore: number } | undefined;
  #running: Promise<void> = Promise.resolve();

  constructor(deps: ClockAdvancerDeps) {
    this.#deps = deps;
  }

  /** Starts moving the clock `ms` forward; undefined while another advance is still running. */
  start(ms: number): AdvanceProgress | undefined {
    if (this.#current && !this.#current.progress.done) return undefined;
    const from = this.#deps.clock.now();
    const progress: AdvanceProgress = {
      id: randomBytes(6).toString('hex'),
      from: from.toISOString(),
      to: new Date(from.getTime() + ms).toISOString(),
      now: from.toISOString(),
      fired: 0,
      done: false,
    };
    const job = { progress, firedBefore: this.#deps.firedSoFar() };
    this.#current = job;
    void this.#run(job, ms);
    return { ...progress };
  }

  /** The advance with this id, as far as it got; undefined for an unknown id. */
  progress(id: string): AdvanceProgress | undefined {
    const job = this.#current;
    if (!job || job.progress.id !== id) return undefined;
    if (!job.progress.done) {
      job.progress.now = this.#deps.clock.now().toISOString();
      job.progress.fired = this.#deps.firedSoFar() - job.firedBefore;
    }
    return { ...job.progress };
  }

  /** Resolves once no advance runs (shutdown waits for it before closing the store). */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #run(job: { progress: AdvanceProgress; firedBefore: number }, ms: number): Promise<void> {
    const work = (async () => {
      try {
        await this.#deps.persistOffset(this.#deps.clock.offsetMs + ms);
        await this.#deps.clock.advance(ms);
        await this.#deps.drain();
      } catch (error) {
        job.progress.error = error instanceof Error ? error.message : String(error);
      } finally {
        job.progress.now = this.#deps.clock.now().toISOString();
        job.progress.fired = this.#deps.firedSoFar() - job.firedBefore;
        job.progress.done = true;
      }
    })();
    this.#running = work;
    await work;
  }
}
