import { RunTakenOverError } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { RunRecord } from '../tasks/run-record.ts';

/**
 * The one writer of a claimed run record. Writes are queued, so a progress write (a delivered destination)
 * never overtakes a later one; and while the run works, a heartbeat keeps its lease short and alive: if the
 * invocation dies, the lease runs out within `leaseMs` and Lambda's next retry takes the run over.
 *
 * Every write is conditional on the record's `claimId`: an attempt that stalled past its lease (a process
 * paused, a call that hung) and was taken over learns so at its next write and stops there (RunTakenOverError),
 * so it neither overwrites the record of the attempt that holds the run now nor posts after it.
 */
export class RunWriter {
  #chain: Promise<void> = Promise.resolve();
  #heartbeat: NodeJS.Timeout | undefined;
  #lost: RunTakenOverError | undefined;
  /** The lease the store holds for this attempt (the last write that succeeded), in epoch ms. */
  #heldUntil = 0;

  constructor(
    readonly run: RunRecord,
    private readonly deps: { store: TaskStore; clock: Clock; logger: Logger; leaseMs: number },
  ) {
    // `run` is the record the claim wrote, lease included.
    this.#heldUntil = run.leaseUntil ? Date.parse(run.leaseUntil) : 0;
  }

  /** Queues a write of the record as it is now; resolves when that write is done. */
  write(): Promise<void> {
    const snapshot = structuredClone(this.run);
    const next = this.#chain
      .catch(() => undefined)
      .then(async () => {
        if (this.#lost) throw this.#lost;
        try {
          await this.deps.store.putClaimedRun(snapshot);
          this.#heldUntil = snapshot.leaseUntil ? Date.parse(snapshot.leaseUntil) : 0;
        } catch (error) {
          if (error instanceof RunTakenOverError) {
            this.#lost = error;
            clearInterval(this.#heartbeat);
          }
          throw error;
        }
      });
    this.#chain = next;
    return next;
  }

  /**
   * Confirms this attempt still holds the run: called before each side effect (a post, a webhook call).
   * Rejects with RunTakenOverError once another attempt took the run over. While the lease last written has
   * at least half its length to run nobody can have taken the run over (a claim waits for the lease to run
   * out), so that costs no write; after a stall it renews the lease, conditional on the claim.
   */
  async confirm(): Promise<void> {
    await this.#chain.catch(() => undefined);
    if (this.#lost) throw this.#lost;
    if (this.#heldUntil - this.deps.clock.now().getTime() >= this.deps.leaseMs / 2) return;
    this.#renew();
    await this.write();
  }

  /** Renews the lease every third of its length until `stop`. */
  startHeartbeat(): void {
    const every = Math.max(1_000, Math.floor(this.deps.leaseMs / 3));
    this.#heartbeat = setInterval(() => {
      if (this.run.status !== 'running' || this.#lost) return;
      this.#renew();
      this.write().catch((error: unknown) => {
        if (error instanceof RunTakenOverError) {
          this.deps.logger.warn('the run lease ran out and another attempt took the run over', {});
          return;
        }
        // A missed renewal only shortens the lease; the next one (or the final write) follows.
        this.deps.logger.warn('could not renew the run lease', { error });
      });
    }, every);
    this.#heartbeat.unref();
  }

  /** Stops the heartbeat and waits for queued writes. */
  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#chain.catch(() => undefined);
  }

  #renew(): void {
    if (this.run.status !== 'running') return;
    this.run.leaseUntil = new Date(this.deps.clock.now().getTime() + this.deps.leaseMs).toISOString();
  }
}
