import { ScheduleGatewayError } from '../errors.ts';
import type { ScheduledRunInput } from '../execution/executor-input.ts';
import type { ScheduleDefinition, ScheduleGateway, ScheduleSummary } from '../scheduling/ports.ts';
import {
  fromStoredSchedule,
  type ScheduleDefinitionRepository,
  type StoredSchedule,
} from '../scheduling/schedule-repository.ts';
import { parseExpression } from '../tasks/expressions.ts';
import type { TimerClock, TimerHandle } from './clock.ts';
import { catchUp, type Due, dueRuns, type MissedSpan, NOTHING_DUE } from './schedule-catch-up.ts';
import {
  checkClientToken,
  sameDefinition,
  signatureOf,
  storedForWrite,
  validateDefinition,
} from './schedule-rules.ts';

export interface EmbeddedScheduleGatewayOptions {
  /** Where definitions live; shared with the CLI, which changes them while the runtime runs. */
  repository: ScheduleDefinitionRepository;
  clock: TimerClock;
  /** Invokes the executor for a due run (the local invoker's `run`, which carries Lambda's retry policy). */
  onFire: (event: ScheduledRunInput) => Promise<void>;
  /**
   * How late a run may still start: EventBridge's MaximumEventAgeInSeconds. A run due while the process
   * was down fires when it comes back only if it is at most this late.
   */
  gracePeriodMs?: number;
  /**
   * Told once per schedule and catch-up about the runs that were due while the process was down and are
   * too late to fire: the first of them, how many there were and when the last was due. A long outage is
   * one report ("1,440 runs missed between A and B"), not one per run.
   */
  onMissed?: (first: ScheduledRunInput, span: MissedSpan) => Promise<void>;
  /** Missed runs are counted up to this many per schedule and catch-up (then "at least" this many). */
  maxMissedPerSchedule?: number;
  /**
   * Makes a due run durable before the watermark moves past it (the local runtime writes its run record),
   * so a process killed between the two still owes the run at its next start. A rejection leaves the
   * watermark where it was: the next sync tries again.
   */
  enqueue?: (event: ScheduledRunInput) => Promise<void>;
  /** Failures that happen on a timer, where nobody awaits them (store errors, a rejected `onFire`). */
  onError?: (error: unknown, context: { schedule: string; action: string }) => void;
}

/** What the process knows about one stored schedule. */
interface Known {
  /** The definition's fields that decide when it fires; a change re-arms it. */
  signature: string;
  handle: TimerHandle | undefined;
  /** Handled and nothing to arm (disabled, or no run left): sync leaves it alone until it changes. */
  idle: boolean;
  /** Every run due at or before this instant (ms) is handled; max of the stored and in-memory values. */
  watermark: number;
}

/**
 * ScheduleGateway for one machine, with EventBridge Scheduler's semantics: the same expressions, zones and
 * DST rules (nextRuns), one timer per enabled schedule, one-time schedules deleted after they ran, a
 * grace period for late runs. Definitions live in the repository; `start` arms them and catches up on
 * runs due while the process was down, `sync` follows changes other processes (the CLI) made.
 *
 * Each stored definition carries a watermark (`lastFiredAt`): every run due at or before it is handled
 * (fired or reported missed). Creating or updating a schedule sets it to "now", as EventBridge owes no run
 * from before a schedule existed or while it was disabled.
 */
export class EmbeddedScheduleGateway implements ScheduleGateway {
  readonly #repository: ScheduleDefinitionRepository;
  readonly #clock: TimerClock;
  readonly #onFire: (event: ScheduledRunInput) => Promise<void>;
  readonly #onMissed: EmbeddedScheduleGatewayOptions['onMissed'];
  readonly #enqueue: EmbeddedScheduleGatewayOptions['enqueue'];
  readonly #graceMs: number;
  readonly #maxMissed: number;
  readonly #onError: (error: unknown, context: { schedule: string; action: string }) => void;

  readonly #known = new Map<string, Known>();
  readonly #locks = new Map<string, Promise<void>>();
  readonly #inFlight = new Set<Promise<void>>();
  #started = false;
  /** Bumped by stop(), so work that began before it arms nothing after it. */
  #generation = 0;
  #fired = 0;

