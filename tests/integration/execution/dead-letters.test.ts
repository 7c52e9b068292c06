import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleDeadLetterEvent } from '../../../functions/dead-letters.ts';
import { createDiscordRest, DiscordRestClient } from '../../../lib/discord/rest.ts';
import { type DeadLetterDeps, parseDeadLetter } from '../../../lib/execution/dead-letters.ts';
import { type DiscordStandIn, startDiscordStandIn } from '../../../lib/local/sandbox/discord-stand-in.ts';
import { MemoryLogger } from '../../../lib/observability/logger.ts';
import { CountingRunMetrics } from '../../../lib/observability/metrics.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { DIGEST, GUILD, summaryTask } from '../../support/executor-harness.ts';

const NOTIFY = '200000000000000009';

const scheduledInput = (scheduledTime: string) => ({
  type: 'scheduled',
  taskId: 'task0000001',
  guildId: GUILD,
  scheduledTime,
  executionId: `exec-${scheduledTime}`,
  attempt: '1',
});

/** Lambda's on-failure destination record, as it arrives on the queue. */
function lambdaEnvelope(scheduledTime: string, messageId = `m-${scheduledTime}`) {
  return {
    messageId,
    body: JSON.stringify({
      version: '1.0',
      timestamp: '2026-11-27T09:05:00.000Z',
      requestContext: {
        requestId: 'c3a7e5a4-0000-0000-0000-000000000000',
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:summary-bot-executor:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: scheduledInput(scheduledTime),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: 'RunFailedError',
        errorMessage: `every destination failed: <#${DIGEST}>: 503`,
      },
    }),
    messageAttributes: {},
  };
}

/** EventBridge Scheduler's dead-letter event: the target input, the failure in message attributes. */
function schedulerDeadLetter(scheduledTime: string) {
  return {
    messageId: `s-${scheduledTime}`,
    body: JSON.stringify(scheduledInput(scheduledTime)),
    messageAttributes: {
      ERROR_CODE: { stringValue: 'Lambda.TooManyRequestsException', dataType: 'String' },
      ERROR_MESSAGE: { stringValue: 'Rate Exceeded.', dataType: 'String' },
    },
  };
}

/** The Scheduler guide's message attributes of a dead-letter event, as SQS hands them to Lambda. */
function schedulerAttributes(scheduledTime: string, taskId = 'task0000001') {
  const attribute = (stringValue: string) => ({ stringValue, dataType: 'String' });
  return {
    ERROR_CODE: attribute('Lambda.TooManyRequestsException'),
    ERROR_MESSAGE: attribute('Rate Exceeded.'),
    EXHAUSTED_RETRY_CONDITION: attribute('MaximumEventAgeInSeconds'),
    RETRY_ATTEMPTS: attribute('2'),
    SCHEDULE_ARN: attribute(
      `arn:aws:scheduler:eu-west-1:123456789012:schedule/summary-bot-prod/task-${taskId}`,
    ),
    SCHEDULED_TIME: attribute(scheduledTime),
    TARGET_ARN: attribute('arn:aws:lambda:eu-west-1:123456789012:function:summary-bot-prod-executor'),
  };
}

function sqsEvent(
  records: { messageId: string; body: string; messageAttributes: object; attributes?: object }[],
): SQSEvent {
  return { Records: records } as unknown as SQSEvent;
}

/** The handler's ports: the embedded store, the Discord stand-in over HTTP, a limit of 3 failures. */
function deadLetterDeps(
  store: DeadLetterDeps['store'],
  standIn: DiscordStandIn,
  clock: TestClock,
  logger: MemoryLogger,
): DeadLetterDeps {
  const discord = new DiscordRestClient({
    rest: createDiscordRest({ token: 'secret-bot-token', api: standIn.apiUrl }),
  });
  return {
    store,
    poster: discord,
    channels: discord,
    clock,
    logger,
    metrics: new CountingRunMetrics(),
    maxConsecutiveFailures: 3,
    retentionDays: 14,
    tasks: {
      disableTask: async (guildId, taskId) => {
        const task = (await store.getTask(guildId, taskId))!;
        return store.updateTask({ ...task, state: 'disabled' }, task.version);
      },
    },
  };
}

