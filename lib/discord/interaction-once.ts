/**
 * At most once per interaction id. A signed request stays valid for the 5 minutes its timestamp is accepted
 * (verify.ts), and within them the same bytes could be sent again: six copies of one `/schedule create`
 * made six tasks, one "Run now" sent three more times made four posts. Discord itself never sends an
 * interaction twice (each command or click gets a new id), so a repeated id is a replay.
 */

/** How long an applied interaction id is remembered: well past the 5 minutes a signature is accepted. */
export const INTERACTION_MEMORY_MS = 60 * 60_000;

/** Remembers applied interaction ids (on DynamoDB: a conditional put in the task table, expiring by TTL). */
export interface InteractionLedger {
  /**
   * Records `interactionId` as applied, kept until `expiresAt` (epoch seconds); false when it was already
   * recorded, i.e. the interaction is a replay and must not be applied again.
   */
  recordInteraction(interactionId: string, expiresAt: number): Promise<boolean>;
}

/** The ledger in process memory: for tests and tools that have no store. */
export class MemoryInteractionLedger implements InteractionLedger {
  readonly #seen = new Map<string, number>();

  async recordInteraction(interactionId: string, expiresAt: number): Promise<boolean> {
    const now = Date.now() / 1000;
    for (const [id, until] of this.#seen) if (until <= now) this.#seen.delete(id);
    if (this.#seen.has(interactionId)) return false;
    this.#seen.set(interactionId, expiresAt);
    return true;
  }
}

/** The epoch second until which an interaction received at `now` is remembered. */
export function interactionExpiry(now: Date): number {
  return Math.floor((now.getTime() + INTERACTION_MEMORY_MS) / 1000);
}
