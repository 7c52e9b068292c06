import type { Logger } from '../observability/logger.ts';

/**
 * What stopping the runtime undoes, in the reverse order of starting: each part registers its step as it
 * starts, so a part stops before whatever it was built on (the server before the store it writes).
 */
export class ShutdownSteps {
  readonly #steps: (() => Promise<void>)[] = [];

  constructor(private readonly logger: Logger) {}

  /** Registers a step; it runs before every step registered earlier. */
  push(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  /** Runs every step registered so far, last first; a failed step is logged and the next one still runs. */
  async run(): Promise<void> {
    for (const step of this.#steps.splice(0).reverse()) {
      await step().catch((error: unknown) => this.logger.error('shutdown step failed', { error }));
    }
  }
}
