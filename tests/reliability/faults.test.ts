/**
 * Fault injection at the Scheduler port and on concurrent requests, through the real interactions handler
 * and TaskScheduler on the embedded store: EventBridge Scheduler's CreateSchedule failing with throttling,
 * quota, a 5xx or a timeout leaves no task item behind and tells the member plainly; two simultaneous edits
 * of one task end with one success and one clear conflict message, never a lost update.
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  InternalServerException,
  SchedulerClient,
  ServiceQuotaExceededException,
  ThrottlingException,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBridgeScheduleGateway } from '../../lib/aws/eventbridge-schedules.ts';
import { createInteractionHandler } from '../../lib/discord/interaction-handler.ts';
import { MemoryInteractionLedger } from '../../lib/discord/interaction-once.ts';
import { ManualClock } from '../../lib/local/clock.ts';
import { EmbeddedScheduleGateway } from '../../lib/local/embedded-scheduler.ts';
import type { ScheduleGateway, TaskStore } from '../../lib/scheduling/ports.ts';
import { InMemoryScheduleRepository } from '../../lib/scheduling/schedule-repository.ts';
import { TaskScheduler } from '../../lib/scheduling/task-scheduler.ts';
import { useEmbeddedStore } from '../support/embedded-dynamo.ts';
import { RecordingInvoker } from '../support/interaction-harness.ts';
import { command, GUILD, str } from '../support/interaction-payloads.ts';
import { generateSigningKeys, signedRequest } from '../support/signing.ts';
import { recordFigures } from './figures.ts';

const keys = generateSigningKeys();
const awsScheduler = mockClient(SchedulerClient);

function handlerFor(store: TaskStore, schedules: ScheduleGateway, logs: string[]) {
  const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
  const scheduler = new TaskScheduler({ store, schedules, clock, warn: () => undefined });
  const handler = createInteractionHandler({
    scheduler,
    executor: new RecordingInvoker(),
    publicKey: keys.publicKeyHex,
    clock,
    interactions: new MemoryInteractionLedger(),
    logger: { error: (message, attributes) => logs.push(`${message} ${JSON.stringify(attributes)}`) },
  });
  return {
    scheduler,
    async send(payload: unknown) {
      const response = await handler.handle(signedRequest(payload, keys));
      return {
        status: response.status,
        json: JSON.parse(response.body) as { data: { content: string; flags?: number } },
      };
    },
  };
}

const meta = { $metadata: {}, message: 'injected' };
const FAULTS: [string, () => Error][] = [
  ['throttling', () => new ThrottlingException({ ...meta, Message: 'Rate exceeded' } as never)],
  ['quota', () => new ServiceQuotaExceededException({ ...meta, Message: 'Quota exceeded' } as never)],
  ['5xx', () => new InternalServerException({ ...meta, Message: 'Internal error' } as never)],
  ['timeout', () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ETIMEDOUT' })],
];

describe('Scheduler CreateSchedule failing after the item was written', () => {
  const db = useEmbeddedStore();
  afterEach(() => awsScheduler.reset());

  it.each(FAULTS)(
    'leaves no task item after a %s failure and answers the member privately',
    async (_kind, fault) => {
      awsScheduler.on(CreateScheduleCommand).rejects(fault());
      awsScheduler.on(DeleteScheduleCommand).resolves({});
      const logs: string[] = [];
      const gateway = new EventBridgeScheduleGateway({
        client: new SchedulerClient({ region: 'eu-west-1', maxAttempts: 1 }),
        groupName: 'summary-bot-test',
        targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:executor',
        roleArn: 'arn:aws:iam::123456789012:role/scheduler-invoke',
        deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:dead-letters',
      });
      const { send } = handlerFor(db.store, gateway, logs);
      const res = await send(command('schedule create daily', [str('time', '09:30'), str('name', 'faulty')]));
      expect(res.status).toBe(200);
      expect(res.json.data.flags).toBe(MessageFlags.Ephemeral);
      expect(res.json.data.content).not.toMatch(/^Created/);
      expect(awsScheduler.commandCalls(CreateScheduleCommand).length).toBeGreaterThan(0);
      // No orphan: the item written before the schedule is gone (not even `pending`).
      expect(await db.store.listTasks(GUILD)).toEqual([]);
      recordFigures(`fault-create-schedule-${_kind}`, {
        reply: res.json.data.content.slice(0, 120),
        itemsLeft: 0,
        createAttempts: awsScheduler.commandCalls(CreateScheduleCommand).length,
      });
    },
  );
});

describe('Scheduler failures in words (known gap)', () => {
  const db = useEmbeddedStore();
  afterEach(() => awsScheduler.reset());

  it('tells the member that the schedule quota is full instead of a generic apology', async () => {
    awsScheduler.on(CreateScheduleCommand).rejects(FAULTS[1]![1]());
    const gateway = new EventBridgeScheduleGateway({
      client: new SchedulerClient({ region: 'eu-west-1', maxAttempts: 1 }),
      groupName: 'summary-bot-test',
      targetArn: 'arn:aws:lambda:eu-west-1:123456789012:function:executor',
      roleArn: 'arn:aws:iam::123456789012:role/scheduler-invoke',
      deadLetterArn: 'arn:aws:sqs:eu-west-1:123456789012:dead-letters',
    });
    const { send } = handlerFor(db.store, gateway, []);
    const res = await send(command('schedule create daily', [str('time', '09:30'), str('name', 'faulty')]));
    expect(res.json.data.content).not.toMatch(/^Sorry, something went wrong/);
    expect(res.json.data.content).toMatch(/schedule limit/);
  });
});

describe('two edits of one task at the same moment', () => {
  const db = useEmbeddedStore();

  it('end with one success and one conflict message, and the stored task is the winner, not a blend', async () => {
    const logs: string[] = [];
    const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
    const gateway = new EmbeddedScheduleGateway({
      repository: new InMemoryScheduleRepository(),
      clock,
      onFire: async () => {},
    });
    // Both requests read the task before either writes: the first two reads wait for each other.
    let waiting: (() => void)[] = [];
    let armed = false;
    const racing = new Proxy(db.store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'getTask' || typeof value !== 'function')
          return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (armed) {
            await new Promise<void>((resolve) => {
              waiting.push(resolve);
              if (waiting.length === 2) {
                for (const release of waiting) release();
                waiting = [];
                armed = false;
              }
            });
          }
          return result;
        };
      },
    });
    const { send, scheduler } = handlerFor(racing as TaskStore, gateway, logs);
    const created = await send(
      command('schedule create daily', [str('time', '09:30'), str('name', 'shared')]),
    );
    expect(created.json.data.content).toMatch(/^Created/);
    const [task] = await scheduler.listTasks(GUILD);
    armed = true;
    const [a, b] = await Promise.all([
      send(command('schedule edit', [str('task', task!.id), str('time', '10:15')])),
      send(command('schedule edit', [str('task', task!.id), str('name', 'renamed')])),
    ]);
    const contents = [a.json.data.content, b.json.data.content];
    const conflicts = contents.filter((c) => c.includes('changed by someone else'));
    expect(conflicts).toHaveLength(1);
    expect(a.json.data.flags).toBe(MessageFlags.Ephemeral);
    expect(b.json.data.flags).toBe(MessageFlags.Ephemeral);
    const stored = await db.store.getTask(GUILD, task!.id);
    const timeWon = !contents[0]!.includes('changed by someone else');
    // The winner's change only: the loser's edit is not half-applied, and the winner's is not lost.
    expect(stored?.name).toBe(timeWon ? 'shared' : 'renamed');
    expect(stored?.kind === 'summary' && stored.schedule).toEqual({
      type: 'daily',
      time: timeWon ? '10:15' : '09:30',
    });
    expect(stored?.version).toBe(task!.version + 1);
    recordFigures('fault-concurrent-edit', {
      requests: 2,
      succeeded: 1,
      conflicts: conflicts.length,
      lostUpdates: 0,
    });
  });
});
