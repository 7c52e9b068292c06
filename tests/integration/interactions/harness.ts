import { beforeEach } from 'vitest';
import { createInteractionHandler } from '../../../lib/discord/interaction-handler.ts';
import type { ExecutorInput, ExecutorInvoker } from '../../../lib/execution/executor-input.ts';
import { ManualClock } from '../../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../../lib/local/embedded-scheduler.ts';
import { InMemoryScheduleRepository } from '../../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { generateSigningKeys, signedRequest } from '../../support/signing.ts';

/** Records what the executor was handed; the executor itself is another unit. */
export class RecordingInvoker implements ExecutorInvoker {
  readonly inputs: ExecutorInput[] = [];
  async invoke(input: ExecutorInput): Promise<void> {
    this.inputs.push(input);
  }
}

export interface Sent {
  status: number;
  headers: Record<string, string>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field
  json: any;
}

/** The interactions handler over the real TaskScheduler, the embedded store and the embedded gateway. */
export function useInteractionHarness() {
  const db = useEmbeddedStore();
  const keys = generateSigningKeys();
  const state = {} as {
    clock: ManualClock;
    scheduler: TaskScheduler;
    executor: RecordingInvoker;
    logs: { message: string; attributes: Record<string, unknown> }[];
    attachments: Map<string, string>;
    handler: ReturnType<typeof createInteractionHandler>;
  };
  beforeEach(() => {
    state.clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
    const gateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock: state.clock,
      onFire: async () => {},
    });
    state.scheduler = new TaskScheduler({ store: db.store, schedules: gateway, clock: state.clock });
    state.executor = new RecordingInvoker();
    state.logs = [];
    state.attachments = new Map();
    let ref = 0;
    state.handler = createInteractionHandler({
      scheduler: state.scheduler,
      executor: state.executor,
      publicKey: keys.publicKeyHex,
      clock: state.clock,
      logger: { error: (message, attributes) => state.logs.push({ message, attributes }) },
      newReferenceId: () => `ref${++ref}`,
      fetchAttachment: async (url) => {
        const text = state.attachments.get(url);
        if (text === undefined) throw new Error(`no attachment at ${url}`);
        return text;
      },
    });
  });

  async function send(payload: unknown): Promise<Sent> {
    const response = await state.handler.handle(signedRequest(payload, keys));
    const isJson = response.headers['content-type'] === 'application/json';
    return { ...response, json: isJson ? JSON.parse(response.body) : undefined };
  }

  return { db, keys, state, send };
}
