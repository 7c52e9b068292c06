import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  InternalServerException,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  SchedulerServiceException,
  ServiceQuotaExceededException,
  ThrottlingException,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduleGateway } from '../../../lib/aws/eventbridge-schedules.ts';
import { ScheduleGatewayError } from '../../../lib/errors.ts';
import { ScheduledRunInput } from '../../../lib/execution/executor-input.ts';
import type { ScheduleDefinition } from '../../../lib/scheduling/ports.ts';

const scheduler = mockClient(SchedulerClient);

const TARGET = 'arn:aws:lambda:eu-west-1:123456789012:function:executor';
const ROLE = 'arn:aws:iam::123456789012:role/scheduler-invoke';
const DLQ = 'arn:aws:sqs:eu-west-1:123456789012:dead-letters';

function gateway(options: { maxEventAgeSeconds?: number; maxRetryAttempts?: number } = {}) {
  return new EventBridgeScheduleGateway({
    client: new SchedulerClient({ region: 'eu-west-1' }),
    groupName: 'summary-bot-dev',
    targetArn: TARGET,
    roleArn: ROLE,
    deadLetterArn: DLQ,
    ...options,
  });
}

const daily: ScheduleDefinition = {
  name: 'task-abc12345',
  expression: 'cron(0 9 * * ? *)',
  timeZone: 'Europe/Berlin',
  state: 'ENABLED',
  taskId: 'abc12345',
  guildId: '123456789012345678',
  description: 'Daily digest of #general',
};

const input =
  '{"type":"scheduled","taskId":"abc12345","guildId":"123456789012345678",' +
  '"scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>",' +
  '"attempt":"<aws.scheduler.attempt-number>"}';

const target = {
  Arn: TARGET,
  RoleArn: ROLE,
  Input: input,
  RetryPolicy: { MaximumEventAgeInSeconds: 300, MaximumRetryAttempts: 185 },
  DeadLetterConfig: { Arn: DLQ },
};

afterEach(() => {
  scheduler.reset();
});
// Unit test files share a worker (isolate: false): leave the SDK client as the next file expects it.
afterAll(() => scheduler.restore());

describe('EventBridgeScheduleGateway.create', () => {
  it('sends the complete CreateSchedule request for a cron schedule', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await gateway().create(daily, 'token-1');
    expect(scheduler).toHaveReceivedCommandOnce(CreateScheduleCommand);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'task-abc12345',
      GroupName: 'summary-bot-dev',
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Description: 'Daily digest of #general',
      ActionAfterCompletion: 'NONE',
      ClientToken: 'token-1',
      Target: target,
    });
  });

  it('deletes one-time at() schedules after completion and ignores a start date for them', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await gateway().create(
      {
        ...daily,
        expression: 'at(2026-12-24T18:00:00)',
        description: undefined,
        startDate: new Date('2026-01-01T00:00:00Z'),
      },
      'token-2',
    );
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'task-abc12345',
      GroupName: 'summary-bot-dev',
      ScheduleExpression: 'at(2026-12-24T18:00:00)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      ClientToken: 'token-2',
      Target: target,
    });
  });

  it('anchors rate schedules at their start date', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const startDate = new Date('2026-03-01T08:15:00Z');
    await gateway({ maxEventAgeSeconds: 900, maxRetryAttempts: 10 }).create(
      { ...daily, expression: 'rate(6 hours)', startDate },
      'token-3',
    );
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'rate(6 hours)',
      StartDate: startDate,
      ActionAfterCompletion: 'NONE',
      Target: { ...target, RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 10 } },
    });
  });

  it('starts a cron schedule at its start date (a pause with an end)', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const startDate = new Date('2026-03-10T00:00:00Z');
    await gateway().create({ ...daily, startDate }, 'token-5');
    expect(scheduler).toHaveReceivedCommandWith(CreateScheduleCommand, {
      ScheduleExpression: 'cron(0 9 * * ? *)',
      State: 'ENABLED',
      StartDate: startDate,
    });
  });

  it('puts a target input that, once the placeholders are filled, is a valid ScheduledRunInput', async () => {
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await gateway().create(daily, 'token-4');
    const sent = scheduler.commandCalls(CreateScheduleCommand)[0]?.args[0].input.Target?.Input ?? '';
    const filled = sent
      .replace('<aws.scheduler.scheduled-time>', '2026-03-29T07:00:00Z')
      .replace('<aws.scheduler.execution-id>', 'c0ffee-1')
      .replace('<aws.scheduler.attempt-number>', '2');
    expect(ScheduledRunInput.parse(JSON.parse(filled))).toEqual({
      type: 'scheduled',
      taskId: 'abc12345',
      guildId: '123456789012345678',
      scheduledTime: '2026-03-29T07:00:00Z',
      executionId: 'c0ffee-1',
      attempt: 2,
    });
  });

  it.each(['', 'has space', 'a'.repeat(65), 'dots.not.allowed'])(
    'rejects the client token %j without calling the service',
    async (token) => {
      await expect(gateway().create(daily, token)).rejects.toMatchObject({ kind: 'validation' });
      expect(scheduler).not.toHaveReceivedCommand(CreateScheduleCommand);
    },
  );

  it('rejects a retry policy outside the service limits', () => {
    expect(() => gateway({ maxEventAgeSeconds: 59 })).toThrow(/maxEventAgeSeconds/);
    expect(() => gateway({ maxRetryAttempts: 186 })).toThrow(/maxRetryAttempts/);
  });
});

