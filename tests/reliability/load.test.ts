/**
 * Load on the local runtime (sandbox, in process, loopback only): 200 concurrent signed interactions for
 * RELIABILITY_LOAD_SECONDS (default 30) seconds, a mix of PING, /schedule create and /schedule list. Every
 * request must get a 200 with no error reply, and every task a create confirmed must be in the store
 * afterwards. Latency against Discord's 3-second deadline is measured and reported (p50, p99, answers over
 * the deadline), not asserted.
 */
import { Worker } from 'node:worker_threads';
import { InteractionResponseType, InteractionType } from 'discord-api-types/v10';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReplyEditTimeoutError } from '../../lib/local/control-client.ts';
import type { LocalRuntime } from '../../lib/local/runtime.ts';
import { command, str } from '../support/interaction-payloads.ts';
import { useSandboxRuntime } from '../support/sandbox-runtime.ts';
import { recordFigures } from './figures.ts';

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 30);
const CONCURRENCY = 200;
/** Discord invalidates the interaction if the first answer takes longer (FACTS B2). */
const DEADLINE_MS = 3_000;
/** How long a deferred reply's edit is waited for: a bound on a stuck bot, not a speed asserted. */
const EDIT_WAIT_MS = 30_000;
/** Tasks are spread over guilds, as they would be on a real deployment (a list reads one guild). */
const GUILDS = Array.from({ length: 20 }, (_, i) => String(1_300_000_000_000_000_000n + BigInt(i)));
/** Each load server's one text channel, where its commands are used. */
const channelOf = (guildId: string) => String(BigInt(guildId) + 100_000_000_000_000n);

type Kind = 'ping' | 'create' | 'list';

interface LoadResult {
  index: number;
  status: number;
  body: string;
  ms: number;
}