  constructor(options: EmbeddedScheduleGatewayOptions) {
    this.#repository = options.repository;
    this.#clock = options.clock;
    this.#onFire = options.onFire;
    this.#onMissed = options.onMissed;
    this.#enqueue = options.enqueue;
    this.#graceMs = options.gracePeriodMs ?? 300_000;
    this.#maxMissed = options.maxMissedPerSchedule ?? 10_000;
    this.#onError =
      options.onError ??
      ((error, context) => console.error(`schedule ${context.schedule}: ${context.action} failed`, error));
    if (!Number.isInteger(this.#graceMs) || this.#graceMs < 0) {
      throw new RangeError(`gracePeriodMs: expected a whole number >= 0, got ${this.#graceMs}`);
    }
  }

  // ---- ScheduleGateway -------------------------------------------------------------------------------

  async create(definition: ScheduleDefinition, clientToken: string): Promise<void> {
    checkClientToken(clientToken);
    const now = this.#clock.now();
    validateDefinition(definition, now);
    const existing = await this.#store('create', definition.name, () =>
      this.#repository.get(definition.name),
    );
    if (existing) {
      // CreateSchedule is idempotent: the same definition again is a success, a different one a conflict.
      if (sameDefinition(existing, definition)) return;
      throw new ScheduleGatewayError('conflict', `Schedule ${definition.name} already exists`);
    }
    const stored = storedForWrite(definition, now, undefined);
    await this.#store('create', definition.name, () => this.#repository.put(stored));
    await this.#refresh(stored);
  }