describe('EventBridgeScheduleGateway.update', () => {
  it('sends the whole definition, because UpdateSchedule resets omitted fields', async () => {
    scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await gateway().update({ ...daily, state: 'DISABLED' });
    expect(scheduler.commandCalls(UpdateScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'task-abc12345',
      GroupName: 'summary-bot-dev',
      ScheduleExpression: 'cron(0 9 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'DISABLED',
      Description: 'Daily digest of #general',
      ActionAfterCompletion: 'NONE',
      Target: target,
    });
  });

  it('reports a schedule that is gone as not_found', async () => {
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'gone', Message: 'gone' }));
    await expect(gateway().update(daily)).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('EventBridgeScheduleGateway.delete', () => {
  it('deletes the schedule from the group', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    await gateway().delete('task-abc12345');
    expect(scheduler.commandCalls(DeleteScheduleCommand)[0]?.args[0].input).toEqual({
      Name: 'task-abc12345',
      GroupName: 'summary-bot-dev',
    });
  });

  it('treats a schedule that does not exist as deleted', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'nope', Message: 'nope' }));
    await expect(gateway().delete('task-abc12345')).resolves.toBeUndefined();
  });

  it('still reports other failures', async () => {
    scheduler
      .on(DeleteScheduleCommand)
      .rejects(new ConflictException({ $metadata: {}, message: 'busy', Message: 'busy' }));
    await expect(gateway().delete('task-abc12345')).rejects.toMatchObject({ kind: 'conflict' });
  });
});