/** Plain JavaScript for the worker thread: signs each payload as Discord does and keeps `concurrency` in flight. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createPrivateKey, sign } = require('node:crypto');
const { url, privateKeyPem, payloads, concurrency, seconds } = workerData;
const key = createPrivateKey(privateKeyPem);
const end = Date.now() + seconds * 1000;
const results = [];
let next = 0;
async function loop() {
  while (Date.now() < end) {
    const index = next++;
    const body = payloads[index % payloads.length];
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), key).toString('hex');
    const started = performance.now();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
        body,
      });
      const text = await response.text();
      results.push({ index, status: response.status, body: text, ms: performance.now() - started });
    } catch (error) {
      results.push({ index, status: 0, body: String(error), ms: performance.now() - started });
    }
  }
}
Promise.all(Array.from({ length: concurrency }, loop)).then(() => parentPort.postMessage(results));
`;

function runLoadWorker(data: {
  url: string;
  privateKeyPem: string;
  payloads: string[];
  concurrency: number;
  seconds: number;
}): Promise<LoadResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data });
    worker.once('message', (results: LoadResult[]) => {
      resolve(results);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

describe('local runtime under load', () => {
  // About 200 tasks land in each of the 20 guilds: above the default 50 per server, which is not what
  // this test measures (tests/reliability/limits.test.ts does).
  const sandbox = useSandboxRuntime('load-', {
    env: () => ({ LOG_LEVEL: 'ERROR', MAX_TASKS_PER_SERVER: '100000' }),
  });
  let runtime: LocalRuntime;
  beforeAll(() => {
    runtime = sandbox.runtime;
    // Create reads the server's roles and overwrites (the audience rule, #18), so each load server and its
    // channel exist in the Discord stand-in, as they would on Discord.
    for (const [i, guildId] of GUILDS.entries()) {
      runtime.standIn?.addGuild({ id: guildId, name: `Load ${i}` });
      runtime.standIn?.addChannel({ id: channelOf(guildId), guildId, name: `load-${i}` });
    }
  });

  it(
    `answers ${CONCURRENCY} concurrent signed interactions for ${SECONDS} s without an error, losing no task`,
    async () => {
      const keys = runtime.keys;
      if (!keys)
        throw new Error('the load test needs the sandbox (no Discord credentials in the environment)');
      const url = `${runtime.url}/interactions`;
      const latencies: number[] = [];
      const errors: string[] = [];
      const created = new Map<string, { guildId: string; name: string }>();
      const counts = { ping: 0, create: 0, list: 0 };
      let deferredCount = 0;
      // The edit of a deferred reply, as the Discord stand-in received it (waits for work still finishing); a
      // reply never edited is counted with the errors, not thrown.
      const editedReply = async (token: string): Promise<string> => {
        try {
          const body = await sandbox.edited(token, { deadlineMs: EDIT_WAIT_MS });
          return (body as { content?: string }).content ?? '';
        } catch (error) {
          if (error instanceof ReplyEditTimeoutError) return `(no edit within ${EDIT_WAIT_MS / 1000} s)`;
          throw error;
        }
      };
      const byKind: Record<Kind, number[]> = { ping: [], create: [], list: [] };

      // The generator runs in a worker thread (its own event loop and core), so signing and client-side HTTP
      // do not steal the runtime's event loop: the runtime is measured, not the load generator.
      const requests: { kind: Kind; guildId: string; name: string; payload: string }[] = [];
      const make = (n: number) => {
        const guildId = GUILDS[n % GUILDS.length]!;
        const kind: Kind = n % 5 === 0 ? 'ping' : n % 5 < 3 ? 'create' : 'list';
        const name = `load ${n}`;
        let payload: Record<string, unknown>;
        if (kind === 'ping') {
          payload = {
            id: String(n),
            application_id: runtime.applicationId,
            type: InteractionType.Ping,
            token: 't',
            version: 1,
          };
        } else if (kind === 'create') {
          // A minute of the day of its own per server (up to 28,800 requests): an identical task would be held as
          // a duplicate (#16), which is not what this test measures.
          const minute = Math.floor(n / GUILDS.length) % 1440;
          const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
          payload = command('schedule create daily', [str('time', time), str('name', name)]);
        } else {
          payload = command('schedule list');
        }
        if (kind !== 'ping')
          Object.assign(payload, {
            guild_id: guildId,
            application_id: runtime.applicationId,
            channel_id: channelOf(guildId),
            channel: { ...(payload.channel as object), id: channelOf(guildId) },
          });
        return { kind, guildId, name, payload: JSON.stringify(payload) };
      };
      // Enough distinct requests for the run at the highest rate seen here; the worker cycles if it runs out
      // (a repeated create is a new task with the same name: still counted and checked).
      for (let n = 0; n < 400 * SECONDS + CONCURRENCY; n++) requests.push(make(n));
      const results = await runLoadWorker({
        url,
        privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        payloads: requests.map((r) => r.payload),
        concurrency: CONCURRENCY,
        seconds: SECONDS,
      });
      for (const result of results) {
        const request = requests[result.index % requests.length]!;
        const kind = request.kind;
        latencies.push(result.ms);
        byKind[kind].push(result.ms);
        counts[kind] += 1;
        if (result.status !== 200) {
          errors.push(`${kind}: HTTP ${result.status} ${result.body.slice(0, 200)}`);
          continue;
        }
        const json = JSON.parse(result.body) as { type: number; data?: { content?: string } };
        if (kind === 'ping') {
          if (json.type !== InteractionResponseType.Pong) errors.push(`ping: ${result.body.slice(0, 200)}`);
          continue;
        }
        let content = json.data?.content ?? '';
        if (json.type === InteractionResponseType.DeferredChannelMessageWithSource) {
          // Answered "thinking…" inside the deadline; the real reply was edited in through the interaction webhook.
          deferredCount += 1;
          content = await editedReply(JSON.parse(request.payload).token as string);
          json.type = InteractionResponseType.ChannelMessageWithSource;
        }
        if (kind === 'create') {
          const id = /`([A-Za-z0-9_-]{6,})`/.exec(content)?.[1];
          if (!content.startsWith('Created') || !id) errors.push(`create: ${content.slice(0, 200)}`);
          else created.set(id, { guildId: request.guildId, name: request.name });
        } else if (/Sorry/.test(content) || json.type !== InteractionResponseType.ChannelMessageWithSource) {
          errors.push(`list: ${content.slice(0, 200)}`);
        }
      }

      // No lost task: every create the bot confirmed is in the store, under its guild, active.
      let lost = 0;
      for (const [id, { guildId, name }] of created) {
        const task = await runtime.store.getTask(guildId, id);
        if (!task || task.name !== name || task.state !== 'active') lost += 1;
      }
      const stored = (await Promise.all(GUILDS.map((g) => runtime.store.listTasks(g)))).flat();
      const sorted = [...latencies].sort((a, b) => a - b);
      const figures = {
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        requests: latencies.length,
        perSecond: Math.round(latencies.length / SECONDS),
        pings: counts.ping,
        creates: counts.create,
        lists: counts.list,
        p50ms: Math.round(percentile(sorted, 50)),
        p99pingMs: Math.round(
          percentile(
            byKind.ping.sort((a, b) => a - b),
            99,
          ),
        ),
        p99createMs: Math.round(
          percentile(
            byKind.create.sort((a, b) => a - b),
            99,
          ),
        ),
        p99listMs: Math.round(
          percentile(
            byKind.list.sort((a, b) => a - b),
            99,
          ),
        ),
        p99ms: Math.round(percentile(sorted, 99)),
        maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
        overDeadline: latencies.filter((ms) => ms >= DEADLINE_MS).length,
        deferred: deferredCount,
        errors: errors.length,
        tasksConfirmed: created.size,
        tasksStored: stored.length,
        tasksLost: lost,
      };
      recordFigures('load-interactions', figures);
      expect(errors.slice(0, 5)).toEqual([]);
      expect(lost).toBe(0);
      expect(stored.length).toBe(created.size);
      expect(figures.requests).toBeGreaterThan(CONCURRENCY);
      // Latency against the 3 s deadline is reported (overDeadline, p99), not asserted: timing assertions
      // flake on shared CI machines, and docs/RELIABILITY.md states what this machine measured.
    },
    (SECONDS + 120) * 1_000,
  );
});
