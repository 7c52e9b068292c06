import type { Logger } from '../observability/logger.ts';
import type { TaskStore } from '../scheduling/ports.ts';
import type { Clock } from '../shared/clock.ts';
import type { RunRecord } from '../tasks/task.ts';

/**
 * The one writer of a claimed run record. Writes are queued, so a progress write (a delivered destination)
 * never overtakes a later one; and while the run works, a heartbeat keeps its lease short and alive: if the
 * invocation dies, the lease runs out within `leaseMs` and Lambda's next retry takes the run over.
 */
export class RunWriter {
  #chain: Promise<void> = Promise.resolve();
  #heartbeat: NodeJS.Timeout | undefined;

  constructor(
    readonly run: RunRecord,
    private readonly deps: { store: TaskStore; clock: Clock; logger: Logger; leaseMs: number },
  ) {}

  /** Queues a write of the record as it is now; resolves when that write is done. */
  write(): Promise<void> {
    const snapshot = structuredClone(this.run);
    const next = this.#chain.catch(() => undefined).then(() => this.deps.store.putRun(snapshot));
    this.#chain = next;
    return next;
  }

  /** Renews the lease every third of its length until `stop`. */
  startHeartbeat(): void {
    const every = Math.max(1_000, Math.floor(this.deps.leaseMs / 3));
    this.#heartbeat = setInterval(() => {
      if (this.run.status !== 'running') return;
      this.run.leaseUntil = new Date(this.deps.clock.now().getTime() + this.deps.leaseMs).toISOString();
      this.write().catch((error: unknown) =>
        // A missed renewal only shortens the lease; the next one (or the final write) follows.
        this.deps.logger.warn('could not renew the run lease', { error }),
      );
    }, every);
    this.#heartbeat.unref();
  }

  /** Stops the heartbeat and waits for queued writes. */
  async stop(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#chain.catch(() => undefined);
  }
}