describe('EventBridgeScheduleGateway.get', () => {
  it('reads the definition back, task and guild from the target input', async () => {
    scheduler.on(GetScheduleCommand, { Name: 'task-abc12345', GroupName: 'summary-bot-dev' }).resolves({
      Name: 'task-abc12345',
      GroupName: 'summary-bot-dev',
      ScheduleExpression: 'rate(1 day)',
      ScheduleExpressionTimezone: 'America/New_York',
      State: 'DISABLED',
      StartDate: new Date('2026-01-01T12:00:00Z'),
      Description: 'x',
      Target: { ...target },
    });
    await expect(gateway().get('task-abc12345')).resolves.toEqual({
      name: 'task-abc12345',
      expression: 'rate(1 day)',
      timeZone: 'America/New_York',
      state: 'DISABLED',
      taskId: 'abc12345',
      guildId: '123456789012345678',
      startDate: new Date('2026-01-01T12:00:00Z'),
      description: 'x',
    });
  });

  it('returns undefined for a schedule that does not exist', async () => {
    scheduler
      .on(GetScheduleCommand)
      .rejects(new ResourceNotFoundException({ $metadata: {}, message: 'nope', Message: 'nope' }));
    await expect(gateway().get('task-missing1')).resolves.toBeUndefined();
  });

  it('refuses a schedule whose target input is not a scheduled run', async () => {
    scheduler.on(GetScheduleCommand).resolves({
      Name: 'task-foreign1',
      ScheduleExpression: 'rate(1 day)',
      Target: { Arn: TARGET, RoleArn: ROLE, Input: '{"hello":"world"}' },
    });
    await expect(gateway().get('task-foreign1')).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('EventBridgeScheduleGateway.list', () => {
  it('pages through the whole group', async () => {
    scheduler
      .on(ListSchedulesCommand, { GroupName: 'summary-bot-dev', NextToken: undefined })
      .resolves({
        Schedules: [
          { Name: 'task-a1111111', State: 'ENABLED' },
          { Name: 'task-b2222222', State: 'DISABLED' },
        ],
        NextToken: 'page-2',
      })
      .on(ListSchedulesCommand, { GroupName: 'summary-bot-dev', NextToken: 'page-2' })
      .resolves({ Schedules: [{ Name: 'task-c3333333', State: 'ENABLED' }] });
    await expect(gateway().list()).resolves.toEqual([
      { name: 'task-a1111111', state: 'ENABLED' },
      { name: 'task-b2222222', state: 'DISABLED' },
      { name: 'task-c3333333', state: 'ENABLED' },
    ]);
    expect(scheduler).toHaveReceivedCommandTimes(ListSchedulesCommand, 2);
    expect(scheduler).toHaveReceivedNthCommandWith(ListSchedulesCommand, 2, {
      GroupName: 'summary-bot-dev',
      NextToken: 'page-2',
    });
  });

  it('maps a failure on a later page', async () => {
    scheduler
      .on(ListSchedulesCommand)
      .resolvesOnce({ Schedules: [], NextToken: 'p2' })
      .rejectsOnce(new ThrottlingException({ $metadata: {}, message: 'slow', Message: 'slow' }));
    await expect(gateway().list()).rejects.toMatchObject({ kind: 'throttled' });
  });
});

describe('EventBridgeScheduleGateway error mapping', () => {
  const metadata = { $metadata: {} };
  const cases: Array<[string, Error, string]> = [
    [
      'ValidationException',
      new ValidationException({ ...metadata, message: 'bad', Message: 'bad' }),
      'validation',
    ],
    ['ConflictException', new ConflictException({ ...metadata, message: 'c', Message: 'c' }), 'conflict'],
    [
      'ServiceQuotaExceededException',
      new ServiceQuotaExceededException({ ...metadata, message: 'q', Message: 'q' }),
      'quota',
    ],
    [
      'ThrottlingException',
      new ThrottlingException({ ...metadata, message: 't', Message: 't' }),
      'throttled',
    ],
    [
      'ResourceNotFoundException',
      new ResourceNotFoundException({ ...metadata, message: 'n', Message: 'n' }),
      'not_found',
    ],
    [
      'InternalServerException',
      new InternalServerException({ ...metadata, message: 'i', Message: 'i' }),
      'internal',
    ],
    [
      'an unmodelled 503',
      new SchedulerServiceException({
        name: 'ServiceUnavailable',
        $fault: 'server',
        $metadata: { httpStatusCode: 503 },
        message: 'unavailable',
      }),
      'internal',
    ],
    ['a socket timeout', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }), 'internal'],
  ];

  it.each(cases)('maps %s to its kind', async (_label, error, kind) => {
    scheduler.on(CreateScheduleCommand).rejects(error);
    const failure = await gateway()
      .create(daily, 'token-x')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(failure).toBeInstanceOf(ScheduleGatewayError);
    expect(failure).toMatchObject({ kind, cause: error });
    // The message is for users: it names the schedule, not the account or the service's own words.
    expect((failure as Error).message).toContain('task-abc12345');
    expect((failure as Error).message).not.toMatch(/arn:|123456789012/);
  });

  it('says which failures are worth retrying', async () => {
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ThrottlingException({ ...metadata, message: 't', Message: 't' }));
    await expect(gateway().update(daily)).rejects.toMatchObject({ retryable: true });
    scheduler
      .on(UpdateScheduleCommand)
      .rejects(new ValidationException({ ...metadata, message: 'v', Message: 'v' }));
    await expect(gateway().update(daily)).rejects.toMatchObject({ retryable: false });
  });
});
