/**
 * Figure 2, interaction latency: `/schedule create`, `/schedule list` on a server with 500 tasks, and PING,
 * each sent 1,000 times through the Function URL adapter (`handleFunctionUrlEvent`) to the real interaction
 * handler (signature check included) over the embedded DynamoDB store. EventBridge Scheduler is a fake
 * client whose `send` resolves `{}` at once, so the figure is this code's and the store's, not AWS's.
 * Run standalone: `node --import tsx bench/interactions.ts [--requests 1000]`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { EventBridgeScheduleGateway } from '../lib/aws/eventbridge-schedules.ts';
import { createInteractionHandler } from '../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../lib/discord/interaction-once.ts';
import { createDocumentClient, DynamoTaskStore } from '../lib/dynamo/dynamo-task-store.ts';
import { ensureTable } from '../lib/dynamo/task-table.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { TaskScheduler } from '../lib/scheduling/task-scheduler.ts';
import { command, str } from '../tests/support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../tests/support/signing.ts';
import { LAMBDA_ENV } from './cold-start.ts';
import type { Figure } from './lib/report.ts';
import { median, percentile } from './lib/stats.ts';

const DISCORD_DEADLINE_MS = 3_000;
const CREATE_GUILD = '290926798626357001';
const LIST_GUILD = '290926798626357002';
const LIST_TASKS = 500;

/** A scheduler client that accepts every command at once (the gateway only needs `send` to resolve). */
const fakeSchedulerClient = { send: async () => ({}) } as unknown as SchedulerClient;

type FunctionUrlModule = typeof import('../functions/interactions.ts');

/** Loads functions/interactions.ts; its module scope parses the Lambda environment, so provide one. */
async function loadFunctionUrlAdapter(): Promise<FunctionUrlModule['handleFunctionUrlEvent']> {
  for (const [key, value] of Object.entries(LAMBDA_ENV)) process.env[key] ??= value;
  return (await import('../functions/interactions.ts')).handleFunctionUrlEvent;
}

/** Figure 2: median and p99 per request kind, and p99 against Discord's 3 s deadline. */
export async function benchInteractions(options: { requests?: number } = {}): Promise<{
  figures: Figure[];
  notes: string[];
}> {
  const requests = options.requests ?? 1_000;
  const warmup = Math.min(100, requests);
  const handleFunctionUrlEvent = await loadFunctionUrlAdapter();
  const dynamo = await startEmbeddedDynamo();
  try {
    const tableName = 'bench-interactions';
    await ensureTable(dynamo.client, tableName);
    const store = new DynamoTaskStore({ client: createDocumentClient(dynamo.client), tableName });
    const schedules = new EventBridgeScheduleGateway({
      client: fakeSchedulerClient,
      groupName: 'bench',
      targetArn: LAMBDA_ENV.EXECUTOR_FUNCTION_ARN as string,
      roleArn: LAMBDA_ENV.SCHEDULER_ROLE_ARN as string,
      deadLetterArn: LAMBDA_ENV.DEAD_LETTER_QUEUE_ARN as string,
    });
    const scheduler = new TaskScheduler({ store, schedules, clock: { now: () => new Date() } });
    const keys = generateSigningKeys();
    const handler = createInteractionHandler({
      scheduler,
      executor: { invoke: async () => {} },
      publicKey: keys.publicKeyHex,
      clock: { now: () => new Date() },
      interactions: new MemoryInteractionLedger(),
      logger: { error: (message) => console.error(`interaction error: ${message}`) },
    });

    // The listed server: 500 tasks, written straight through the service as /schedule create would.
    for (let i = 0; i < LIST_TASKS; i++) {
      await scheduler.createTask({
        kind: 'summary',
        guildId: LIST_GUILD,
        name: `Digest ${String(i).padStart(3, '0')}`,
        channelIds: ['645027906669510667'],
        schedule: { type: 'daily', time: `${String(i % 24).padStart(2, '0')}:00` },
        timeZone: 'Europe/Berlin',
        destinations: [{ type: 'discord_channel', channelId: '645027906669510667', format: 'embed' }],
        createdBy: '53908232506183680',
      });
    }

    // Signed in advance: the figure is the server's work, not the client's signing.
    const event = (payload: unknown) => {
      const { rawBody, headers } = signedRequest(payload, keys);
      return {
        body: rawBody.toString('base64'),
        isBase64Encoded: true,
        headers,
        requestContext: { http: { method: 'POST' } },
      };
    };
    const total = requests + warmup;
    const kinds = {
      create: Array.from({ length: total }, (_, i) =>
        event(
          command(
            'schedule create daily',
            [str('time', '09:30'), str('name', `Standup ${String(i).padStart(5, '0')}`)],
            { guildId: CREATE_GUILD },
          ),
        ),
      ),
      list: Array.from({ length: total }, () => event(command('schedule list', [], { guildId: LIST_GUILD }))),
      ping: Array.from({ length: total }, () =>
        event({ id: '1', application_id: '290926444748734465', type: 1, token: 'ping', version: 1 }),
      ),
    };

    const handle = (request: Parameters<typeof handler.handle>[0]) => handler.handle(request);
    const figures: Figure[] = [];
    const notes: string[] = [];
    for (const [kind, events] of Object.entries(kinds)) {
      const times: number[] = [];
      for (const [i, e] of events.entries()) {
        const started = performance.now();
        const result = await handleFunctionUrlEvent(e, { handle });
        const ms = performance.now() - started;
        if (result.statusCode !== 200) {
          throw new Error(`${kind} request ${i}: HTTP ${result.statusCode} ${result.body.slice(0, 300)}`);
        }
        if (kind !== 'ping' && !result.body.includes('"type":4') && !result.body.includes('"type":5')) {
          throw new Error(`${kind} request ${i}: unexpected reply ${result.body.slice(0, 300)}`);
        }
        if (i >= warmup) times.push(ms);
      }
      const label =
        kind === 'list'
          ? `/schedule list (${LIST_TASKS} tasks)`
          : kind === 'create'
            ? '/schedule create'
            : 'PING';
      const budgeted = kind !== 'ping';
      figures.push(
        {
          id: `2.${kind}.median`,
          group: 2,
          label: `${label} median (${requests} requests)`,
          value: median(times),
          unit: 'ms',
        },
        {
          id: `2.${kind}.p99`,
          group: 2,
          label: `${label} p99`,
          value: percentile(times, 99),
          unit: 'ms',
          baseline: { value: DISCORD_DEADLINE_MS, label: "Discord's deadline" },
          ...(budgeted ? { budget: { limit: 50, direction: 'max' as const } } : {}),
        },
      );
    }
    notes.push(
      'interactions: Function URL adapter -> real handler (Ed25519 check) -> TaskScheduler -> embedded DynamoDB; Scheduler is a fake client (send resolves {})',
    );
    return { figures, notes };
  } finally {
    await dynamo.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { requests: { type: 'string', default: '1000' } } });
  const { figures } = await benchInteractions({ requests: Number(values.requests) });
  for (const f of figures) console.log(`${f.label.padEnd(48)} ${f.value.toFixed(2)} ${f.unit}`);
}
