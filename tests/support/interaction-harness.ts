import { afterAll, beforeAll, beforeEach } from 'vitest';
import { RestGuildReads } from '../../lib/discord/guild-reads.ts';
import { createInteractionHandler } from '../../lib/discord/interaction-handler.ts';
import type { ExecutorInput, ExecutorInvoker } from '../../lib/execution/executor-input.ts';
import { ManualClock } from '../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../lib/local/embedded-scheduler.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../lib/local/sandbox/discord-stand-in.ts';
import { InMemoryScheduleRepository } from '../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from './embedded-dynamo.ts';
import { CHANNEL, GUILD, OTHER_CHANNEL, OTHER_GUILD, SECRET_CHANNEL } from './interaction-payloads.ts';
import { hiddenFromEveryone, shownToBot } from './overwrites.ts';
import { generateSigningKeys, signedRequest } from './signing.ts';

/** A third public channel of GUILD (the audience rule reads every source channel from Discord). */
export const THIRD_CHANNEL = '945027906669510660';

/** A channel of OTHER_GUILD, which the bot is also in. */
export const FOREIGN_CHANNEL = '445027906669510111';

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

/**
 * The interactions handler over the real TaskScheduler, the embedded store and the embedded gateway, with
 * a Discord stand-in (one per file) for the channel reads of imports and the audience rule: GUILD holds
 * CHANNEL, OTHER_CHANNEL, THIRD_CHANNEL and SECRET_CHANNEL (hidden from @everyone, the bot let in);
 * OTHER_GUILD holds FOREIGN_CHANNEL.
 */
export function useInteractionHarness(options: { botUserId?: string; llmSummaries?: boolean } = {}) {
  const db = useEmbeddedStore();
  const keys = generateSigningKeys();
  let standIn: DiscordStandIn | undefined;
  beforeAll(async () => {
    standIn = await startDiscordStandIn(options.botUserId ? { botUserId: options.botUserId } : {});
    standIn.addGuild({ id: GUILD, name: 'Home' });
    standIn.addChannel({ id: CHANNEL, guildId: GUILD, name: 'general' });
    standIn.addChannel({ id: OTHER_CHANNEL, guildId: GUILD, name: 'dev' });
    standIn.addChannel({ id: THIRD_CHANNEL, guildId: GUILD, name: 'ops' });
    standIn.addChannel({
      id: SECRET_CHANNEL,
      guildId: GUILD,
      name: 'mods',
      permissionOverwrites: [hiddenFromEveryone(GUILD), shownToBot(standIn)],
    });
    standIn.addGuild({ id: OTHER_GUILD, name: 'Elsewhere' });
    standIn.addChannel({ id: FOREIGN_CHANNEL, guildId: OTHER_GUILD, name: 'general' });
  });
  afterAll(async () => {
    await standIn?.close();
  });
  const discord = () => {
    if (!standIn) throw new Error('useInteractionHarness: read the stand-in inside a test');
    return standIn;
  };
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
      interactions: db.store,
      logger: { error: (message, attributes) => state.logs.push({ message, attributes }) },
      newReferenceId: () => `ref${++ref}`,
      guildReads: () => new RestGuildReads({ token: 'test-bot-token', api: discord().apiUrl }),
      ...(options.llmSummaries ? { llmSummaries: true } : {}),
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

  return { db, keys, state, send, discord };
}