  async update(definition: ScheduleDefinition): Promise<void> {
    const now = this.#clock.now();
    validateDefinition(definition, now);
    const existing = await this.#store('update', definition.name, () =>
      this.#repository.get(definition.name),
    );
    if (!existing) throw new ScheduleGatewayError('not_found', `Schedule ${definition.name} does not exist`);
    const stored = storedForWrite(definition, now, existing);
    await this.#store('update', definition.name, () => this.#repository.put(stored));
    await this.#refresh(stored);
  }

  async delete(name: string): Promise<void> {
    await this.#store('delete', name, () => this.#repository.delete(name));
    await this.#withLock(name, async () => {
      this.#disarm(name);
    });
  }

  async get(name: string): Promise<ScheduleDefinition | undefined> {
    const stored = await this.#store('get', name, () => this.#repository.get(name));
    return stored ? fromStoredSchedule(stored) : undefined;
  }

  async list(): Promise<ScheduleSummary[]> {
    const all = await this.#store('list', 'group', () => this.#repository.list());
    return all.map((stored) => ({ name: stored.name, state: stored.state }));
  }

  // ---- The running scheduler ---------------------------------------------------------------------------

  /**
   * Arms every enabled schedule. Runs that came due while the process was down: the latest one still
   * within the grace period fires now; older ones go to `onMissed` (capped per schedule).
   */
  async start(): Promise<{ fired: number; missed: number }> {
    if (this.#started) return { fired: 0, missed: 0 };
    this.#started = true;
    const all = await this.#store('start', 'group', () => this.#repository.list());
    let fired = 0;
    let missed = 0;
    for (const stored of all) {
      const due = await this.#withLock(stored.name, () => this.#handle(stored)).catch((error: unknown) =>
        this.#failed(stored.name, 'start', error),
      );
      fired += due.fire ? 1 : 0;
      missed += due.missed?.span.count ?? 0;
      this.#dispatch(stored.name, due);
    }
    return { fired, missed };
  }

  /** Re-reads the repository and arms, re-arms or disarms to match it (changes the CLI made). */
  async sync(): Promise<void> {
    if (!this.#started) return;
    const all = await this.#store('sync', 'group', () => this.#repository.list());
    const present = new Set<string>();
    for (const stored of all) {
      present.add(stored.name);
      const known = this.#known.get(stored.name);
      if (known?.signature === signatureOf(stored) && (known.handle !== undefined || known.idle)) continue;
      const due = await this.#withLock(stored.name, async () => {
        // Re-read: the timer may have handled it while we waited for the lock.
        const current = await this.#repository.get(stored.name);
        if (current) return this.#handle(current);
        this.#disarm(stored.name);
        return NOTHING_DUE;
      }).catch((error: unknown) => this.#failed(stored.name, 'sync', error));
      this.#dispatch(stored.name, due);
    }
    for (const name of [...this.#known.keys()]) {
      if (!present.has(name)) await this.#withLock(name, async () => this.#disarm(name));
    }
  }

  /** Cancels every timer and waits (at most `timeoutMs` of real time) for runs in flight. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.#started = false;
    this.#generation++;
    for (const name of [...this.#known.keys()]) this.#disarm(name);
    if (this.#inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.#inFlight]), deadline]);
    clearTimeout(timer);
  }

  /** Armed timers, runs fired since construction, runs whose `onFire` has not settled. */
  stats(): { armed: number; fired: number; inFlight: number } {
    let armed = 0;
    for (const known of this.#known.values()) if (known.handle) armed++;
    return { armed, fired: this.#fired, inFlight: this.#inFlight.size };
  }

  // ---- Internals -------------------------------------------------------------------------------------

  /** After a write through this gateway: arm the stored definition if the scheduler runs. */
  async #refresh(stored: StoredSchedule): Promise<void> {
    if (!this.#started) return;
    const due = await this.#withLock(stored.name, () => this.#handle(stored));
    this.#dispatch(stored.name, due);
  }

  /** A timer went off: handle the schedule as it is stored now (the CLI may have changed it). */
  async #onTimer(name: string, generation: number): Promise<void> {
    if (generation !== this.#generation) return;
    const due = await this.#withLock(name, async () => {
      const known = this.#known.get(name);
      if (known) known.handle = undefined;
      const stored = await this.#repository.get(name);
      if (!stored) {
        this.#disarm(name);
        return NOTHING_DUE;
      }
      return this.#handle(stored);
    }).catch((error: unknown) => this.#failed(name, 'fire', error));
    await this.#dispatch(name, due);
  }

  /**
   * Brings one schedule up to date: finds the runs due since its watermark, records the new watermark (or
   * deletes a one-time schedule that has run), and arms the next run. Call under the schedule's lock.
   */
  async #handle(stored: StoredSchedule): Promise<Due> {
    const name = stored.name;
    const generation = this.#generation;
    this.#disarm(name);
    const nowMs = this.#clock.now().getTime();
    const signature = signatureOf(stored);
    const storedMark = stored.lastFiredAt ? Date.parse(stored.lastFiredAt) : Number.NaN;
    // A definition written without a watermark (behind the gateway's back) owes nothing from before now.
    const watermark = Math.max(
      Number.isNaN(storedMark) ? nowMs - 1 : storedMark,
      this.#known.get(name)?.watermark ?? 0,
    );
    const known: Known = { signature, handle: undefined, idle: true, watermark };
    this.#known.set(name, known);
    if (stored.state === 'DISABLED' || !this.#started) return NOTHING_DUE;

    const found = catchUp(stored, watermark, nowMs, { graceMs: this.#graceMs, maxMissed: this.#maxMissed });
    const { handled, next } = found;
    known.watermark = handled;
    const due = dueRuns(stored, found);
    if (due.fire && this.#enqueue) await this.#enqueue(due.fire);
    // Recorded before the watermark passes them too: a kill in between must not lose the missed-runs record.
    if (due.missed && this.#onMissed) await this.#onMissed(due.missed.first, due.missed.span);
    if (!next && (due.fire || due.missed) && parseExpression(stored.expression).kind === 'at') {
      // ActionAfterCompletion DELETE: the one-time schedule has had its invocation.
      await this.#repository.delete(name);
      this.#known.delete(name);
      return due;
    }
    if (handled !== watermark || storedMark !== handled) {
      await this.#repository.put({ ...stored, lastFiredAt: new Date(handled).toISOString() });
    }
    if (next && generation === this.#generation && this.#started) {
      known.idle = false;
      known.handle = this.#arm(next, name, generation);
    }
    return due;
  }

  /** A timer whose callback keeps only the name and generation alive, not the stored definition. */
  #arm(at: Date, name: string, generation: number): TimerHandle {
    return this.#clock.setTimer(at, () => this.#onTimer(name, generation));
  }

  /** Hands the runs to onFire/onMissed, tracked as in flight; failures go to onError. */
  #dispatch(name: string, due: Due): Promise<void> {
    const calls: Promise<void>[] = [];
    const track = (action: string, call: () => Promise<void>) => {
      const running = Promise.resolve()
        .then(call)
        .catch((error: unknown) => this.#onError(error, { schedule: name, action }))
        .finally(() => this.#inFlight.delete(running));
      this.#inFlight.add(running);
      calls.push(running);
    };
    const fire = due.fire;
    if (fire) {
      this.#fired++;
      track('fire', () => this.#onFire(fire));
    }
    return Promise.all(calls).then(() => undefined);
  }

  /** A schedule could not be handled: it stays unarmed and the next sync() retries, catching up. */
  #failed(name: string, action: string, error: unknown): Due {
    const known = this.#known.get(name);
    if (known) known.idle = false;
    this.#onError(error, { schedule: name, action });
    return NOTHING_DUE;
  }

  #disarm(name: string): void {
    const known = this.#known.get(name);
    known?.handle?.cancel();
    if (known) known.handle = undefined;
  }

  /** Serializes work on one schedule (timer, sync, writes) so a run is never handled twice. */
  #withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#locks.set(name, tail);
    void tail.then(() => {
      if (this.#locks.get(name) === tail) this.#locks.delete(name);
    });
    return result;
  }

  async #store<T>(action: string, name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ScheduleGatewayError) throw error;
      throw new ScheduleGatewayError(
        'internal',
        `Could not ${action} schedule ${name}: the schedule store failed`,
        {
          cause: error,
        },
      );
    }
  }
}
