import { describe, expect, it } from 'vitest';
import { CommonEnv, parseEnv } from '../../../lib/config.ts';
import { ConfigError, LimitError } from '../../../lib/errors.ts';
import { schedulingLimitsOf } from '../../../lib/scheduling/limits.ts';
import { TaskScheduler } from '../../../lib/scheduling/task-scheduler.ts';
import { TestClock } from '../../support/clock.ts';
import { useEmbeddedStore } from '../../support/embedded-dynamo.ts';
import { ScheduleGroupDouble } from './gateway-double.ts';
import { GUILD, summaryInput } from './new-task-input.ts';

const MEMBERS = ['400000000000000001', '400000000000000002', '400000000000000003'];
const input = summaryInput();

// The cap on a task's subscribers is the deployer's setting, like the other limits (ARCHITECTURE, Security).
describe('MAX_SUBSCRIBERS_PER_TASK', () => {
  const db = useEmbeddedStore();
  const schedulerWith = (env: Record<string, string>) =>
    new TaskScheduler({
      store: db.store,
      schedules: new ScheduleGroupDouble(),
      clock: new TestClock(),
      limits: schedulingLimitsOf(parseEnv(CommonEnv, env)),
    });

  it('refuses the subscriber past the configured limit, naming the setting, and keeps the list', async () => {
    const scheduler = schedulerWith({ MAX_SUBSCRIBERS_PER_TASK: '2' });
    const task = await scheduler.createTask(input);
    for (const member of MEMBERS.slice(0, 2)) await scheduler.subscribe(GUILD, task.id, member);

    const error = await scheduler.subscribe(GUILD, task.id, MEMBERS[2] as string).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LimitError);
    expect((error as LimitError).setting).toBe('MAX_SUBSCRIBERS_PER_TASK');
    expect((error as LimitError).message).toBe(
      '**Daily digest** already has 2 subscribers, and at most 2 are allowed (each run sends every subscriber a direct message). Ask a manager to post its digest to a channel you can read instead; whoever runs the bot can raise the limit with MAX_SUBSCRIBERS_PER_TASK (CDK context maxSubscribersPerTask).',
    );
    const stored = await scheduler.getTask(GUILD, task.id);
    expect(stored.kind === 'summary' && stored.subscribers?.map((s) => s.userId)).toEqual(
      MEMBERS.slice(0, 2),
    );
  });

  it('is 100 unless set', () => {
    expect(schedulingLimitsOf(parseEnv(CommonEnv, {})).subscribersPerTask).toBe(100);
  });

  it.each(['0', '1001', 'many', '2.5'])(
    'refuses MAX_SUBSCRIBERS_PER_TASK=%s at start, naming it',
    (value) => {
      expect(() => parseEnv(CommonEnv, { MAX_SUBSCRIBERS_PER_TASK: value })).toThrow(ConfigError);
      expect(() => parseEnv(CommonEnv, { MAX_SUBSCRIBERS_PER_TASK: value })).toThrow(
        /MAX_SUBSCRIBERS_PER_TASK: /,
      );
    },
  );
});