describe('dead-letter handler', () => {
  const db = useEmbeddedStore();
  let standIn: DiscordStandIn;
  let deps: DeadLetterDeps;
  let logger: MemoryLogger;
  const clock = new TestClock(new Date('2026-11-27T09:10:00.000Z'));

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    standIn.addGuild({ id: GUILD, name: 'Test' });
    standIn.addChannel({ id: NOTIFY, guildId: GUILD, name: 'bot-admin' });
    standIn.addChannel({ id: DIGEST, guildId: GUILD, name: 'digest' });
    logger = new MemoryLogger();
    deps = deadLetterDeps(db.store, standIn, clock, logger);
  });
  afterEach(() => standIn.close());

  it('reads both the Lambda on-failure envelope and the Scheduler dead-letter event', () => {
    const fromLambda = parseDeadLetter({ messageId: 'a', body: lambdaEnvelope('2026-11-27T09:00:00Z').body });
    expect(fromLambda.source).toBe('lambda');
    expect(fromLambda.input).toMatchObject({ type: 'scheduled', taskId: 'task0000001', attempt: 1 });
    expect(fromLambda.error).toContain('RunFailedError');

    const raw = schedulerDeadLetter('2026-11-27T09:00:00Z');
    const fromScheduler = parseDeadLetter({
      messageId: 'b',
      body: raw.body,
      attributes: { ERROR_CODE: 'Lambda.TooManyRequestsException', ERROR_MESSAGE: 'Rate Exceeded.' },
    });
    expect(fromScheduler.source).toBe('scheduler');
    expect(fromScheduler.error).toBe('Lambda.TooManyRequestsException: Rate Exceeded.');
  });

  it('links a Scheduler dead letter whose body still holds the context placeholders through its attributes', async () => {
    await db.store.createTask(summaryTask({ notifyChannelId: NOTIFY }));
    const placeholders = {
      type: 'scheduled',
      taskId: 'task0000001',
      guildId: GUILD,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
      attempt: '<aws.scheduler.attempt-number>',
    };
    const response = await handleDeadLetterEvent(
      sqsEvent([
        {
          messageId: 'placeholders',
          body: JSON.stringify(placeholders),
          messageAttributes: schedulerAttributes('2026-11-27T08:00:00Z'),
        },
      ]),
      deps,
    );
    expect(response.batchItemFailures).toEqual([]);
    const run = await db.store.getRun('task0000001', '2026-11-27T08:00:00.000Z');
    expect(run).toMatchObject({ status: 'failed', trigger: 'schedule', attempt: 3 });
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata.consecutiveFailures).toBe(1);
    expect(task?.metadata.lastRun?.error).toContain('Lambda.TooManyRequestsException');
    const [letter] = await db.store.listDeadLetters();
    expect(letter).toMatchObject({ source: 'scheduler', taskId: 'task0000001', guildId: GUILD });
  });

  it('keeps the task and time of a Scheduler dead letter whose body is not a run, from SCHEDULE_ARN', async () => {
    await db.store.createTask(summaryTask());
    await handleDeadLetterEvent(
      sqsEvent([
        {
          messageId: 'foreign',
          body: JSON.stringify({ note: 'not our target input' }),
          messageAttributes: schedulerAttributes('2026-11-27T08:00:00Z', 'task0000042'),
        },
      ]),
      deps,
    );
    const [letter] = await db.store.listDeadLetters();
    expect(letter).toMatchObject({
      source: 'scheduler',
      taskId: 'task0000042',
      scheduledTime: '2026-11-27T08:00:00Z',
    });
    expect(letter?.guildId).toBeUndefined();
    // No guild, so no task to count it on: the existing task is untouched.
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(0);
  });

  it('prefers the substituted body over the attributes when Scheduler filled it in', () => {
    const parsed = parseDeadLetter({
      messageId: 'c',
      body: JSON.stringify(scheduledInput('2026-11-27T07:00:00Z')),
      attributes: { SCHEDULED_TIME: '2026-11-27T08:00:00Z', RETRY_ATTEMPTS: '4' },
    });
    expect(parsed.input).toMatchObject({ scheduledTime: '2026-11-27T07:00:00Z', attempt: 1 });
  });

  it('records the failure on the task and keeps the dead letter', async () => {
    await db.store.createTask(summaryTask({ notifyChannelId: NOTIFY }));
    const response = await handleDeadLetterEvent(
      sqsEvent([lambdaEnvelope('2026-11-27T08:00:00.000Z')]),
      deps,
    );
    expect(response.batchItemFailures).toEqual([]);
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.metadata.consecutiveFailures).toBe(1);
    expect(task?.metadata.lastRun?.status).toBe('failed');
    expect((await db.store.getRun('task0000001', '2026-11-27T08:00:00.000Z'))?.status).toBe('failed');
    expect(await db.store.listDeadLetters()).toHaveLength(1);
  });

  it('counts a redelivered dead letter once', async () => {
    await db.store.createTask(summaryTask());
    const event = sqsEvent([lambdaEnvelope('2026-11-27T08:00:00.000Z')]);
    await handleDeadLetterEvent(event, deps);
    await handleDeadLetterEvent(event, deps);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(1);
  });

  it('disables the task after too many failures in a row and tells the admins how to resume', async () => {
    await db.store.createTask(summaryTask({ notifyChannelId: NOTIFY }));
    await handleDeadLetterEvent(
      sqsEvent([
        lambdaEnvelope('2026-11-25T08:00:00.000Z'),
        schedulerDeadLetter('2026-11-26T08:00:00.000Z'),
        lambdaEnvelope('2026-11-27T08:00:00.000Z'),
      ]),
      deps,
    );
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.state).toBe('disabled');
    const notice = standIn.postedMessages(NOTIFY);
    expect(notice).toHaveLength(1);
    expect(notice[0]?.content).toContain('/schedule resume');
    expect(notice[0]?.content).toContain('Daily digest');
    expect(logger.text()).not.toContain('secret-bot-token');
  });

  it("a task's own failure limit wins over the deployment's (/schedule settings failure_limit)", async () => {
    await db.store.createTask(summaryTask({ notifyChannelId: NOTIFY, failureLimit: 1 }));
    await handleDeadLetterEvent(sqsEvent([lambdaEnvelope('2026-11-25T08:00:00.000Z')]), deps);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.state).toBe('disabled');
    expect(standIn.postedMessages(NOTIFY)[0]?.content).toContain('turned off after 1 failed run in a row');
  });

  it('never shows AWS internals to the guild: only our own messages, or the error class', async () => {
    await db.store.createTask(summaryTask({ notifyChannelId: NOTIFY }));
    const leaky = (time: string) => {
      const raw = lambdaEnvelope(time);
      const body = JSON.parse(raw.body);
      body.responsePayload = {
        errorType: 'AccessDeniedException',
        errorMessage:
          'User: arn:aws:sts::123456789012:assumed-role/summary-bot-prod-executor/x is not authorized to perform: dynamodb:PutItem',
      };
      return { ...raw, body: JSON.stringify(body) };
    };
    await handleDeadLetterEvent(
      sqsEvent([
        leaky('2026-11-25T08:00:00.000Z'),
        leaky('2026-11-26T08:00:00.000Z'),
        leaky('2026-11-27T08:00:00.000Z'),
      ]),
      deps,
    );
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.state).toBe('disabled');
    expect(task?.metadata.lastRun?.error).toBe('the executor failed (AccessDeniedException)');
    const notice = standIn.postedMessages(NOTIFY)[0]?.content ?? '';
    expect(notice).toContain('AccessDeniedException');
    expect(notice).not.toContain('123456789012');
    // The whole error stays where operators look: the dead-letter record.
    expect((await db.store.listDeadLetters())[0]?.error).toContain('123456789012');
  });

  it('completes a one-time task whose only run was dead-lettered', async () => {
    await db.store.createTask(summaryTask({ schedule: { type: 'once', at: '2026-11-27T09:00' } }));
    await handleDeadLetterEvent(sqsEvent([lambdaEnvelope('2026-11-27T08:00:00.000Z')]), deps);
    const task = await db.store.getTask(GUILD, 'task0000001');
    expect(task?.state).toBe('completed');
    expect(task?.metadata.lastRun?.status).toBe('failed');
  });

  it('does not count the dead letter of a duplicate while the run is still in progress', async () => {
    await db.store.createTask(summaryTask());
    await db.store.putRun({
      taskId: 'task0000001',
      guildId: GUILD,
      scheduledTime: '2026-11-27T08:00:00.000Z',
      trigger: 'schedule',
      attempt: 1,
      status: 'running',
      startedAt: '2026-11-27T09:05:00.000Z',
      leaseUntil: '2026-11-27T09:12:00.000Z',
      expiresAt: 2_000_000_000,
    });
    await handleDeadLetterEvent(sqsEvent([lambdaEnvelope('2026-11-27T08:00:00.000Z')]), deps);
    expect((await db.store.getTask(GUILD, 'task0000001'))?.metadata.consecutiveFailures).toBe(0);
    expect((await db.store.getRun('task0000001', '2026-11-27T08:00:00.000Z'))?.status).toBe('running');
  });

  it('reports only the record that could not be stored, so SQS retries just that one', async () => {
    await db.store.createTask(summaryTask());
    const failing = {
      ...deps,
      store: { ...db.store, putDeadLetter: undefined },
    } as unknown as DeadLetterDeps;
    const good = lambdaEnvelope('2026-11-27T08:00:00.000Z', 'good');
    const response = await handleDeadLetterEvent(sqsEvent([good]), failing);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'good' }]);
  });

  it('gives up on a dead letter it still cannot record after five receives, instead of looping for 14 days', async () => {
    await db.store.createTask(summaryTask());
    const failing = {
      ...deps,
      store: { ...db.store, putDeadLetter: undefined },
    } as unknown as DeadLetterDeps;
    const stuck = {
      ...lambdaEnvelope('2026-11-27T08:00:00.000Z', 'stuck'),
      attributes: { ApproximateReceiveCount: '5' },
    };
    const response = await handleDeadLetterEvent(sqsEvent([stuck]), failing);
    expect(response.batchItemFailures).toEqual([]);
    expect(logger.text()).toContain('giving up');
  });

  it('keeps an unreadable message as a dead letter instead of dropping it', async () => {
    const response = await handleDeadLetterEvent(
      sqsEvent([{ messageId: 'junk', body: 'not json', messageAttributes: {} }]),
      deps,
    );
    expect(response.batchItemFailures).toEqual([]);
    const [letter] = await db.store.listDeadLetters();
    expect(letter?.error).toContain('unreadable');
  });
});

