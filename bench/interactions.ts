/**
 * Latency of the interactions handler for `/schedule create daily`: signature check, parsing, permission
 * check, guild config read, task create (conditional put + schedule + activate), status read, reply.
 * Against the embedded DynamoDB (dynalite, in process) and the embedded schedule gateway.
 *
 *   node --import tsx bench/interactions.ts [count]
 */
import { performance } from 'node:perf_hooks';
import { DynamoScheduleRepository } from '../lib/aws/dynamo-schedule-repository.ts';
import { createDocumentClient, DynamoTaskStore } from '../lib/aws/dynamo-task-store.ts';
import { ensureTable } from '../lib/aws/task-table.ts';
import { createInteractionHandler } from '../lib/discord/interaction-handler.ts';
import { ManualClock } from '../lib/local/clock.ts';
import { startEmbeddedDynamo } from '../lib/local/embedded-dynamo.ts';
import { EmbeddedScheduleGateway } from '../lib/local/embedded-scheduler.ts';
import { TaskScheduler } from '../lib/scheduling/task-scheduler.ts';
import { generateSigningKeys, signedRequest } from '../tests/support/signing.ts';
import { command, str } from '../tests/unit/interactions/payloads.ts';

const count = Number(process.argv[2] ?? 1000);
const dynamo = await startEmbeddedDynamo();
try {
  const tableName = 'bench-interactions';
  await ensureTable(dynamo.client, tableName);
  const documentClient = createDocumentClient(dynamo.client);
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
  const store = new DynamoTaskStore({ client: documentClient, tableName });
  const gateway = new EmbeddedScheduleGateway({
    repository: new DynamoScheduleRepository({ client: documentClient, tableName }),
    clock,
    onFire: async () => {},
  });
  const scheduler = new TaskScheduler({ store, schedules: gateway, clock });
  const keys = generateSigningKeys();
  const handler = createInteractionHandler({
    scheduler,
    executor: { invoke: async () => {} },
    publicKey: keys.publicKeyHex,
    clock,
    logger: { error: (message, attributes) => console.error(message, attributes) },
  });

  const requests = Array.from({ length: count + 50 }, (_, i) =>
    signedRequest(
      command('schedule create daily', [
        str('time', `${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`),
        str('name', `bench task ${i}`),
      ]),
      keys,
    ),
  );
  const timings: number[] = [];
  for (const [i, request] of requests.entries()) {
    const started = performance.now();
    const response = await handler.handle(request);
    const elapsed = performance.now() - started;
    if (response.status !== 200 || !JSON.parse(response.body).data.content.startsWith('Created')) {
      throw new Error(`request ${i} failed: ${response.status} ${response.body}`);
    }
    // The first 50 warm up the JIT and the embedded server; they are not counted.
    if (i >= 50) timings.push(elapsed);
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) =>
    timings[Math.min(timings.length - 1, Math.ceil(q * timings.length) - 1)] ?? Number.NaN;
  const mean = timings.reduce((a, b) => a + b, 0) / timings.length;
  console.log(
    `/schedule create daily through handle(), ${timings.length} requests (after 50 warm-up), embedded store + embedded gateway`,
  );
  console.log(
    `median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, p99 ${at(0.99).toFixed(2)} ms, max ${at(1).toFixed(2)} ms, mean ${mean.toFixed(2)} ms`,
  );
  console.log(`p99 / Discord's 3000 ms deadline: ${((at(0.99) / 3000) * 100).toFixed(1)}%`);
} finally {
  await dynamo.close();
}
