/**
 * The local runtime's daily reconcile (issue #11: "the local runtime runs `reconcile` as AWS does"), driven
 * by the sandbox clock through the control API: drift left while the bot runs (an abandoned import's pending
 * task with its live schedule, an orphan schedule, a task whose schedule went missing) and a run left
 * `running` with nobody working on it are repaired when the day has passed, and not before.
 */
import { describe, expect, it } from 'vitest';
import { advanceClock, findRunningBot } from '../../lib/local/control-client.ts';
import { sampleServerInfo } from '../../lib/local/sandbox/sample-server.ts';
import { scheduleNameFor } from '../../lib/scheduling/ports.ts';
import { useSandboxPerTest } from '../support/sandbox-runtime.ts';
import { until } from '../support/until.ts';
import { recordFigures } from './figures.ts';

describe('npm start (sandbox): the daily reconcile', () => {
  const sandbox = useSandboxPerTest('summary-bot-daily-');

  it('repairs drift and resumes an unfinished run a day after start, and not before', async () => {
    const lines: string[] = [];
    const live = await sandbox.start({ report: (l) => lines.push(l) });
    const { scheduler, gateway, store } = live;
    const info = sampleServerInfo();
    const channel = (name: string) => info.channels.find((c) => c.name === name)?.id as string;
    // Every 7 days: nothing of these tasks is due in the day the test lets pass.
    const newTask = (name: string) =>
      scheduler.createTask({
        kind: 'summary',
        guildId: info.guild.id,
        name,
        channelIds: [channel('general')],
        schedule: { type: 'every', value: 7, unit: 'days' },
        timeZone: 'UTC',
        destinations: [{ type: 'discord_channel', channelId: channel('digest'), format: 'embed' }],
        createdBy: info.user.id,
      });
    const kept = await newTask('kept');
    const lostSchedule = await newTask('lost schedule');
    const abandoned = await newTask('abandoned import');

    // Drift made while the bot runs, as a crashed CLI or a hand edit leaves it.
    await gateway.delete(scheduleNameFor(lostSchedule.id));
    const stored = await store.getTask(info.guild.id, abandoned.id);
    await store.updateTask({ ...stored!, state: 'pending' }, stored!.version);
    const template = await gateway.get(scheduleNameFor(kept.id));
    await gateway.create({ ...template!, name: 'task-orphan000001', taskId: 'orphan000001' }, 'orphan-token');
    // A run left `running` by an attempt that is gone (due a minute ago; its lease ran out meanwhile).
    const now = live.clock.now().getTime();
    const lostRunTime = new Date(now - 60_000).toISOString();
    await store.putRun({
      taskId: kept.id,
      guildId: info.guild.id,
      scheduledTime: lostRunTime,
      trigger: 'schedule',
      executionId: 'lost-attempt',
      attempt: 1,
      status: 'running',
      startedAt: lostRunTime,
      leaseUntil: new Date(now - 1_000).toISOString(),
      claimId: 'gone',
      expiresAt: Math.floor(now / 1000) + 30 * 86_400,
    });

    const bot = await findRunningBot(live.dataDir);
    // Not yet: 23 hours on, nothing is repaired.
    await advanceClock(bot, '23h');
    expect(lines.filter((l) => /daily/.test(l))).toEqual([]);
    expect((await store.getRun(kept.id, lostRunTime))?.status).toBe('running');
    expect(await gateway.get('task-orphan000001')).toBeDefined();

    // The day is over: the reconcile has run on the sandbox clock.
    await advanceClock(bot, '1h');
    const reconciled = await until(
      async () => lines.find((l) => l.startsWith('Reconciled daily')),
      'the daily reconcile ran',
    );
    expect(reconciled).toBe(
      'Reconciled daily: 1 abandoned pending task removed, 2 orphan schedules deleted, 1 schedule recreated, 0 fixed.',
    );
    expect(await store.getTask(info.guild.id, abandoned.id)).toBeUndefined();
    expect(await gateway.get(scheduleNameFor(abandoned.id))).toBeUndefined();
    expect(await gateway.get('task-orphan000001')).toBeUndefined();
    expect((await gateway.get(scheduleNameFor(lostSchedule.id)))?.state).toBe('ENABLED');
    expect((await gateway.get(scheduleNameFor(kept.id)))?.state).toBe('ENABLED');

    // The unfinished run is resumed as attempt 2 and ends once, with one digest.
    expect(lines).toContain('Unfinished runs found daily: 1 resumed, 0 dead-lettered.');
    const run = await until(async () => {
      const found = await store.getRun(kept.id, lostRunTime);
      return found && found.status !== 'running' ? found : undefined;
    }, 'the unfinished run ended');
    expect(run).toMatchObject({ status: 'succeeded', attempt: 2 });
    const posts = live.standIn?.postedMessages(channel('digest')) ?? [];
    expect(posts).toHaveLength(1);

    recordFigures('daily-reconcile.local', {
      hoursAdvanced: 24,
      removedPending: 1,
      orphansDeleted: 2,
      recreated: 1,
      runsResumed: 1,
      posts: posts.length,
    });
  });
});
