/**
 * Secrets: the bot token, webhook signing secrets and the secret parts of webhook URLs never appear in log
 * lines, thrown errors, stored run records or anything posted to Discord, through runs that fail in every
 * way the executor knows (Discord 5xx, 403 and 429, webhook 4xx and 5xx). Every captured line is
 * searched.
 */

import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import {
  DIGEST,
  GENERAL,
  scheduledRun,
  seedConversation,
  summaryTask,
  useHarness,
} from '../support/executor-harness.ts';
import { recordFigures } from './figures.ts';

const BOT_TOKEN = 'test-bot-token'; // what the harness's REST client authenticates with
const WEBHOOK_SECRET = 'whsec-0123456789-SIGNING-SECRET';
const PATH_TOKEN = 'PATHTOKEN-abcdef0123456789';
const QUERY_TOKEN = 'QUERYTOKEN-9876543210';
const SECRETS = [BOT_TOKEN, WEBHOOK_SECRET, PATH_TOKEN, QUERY_TOKEN];

describe('secrets never leak through logs, errors, run records or posts', () => {
  const db = useEmbeddedStore();
  const h = useHarness(() => db.store, new Date('2026-11-27T08:00:20.000Z'));
  beforeEach(() => {
    seedConversation(h.standIn, GENERAL, new Date('2026-11-27T08:00:00.000Z'));
  });

  it('keeps every secret out of everything a failing run produces', async () => {
    const faults: [string, () => void][] = [
      ['discord 503 storm', () => h.standIn.failNext(/POST \/channels/, Array(30).fill({ status: 503 }))],
      [
        'discord 429 storm',
        () => h.standIn.failNext(/POST \/channels/, Array(6).fill({ status: 429, retryAfter: 0.05 })),
      ],
      [
        'discord 403',
        () =>
          h.standIn.failNext(/POST \/channels/, [
            { status: 403, code: RESTJSONErrorCodes.MissingPermissions, message: 'Missing Permissions' },
          ]),
      ],
      [
        'discord read 500',
        () => h.standIn.failNext(/GET \/channels\/\d+\/messages/, Array(10).fill({ status: 500 })),
      ],
      ['webhook 500', () => h.webhook.failNext(500, 500, 500, 500)],
      ['webhook 401', () => h.webhook.failNext(401)],
    ];
    const produced: string[] = [];
    let runs = 0;
    for (const [index, [, inject]] of faults.entries()) {
      const taskId = `secrets${String(index).padStart(4, '0')}`;
      await db.store.createTask(
        summaryTask({
          id: taskId,
          destinations: [
            { type: 'discord_channel', channelId: DIGEST, format: 'embed' },
            {
              type: 'webhook',
              url: `${h.webhook.url}/${PATH_TOKEN}?key=${QUERY_TOKEN}`,
              secret: WEBHOOK_SECRET,
            },
          ],
        }),
      );
      inject();
      const scheduledTime = `2026-11-27T08:0${index}:00.000Z`;
      runs += 1;
      try {
        const outcome = await h.executor.execute(
          scheduledRun(scheduledTime, { taskId, executionId: `exec-${index}` }),
        );
        produced.push(JSON.stringify(outcome));
      } catch (error) {
        produced.push(String(error), JSON.stringify(error), (error as Error).stack ?? '');
        let cause = (error as { cause?: unknown }).cause;
        while (cause) {
          produced.push(String(cause), (cause as Error).stack ?? '');
          cause = (cause as { cause?: unknown }).cause;
        }
      }
      produced.push(JSON.stringify(await db.store.getRun(taskId, scheduledTime)));
      // The task item itself is where the secret is configured (storage, not output): not searched.
    }
    produced.push(h.logger.text());
    produced.push(JSON.stringify(h.standIn.postedMessages(DIGEST)));
    produced.push(JSON.stringify(h.standIn.requests));

    const everything = produced.join('\n');
    // The search must have something to search: the runs logged and failed.
    expect(h.logger.lines.length).toBeGreaterThan(faults.length);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    // The webhook receiver did get the signature (so the secret was in use), never the secret itself.
    expect(h.webhook.received.some((r) => r.headers['x-summary-bot-signature'])).toBe(true);
    expect(JSON.stringify(h.webhook.received)).not.toContain(WEBHOOK_SECRET);
    recordFigures('secrets', {
      faultKinds: faults.length,
      runs,
      logLines: h.logger.lines.length,
      charactersSearched: everything.length,
      secretsSearched: SECRETS.length,
      leaks: 0,
    });
  }, 60_000);
});