describe('failure notices are never silent', () => {
  const db = useEmbeddedStore();
  let standIn: DiscordStandIn;
  let deps: DeadLetterDeps;
  const clock = new TestClock(new Date('2026-11-27T09:10:00.000Z'));
  const failThreeTimes = () =>
    handleDeadLetterEvent(
      sqsEvent([
        lambdaEnvelope('2026-11-25T08:00:00.000Z'),
        lambdaEnvelope('2026-11-26T08:00:00.000Z'),
        lambdaEnvelope('2026-11-27T08:00:00.000Z'),
      ]),
      deps,
    );

  beforeEach(async () => {
    standIn = await startDiscordStandIn();
    standIn.addGuild({ id: GUILD, name: 'Test' });
    standIn.addChannel({ id: DIGEST, guildId: GUILD, name: 'digest' });
    deps = deadLetterDeps(db.store, standIn, clock, new MemoryLogger());
  });
  afterEach(() => standIn.close());

  it('with no notify channel set, tells the channel the task posts to, in real words', async () => {
    await db.store.createTask(summaryTask());
    await failThreeTimes();
    const [notice] = standIn.postedMessages(DIGEST);
    expect(notice?.content).toBe(
      '⚠️ The scheduled summary **Daily digest** (`task0000001`) was turned off after 3 failed runs in a row.\n' +
        `Last error: every destination failed: <#${DIGEST}>: 503\n` +
        'Fix the cause, then turn it back on with `/schedule resume task:task0000001`.',
    );
  });

  it('with no Discord destination either, sends the admin who created the task a direct message', async () => {
    await db.store.createTask(
      summaryTask({ destinations: [{ type: 'webhook', url: 'https://hooks.example.com/digest' }] }),
    );
    await failThreeTimes();
    const dm = standIn.requests.find((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    expect(dm?.status).toBe(200);
    const dmChannel = standIn.requests
      .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path))
      .map((r) => r.path.split('/')[2] ?? '');
    expect(dmChannel).toHaveLength(1);
    const [notice] = standIn.postedMessages(dmChannel[0] ?? '');
    expect(notice?.content).toContain('**Daily digest** in a server you manage');
  });
});
