import { ScheduleGatewayError } from '../../../lib/errors.ts';
import type { ScheduleDefinition, ScheduleGateway, ScheduleSummary } from '../../../lib/scheduling/ports.ts';

type Operation = 'create' | 'update' | 'delete';

/**
 * A stand-in for the schedule group (an external system, so a double is fair): keeps definitions in a map,
 * honours client tokens like CreateSchedule, and fails the next call of an operation on request.
 */
export class ScheduleGroupDouble implements ScheduleGateway {
  readonly definitions = new Map<string, ScheduleDefinition>();
  readonly calls: { op: Operation; name: string }[] = [];
  readonly #tokens = new Map<string, string>();
  readonly #failures = new Map<Operation, Error>();

  /** The next call of `op` throws `error` (default: an internal ScheduleGatewayError). */
  failNext(
    op: Operation,
    error: Error = new ScheduleGatewayError('internal', `injected ${op} failure`),
  ): void {
    this.#failures.set(op, error);
  }

  #maybeFail(op: Operation, name: string): void {
    this.calls.push({ op, name });
    const failure = this.#failures.get(op);
    if (failure) {
      this.#failures.delete(op);
      throw failure;
    }
  }

  async create(definition: ScheduleDefinition, clientToken: string): Promise<void> {
    this.#maybeFail('create', definition.name);
    if (this.#tokens.get(clientToken) === definition.name && this.definitions.has(definition.name)) return;
    if (this.definitions.has(definition.name)) {
      throw new ScheduleGatewayError('conflict', `schedule ${definition.name} already exists`);
    }
    this.#tokens.set(clientToken, definition.name);
    this.definitions.set(definition.name, structuredClone(definition));
  }

  async update(definition: ScheduleDefinition): Promise<void> {
    this.#maybeFail('update', definition.name);
    if (!this.definitions.has(definition.name)) {
      throw new ScheduleGatewayError('not_found', `schedule ${definition.name} does not exist`);
    }
    this.definitions.set(definition.name, structuredClone(definition));
  }

  async delete(name: string): Promise<void> {
    this.#maybeFail('delete', name);
    this.definitions.delete(name);
  }

  async get(name: string): Promise<ScheduleDefinition | undefined> {
    const found = this.definitions.get(name);
    return found ? structuredClone(found) : undefined;
  }

  async list(): Promise<ScheduleSummary[]> {
    return [...this.definitions.values()].map(({ name, state }) => ({ name, state }));
  }

  /** Name → state of every schedule, for before/after comparisons. */
  snapshot(): Record<string, string> {
    return Object.fromEntries(
      [...this.definitions.values()].map((d) => [d.name, `${d.state} ${d.expression}`]),
    );
  }
}
