import * as z from 'zod';
import type { ScheduleDefinition } from './ports.ts';

/**
 * A schedule definition as the embedded scheduler persists it: `startDate` as an ISO string (storage
 * holds no Date objects) and the instant it last fired, so a restart neither repeats nor loses a run.
 */
export const StoredSchedule = z.object({
  // EventBridge Scheduler's name rule, so an embedded schedule could exist on AWS unchanged.
  name: z
    .string()
    .regex(/^[0-9a-zA-Z\-_.]{1,64}$/, 'expected a schedule name of 1 to 64 of 0-9 a-z A-Z - _ .'),
  expression: z.string().min(1, 'expected a schedule expression'),
  timeZone: z.string().min(1, 'expected an IANA time zone'),
  state: z.enum(['ENABLED', 'DISABLED']),
  taskId: z.string().min(1, 'expected a task id'),
  guildId: z.string().min(1, 'expected a guild id'),
  startDate: z.iso.datetime({ offset: true }).optional(),
  description: z.string().optional(),
  lastFiredAt: z.iso.datetime({ offset: true }).optional(),
});
export type StoredSchedule = Omit<ScheduleDefinition, 'startDate'> & {
  startDate?: string;
  lastFiredAt?: string;
};

// Compile-time check that the schema and the declared type agree.
const _schemaMatchesType: z.infer<typeof StoredSchedule> extends StoredSchedule ? true : never = true;
void _schemaMatchesType;

/** Where the embedded scheduler keeps its schedule definitions (DynamoDB-backed in the local runtime). */
export interface ScheduleDefinitionRepository {
  /** Creates or replaces the definition with this name. */
  put(def: StoredSchedule): Promise<void>;
  /** Deleting a name that does not exist is not an error. */
  delete(name: string): Promise<void>;
  get(name: string): Promise<StoredSchedule | undefined>;
  /** Every stored definition, ordered by name. */
  list(): Promise<StoredSchedule[]>;
}

/** The stored form of a gateway definition. */
export function toStoredSchedule(def: ScheduleDefinition, lastFiredAt?: string): StoredSchedule {
  const { startDate, ...rest } = def;
  return {
    ...rest,
    ...(startDate ? { startDate: startDate.toISOString() } : {}),
    ...(lastFiredAt ? { lastFiredAt } : {}),
  };
}

/** The gateway definition of a stored schedule (drops `lastFiredAt`). */
export function fromStoredSchedule(stored: StoredSchedule): ScheduleDefinition {
  const { startDate, lastFiredAt: _lastFiredAt, ...rest } = stored;
  return { ...rest, ...(startDate ? { startDate: new Date(startDate) } : {}) };
}

/** A repository in memory, for unit tests of the embedded scheduler. */
export class InMemoryScheduleRepository implements ScheduleDefinitionRepository {
  readonly #byName = new Map<string, StoredSchedule>();

  async put(def: StoredSchedule): Promise<void> {
    this.#byName.set(def.name, structuredClone(StoredSchedule.parse(def)));
  }

  async delete(name: string): Promise<void> {
    this.#byName.delete(name);
  }

  async get(name: string): Promise<StoredSchedule | undefined> {
    const found = this.#byName.get(name);
    return found ? structuredClone(found) : undefined;
  }

  async list(): Promise<StoredSchedule[]> {
    return [...this.#byName.values()]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((def) => structuredClone(def));
  }
}
